/**
 * A CI re-run's attempt that observed nothing of a cell (build-history.ts #grid): whatever the gate counts as not
 * observed (report/observed-models.ts OBSERVED: error, inconclusive, skipped) never hides a regression or a fix the
 * earlier attempt of the same run saw, and only an error or inconclusive replaces an observation that repeated the
 * run before's.
 */
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../src/history/history-digest.ts';
import type { HistoryCell, HistoryRun } from '../src/suite/history-schema.ts';
import { buildHistory, twoModelRun } from './helpers/history-files.ts';

const pass: HistoryCell = { status: 'pass', observed: 'integer' };
const fail: HistoryCell = { status: 'fail', observed: 'exponent', gating: true };
const hidden: HistoryCell = { status: 'inconclusive', observed: null };
const outage: HistoryCell = { status: 'error', observed: null };
const skip: HistoryCell = { status: 'skipped', observed: null };

/** A night's file: run id `night-N`, GitHub run 100N at `attempt`, m1's c1 is `m1` (m2 passes). */
function night(n: number, m1: HistoryCell, attempt = 1, hour = 2): HistoryRun {
  const at = `2026-11-0${n}T0${hour}:00:00.000Z`;
  return twoModelRun(`night-0${n}`, at, { ci: { system: 'github', runId: `100${n}`, attempt }, cellOf: (m) => (m === 'm1' ? m1 : pass) });
}

/** Nights 1-3 pass; night 4's attempt 1 saw `first`, its "Re-run failed jobs" attempt 2 an hour later `second`. */
const history = (first: HistoryCell, second: HistoryCell) => buildHistory([night(1, pass), night(2, pass), night(3, pass), night(4, first), night(4, second, 2, 3)]);
const m1Of = (report: ReturnType<typeof buildHistory>) => report.cells.find((c) => c.model === 'm1')!;

describe("a re-run attempt that observed nothing keeps the earlier attempt's news", () => {
  it('an inconclusive re-run keeps the regression attempt 1 saw, as an error does', () => {
    for (const second of [hidden, outage, skip]) {
      const report = history(fail, second);
      expect(report.runs).toHaveLength(4);
      expect(m1Of(report).changes.map((c) => [c.date, c.text])).toEqual([['2026-11-04', 'integer -> exponent']]);
      expect(m1Of(report).segments.at(-1)!.status).toBe('fail');
      expect(report.recent.noLongerObserved).toBeUndefined();
      const md = renderDigest(report);
      expect(md).not.toContain('last observed integer on 2026-11-03');
      expect(md).toContain('integer -> exponent on 2026-11-04');
    }
  });

  it('an inconclusive re-run keeps a fix attempt 1 saw', () => {
    const report = buildHistory([night(1, fail), night(2, fail), night(3, pass), night(3, hidden, 2, 3)]);
    expect(m1Of(report).changes.map((c) => [c.date, c.text])).toEqual([['2026-11-03', 'exponent -> integer']]);
  });

  it('an inconclusive or error re-run of an observation that only repeated the night before is the run\'s; a skip never is', () => {
    expect(m1Of(history(pass, hidden)).segments.at(-1)!.status).toBe('inconclusive');
    expect(history(pass, hidden).recent.noLongerObserved?.map((c) => [c.model, c.status])).toEqual([['m1', 'inconclusive']]);
    expect(m1Of(history(pass, outage)).segments.at(-1)!.status).toBe('error');
    expect(m1Of(history(pass, skip)).segments.at(-1)!.status).toBe('pass');
  });
});
