/** vitest refusing the arguments after `--` is the user's input to fix (exit 2 naming them), not a harness bug. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVitestOptions } from '../src/run/vitest-usage.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitest-args-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bad vitest arguments', () => {
  it.each([
    [['--reporter=nonexistent'], '--reporter=nonexistent'],
    [['--project', 'nope'], '--project=nope'],
  ])('%j is exit 2 naming them', async (args, named) => {
    const run = await cli(['run', '--models', 'xai.grok-4.3', '--quiet', '--report-dir', join(dir, 'reports'), '--', ...args]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: vitest refused the arguments after --');
    expect(run.stderr).toContain(named);
    expect(run.stderr).not.toContain('This is a bug');
  }, 120_000);

  it('names only what the user gave', () => {
    expect(describeVitestOptions({ '--': [], color: true, reporter: 'x', passWithNoTests: true })).toBe('--reporter=x --pass-with-no-tests');
  });
});
