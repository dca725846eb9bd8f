/**
 * Review rvs, finding 3: compare said "regressed: no" (exit 0) when a (target, model) pair the baseline observed now
 * observes nothing (a gateway that stopped serving a model not in the catalog: HARNESS_MODEL_NOT_FOUND on every cell,
 * each only "no longer observed"), and when a whole baseline target has no cell in the newer run (a region whose job
 * wrote nothing). Both regress now, named; a pair the newer run did not select is still only not compared.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { newFailuresLine } from '../src/report/new-failures.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** Not in the catalog (small-matrix.ts): every cell informational; checks with no stated expectation. */
const CUSTOM = 'xai.grok-4.33';
const GROK = 'xai.grok-4.3';
const CHECKS = ['path-prefix', 'defaults.temperature', 'defaults.top-p'];
const notFound = (model: string): Partial<MatrixResult>[] =>
  CHECKS.map((check) => ({ model, check, status: 'error', observed: null, reason: 'HARNESS_MODEL_NOT_FOUND: the endpoint does not know the model', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 404, error: 'HARNESS_MODEL_NOT_FOUND' }] }));
const on = (target: string, runId: string, cells: Partial<MatrixResult>[] = [], models = [GROK, CUSTOM]) => smallMatrix(cells.map((c) => ({ ...c, target })), models, CHECKS, { target, runId });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-lost-models-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a pair the baseline observed and the newer run observed nothing of', () => {
  const before = on('gw', 'OLD');
  const after = on('gw', 'NEW', notFound(CUSTOM));

  it('regresses, named in lostModels; its errors are new failures', () => {
    const c = compareMatrices(before, after);
    expect(c.lostModels).toEqual([`gw/${CUSTOM}`]);
    expect(c.regressed).toBe(true);
    expect(c.newFailures.map((f) => f.check).sort()).toEqual([...CHECKS].sort());
    expect(c.noLongerObserved ?? []).toEqual([]);
  });

  it('compare exits 1 and names the pair, in text and --json', async () => {
    await writeFile(join(dir, 'p-old.json'), JSON.stringify(before));
    await writeFile(join(dir, 'p-new.json'), JSON.stringify(after));
    const text = await cli(['compare', join(dir, 'p-old.json'), join(dir, 'p-new.json')]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).toContain(`no longer observed at all (regressed: the baseline observed them, this run ran them and observed nothing of them): gw/${CUSTOM}`);
    expect(text.stdout).toContain('regressed: yes (exit 1)');
    const json = await cli(['compare', join(dir, 'p-old.json'), join(dir, 'p-new.json'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ lostModels: [`gw/${CUSTOM}`], regressed: true });
  });

  it('run --baseline: the gate and its line say so; a merge keeps it', () => {
    const compared = finishMatrix({ ...after, comparison: compareMatrices(before, after) });
    expect(compared.gate.regressedSinceBaseline).toBe(true);
    expect(newFailuresLine(compared)).toContain(`nothing observed of 1 (target, model) pair(s) the baseline observed: gw/${CUSTOM}`);
    expect(mergeMatrices([compared]).comparison).toMatchObject({ lostModels: [`gw/${CUSTOM}`], regressed: true });
  });

  it('a pair the newer run did not select (--models) is not compared, not lost', () => {
    const grokOnly = on('gw', 'NEW', [], [GROK]);
    const selected = { ...grokOnly, run: { ...grokOnly.run, selection: { ...grokOnly.run.selection, models: [GROK] } } };
    const c = compareMatrices(before, selected);
    expect(c.lostModels).toBeUndefined();
    expect(c.regressed).toBe(false);
    expect(c.notSelected?.models).toEqual([CUSTOM]);
  });

  it('a pair that observed nothing in the baseline too is not lost (nothing was lost)', () => {
    const c = compareMatrices(on('gw', 'OLD', notFound(CUSTOM)), after);
    expect(c.lostModels).toBeUndefined();
    expect(c.regressed).toBe(false);
  });
});

describe('a baseline target the newer run has no cell of', () => {
  const both: Matrix = mergeMatrices([on('east', 'A1'), on('west', 'B1')]);
  const eastOnly = on('east', 'A2');

  it('compare exits 1 naming the target, in text and --json', async () => {
    await writeFile(join(dir, 't-old.json'), JSON.stringify(both));
    await writeFile(join(dir, 't-new.json'), JSON.stringify(eastOnly));
    const text = await cli(['compare', join(dir, 't-old.json'), join(dir, 't-new.json')]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).toContain('vanished targets: west');
    expect(text.stdout).toContain('regressed: the baseline has target(s) west and the newer run has no cell of them, so nothing of them was compared (exit 1)');
    expect(text.stdout).not.toContain('regressed: no');
    const json = await cli(['compare', join(dir, 't-old.json'), join(dir, 't-new.json'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ vanishedTargets: ['west'], regressed: true, vanishedTargetsProblem: expect.stringContaining('west') });
  });

  it('both targets present: exit 0 as before', async () => {
    await writeFile(join(dir, 't-both.json'), JSON.stringify(mergeMatrices([on('east', 'A3'), on('west', 'B3')])));
    const text = await cli(['compare', join(dir, 't-old.json'), join(dir, 't-both.json')]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
  });
});
