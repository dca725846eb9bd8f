/**
 * `--give-up-after n` as users type it: a whole number from 0 to 10000, anything else exit 2 naming the flag before
 * anything is sent; `--help` states its default and range; a replay (which sends nothing) takes it and ignores it,
 * as it does --timeout.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breaker-flag-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('--give-up-after', () => {
  it.each([['-1'], ['abc'], ['10001'], ['1.5'], [' 5'], ['']])('%j is exit 2 naming the flag and its range', async (value) => {
    const run = await cli(['run', `--give-up-after=${value}`, '--quiet', '--report-dir', join(dir, 'never')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_USAGE: --give-up-after: ${JSON.stringify(value)} is not a whole number from 0 to 10000`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help states it, with its default (20) and range', async () => {
    const help = await cli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--give-up-after <n> stop sending to a target after this many requests in a row got no answer at all .*0: never \(0-10000\) \(default: 20\)/);
  });

  it('a replay takes it and ignores it: it sends nothing to give up on', async () => {
    const args = ['run', '--models', 'xai.grok-4.3', '--checks', 'api.*,path-prefix,stream.*', '--quiet'];
    const plain = await cli([...args, '--report-dir', join(dir, 'plain')]);
    const given = await cli([...args, '--give-up-after', '1', '--report-dir', join(dir, 'given')]);
    expect(given.code, given.stderr).toBe(plain.code);
    expect(given.stderr).toBe(plain.stderr);
    const verdicts = async (reports: string) => (JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix).results.map((r) => [r.check, r.status, r.reason]);
    expect(await verdicts(join(dir, 'given'))).toEqual(await verdicts(join(dir, 'plain')));
  });
});
