/**
 * One run id's files cut into runs (run-info.ts splitReusedId): a file joins a run of its CI run (run.ci), or of
 * none, only within 22 hours of the run's first file and never repeats a (target, shard) the run holds in the same
 * CI attempt (a later attempt's file replaces the slot). A missing shard must not absorb the next night, and a schedule twice a day or a
 * delayed nightly under one fixed id must not merge.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../src/history/history-digest.ts';
import type { HistoryCell, HistoryRun } from '../src/suite/history-schema.ts';
import { buildHistory, twoModelRun } from './helpers/history-files.ts';

const fail: HistoryCell = { status: 'fail', observed: 'exponent', gating: true };
const pass: HistoryCell = { status: 'pass', observed: 'integer' };

/** A file of id `id` started at `at`; shard 1/2 holds m1, 2/2 m2; `failing` makes m1 c1 fail the gate. */
function fileOf(id: string, at: string, opts: { shard?: string; failing?: boolean; partial?: boolean; ci?: HistoryRun['run']['ci'] } = {}): HistoryRun {
  return twoModelRun(id, at, { ...opts, cellOf: (m) => (opts.failing && m === 'm1' ? fail : pass) });
}

const build = buildHistory;

describe('one run id on several runs', () => {
  it('a missing shard does not absorb the next night: the night that lost it says so and keeps its failure', () => {
    const report = build([
      fileOf('nightly', '2026-11-27T00:10:00.000Z', { shard: '1/2' }),
      fileOf('nightly', '2026-11-27T00:11:00.000Z', { shard: '2/2' }),
      fileOf('nightly', '2026-11-28T00:10:00.000Z', { shard: '1/2', failing: true }),
      fileOf('nightly', '2026-11-29T00:09:00.000Z', { shard: '2/2' }),
      fileOf('nightly', '2026-11-29T00:10:00.000Z', { shard: '1/2' }),
    ]);
    expect(report.runs.map((r) => [r.startedAt.slice(0, 10), r.files.length])).toEqual([['2026-11-27', 2], ['2026-11-28', 1], ['2026-11-29', 2]]);
    expect(report.runs[1]!.shards).toEqual([{ target: 't', seen: ['1/2'], missing: ['2/2'] }]);
    const m1 = report.cells.find((c) => c.model === 'm1')!;
    expect(m1.changes.map((c) => [c.date, c.text])).toEqual([['2026-11-28', 'integer -> exponent'], ['2026-11-29', 'exponent -> integer']]);
  });

  it('twice a day: each file is a run, and the latest one\'s failure is a change', () => {
    const at = ['2026-11-28T00:00', '2026-11-28T12:00', '2026-11-29T00:00', '2026-11-29T12:00', '2026-11-30T00:00'];
    const report = build(at.map((t, i) => fileOf('twice', `${t}:00.000Z`, { failing: i === 1 || i >= 3 })));
    expect(report.runs).toHaveLength(5);
    expect(report.runs.every((r) => r.reusedId)).toBe(true);
    expect(report.cells.find((c) => c.model === 'm1')!.changes.map((c) => c.date)).toEqual(['2026-11-28', '2026-11-29', '2026-11-29']);
    expect(renderDigest(report)).toContain('### Run ids reused (1)');
  });

  it('a delayed nightly (21.5 hours after the last) is its own run, measured from each run\'s first file', () => {
    const report = build([fileOf('nightly', '2026-11-27T00:10:00.000Z'), fileOf('nightly', '2026-11-28T03:10:00.000Z', { failing: true }), fileOf('nightly', '2026-11-29T00:40:00.000Z')]);
    expect(report.runs).toHaveLength(3);
  });

  it('in CI a re-run within 22 hours stays one run: of a partial shard hours later, of a failed one, a duplicate', () => {
    const gh = (attempt: number) => ({ ci: { system: 'github' as const, runId: '1001', attempt } });
    const partial = build([fileOf('ci', '2026-11-27T00:10:00.000Z', { shard: '1/2', partial: true, ...gh(1) }), fileOf('ci', '2026-11-27T00:11:00.000Z', { shard: '2/2', ...gh(1) }), fileOf('ci', '2026-11-27T15:00:00.000Z', { shard: '1/2', ...gh(2) })]);
    expect(partial.runs.map((r) => r.files.length)).toEqual([3]);
    // The later attempt covered the partial shard whole: the run finished.
    expect(partial.runs[0]!.partial).toBe(false);
    const failed = build([fileOf('ci', '2026-11-27T00:10:00.000Z', { failing: true, ...gh(1) }), fileOf('ci', '2026-11-27T04:00:00.000Z', gh(2))]);
    expect(failed.runs.map((r) => r.files.length)).toEqual([2]);
    // A job uploading its file twice (one start) is one run; the same attempt repeating a slot later is another run.
    const duplicate = build([fileOf('ci', '2026-11-27T00:10:00.000Z', gh(1)), fileOf('ci', '2026-11-27T00:10:00.000Z', gh(1))]);
    expect(duplicate.runs.map((r) => r.files.length)).toEqual([2]);
    const repeated = build([fileOf('ci', '2026-11-27T00:10:00.000Z', gh(1)), fileOf('ci', '2026-11-27T00:50:00.000Z', gh(1))]);
    expect(repeated.runs.map((r) => r.files.length)).toEqual([1, 1]);
    // Outside known CI, a file repeating a slot is another run (a schedule reusing the id, or a re-run: named as reused).
    const local = build([fileOf('ci', '2026-11-27T00:10:00.000Z'), fileOf('ci', '2026-11-27T00:50:00.000Z')]);
    expect(local.runs.map((r) => [r.files.length, r.reusedId])).toEqual([[1, true], [1, true]]);
  });
});
