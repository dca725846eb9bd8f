/**
 * Replay reads only files inside --fixtures: a fixture file that is a symbolic link (to a system file, or to a valid
 * fixture elsewhere) is HARNESS_RECORDING_INVALID naming the link, never read nor quoted. A file that is not JSON is
 * said by line and column, without its text: a report never carries the bytes of a file it could not read.
 */
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { parseFixture, readFixture } from '../src/transport/fixture-file.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';
const BUNDLED = join(ROOT, 'fixtures', 'emulator', MODEL);
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

let dir: string;
let modelDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-links-'));
  modelDir = join(dir, 'fixtures', 'emulator', MODEL);
  await cp(BUNDLED, modelDir, { recursive: true });
  await writeFile(join(dir, 'passwd'), PASSWD);
  await rm(join(modelDir, 'content-array.chat.json'));
  await symlink(join(dir, 'passwd'), join(modelDir, 'content-array.chat.json'));
  // A link to a valid fixture outside the folder is refused all the same: replay reads only what is inside.
  await cp(join(BUNDLED, 'answer.chat.json'), join(dir, 'elsewhere.json'));
  await rm(join(modelDir, 'answer.chat.json'));
  await symlink(join(dir, 'elsewhere.json'), join(modelDir, 'answer.chat.json'));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('replay of a fixtures folder with links in it', () => {
  it('refuses each linked file, naming it, and never quotes what it points to', async () => {
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--fixtures', join(dir, 'fixtures'), '--target-name', 'emulator', '--models', MODEL, '--checks', 'content.array.chat,answer.non-empty', '--report-dir', reports, '--plain']);
    expect(run.code, run.stderr).toBe(1);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    for (const check of ['content.array.chat', 'answer.non-empty']) {
      const cell = matrix.results.find((r) => r.check === check)!;
      expect(cell.status, check).toBe('error');
      expect(cell.reason).toMatch(/HARNESS_RECORDING_INVALID: .*\.json is a symbolic link; replay reads only files inside --fixtures/);
    }
    const everything = [run.stdout, run.stderr, await readFile(join(reports, 'matrix.json'), 'utf8'), await readFile(join(reports, 'junit.xml'), 'utf8')].join('\n');
    expect(everything).not.toContain('root:x');
  }, 60_000);

  it('says where a file stops being JSON, without its text', async () => {
    expect(() => parseFixture('{\n  "format": "x",\n  secret-token-text\n}\n', '/f/x.json')).toThrow(
      '/f/x.json is not valid JSON at line 3, column 3 (truncated or damaged); delete it and record it again with --mode record',
    );
    await writeFile(join(dir, 'plain.json'), PASSWD);
    const read = await readFixture(join(dir, 'plain.json')).catch((e: Error) => e);
    expect((read as Error).message).toMatch(/plain\.json is not valid JSON at line 1, column 1 \(truncated or damaged\)/);
    expect((read as Error).message).not.toContain('root');
  });
});
