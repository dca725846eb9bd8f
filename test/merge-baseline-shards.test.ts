/**
 * A baseline run is its run id and CI run, not when it finished (second review of the CI path: each shard job of run
 * S compared with the matching shard of run P, yesterday's nightly, and merge refused them, "their --baseline runs
 * differ (only in q1: "run P finished ...16.213Z"; only in q2: "run P finished ...19.665Z")": every shard of P ends
 * at its own time). Shards compared with shards of one baseline run merge; shards compared with runs of other ids,
 * or of one fixed --run-id made in other CI runs, are still refused.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix, MatrixCi } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { shardOf } from './helpers/baseline-shards.ts';
import { cli } from './helpers/harness.ts';


/** Yesterday's nightly P, its two shards ending 3.4 s apart (the review's times). */
const P1 = shardOf('P', 1, '2026-12-06T12:59:16.213Z');
const P2 = shardOf('P', 2, '2026-12-06T12:59:19.665Z');
/** Shard i of today's run S compared with `base`. */
function compared(i: 1 | 2, base: Matrix): Matrix {
  const m = shardOf('S', i, `2026-12-07T12:59:1${i}.000Z`);
  return { ...m, comparison: compareMatrices(base, m) };
}

describe('shards compared with the matching shards of one baseline run', () => {
  it('merge, and the merge names run P', () => {
    expect(() => assertMergeable([compared(1, P1), compared(2, P2)], ['q1/matrix.json', 'q2/matrix.json'])).not.toThrow();
    const merged = mergeMatrices([compared(1, P1), compared(2, P2)]);
    expect(merged.comparison?.baseline.runId).toBe('P');
    expect(merged.gate.verdict).toBe('pass');
  });

  it('runs of other ids are still refused, naming both runs by id', () => {
    const older = shardOf('O', 2, '2026-12-05T12:59:19.665Z');
    expect(() => assertMergeable([compared(1, P1), compared(2, older)], ['q1/matrix.json', 'q2/matrix.json'])).toThrow(
      'merge: q1/matrix.json and q2/matrix.json are both of run S, but their --baseline runs differ (only in q1/matrix.json: "run P"; only in q2/matrix.json: "run O")',
    );
  });
});

describe('a fixed --run-id: the baseline CI run tells the nights apart', () => {
  const night = (runId: string): MatrixCi => ({ system: 'github', runId });

  it('the comparison records the baseline run\'s CI run (system and id), and a file keeps it when read back', () => {
    const comparison = compareMatrices(shardOf('nightly', 1, '2026-12-06T12:59:16.213Z', { ...night('700'), attempt: 2 }), shardOf('nightly', 1, '2026-12-07T12:59:16.000Z'));
    expect(comparison.baseline.ci).toEqual(night('700'));
    const m = { ...shardOf('S', 1, '2026-12-07T12:59:16.000Z'), comparison };
    expect(parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json').comparison?.baseline.ci).toEqual(night('700'));
  });

  it('shards of one CI run of it (shard 2 re-run: another attempt) merge and the merge keeps its CI run', () => {
    const a = compared(1, shardOf('nightly', 1, '2026-12-06T12:59:16.213Z', { ...night('700'), attempt: 1 }));
    const b = compared(2, shardOf('nightly', 2, '2026-12-06T13:20:19.665Z', { ...night('700'), attempt: 2 }));
    expect(mergeMatrices([a, b]).comparison?.baseline).toMatchObject({ runId: 'nightly', ci: night('700') });
  });

  it('shards compared with two nights of it are refused, naming the CI runs', () => {
    const a = compared(1, shardOf('nightly', 1, '2026-12-06T12:59:16.213Z', night('700')));
    const b = compared(2, shardOf('nightly', 2, '2026-12-05T12:59:19.665Z', night('699')));
    expect(() => assertMergeable([a, b], ['q1/matrix.json', 'q2/matrix.json'])).toThrow(
      'are both of run S, but their --baseline runs were made in different CI runs (only in q1/matrix.json: "github 700"; only in q2/matrix.json: "github 699")',
    );
  });
});

describe('merge on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-baseline-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the review\'s shards: merged, exit 0, matrix.json compared with run P', async () => {
    const files = [join(dir, 'q1.json'), join(dir, 'q2.json')];
    await writeFile(files[0]!, JSON.stringify(compared(1, P1)));
    await writeFile(files[1]!, JSON.stringify(compared(2, P2)));
    const run = await cli(['merge', ...files, '--report-dir', join(dir, 'qm')]);
    expect(run.stderr).not.toContain('HARNESS_REPORT_INVALID');
    expect(run.code, run.stderr).toBe(0);
    const merged = JSON.parse(await readFile(join(dir, 'qm', 'matrix.json'), 'utf8')) as Matrix;
    expect(merged.comparison?.baseline.runId).toBe('P');
  });
});
