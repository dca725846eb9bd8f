/**
 * One rule for "one night", merge's and history's (same-night.ts): inputs of a merge that no one CI run ties must
 * chain into one night, each starting within 6 hours of the END of an input started before it, as history cuts a
 * reused run id. Review r2b 2: region files under different run ids were never checked by time (a region file five
 * days old merged green with --expect-targets satisfied). Review r2b 4: merge measured start to start, so a shard
 * queued behind a long one (shard 1 ran 10:22-15:25, shard 2 started 16:55) was refused while history read one run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInfos, type RunPart } from '../src/history/run-info.ts';
import type { Matrix, MatrixCi } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { shardOf } from './helpers/baseline-shards.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A whole run of one region (its own run id), from `start` to `end`, in CI run `ci` when given. */
function region(target: string, start: string, end: string, ci?: MatrixCi): Matrix {
  const m = smallMatrix([], undefined, undefined, { target, runId: `nightly-${target}` });
  return { ...m, run: { ...m.run, startedAt: start, finishedAt: end, durationMs: Date.parse(end) - Date.parse(start), ...(ci ? { ci } : {}) } };
}

/** Shard i/2 of `id` from `start` to `end`. */
function shard(id: string, i: 1 | 2, start: string, end: string): Matrix {
  const m = shardOf(id, i, end);
  return { ...m, run: { ...m.run, startedAt: start, finishedAt: end } };
}

/** What history reads of the same files (run-info.ts). */
function historyRuns(files: Record<string, Matrix>) {
  const parts: RunPart[] = Object.entries(files).map(([file, m]) => ({
    file,
    run: { id: m.run.id, startedAt: m.run.startedAt, finishedAt: m.run.finishedAt, harnessVersion: '0.1.0', partial: false, filtered: false, ...(m.run.selection.shard ? { shard: m.run.selection.shard } : {}) } as RunPart['run'],
    targets: m.targets.map((t) => ({ id: t.id, mode: t.mode })) as RunPart['targets'],
  }));
  return runInfos(parts).runs.map((r) => ({ files: r.files, missing: r.shards?.flatMap((s) => s.missing) ?? [] }));
}

describe('regions under their own run ids', () => {
  it('a region file five days older than the other: refused, naming both files, the late start and the stale end', () => {
    const [east, west] = [region('east', '2026-12-01T02:00:00.000Z', '2026-12-01T02:30:00.000Z'), region('west', '2026-12-06T02:00:00.000Z', '2026-12-06T02:40:00.000Z')];
    const names = ['east/matrix.json', 'west/matrix.json'];
    const message = 'merge: west/matrix.json started 2026-12-06T02:00:00.000Z, 4 d 23 h 30 min after every input started before it had finished (the last to finish, east/matrix.json, finished 2026-12-01T02:30:00.000Z), more than 6 hours, and no CI run recorded on both ties them';
    expect(() => assertMergeable([east, west], names)).toThrow(message);
    expect(() => assertMergeable([west, east], [names[1]!, names[0]!])).toThrow(message);
    expect(() => mergeMatrices([east, west], names, { expectTargets: ['east', 'west'] })).toThrow('run the odd one again with the others and merge the new files, or show runs of different nights side by side with `mantle-conformance table`');
  });

  it('each in its own CI run (a workflow per region) five days apart: refused too; one CI run on both: one run', () => {
    const [a, b] = [{ system: 'github' as const, runId: '11', attempt: 1 }, { system: 'github' as const, runId: '12', attempt: 1 }];
    const east = region('east', '2026-12-01T02:00:00.000Z', '2026-12-01T02:30:00.000Z', a);
    expect(() => assertMergeable([east, region('west', '2026-12-06T02:00:00.000Z', '2026-12-06T02:40:00.000Z', b)], [])).toThrow('no CI run recorded on both ties them');
    expect(() => assertMergeable([east, region('west', '2026-12-06T02:00:00.000Z', '2026-12-06T02:40:00.000Z', { ...a, attempt: 2 })], [])).not.toThrow();
  });

  it('regions hours apart chain into one night, each within 6 hours of an end before it; a gap past that breaks it', () => {
    const a = region('east', '2026-12-06T02:00:00.000Z', '2026-12-06T02:30:00.000Z');
    const b = region('west', '2026-12-06T08:00:00.000Z', '2026-12-06T09:00:00.000Z'); // 5.5 h after a ended
    const c = region('north', '2026-12-06T14:30:00.000Z', '2026-12-06T15:00:00.000Z'); // 12.5 h after a started, 5.5 h after b ended
    expect(() => assertMergeable([c, a, b], [])).not.toThrow();
    expect(mergeMatrices([a, b, c], []).run.partial).toBe(false);
    const late = region('north', '2026-12-06T15:00:00.001Z', '2026-12-06T15:30:00.000Z');
    expect(() => assertMergeable([a, b, late], ['a', 'b', 'late'])).toThrow('merge: late started 2026-12-06T15:00:00.001Z, 6 h after every input started before it had finished (the last to finish, b, finished 2026-12-06T09:00:00.000Z), more than 6 hours');
  });
});

describe('shards of one unique run id, queued behind each other', () => {
  const s1 = shard('jenkins-build-88', 1, '2026-12-05T10:22:30.000Z', '2026-12-05T15:25:15.000Z');

  it("the review's case (shard 2 started 1.5 h after shard 1 ended, 6.5 h after it started): merged whole, as history reads it", () => {
    const s2 = shard('jenkins-build-88', 2, '2026-12-05T16:55:00.000Z', '2026-12-05T17:40:00.000Z');
    expect(() => assertMergeable([s1, s2], ['s1', 's2'])).not.toThrow();
    expect(mergeMatrices([s1, s2], ['s1', 's2']).run.partial).toBe(false);
    expect(historyRuns({ s1, s2 })).toEqual([{ files: ['s1', 's2'], missing: [] }]);
  });

  it('a reused id: where history cuts one night from the next, merge refuses, by the same rule', () => {
    // Night 1 whole; night 2's shard 1 long, its shard 2 queued: history reads two runs of NIGHTLY, each whole.
    const night1 = [shard('NIGHTLY', 1, '2026-12-04T10:00:00.000Z', '2026-12-04T10:30:00.000Z'), shard('NIGHTLY', 2, '2026-12-04T10:00:00.000Z', '2026-12-04T10:40:00.000Z')];
    const n2s1 = shard('NIGHTLY', 1, s1.run.startedAt, s1.run.finishedAt);
    const inTime = shard('NIGHTLY', 2, new Date(Date.parse(s1.run.finishedAt) + 6 * HOUR).toISOString(), '2026-12-05T22:00:00.000Z');
    expect(historyRuns({ a1: night1[0]!, a2: night1[1]!, b1: n2s1, b2: inTime }).map((r) => r.missing)).toEqual([[], []]);
    expect(() => assertMergeable([n2s1, inTime], [])).not.toThrow();
    const late = shard('NIGHTLY', 2, new Date(Date.parse(s1.run.finishedAt) + 6 * HOUR + 1).toISOString(), '2026-12-05T22:00:00.000Z');
    expect(historyRuns({ a1: night1[0]!, a2: night1[1]!, b1: n2s1, b2: late }).map((r) => r.missing)).toEqual([[], ['2/2'], ['1/2']]);
    expect(() => assertMergeable([n2s1, late], [])).toThrow('after every input started before it had finished');
  });
});

describe('merge on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-one-night-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a region file from 5 days ago with --expect-targets: exit 2, nothing merged', async () => {
    const files = [join(dir, 'east.json'), join(dir, 'west.json')];
    await writeFile(files[0]!, JSON.stringify(region('east', new Date(Date.parse('2026-12-06T02:00:00.000Z') - 5 * DAY).toISOString(), '2026-12-01T02:30:00.000Z')));
    await writeFile(files[1]!, JSON.stringify(region('west', '2026-12-06T02:00:00.000Z', '2026-12-06T02:40:00.000Z')));
    const run = await cli(['merge', ...files, '--expect-targets', 'east,west', '--report-dir', join(dir, 'm')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_REPORT_INVALID: merge: ${files[1]} started 2026-12-06T02:00:00.000Z`);
    expect(run.stderr).toContain(`${files[0]}, finished 2026-12-01T02:30:00.000Z`);
    expect(run.stdout).not.toContain('gate: pass');
  });
});
