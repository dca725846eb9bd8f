/**
 * A baseline and the gate, in every report: a model not in the catalog never has a new failure (its cells are
 * informational), nor has a target or model the baseline lacks; a catalog cell with no stated expectation that newly
 * fails gates, and every report says so (junit.xml's `gate` testsuite and the cell's own testcase, matrix.md,
 * matrix.html, the step summary), never that it "does not gate". And whatever fails the gate, junit.xml is not green.
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
/** Not in the catalog (smallMatrix marks it so): an id given to --models. */
const UNCATALOGUED = 'xai.grok-4.33';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
/** How judge.ts words a failing cell with no stated expectation. */
const NOT_GATING_WORDS = 'no expectation stated for this model, so it does not gate';
/** A cell with no stated expectation that fails, worded as judge.ts words it. */
const informationalFail = (model: string): Partial<MatrixResult> => ({ model, check: 'path-prefix', status: 'fail', observed: 'none', reason: `"none" differs from the reference "/v1" (openai-reference: x); ${NOT_GATING_WORDS}` });

/** `after` compared with `before`, its gate recomputed, as `run --baseline` and `report --baseline` do. */
const withBaseline = (before: Matrix, after: Matrix): Matrix => finishMatrix({ ...after, comparison: compareMatrices(before, after) });

describe('new failures since a baseline', () => {
  it('a model not in the catalog has none: its changes are changed values, and the gate passes', () => {
    const before = smallMatrix([], [GROK, UNCATALOGUED], CHECKS);
    const after = smallMatrix([informationalFail(UNCATALOGUED), { model: UNCATALOGUED, check: 'defaults.temperature', status: 'error', observed: null, reason: 'HTTP 500' }], [GROK, UNCATALOGUED], CHECKS, { runId: 'r2' });
    const both = withBaseline(before, after);
    const c = both.comparison!;
    expect(c.newFailures).toEqual([]);
    expect(c.regressed).toBe(false);
    expect(c.changedObserved.map((x) => `${x.model} ${x.check}`)).toEqual([`${UNCATALOGUED} path-prefix`]);
    expect(c.noLongerObserved!.map((x) => `${x.model} ${x.check}`)).toEqual([`${UNCATALOGUED} defaults.temperature`]);
    expect(both.gate).toMatchObject({ verdict: 'pass', exitCode: 0, regressedSinceBaseline: false });
    expect(describeComparison(c)).toMatch(/^regressed: no$/m);
    // A new model a model list gave (`models[].discovered`) likewise.
    const listed = (m: Matrix): Matrix => ({ ...m, models: m.models.map((x) => (x.id === UNCATALOGUED ? { ...x, discovered: true as const } : x)) });
    expect(withBaseline(listed(before), listed(after)).gate.exitCode).toBe(0);
  });

  it('a cell of a model not in the catalog with a stated expectation still newly fails', () => {
    const before = smallMatrix([], [UNCATALOGUED], CHECKS);
    const after = smallMatrix([{ model: UNCATALOGUED, check: 'created-at.chat', status: 'fail', observed: 'exponent', reason: 'expected integer' }], [UNCATALOGUED], CHECKS, { runId: 'r2' });
    expect(withBaseline(before, after).comparison!.newFailures.map((x) => x.check)).toEqual(['created-at.chat']);
  });

  it('a target or model the baseline lacks is not compared: absent -> fail is no new failure', () => {
    const before = smallMatrix([], [GROK], CHECKS, { target: 'us-east-1' });
    const renamed = withBaseline(before, smallMatrix([informationalFail(GROK)], [GROK], CHECKS, { target: 'vllm', runId: 'r2' }));
    expect(renamed.comparison).toMatchObject({ newFailures: [], regressed: false, newTargets: ['vllm'] });
    // Not a new failure: but with no target compared, the gate fails on that (nothing-compared), not on the cell.
    expect(renamed.gate).toMatchObject({ exitCode: 1, regressedSinceBaseline: false, gating: [], problems: [{ kind: 'nothing-compared' }] });
    // Said in every report: nothing of a target the baseline lacks was compared, so "no cell changed" is not the word.
    const said = 'Targets not compared: vllm (not in the baseline: nothing to compare their cells with); us-east-1 (only in the baseline: not run)';
    expect(renderMarkdown(renamed)).toContain(said);
    expect(renderMarkdown(renamed)).toContain('**Nothing was compared: no target of this run is in the baseline as the same endpoint');
    expect(renderMarkdown(renamed)).not.toContain('No cell changed.');
    expect(renderStepSummary(renamed, { runUrl: undefined })).toContain(said);
    expect(renderHtml(renamed)).toContain(said);
    const QWEN = 'qwen.qwen3-32b';
    const added = withBaseline(before, smallMatrix([informationalFail(QWEN)], [GROK, QWEN], CHECKS, { target: 'us-east-1', runId: 'r2' }));
    expect(added.comparison).toMatchObject({ newFailures: [], regressed: false, newModels: [QWEN] });
  });

  it('a catalog cell with no stated expectation that newly fails gates, and every report says so', () => {
    const before = smallMatrix([], [GROK], CHECKS);
    const both = withBaseline(before, smallMatrix([informationalFail(GROK)], [GROK], CHECKS, { runId: 'r2' }));
    expect(both.results.find((r) => r.check === 'path-prefix')!.gating).toBe(false);
    expect(both.gate).toMatchObject({ verdict: 'fail', exitCode: 1, gating: [], problems: [], regressedSinceBaseline: true });
    const change = both.comparison!.newFailures[0]!;
    expect(change.reason).toContain('so it would not gate alone; as a new failure since the baseline it gates');
    expect(change.reason).not.toContain('so it does not gate');

    const junit = renderJunit(both);
    expect(junit).toMatch(/<testsuites name="mantle-conformance" tests="4" failures="2" /);
    expect(junit).toContain('<testsuite name="gate" tests="1" failures="1" errors="0" skipped="0" time="0">');
    expect(junit).toContain('<testcase classname="gate" name="new-failures-since-baseline" time="0">');
    expect(junit).toContain('message="1 new failure(s) since the baseline (run r1): xai.grok-4.3 path-prefix (emulator): pass &quot;/v1&quot; -&gt; fail &quot;none&quot;"');
    // The cell's own testcase fails too, worded as a new failure, never "(not gating)".
    expect(junit).toMatch(/<testsuite name="emulator \/ xai\.grok-4\.3" tests="3" failures="1" /);
    expect(junit).toContain('<failure message="new failure since the baseline (fail): &quot;none&quot; differs from the reference &quot;/v1&quot; (openai-reference: x); no expectation stated for this model, so it would not gate alone; as a new failure since the baseline it gates" type="new-failure">');
    expect(junit).not.toContain('(not gating)');

    const md = renderMarkdown(both);
    expect(md).toContain('- **new failures since the baseline**: 1 new failure(s) since the baseline (run r1): xai.grok-4.3 path-prefix (emulator)');
    expect(md).not.toContain('so it does not gate');
    expect(md).not.toContain('Nothing: every result meets');
    const html = renderHtml(both);
    expect(html).toContain('1 new failure(s) since the baseline (run r1)');
    expect(html).not.toContain('No cell fails its stated expectation.</p>');
    const summary = renderStepSummary(both, { runUrl: undefined });
    expect(summary).toContain('**Gate: fail (exit 1): new failures since the baseline**');
    expect(summary).toContain('**New failures** (1)');
  });

  it('junit.xml is never green when the gate fails, whatever fails it', () => {
    const base = smallMatrix([], [GROK], CHECKS);
    const errors = (checks: string[], reason: string): Partial<MatrixResult>[] => checks.map((check) => ({ model: GROK, check, status: 'error' as const, observed: null, reason }));
    const cases: Record<string, Matrix> = {
      partial: finishMatrix({ ...base, run: { ...base.run, partial: true, partialReason: 'a spend cap' } }),
      interrupted: finishMatrix({ ...base, run: { ...base.run, partial: true, interrupted: true, partialReason: 'interrupted (Ctrl-C)' } }),
      'recording-kept': smallMatrix([{ model: GROK, check: 'path-prefix', status: 'error', observed: null, reason: 'HARNESS_RECORDING_KEPT: kept' }], [GROK], CHECKS),
      'too-many-errors': finishMatrix({ ...smallMatrix(errors(['path-prefix'], 'HTTP 500'), [GROK], CHECKS), gate: { ...base.gate, errors: { unexpected: 0, max: 0 } } }),
      'unobserved-model': smallMatrix(errors(CHECKS, 'HTTP 404: no such model'), [GROK], CHECKS),
      regressed: withBaseline(base, smallMatrix([informationalFail(GROK)], [GROK], CHECKS, { runId: 'r2' })),
    };
    for (const [name, matrix] of Object.entries(cases)) {
      expect(matrix.gate.verdict, name).not.toBe('pass');
      expect(name === 'regressed' ? matrix.gate.regressedSinceBaseline : matrix.gate.problems.map((p) => p.kind), name).toEqual(name === 'regressed' ? true : expect.arrayContaining([name]));
      const head = /<testsuites [^>]*failures="(\d+)"/.exec(renderJunit(matrix))!;
      expect(Number(head[1]), name).toBeGreaterThan(0);
      expect(renderJunit(matrix), name).toContain('<testsuite name="gate" ');
    }
  });
});
