/**
 * One run per region, each its own CI job: a job that died before writing its matrix.json left nothing to say its
 * region is missing, and the merge of the others read green (hostile review of CI use, 2026-12-05). `merge
 * --expect-targets` names the regions the merge must hold; one no input has makes it partial, exit 1, named.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-expect-'));
  // Two "regions": the bundled recordings of each surface, each its own run.
  for (const target of ['emulator', 'runtime.emulator']) {
    const run = await cli(['run', MODEL, '--checks', 'path-prefix', '--targets', target === 'emulator' ? 'mantle:emulator' : 'runtime:emulator', '--run-id', `r-${target}`, '--report-dir', join(dir, target), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('merge --expect-targets', () => {
  it('every expected target present: the merge is as without the flag', async () => {
    const merge = await cli(['merge', join(dir, 'emulator/matrix.json'), join(dir, 'runtime.emulator/matrix.json'), '--expect-targets', 'emulator,runtime.emulator', '--report-dir', join(dir, 'all')]);
    expect(merge.code, merge.stderr).toBe(0);
  });

  it('a region whose job wrote nothing: partial, naming it, exit 1, even from one file', async () => {
    const merge = await cli(['merge', join(dir, 'emulator/matrix.json'), '--expect-targets', 'emulator,runtime.emulator,eu-central-1', '--report-dir', join(dir, 'lost')]);
    expect(merge.code, merge.stderr).toBe(1);
    expect(merge.stdout).toContain('merge: targets runtime.emulator, eu-central-1 expected (--expect-targets) and in no input');
    expect(merge.stdout).toMatch(/^gate: fail \(exit 1\)/m);
    const matrix = JSON.parse(await readFile(join(dir, 'lost', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.run.partial).toBe(true);
    // And it reads back: report recomputes the same gate.
    expect((await cli(['report', join(dir, 'lost', 'matrix.json')])).code).toBe(1);
  });

  it('refuses an empty or malformed id, naming the flag', async () => {
    for (const raw of ['emulator,', 'a b']) {
      const merge = await cli(['merge', join(dir, 'emulator/matrix.json'), '--expect-targets', raw, '--report-dir', join(dir, 'bad')]);
      expect(merge.code).toBe(2);
      expect(merge.stderr).toContain('HARNESS_USAGE: --expect-targets');
    }
  });

  it('one surviving shard merged alone says which shards are missing (partial, exit 1), with or without the flag', async () => {
    const shard = await cli(['run', MODEL, 'xai.grok-4.3', '--checks', 'path-prefix', '--shard', '1/2', '--run-id', 'lone', '--report-dir', join(dir, 'lone'), '--quiet']);
    expect(shard.code, shard.stderr).toBe(0);
    const merge = await cli(['merge', join(dir, 'lone', 'matrix.json'), '--report-dir', join(dir, 'lone-merged')]);
    expect(merge.code, merge.stderr).toBe(1);
    expect(merge.stdout).toContain('merge: shard 2/2 of run lone is missing');
  });
});
