/**
 * Runs told apart by CI identity (run-info.ts splitReusedId): a CI re-run days later and a CI run id that never
 * changes (`act`) are new observations, a nightly with a fixed --run-id and distinct CI run ids is no reused id, and
 * a later attempt's shard clears only its own shard's unfinished mark.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../src/history/history-digest.ts';
import type { HistoryCell, HistoryRun } from '../src/suite/history-schema.ts';
import { buildHistory, twoModelRun } from './helpers/history-files.ts';

const pass: HistoryCell = { status: 'pass', observed: 'integer' };
const outage: HistoryCell = { status: 'error', observed: null, gating: true };
type Ci = NonNullable<HistoryRun['run']['ci']>;
const gh = (runId: string, attempt: number): Ci => ({ system: 'github', runId, attempt });

/** A file of id `id` started at `at`; shard 1/2 holds m1, 2/2 m2; `down` errors every cell, failing the gate. */
function fileOf(id: string, at: string, opts: { shard?: string; down?: boolean; partial?: boolean; ci?: Ci } = {}): HistoryRun {
  return twoModelRun(id, at, { ...opts, cellOf: () => (opts.down ? outage : pass) });
}

const build = buildHistory;

describe('runs told apart by CI identity', () => {
  it('a CI re-run days later that hits an outage is a run of its own, and its errors are said', () => {
    const report = build([fileOf('weekly', '2026-11-20T00:00:00.000Z', { ci: gh('699', 1) }), fileOf('weekly', '2026-11-27T00:00:00.000Z', { ci: gh('700', 1) }), fileOf('weekly', '2026-11-29T00:00:00.000Z', { ci: gh('700', 2), down: true })]);
    expect(report.runs.map((r) => r.startedAt.slice(0, 10))).toEqual(['2026-11-20', '2026-11-27', '2026-11-29']);
    expect(report.recent.errors.map((e) => [e.model, e.gating, e.lastRun])).toEqual([['m1', true, undefined], ['m2', true, undefined]]);
    // "Re-run failed jobs" within hours stays one run, its later attempt's file replacing the slot.
    const rerun = build([fileOf('weekly', '2026-11-27T00:00:00.000Z', { ci: gh('700', 1), down: true }), fileOf('weekly', '2026-11-27T09:00:00.000Z', { ci: gh('700', 2) })]);
    expect(rerun.runs.map((r) => r.files.length)).toEqual([2]);
    expect(rerun.recent.errors).toEqual([]);
  });

  it('a CI run id that never changes (act: run 1, attempt 1) does not merge nights or runs hours apart', () => {
    const act = gh('1', 1);
    const nights = build([fileOf('nightly', '2026-11-20T00:00:00.000Z', { ci: act }), fileOf('nightly', '2026-11-21T00:00:00.000Z', { ci: act, down: true }), fileOf('nightly', '2026-11-22T00:00:00.000Z', { ci: act, down: true })]);
    expect(nights.runs).toHaveLength(3);
    expect(nights.recent.errors.map((e) => e.runs)).toEqual([2, 2]);
    const hours = build([fileOf('n', '2026-11-20T00:00:00.000Z', { ci: act }), fileOf('n', '2026-11-20T06:00:00.000Z', { ci: act, down: true })]);
    expect(hours.runs.map((r) => [r.files.length, r.reusedId])).toEqual([[1, true], [1, true]]);
    // A GitLab pipeline records no attempt: a file repeating a slot of it within the window is its job's retry (one
    // run, the later file read last); a day later it is another run.
    const gl: Ci = { system: 'gitlab', runId: '31' };
    expect(build([fileOf('n', '2026-11-20T00:00:00.000Z', { ci: gl }), fileOf('n', '2026-11-20T03:00:00.000Z', { ci: gl })]).runs).toHaveLength(1);
    expect(build([fileOf('n', '2026-11-20T00:00:00.000Z', { ci: gl }), fileOf('n', '2026-11-21T03:00:00.000Z', { ci: gl })]).runs).toHaveLength(2);
  });

  it('a fixed --run-id with distinct CI run ids is no reused id; the advice never says "each attempt"', () => {
    const report = build([fileOf('nightly', '2026-11-20T00:00:00.000Z', { ci: gh('500', 1) }), fileOf('nightly', '2026-11-21T00:00:00.000Z', { ci: gh('501', 1) })]);
    expect(report.runs.map((r) => r.reusedId)).toEqual([undefined, undefined]);
    expect(renderDigest(report)).not.toContain('Run ids reused');
    const local = renderDigest(build([fileOf('local', '2026-11-20T00:00:00.000Z'), fileOf('local', '2026-11-21T00:00:00.000Z')]));
    expect(local).toContain('outside GitHub Actions and GitLab CI, give each run its own `--run-id`');
    expect(local).not.toContain('each attempt');
  });

  it("a later attempt's shard clears only its own shard of an earlier whole file's unfinished mark", () => {
    const shardOnly = build([fileOf('n', '2026-12-01T00:00:00.000Z', { ci: gh('800', 1), partial: true }), fileOf('n', '2026-12-01T02:00:00.000Z', { ci: gh('800', 2), shard: '1/2' })]);
    expect(shardOnly.runs.map((r) => [r.files.length, r.partial])).toEqual([[2, true]]);
    const both = build([fileOf('n', '2026-12-01T00:00:00.000Z', { ci: gh('800', 1), partial: true }), fileOf('n', '2026-12-01T02:00:00.000Z', { ci: gh('800', 2), shard: '1/2' }), fileOf('n', '2026-12-01T02:01:00.000Z', { ci: gh('800', 2), shard: '2/2' })]);
    expect(both.runs.map((r) => r.partial)).toEqual([false]);
  });
});

describe('a later attempt within the run', () => {
  it('"Re-run all jobs" hours later that hits an outage: one run, and its errors are named (not hidden behind attempt 1)', () => {
    const report = build([
      fileOf('n', '2026-11-20T00:00:00.000Z', { ci: gh('700', 1), shard: '1/2' }),
      fileOf('n', '2026-11-20T00:01:00.000Z', { ci: gh('700', 1), shard: '2/2' }),
      fileOf('n', '2026-11-20T03:00:00.000Z', { ci: gh('700', 2), shard: '1/2', down: true }),
      fileOf('n', '2026-11-20T03:01:00.000Z', { ci: gh('700', 2), shard: '2/2', down: true }),
    ]);
    expect(report.runs).toHaveLength(1);
    expect(report.recent.errors.map((e) => e.model).sort()).toEqual(['m1', 'm2']);
  });

  it('a later attempt that errored does not erase a regression or a fix the earlier attempt saw, nor a duplicate upload', () => {
    const night = (at: string, ci: Ci, cell: HistoryCell) => {
      const file = fileOf('n', at, { ci });
      file.cells['t/m1'] = { c1: cell };
      return file;
    };
    const failing: HistoryCell = { status: 'fail', observed: 'string', gating: true };
    // Night 1 passes; night 2's attempt 1 fails (a regression), its attempt 2 errors: the regression stays, dated night 2.
    const regression = build([night('2026-11-19T00:00:00.000Z', gh('1', 1), pass), night('2026-11-20T00:00:00.000Z', gh('2', 1), failing), night('2026-11-20T03:00:00.000Z', gh('2', 2), outage)]);
    const cell = regression.cells.find((c) => c.model === 'm1')!;
    expect(cell.changes.map((c) => c.date)).toEqual(['2026-11-20']);
    // The same attempt uploaded twice (one start), one copy errored: the observation stands whichever name sorts last.
    const copy = fileOf('n', '2026-11-20T00:00:00.000Z', { ci: gh('3', 1), down: true });
    const whole = fileOf('n', '2026-11-20T00:00:00.000Z', { ci: gh('3', 1) });
    for (const order of [[whole, copy], [copy, whole]]) expect(build(order).recent.errors).toEqual([]);
  });

  it('a GitHub file with no attempt recorded is no GitLab retry: a repeated slot is another run', () => {
    const noAttempt: Ci = { system: 'github', runId: '1' };
    const report = build([fileOf('n', '2026-11-20T00:00:00.000Z', { ci: noAttempt }), fileOf('n', '2026-11-20T10:00:00.000Z', { ci: noAttempt, down: true })]);
    expect(report.runs).toHaveLength(2);
  });
});
