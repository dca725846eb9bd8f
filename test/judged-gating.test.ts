/**
 * A flaky cell that starts gating only because the expectations changed (flaky, not gating -> flaky, gating, on the
 * same trial values) is listed and counted as judged differently, naming the gating change; never a new failure, and
 * `regressed` stays no. One whose trials saw a new value is still the endpoint's change. Hermetic: matrices in memory.
 */
import { describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'qwen.qwen3-32b';
const trial = (status: 'pass' | 'fail', observed: string) => ({ status, observed, reason: status, evidence: [] });

/** created-at.chat flaky between integer and exponent, judged against `expected`. */
function flaky(expected: string | string[], values = ['integer', 'exponent', 'integer']): Partial<MatrixResult> {
  const allowed = (v: string) => (Array.isArray(expected) ? expected.includes(v) : expected === v);
  return { model: MODEL, check: 'created-at.chat', status: 'flaky', observed: 'integer', expected, expectedSource: 'expectations: qwen created_at', reason: 'trials differ', trials: values.map((v) => trial(allowed(v) ? 'pass' : 'fail', v)) };
}

const run = (cell: Partial<MatrixResult>, digest: string, runId: string): Matrix => {
  const m = smallMatrix([cell], [MODEL], ['path-prefix', 'created-at.chat'], { runId });
  return { ...m, run: { ...m.run, startedAt: runId === 'r1' ? m.run.startedAt : '2026-11-25T08:00:00.000Z', judging: { expectations: digest, catalog: 'c1' } } };
};

describe('finding 5: flaky, not gating -> flaky, gating on the same trial values', () => {
  const before = run(flaky(['integer', 'exponent']), 'aaaa', 'r1');
  const after = run(flaky('integer'), 'bbbb', 'r2');

  it('is listed and counted as judged differently, saying the gating changed; not a new failure', () => {
    expect(before.results.find((r) => r.check === 'created-at.chat')!.gating).toBe(false);
    expect(after.results.find((r) => r.check === 'created-at.chat')!.gating).toBe(true);
    const both = finishMatrix({ ...after, comparison: compareMatrices(before, after) });
    const c = both.comparison!;
    expect(c.judgedDifferently!.map((x) => `${x.model} ${x.check} ${x.before!.status} -> ${x.after!.status}`)).toEqual([`${MODEL} created-at.chat flaky -> flaky`]);
    expect(c.judgedDifferently![0]!.reason).toContain('the endpoint observed the same; judged differently (flaky, not gating -> flaky, gating; expected ["integer","exponent"] -> "integer"; the expectations file changed since the baseline)');
    expect(c.newFailures).toEqual([]);
    expect(c.regressed).toBe(false);
    const text = describeComparison(c, after);
    expect(text).toMatch(/^judged differently \(same observed value; what it was judged against changed since the baseline\): 1$/m);
    expect(text).toContain('1 cell(s) whose verdict changed on the same observed value');
    expect(both.gate.verdict).toBe('fail');
  });

  it('a flipped majority on the same values is the same observation; a new value seen is not the judging\'s', () => {
    const flipped = compareMatrices(before, run(flaky('integer', ['exponent', 'integer', 'exponent']), 'bbbb', 'r2'));
    expect(flipped.judgedDifferently!.length).toBe(1);
    const unchanged = compareMatrices(before, run(flaky(['integer', 'exponent']), 'aaaa', 'r2'));
    expect(unchanged.judgedDifferently).toEqual([]);
    const moved = compareMatrices(before, run(flaky('integer', ['integer', 'none', 'integer']), 'bbbb', 'r2'));
    expect(moved.judgedDifferently).toEqual([]);
    expect(moved.changedObserved.map((x) => x.check)).toEqual(['created-at.chat']);
  });
});
