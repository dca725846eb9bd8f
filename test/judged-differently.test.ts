/**
 * An edit of the expectations is not the endpoint regressing: a cell whose observed value is the baseline's and whose
 * verdict changed because what it was judged against changed (run.judging, or its own `expected`) is listed as judged
 * differently in every report (compare, matrix.md, matrix.html, the step summary), never as a new failure; `regressed`
 * stays no, and the gate still fails on the cell itself (a gating fail of this run), junit.xml included. A value the
 * endpoint changed is still a new failure, judging changed or not.
 */
import { describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import { renderHtml } from '../src/report/html-report.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import { renderMarkdown } from '../src/report/markdown-report.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];

/** grok's defaults.temperature judged against `expected` (a stated expectation), observed `observed`. */
const temperature = (expected: number, observed: number): Partial<MatrixResult> => ({
  model: GROK,
  check: 'defaults.temperature',
  expected,
  expectedSource: 'expectations: Grok 4.3 defaults temperature',
  observed,
  status: expected === observed ? 'pass' : 'fail',
  reason: expected === observed ? `temperature: ${observed}` : `expected ${expected}, got ${observed}`,
});

/** A run judged against the expectations file of digest `digest`. */
const run = (cells: Partial<MatrixResult>[], digest: string, runId: string): Matrix => {
  const m = smallMatrix(cells, [GROK], CHECKS, { runId });
  return { ...m, run: { ...m.run, startedAt: runId === 'r1' ? m.run.startedAt : '2026-11-25T08:00:00.000Z', judging: { expectations: digest, catalog: 'c1' } } };
};

const withBaseline = (before: Matrix, after: Matrix): Matrix => finishMatrix({ ...after, comparison: compareMatrices(before, after) });

describe('a verdict changed by the expectations, not by the endpoint', () => {
  const before = run([temperature(0.7, 0.7)], 'aaaa', 'r1');
  const after = run([temperature(0.5, 0.7)], 'bbbb', 'r2');
  const both = withBaseline(before, after);
  const c = both.comparison!;

  it('is judged differently, naming what changed; not a new failure, and the comparison did not regress', () => {
    expect(c.newFailures).toEqual([]);
    expect(c.regressed).toBe(false);
    expect(c.judgingChanged).toEqual(['expectations']);
    expect(c.judgedDifferently!.map((x) => `${x.model} ${x.check} ${x.before!.status} -> ${x.after!.status}`)).toEqual([`${GROK} defaults.temperature pass -> fail`]);
    expect(c.judgedDifferently![0]!.reason).toMatch(/^pass 0\.7 -> fail 0\.7: the endpoint observed the same; judged differently \(expected 0\.7 -> 0\.5; the expectations file changed since the baseline\): expected 0\.5, got 0\.7/);
    const text = describeComparison(c, after);
    expect(text).toMatch(/^new failures: 0$/m);
    expect(text).toMatch(/^judged differently \(same observed value; what it was judged against changed since the baseline\): 1$/m);
    expect(text).toContain('judged against other files than the baseline: the expectations file changed');
    expect(text).toMatch(/^regressed: no$/m);
  });

  it('the gate still fails on the cell itself, and no report says "new failures since the baseline"', () => {
    expect(both.gate).toMatchObject({ verdict: 'fail', exitCode: 1, regressedSinceBaseline: false });
    expect(both.gate.gating.map((g) => `${g.model} ${g.check}`)).toEqual([`${GROK} defaults.temperature`]);
    const md = renderMarkdown(both);
    const html = renderHtml(both);
    const summary = renderStepSummary(both, {});
    const junit = renderJunit(both);
    for (const text of [md, html, summary]) {
      expect(text).not.toMatch(/new failures? since the baseline/i);
      expect(text).toContain('Judged differently (same observed value; what it was judged against changed since the baseline)');
    }
    expect(junit).not.toContain('new-failures-since-baseline');
    expect(junit).not.toContain('type="new-failure"');
    expect(junit).toMatch(/<testcase [^>]*name="defaults.temperature"[^>]*>\s*<failure [^>]*type="fail"/);
  });

  it('a value the endpoint changed is still a new failure, judging changed or not', () => {
    const moved = withBaseline(before, run([temperature(0.5, 0.9)], 'bbbb', 'r2')).comparison!;
    expect(moved.newFailures.map((x) => x.check)).toEqual(['defaults.temperature']);
    expect(moved.judgedDifferently).toEqual([]);
    expect(moved.regressed).toBe(true);
    // Same files, same expectation, same value: nothing to list (and no "judged against other files" line).
    const same = withBaseline(before, run([temperature(0.7, 0.7)], 'aaaa', 'r2')).comparison!;
    expect([same.newFailures, same.judgedDifferently, same.judgingChanged]).toEqual([[], [], undefined]);
  });

  it('a loosened expectation is not a fix either', () => {
    const fixed = withBaseline(run([temperature(0.5, 0.7)], 'bbbb', 'r1'), run([temperature(0.7, 0.7)], 'aaaa', 'r2')).comparison!;
    expect(fixed.fixes).toEqual([]);
    expect(fixed.judgedDifferently!.map((x) => `${x.before!.status} -> ${x.after!.status}`)).toEqual(['fail -> pass']);
  });

  it('a merge joins the inputs\' cells judged differently and what changed', async () => {
    const { joinJudged } = await import('../src/report/judged-differently.ts');
    expect(joinJudged([c, { judgedDifferently: [], judgingChanged: ['catalog'] }])).toEqual({ judgedDifferently: c.judgedDifferently, judgingChanged: ['catalog', 'expectations'] });
  });
});
