/**
 * Without a CI identity, a fixed --run-id (`nightly`) names every night's run: shards compared with different
 * nights' shards of it (night 1's shard 1 as shard 1's baseline, night 2's shard 2 as shard 2's) are refused, naming
 * both baselines by their ends, and not merged as compared with one run (third review, finding 4). Two baselines of
 * one run id are one run when their `finishedAt` are less than 6 hours apart (one run's shards finish minutes apart),
 * or, as before, when both record one CI run.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { shardOf } from './helpers/baseline-shards.ts';
import { cli } from './helpers/harness.ts';


/** Shard i of tonight's run (a fixed --run-id too) compared with `base`. */
function tonight(i: 1 | 2, base: Matrix): Matrix {
  const m = shardOf('nightly', i, `2026-12-08T13:20:0${i}.000Z`);
  return { ...m, comparison: compareMatrices(base, m) };
}

const NIGHT1 = '2026-12-06T13:20:05.847Z';
const NIGHT2 = '2026-12-07T13:20:08.995Z';
const NAMES = ['n3s1/matrix.json', 'n3s2/matrix.json'];

describe('baselines of one fixed --run-id without a CI identity', () => {
  it("night 1's shard 1 and night 2's shard 2: refused as different runs, naming both by their ends", () => {
    const a = tonight(1, shardOf('nightly', 1, NIGHT1));
    const b = tonight(2, shardOf('nightly', 2, NIGHT2));
    expect(() => assertMergeable([a, b], NAMES)).toThrow(
      `merge: n3s1/matrix.json and n3s2/matrix.json are both of run nightly, but their --baseline runs differ: no CI run recorded tells them apart, and they finished 6 hours or more apart (only in n3s1/matrix.json: "run nightly finished ${NIGHT1}"; only in n3s2/matrix.json: "run nightly finished ${NIGHT2}")`,
    );
  });

  it("one night's shards, finished seconds apart (or up to just under 6 hours): merged, as one baseline run", () => {
    const a = tonight(1, shardOf('nightly', 1, '2026-12-07T13:20:05.847Z'));
    for (const end of ['2026-12-07T13:20:08.995Z', '2026-12-07T19:20:05.846Z', '2026-12-07T07:20:05.848Z']) {
      const b = tonight(2, shardOf('nightly', 2, end));
      expect(() => assertMergeable([a, b], NAMES), end).not.toThrow();
      expect(mergeMatrices([a, b]).comparison?.baseline.runId).toBe('nightly');
    }
  });

  it('ends exactly 6 hours apart: two runs', () => {
    const a = tonight(1, shardOf('nightly', 1, '2026-12-07T13:20:05.847Z'));
    const b = tonight(2, shardOf('nightly', 2, '2026-12-07T19:20:05.847Z'));
    expect(() => assertMergeable([a, b], NAMES)).toThrow('their --baseline runs differ: no CI run recorded tells them apart');
  });

  it('only one baseline records a CI run: its end still tells the nights apart', () => {
    const a = tonight(1, shardOf('nightly', 1, NIGHT1, { system: 'github', runId: '700' }));
    const b = tonight(2, shardOf('nightly', 2, NIGHT2));
    expect(() => assertMergeable([a, b], NAMES)).toThrow('their --baseline runs differ');
  });

  it('both record one CI run: one run, however far apart its shards finished (a job re-run the next morning)', () => {
    const ci = { system: 'github' as const, runId: '700' };
    const a = tonight(1, shardOf('nightly', 1, NIGHT1, { ...ci, attempt: 1 }));
    const b = tonight(2, shardOf('nightly', 2, NIGHT2, { ...ci, attempt: 2 }));
    expect(() => assertMergeable([a, b], NAMES)).not.toThrow();
  });
});

describe('merge on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-merge-nights-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the review's shards: exit 2 naming both baselines, no merged report written", async () => {
    const files = [join(dir, 'n3s1.json'), join(dir, 'n3s2.json')];
    await writeFile(files[0]!, JSON.stringify(tonight(1, shardOf('nightly', 1, NIGHT1))));
    await writeFile(files[1]!, JSON.stringify(tonight(2, shardOf('nightly', 2, NIGHT2))));
    const run = await cli(['merge', ...files, '--report-dir', join(dir, 'n3m')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_REPORT_INVALID: merge:');
    expect(run.stderr).toContain(`"run nightly finished ${NIGHT1}"`);
    expect(run.stderr).toContain(`"run nightly finished ${NIGHT2}"`);
    expect(await readdir(join(dir, 'n3m')).catch(() => [])).not.toContain('matrix.json');
  });
});
