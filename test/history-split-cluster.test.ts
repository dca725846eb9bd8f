/**
 * A fixed --run-id without a CI identity (run-info.ts splitReusedId): one run's shards start together or queued
 * behind each other, so a file repeating a slot takes with it the run's files after the widest pause between starts,
 * and of an id so reused a file joins a run only within SAME_NIGHT_MS of the end of the run's latest file. A night that lost a shard
 * never takes in the next night's file of it, whichever shard starts first; shards queued behind each other stay one
 * run; with a CI run id a re-run hours later stays the run's.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../src/history/history-digest.ts';
import type { HistoryCell, HistoryRun } from '../src/suite/history-schema.ts';
import { buildHistory, twoModelRun } from './helpers/history-files.ts';

const pass: HistoryCell = { status: 'pass', observed: 'integer' };
const fail: HistoryCell = { status: 'fail', observed: 'exponent', gating: true };

/** Shard `shard` (1/2 holds m1, 2/2 m2) of `nightly` from `at` for `minutes`; `failing` fails m2's c1. */
function shard(at: string, shard: string, opts: { minutes?: number; failing?: boolean; ci?: HistoryRun['run']['ci'] } = {}): HistoryRun {
  const file = twoModelRun('nightly', `${at}:00.000Z`, { shard, ...(opts.ci ? { ci: opts.ci } : {}), cellOf: (m) => (opts.failing && m === 'm2' ? fail : pass) });
  file.run.finishedAt = new Date(Date.parse(`${at}:00.000Z`) + (opts.minutes ?? 1) * 60_000).toISOString();
  return file;
}

/** Nights 1-3 whole at 02:00; night 4 delayed to `delayed` with shard 2/2 lost; then `next`. */
const nights = (delayed: string, next: HistoryRun[]) => buildHistory([
  ...[1, 2, 3].flatMap((d) => [shard(`2026-11-0${d}T02:00`, '1/2'), shard(`2026-11-0${d}T02:01`, '2/2')]),
  shard(delayed, '1/2'),
  ...next,
]);
const summary = (report: ReturnType<typeof buildHistory>) => report.runs.map((r) => [r.startedAt.slice(0, 16), r.files.length, r.shards?.[0]?.missing ?? []]);
const m2Of = (report: ReturnType<typeof buildHistory>) => report.cells.find((c) => c.model === 'm2')!;

describe('a night that lost a shard and the next night', () => {
  it('the next night\'s shard 2/2, started first 21 hours after the delayed night, is the next night\'s', () => {
    const report = nights('2026-11-04T05:00', [shard('2026-11-05T02:00', '2/2', { failing: true }), shard('2026-11-05T02:01', '1/2')]);
    expect(summary(report)).toEqual([['2026-11-01T02:00', 2, []], ['2026-11-02T02:00', 2, []], ['2026-11-03T02:00', 2, []], ['2026-11-04T05:00', 1, ['2/2']], ['2026-11-05T02:00', 2, []]]);
    expect(m2Of(report).changes.map((c) => [c.date, c.text])).toEqual([['2026-11-05', 'integer -> exponent']]);
    expect(m2Of(report).segments.at(-1)!.status).toBe('fail');
    const md = renderDigest(report);
    expect(md).toContain('run `nightly` (2026-11-04): t: shard 2/2 missing (read 1/2)');
    expect(md).not.toContain('(2026-11-05): t: shard');
  });

  it('closer than SAME_NIGHT_MS, the widest pause between starts still cuts the nights apart', () => {
    const report = nights('2026-11-04T21:00', [shard('2026-11-05T02:00', '2/2', { failing: true }), shard('2026-11-05T02:01', '1/2')]);
    expect(summary(report).slice(3)).toEqual([['2026-11-04T21:00', 1, ['2/2']], ['2026-11-05T02:00', 2, []]]);
    expect(m2Of(report).changes.map((c) => c.date)).toEqual(['2026-11-05']);
  });

  it('when the next night lost the other shard, nothing merges: two runs each missing a shard, named as a reused id', () => {
    const report = nights('2026-11-04T05:00', [shard('2026-11-05T02:00', '2/2', { failing: true })]);
    expect(summary(report).slice(3)).toEqual([['2026-11-04T05:00', 1, ['2/2']], ['2026-11-05T02:00', 1, ['1/2']]]);
    expect(report.runs.every((r) => r.reusedId)).toBe(true);
    expect(renderDigest(report)).toContain('### Run ids reused (1)');
  });
});

describe('the shards of one run', () => {
  it('shards queued behind each other (each starting when the one before ended) stay one run, however long it takes', () => {
    // Of a reused id (the night before), shard 2/2 starting 7 hours after 1/2 started, 10 minutes after it ended.
    const queued = buildHistory([shard('2026-10-31T00:00', '1/2'), shard('2026-10-31T00:01', '2/2'), shard('2026-11-01T00:00', '1/2', { minutes: 7 * 60 }), shard('2026-11-01T07:10', '2/2', { minutes: 7 * 60 })]);
    expect(summary(queued)).toEqual([['2026-10-31T00:00', 2, []], ['2026-11-01T00:00', 2, []]]);
  });

  it('of a reused id, a shard started more than SAME_NIGHT_MS after the others ended is its own run, said; of an id used once, it is the run\'s', () => {
    const lateShards = [shard('2026-11-02T00:00', '1/2', { minutes: 30 }), shard('2026-11-02T07:00', '2/2')];
    const late = buildHistory([shard('2026-11-01T00:00', '1/2'), shard('2026-11-01T00:01', '2/2'), ...lateShards]);
    expect(summary(late)).toEqual([['2026-11-01T00:00', 2, []], ['2026-11-02T00:00', 1, ['2/2']], ['2026-11-02T07:00', 1, ['1/2']]]);
    expect(late.runs.every((r) => r.reusedId)).toBe(true);
    const once = buildHistory(lateShards);
    expect(summary(once)).toEqual([['2026-11-02T00:00', 2, []]]);
    expect(once.runs[0]!.reusedId).toBeUndefined();
  });

  it('with a CI run id, a shard re-run 15 hours later is still the run\'s', () => {
    const gh = (attempt: number) => ({ ci: { system: 'github' as const, runId: '900', attempt } });
    const report = buildHistory([shard('2026-11-01T00:00', '1/2', gh(1)), shard('2026-11-01T00:01', '2/2', { failing: true, ...gh(1) }), shard('2026-11-01T15:00', '2/2', gh(2))]);
    expect(summary(report)).toEqual([['2026-11-01T00:00', 3, []]]);
    expect(m2Of(report).segments.at(-1)!.status).toBe('pass');
  });
});
