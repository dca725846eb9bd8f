/** bless without --all makes a new expectations file whenever something gates: it says it created it. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bless-created-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bless into a file that does not exist', () => {
  it('says it created it, once; a second bless into it does not', async () => {
    const input = join(dir, 'matrix.json');
    await writeFile(input, JSON.stringify(smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail', observed: 'integer', expected: 'exponent', expectedSource: 'expectations: x' }])));
    const file = join(dir, 'new.yaml');
    const bless = async () => {
      let text = '';
      const stream = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
      const code = await main(['bless', input, '--expectations', file], { out: stream, err: stream });
      return { code, text };
    };
    const first = await bless();
    expect(first.code, first.text).toBe(0);
    expect(first.text).toContain(`into ${file} (created: it did not exist):`);
    const second = await bless();
    expect(second.text).not.toContain('(created:');
  });
});
