/**
 * Without a CI identity, a fixed --run-id (`NIGHTLY`) names every night's run: a shard job that died tonight on a
 * runner with a persistent workspace leaves last night's matrix.json of that shard, which merged green with
 * tonight's other shards (review finding 1). Inputs not tied by one CI run must chain into one night, by history's
 * rule (same-night.ts): a file starting more than SAME_NIGHT_MS (6 hours) after the end of every file before it is
 * another night's: refused, exit 2, naming both files, the late one's start and the other's end. With one CI run
 * recorded on both (a "Re-run failed jobs" the next day), they are one run however far apart, as their baselines are.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix, MatrixCi } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { shardOf } from './helpers/baseline-shards.ts';
import { cli } from './helpers/harness.ts';

const TONIGHT = '2026-12-06T17:16:12.000Z';
const DAY = 24 * 60 * 60 * 1000;
const NAMES = ['n1/matrix.json', 'n2/matrix.json'];

/** Shard i/2 of run NIGHTLY that started `ago` ms before tonight's shard 1 (run for a minute), in CI run `ci` when given. */
function shard(i: 1 | 2, ago: number, ci?: MatrixCi): Matrix {
  return shardOf('NIGHTLY', i, new Date(Date.parse(TONIGHT) + 60_000 - ago).toISOString(), ci);
}

describe('shards of one fixed --run-id from different nights', () => {
  it('a shard from 5 days ago: refused, naming both files, the late start and the earlier end, with the fix', () => {
    const [a, b] = [shard(1, 0), shard(2, 5 * DAY)];
    const message = `merge: n1/matrix.json started ${a.run.startedAt}, 4 d 23 h 59 min after every input started before it had finished (the last to finish, n2/matrix.json, finished ${b.run.finishedAt}), more than 6 hours, and no CI run recorded on both ties them`;
    expect(() => assertMergeable([a, b], NAMES)).toThrow(message);
    expect(() => assertMergeable([a, b], NAMES)).toThrow('run the odd one again with the others and merge the new files, or show runs of different nights side by side with `mantle-conformance table`');
    // Whichever is given first.
    expect(() => assertMergeable([b, a], [NAMES[1]!, NAMES[0]!])).toThrow(message);
  });

  it('starts just under 6 hours apart, either way: one run (queued shards), merged whole', () => {
    for (const ago of [6 * 3600_000 - 1, -(6 * 3600_000 - 1), 5_000]) {
      const [a, b] = [shard(1, 0), shard(2, ago)];
      expect(() => assertMergeable([a, b], NAMES), String(ago)).not.toThrow();
      expect(mergeMatrices([a, b], NAMES).run.partial, String(ago)).toBe(false);
    }
  });

  it('a start exactly 6 hours after the other ended is one night; a millisecond later, two', () => {
    // Each shard runs a minute: shard 2 started `ago`, ended `ago` - 1 min before tonight's shard 1 started.
    expect(() => assertMergeable([shard(1, 0), shard(2, 6 * 3600_000 + 60_000)], NAMES)).not.toThrow();
    expect(() => assertMergeable([shard(1, 0), shard(2, 6 * 3600_000 + 60_001)], NAMES)).toThrow('after every input started before it had finished');
  });

  it('only one records a CI run: nothing ties them, their times tell the nights apart', () => {
    expect(() => assertMergeable([shard(1, 0, { system: 'github', runId: '700', attempt: 1 }), shard(2, 5 * DAY)], NAMES)).toThrow('no CI run recorded on both ties them');
  });

  it('both record one CI run (a re-run attempt days later): one run, merged, said as its latest attempt', () => {
    const ci = { system: 'github' as const, runId: '700' };
    const [a, b] = [shard(1, 0, { ...ci, attempt: 2 }), shard(2, 5 * DAY, { ...ci, attempt: 1 })];
    expect(() => assertMergeable([a, b], NAMES)).not.toThrow();
    const merged = mergeMatrices([a, b], NAMES);
    expect([merged.run.partial, merged.run.ci]).toEqual([false, { ...ci, attempt: 2 }]);
  });

  it('whole runs and the same file twice are not judged by their starts (partial, as before)', () => {
    const a = shard(1, 0);
    expect(() => assertMergeable([a, a], [NAMES[0]!, NAMES[0]!])).not.toThrow();
    expect(mergeMatrices([a, a], [NAMES[0]!, NAMES[0]!]).run.partialReason).toContain('shard 1/2 of run NIGHTLY is given 2 times');
  });
});

describe('merge on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-stale-shard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("the review's case: tonight's shard 1 and shard 2 left from 5 days ago exit 2, nothing merged", async () => {
    const files = [join(dir, 'n1.json'), join(dir, 'n2.json')];
    const [a, b] = [shard(1, 0), shard(2, 5 * DAY)];
    await writeFile(files[0]!, JSON.stringify(a));
    await writeFile(files[1]!, JSON.stringify(b));
    const run = await cli(['merge', ...files, '--report-dir', join(dir, 'nm')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_REPORT_INVALID: merge:');
    expect(run.stderr).toContain(`${files[0]} started ${a.run.startedAt}`);
    expect(run.stderr).toContain(`${files[1]}, finished ${b.run.finishedAt}`);
    expect(run.stdout).not.toContain('gate: pass');
    expect(await readdir(join(dir, 'nm')).catch(() => [])).not.toContain('matrix.json');
  });
});
