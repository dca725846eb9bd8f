/**
 * Review r3b 2-4, merge's one-night rule. (2) `act` sets GITHUB_RUN_ID 1 and attempt 1 every time: two nights five
 * days apart were tied by that "CI run" and merged green; files of one CI run and one attempt that do not chain into
 * one night tie nothing now, and the time rule applies to them (a real re-run raises the attempt). (3) The refusal said
 * a same-day re-run was "left from another night": it says what was seen, how long after the others one started.
 * (4) The chain is transitive: region jobs staggered 4-5 hours through the day chained a region's file of the day
 * before into today's; the starts of inputs no one CI run ties must lie within 24 hours.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix, MatrixCi } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const HOUR = 3600_000;

/** A whole run of one region (its own run id) started at `start`, run for `minutes`, in CI run `ci` when given. */
function region(target: string, start: string, ci?: MatrixCi, minutes = 30): Matrix {
  const m = smallMatrix([], undefined, undefined, { target, runId: `run-${target}-${start}` });
  const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  return { ...m, run: { ...m.run, startedAt: start, finishedAt: end, durationMs: minutes * 60_000, ...(ci ? { ci } : {}) } };
}

const act: MatrixCi = { system: 'github', runId: '1', attempt: 1 };

describe('a CI run id and attempt that never change (act)', () => {
  it('two nights five days apart under GITHUB_RUN_ID 1, attempt 1: refused, as without CI', () => {
    const [a, b] = [region('east', '2026-12-01T02:00:00.000Z', act), region('west', '2026-12-06T02:00:00.000Z', act)];
    expect(() => assertMergeable([a, b], ['a', 'b'])).toThrow('merge: b started 2026-12-06T02:00:00.000Z, 4 d 23 h 30 min after every input started before it had finished (the last to finish, a, finished 2026-12-01T02:30:00.000Z), more than 6 hours');
    expect(() => mergeMatrices([a, b], ['a', 'b'], { expectTargets: ['east', 'west'] })).toThrow('4 d 23 h 30 min after');
  });

  it('one night under it still merges; a real re-run days later (the attempt raised) is still tied', () => {
    expect(() => assertMergeable([region('east', '2026-12-01T02:00:00.000Z', act), region('west', '2026-12-01T03:00:00.000Z', act)], [])).not.toThrow();
    const [a, b] = [region('east', '2026-12-01T02:00:00.000Z', { ...act, runId: '500' }), region('west', '2026-12-04T02:00:00.000Z', { ...act, runId: '500', attempt: 2 })];
    expect(() => assertMergeable([a, b], [])).not.toThrow();
  });

  it('a GitLab pipeline (no attempt recorded) stays tied however far apart: its retry keeps the id', () => {
    const ci: MatrixCi = { system: 'gitlab', runId: '9001' };
    expect(() => assertMergeable([region('east', '2026-12-01T02:00:00.000Z', ci), region('west', '2026-12-02T09:00:00.000Z', ci)], [])).not.toThrow();
  });
});

describe('the refusal says what was seen', () => {
  it('a region re-run the same morning (its own CI run, attempt 2) is refused, saying how long after; no "left from another night" claim', () => {
    const a = region('east', '2026-12-01T02:00:00.000Z', { system: 'github', runId: '100', attempt: 1 }, 0);
    const b = region('west', '2026-12-01T09:30:00.000Z', { system: 'github', runId: '200', attempt: 2 });
    let message = '';
    try {
      assertMergeable([a, b], ['ga/matrix.json', 'gb2/matrix.json']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('merge: gb2/matrix.json started 2026-12-01T09:30:00.000Z, 7 h 30 min after every input started before it had finished (the last to finish, ga/matrix.json, finished 2026-12-01T02:00:00.000Z), more than 6 hours, and no CI run recorded on both ties them');
    expect(message).toContain('or one job was re-run hours later');
    expect(message).not.toContain('so one of them is left from another night');
  });
});

describe('regions staggered through the day', () => {
  // The review's case: yesterday's r3 (today's r3 job died), today's r1 and r2, each within 6 hours of the one before.
  const r3 = region('r3', '2026-12-04T20:00:00.000Z');
  const r1 = region('r1', '2026-12-05T00:00:00.000Z');
  const r2 = region('r2', '2026-12-05T05:00:00.000Z');

  it('a chain of 9 hours merges', () => {
    expect(() => assertMergeable([r3, r1, r2], [])).not.toThrow();
    expect(mergeMatrices([r3, r1, r2], []).run.partial).toBe(false);
  });

  it('a chain whose starts span more than 24 hours is refused, naming the first and the last start', () => {
    const chain = [0, 5, 10, 15, 20, 25].map((h, i) => region(`r${i}`, new Date(Date.parse('2026-12-04T20:00:00.000Z') + h * HOUR).toISOString()));
    const names = chain.map((_, i) => `r${i}/matrix.json`);
    expect(() => assertMergeable(chain, names)).toThrow('merge: r5/matrix.json started 2026-12-05T21:00:00.000Z, 1 d 1 h after r0/matrix.json started (2026-12-04T20:00:00.000Z): each input starts within 6 hours of the end of another, but from the first start to the last is more than 24 hours');
    expect(() => assertMergeable(chain.slice(0, 5), names.slice(0, 5))).not.toThrow();
    // One CI run on them all: one run however long.
    const ci: MatrixCi = { system: 'github', runId: '77', attempt: 1 };
    expect(() => assertMergeable(chain.map((m) => ({ ...m, run: { ...m.run, ci } })), names)).not.toThrow();
  });
});
