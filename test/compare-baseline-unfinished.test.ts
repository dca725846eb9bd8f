/**
 * Review r2b, findings 1, 5 and 7, on abc32c0f (a cell the baseline holds as not run is not compared):
 * 1. A baseline that did not finish (SIGTERM, a CI timeout, a merge missing a shard) had the cells it did not reach
 *    quietly not compared, listed as "one run did not select them", and compare said "regressed: no" (exit 0) on a
 *    real regression. Those cells are `baselineUnreached` now: compare exits 1 and never says "regressed: no", and
 *    the gate of run/report --baseline fails (`baseline-unfinished`). Cells the baseline was not asked for (another
 *    shard's, a merged region's selection) stay quietly not compared.
 * 5. A pair whose every cell the newer run's own --max-requests kept unsent was "ran and observed nothing": lost,
 *    regressed. It was never sent: not lost. A line with lost pairs and no new failure does not say "new failure".
 * 7. A baseline target it observed nothing of (held only as not run) vanished -> "regressed: yes". Not compared now.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import { vanishedTargetsProblem } from '../src/report/lost-models.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { newFailuresLine } from '../src/report/new-failures.ts';
import { ELSEWHERE_REASON } from '../src/report/not-run.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const STOP = 'interrupted (SIGTERM)';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-baseline-unfinished-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A run stopped by SIGTERM before qwen's cells (and grok's defaults.temperature): they say "not reached", as run-matrix.ts writes them. */
function interrupted(runId: string, target = 'emulator'): Matrix {
  const unreached = (model: string, check: string): Partial<MatrixResult> => ({ model, check, status: 'skipped', observed: null, reason: `not reached: ${STOP}`, evidence: [], notRun: true });
  const m = smallMatrix([...CHECKS.map((c) => unreached(QWEN, c)), unreached(GROK, 'defaults.temperature')], [GROK, QWEN], CHECKS, { runId, target });
  return { ...m, run: { ...m.run, partial: true, interrupted: true, partialReason: STOP } };
}

/** A whole run whose qwen created-at.chat now fails (a gating regression against any run that observed it pass). */
const regressed = (runId: string) => smallMatrix([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'exponent', reason: 'exponent, not integer' }], [GROK, QWEN], CHECKS, { runId });
/** A whole run, every cell as the baseline's would have been: a gate that passes on its own. */
const clean = (runId: string) => smallMatrix([], [GROK, QWEN], CHECKS, { runId });

describe('finding 1: an interrupted baseline', () => {
  it('lists the cells it did not reach apart (baselineUnreached), never as not selected, with its own words', () => {
    const c = compareMatrices(interrupted('INTR'), regressed('BAD'));
    expect(c.baselineUnreached).toEqual({ models: [`emulator/${QWEN}`], checks: ['emulator/defaults.temperature'], cells: 4, why: `interrupted: ${STOP}` });
    expect(c.notSelected).toBeUndefined();
    expect(c.newFailures).toEqual([]);
    const text = describeComparison(c);
    expect(text).toContain(`not compared, the baseline did not reach them (interrupted: ${STOP}): models: emulator/${QWEN}`);
    expect(text).not.toContain('one run did not select them');
    expect(text).not.toMatch(/^regressed: no$/m);
    expect(text).toContain('regressed: not known: the baseline did not reach 4 cell(s) of this run');
  });

  it('compare exits 1 on it (it exited 0, "regressed: no"), in text and --json', async () => {
    await writeFile(join(dir, 'intr.json'), JSON.stringify(interrupted('INTR')));
    await writeFile(join(dir, 'bad.json'), JSON.stringify(regressed('BAD')));
    const text = await cli(['compare', join(dir, 'intr.json'), join(dir, 'bad.json')]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).not.toMatch(/^regressed: no$/m);
    expect(text.stdout).toContain('regressed: not known: the baseline did not reach 4 cell(s) of this run (interrupted: interrupted (SIGTERM)), so they were not compared (exit 1)');
    expect(text.stdout).toContain('the baseline did not reach them (interrupted: ');
    const json = await cli(['compare', join(dir, 'intr.json'), join(dir, 'bad.json'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ regressed: false, baselineUnreached: { cells: 4 } });
  });

  it('report --baseline agrees: the gate fails on it (a run that passes alone), in matrix.json, matrix.md and junit.xml', async () => {
    await writeFile(join(dir, 'clean.json'), JSON.stringify(clean('CLEAN')));
    const alone = await cli(['report', join(dir, 'clean.json'), '--report-dir', join(dir, 'alone')]);
    expect(alone.code, alone.stdout + alone.stderr).toBe(0);
    const out = join(dir, 'rep');
    const run = await cli(['report', join(dir, 'clean.json'), '--baseline', join(dir, 'intr.json'), '--report-dir', out]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('gate: fail (exit 1): the baseline did not finish: cells of this run not compared');
    const matrix = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.comparison?.baselineUnreached?.cells).toBe(4);
    expect(matrix.gate.problems.map((p) => p.kind)).toEqual(['baseline-unfinished']);
    expect(await readFile(join(out, 'matrix.md'), 'utf8')).toContain('the baseline did not finish');
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('baseline-unfinished');
    // Read again, the saved run keeps it (the schema knows the field): its gate still fails.
    const again = await cli(['report', join(out, 'matrix.json'), '--report-dir', join(dir, 'again')]);
    expect(again.code, again.stdout + again.stderr).toBe(1);
  });

  it('run --baseline agrees (the comparison it writes gates alike), and a merge of it keeps it', () => {
    const compared = finishMatrix({ ...clean('CLEAN'), comparison: compareMatrices(interrupted('INTR'), clean('CLEAN')) });
    expect(compared.gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
    expect(compared.gate.problems[0]?.message).toContain('the baseline did not finish (run INTR: interrupted: interrupted (SIGTERM)): 4 cell(s) of this run were not compared');
    expect(mergeMatrices([compared]).comparison?.baselineUnreached).toMatchObject({ cells: 4 });
  });

  it('a merge missing a shard, as the baseline: the missing shard\'s cells were not reached', () => {
    // Shard 1/2 ran qwen; the run's cut puts grok in shard 2/2, which the merge lacks (its cells say so).
    const other = CHECKS.map((check) => ({ model: GROK, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE_REASON, evidence: [], notRun: true as const }));
    const partial = mergeMatrices([smallMatrix(other, [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' })]);
    expect(partial.results.find((r) => r.model === GROK)?.reason).toBe('not run: in the missing shard 2/2 of run S');
    const c = compareMatrices(partial, regressed('W'));
    expect(c.baselineUnreached).toEqual({ models: [`emulator/${GROK}`], checks: [], cells: 3, why: 'partial: merge: shard 2/2 of run S is missing' });
    expect(c.notSelected).toBeUndefined();
  });

  it('cells the baseline was not asked for stay quietly not compared: a lone shard\'s other shard, a merged region\'s selection', () => {
    const other = CHECKS.map((check) => ({ model: QWEN, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE_REASON, evidence: [], notRun: true as const }));
    const lone = compareMatrices(smallMatrix(other, [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' }), regressed('W'));
    expect(lone.baselineUnreached).toBeUndefined();
    expect(lone.notSelected).toMatchObject({ models: [`emulator/${QWEN}`], byShard: true });
    const east = smallMatrix([], [GROK], CHECKS, { runId: 'BA', target: 'east' });
    const west = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'BB', target: 'west' });
    const merged = mergeMatrices([{ ...east, run: { ...east.run, selection: { ...east.run.selection, models: [GROK] } } }, { ...west, run: { ...west.run, selection: { ...west.run.selection, models: [GROK, QWEN] } } }]);
    const newer = mergeMatrices([smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'NA', target: 'east' }), smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'NB', target: 'west' })]);
    const c = compareMatrices(merged, newer);
    expect(c.baselineUnreached).toBeUndefined();
    expect(c.notSelected?.models).toContain(`east/${QWEN}`);
  });
});

describe('finding 5: a pair the newer run sent nothing of (its own --max-requests)', () => {
  const CUSTOM = 'xai.grok-4.33'; // Not in the catalog: its cells are informational.
  const on = (runId: string, cells: Partial<MatrixResult>[] = []) => smallMatrix(cells.map((c) => ({ ...c, target: 'gw' })), [GROK, CUSTOM], CHECKS, { runId, target: 'gw' });
  const unsent = CHECKS.map((check) => ({ model: CUSTOM, check, status: 'skipped' as const, observed: null, reason: 'not sent: the run reached --max-requests 5', evidence: [] }));

  it('is not lost, nor regressed: the endpoint was never asked', () => {
    const capped = on('P2', unsent);
    const c = compareMatrices(on('B2'), { ...capped, run: { ...capped.run, partial: true, partialReason: 'spend cap: the run reached --max-requests 5' } });
    expect(c.lostModels).toBeUndefined();
    expect(c.regressed).toBe(false);
    expect(describeComparison(c)).not.toContain('no longer observed at all');
  });

  it('a pair it asked and observed nothing of is still lost; the line says it regressed, not "0 new failure(s)"', () => {
    const asked = CHECKS.map((check) => ({ model: CUSTOM, check, status: 'inconclusive' as const, observed: null, reason: 'the answer left nothing to read', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200 }] }));
    const after = on('P3', asked);
    const c = compareMatrices(on('B2'), after);
    expect(c).toMatchObject({ lostModels: [`gw/${CUSTOM}`], newFailures: [], regressed: true });
    const line = newFailuresLine(finishMatrix({ ...after, comparison: c }));
    expect(line).toBe(`regressed since the baseline (run B2): nothing observed of 1 (target, model) pair(s) the baseline observed: gw/${CUSTOM}`);
  });
});

describe('finding 7: a baseline target it observed nothing of, absent from the newer run', () => {
  // East observed; west a region the baseline was interrupted before (every cell "not reached").
  const baseline = (): Matrix => {
    const west = interrupted('B-W', 'west');
    const stopped = west.results.map((r) => ({ ...r, status: 'skipped' as const, observed: null, reason: `not reached: ${STOP}`, evidence: [], notRun: true as const }));
    return mergeMatrices([smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'B-E', target: 'east' }), { ...west, results: stopped }]);
  };
  const eastOnly = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'N-E', target: 'east' });

  it('is not vanished nor regressed: listed as not compared', () => {
    const before = baseline();
    expect(before.results.filter((r) => r.target === 'west').every((r) => r.notRun)).toBe(true);
    const c = compareMatrices(before, eastOnly);
    expect(c.vanishedTargets).toEqual([]);
    expect(vanishedTargetsProblem(c)).toBeUndefined();
    expect(c.notSelected?.models).toContain('west: every model');
    expect(c.regressed).toBe(false);
  });

  it('compare: not "regressed: yes"; a target it observed still vanishes (exit 1)', async () => {
    await writeFile(join(dir, 'v-old.json'), JSON.stringify(baseline()));
    await writeFile(join(dir, 'v-new.json'), JSON.stringify(eastOnly));
    const text = await cli(['compare', join(dir, 'v-old.json'), join(dir, 'v-new.json')]);
    expect(text.stdout).not.toContain('regressed: yes');
    expect(text.stdout).not.toContain('vanished targets: west');
    expect(text.stdout).toContain('west: every model');
    const observed = mergeMatrices([smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'O-E', target: 'east' }), smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'O-W', target: 'west' })]);
    expect(compareMatrices(observed, eastOnly).vanishedTargets).toEqual(['west']);
  });
});
