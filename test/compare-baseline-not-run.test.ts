/**
 * Review rvs, finding 2: a merged baseline (one run per region, each its own --models) holds the pairs a region did
 * not select as notRun cells, but its run.selection is the union, so compare called the newer run's cells of those
 * pairs "absent -> error" new failures (exit 1; `run --baseline` failed its gate). The same with a lone shard as the
 * baseline (its other shards' pairs). A cell the baseline holds as not run is not compared, with the baseline's own
 * reason said; a baseline that is a lone shard or a partial merge is said too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMatrices, comparisonWarnings } from '../src/report/compare.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { ELSEWHERE_REASON } from '../src/report/not-run.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const QWEN_ERRORS: Partial<MatrixResult> = { model: QWEN, check: 'defaults.temperature', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: no answer within 60 s' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-baseline-not-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** One region's whole run of `models` on target `target`, selected with --models. */
function region(target: string, runId: string, models: string[], cells: Partial<MatrixResult>[] = []): Matrix {
  const m = smallMatrix(cells.map((c) => ({ ...c, target })), models, CHECKS, { target, runId });
  return { ...m, run: { ...m.run, selection: { ...m.run.selection, models } } };
}

describe('a merged baseline whose regions selected other models', () => {
  // Night 1: east ran grok only, west grok and qwen. Night 2: both regions ran both, and qwen errors on east.
  const baseline = mergeMatrices([region('east', 'BA', [GROK]), region('west', 'BB', [GROK, QWEN])]);
  const newer = mergeMatrices([region('east', 'NA', [GROK, QWEN], [QWEN_ERRORS]), region('west', 'NB', [GROK, QWEN])]);

  it('holds the pairs east did not select as notRun (the premise)', () => {
    expect(baseline.run.selection.models.sort()).toEqual([GROK, QWEN].sort());
    expect(baseline.results.find((r) => r.target === 'east' && r.model === QWEN)).toMatchObject({ notRun: true });
  });

  it('compares them as the unmerged region baseline does: not compared, never a new failure', () => {
    const alone = compareMatrices(region('east', 'BA', [GROK]), region('east', 'NA', [GROK, QWEN], [QWEN_ERRORS]));
    expect(alone).toMatchObject({ newFailures: [], regressed: false });
    const merged = compareMatrices(baseline, newer);
    expect(merged.newFailures).toEqual([]);
    expect(merged.regressed).toBe(false);
    expect(merged.notSelected?.models).toContain(`east/${QWEN}`);
    expect(merged.notSelected?.byShard).toBeUndefined();
    // What both nights ran is still compared.
    expect(merged.compared).toBe(9);
  });

  it('compare exits 0, lists the pair as not compared, and names the baseline\'s own reason on stderr', async () => {
    await writeFile(join(dir, 'm-old.json'), JSON.stringify(baseline));
    await writeFile(join(dir, 'm-new.json'), JSON.stringify(newer));
    const text = await cli(['compare', join(dir, 'm-old.json'), join(dir, 'm-new.json')]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain('new failures: 0');
    expect(text.stdout).toContain(`east/${QWEN}`);
    expect(text.stdout).toContain('regressed: no');
    expect(text.stderr).toContain(`note: 3 cell(s) of this run were not compared: the baseline, run BA+BB, holds them as not run (not run: not selected on target east (run BA did not run model ${QWEN}))`);
  });

  it('report --baseline with the merged baseline: the gate does not fail on them', async () => {
    await writeFile(join(dir, 'r-new.json'), JSON.stringify(newer));
    const run = await cli(['report', join(dir, 'r-new.json'), '--baseline', join(dir, 'm-old.json'), '--report-dir', join(dir, 'r-out')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('new failures since the baseline');
  });
});

describe('a lone shard as the baseline', () => {
  // Shard 1/2 ran grok; qwen's cells are the other shard's.
  const other = CHECKS.map((check) => ({ model: QWEN, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE_REASON, evidence: [], notRun: true as const }));
  const shard = smallMatrix(other, [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' });
  const whole = smallMatrix([QWEN_ERRORS], [GROK, QWEN], CHECKS, { runId: 'W' });

  it('the other shard\'s pairs are not compared (another shard\'s), never new failures', () => {
    const c = compareMatrices(shard, whole);
    expect(c.newFailures).toEqual([]);
    expect(c.regressed).toBe(false);
    expect(c.notSelected).toMatchObject({ models: [`emulator/${QWEN}`], byShard: true });
  });

  it('compare says the baseline is one shard', () => {
    expect(comparisonWarnings(shard, whole).join('\n')).toContain('warning: the baseline, run S, is shard 1/2 only: the pairs of its other shards were not compared');
  });

  it('a merge that lacks a shard, as the baseline, is said not to have finished', () => {
    const partial = mergeMatrices([shard]);
    expect(partial.run.partial).toBe(true);
    const warnings = comparisonWarnings(partial, whole).join('\n');
    expect(warnings).toContain('warning: the baseline, run S, did not finish (partial: ');
    expect(warnings).toContain('shard 2/2 of run S is missing');
    expect(compareMatrices(partial, whole)).toMatchObject({ newFailures: [], regressed: false });
  });
});
