/**
 * Two ways a regressed run read as green (hostile review of the CI gate, 2026-12-06, findings 4 and 5): a matrix.json
 * whose `comparison.regressed` was edited to false beside a listed new failure rendered "Gate: pass" above "New
 * failures (1)"; and `report X --baseline X` (or a copy of X) only warned, replacing the regression X recorded
 * against its real baseline with an empty self-comparison, exit 0. Now the first is an edited file (exit 2,
 * HARNESS_REPORT_INVALID) and the second a usage error (exit 2, HARNESS_USAGE), for compare too; runs given newest
 * first still only warn.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
/** An earlier run, all pass. */
let baseFile: string;
/** A later run with one new failure against it, compared as `run --baseline` compares. */
let regressedFile: string;
let regressed: Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comparison-claims-'));
  const base = smallMatrix();
  // A new failure that does not gate by itself (no stated expectation): only `regressed` fails the gate.
  const later = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'fail', observed: 2, reason: 'another default' }], undefined, undefined, { runId: 'r2' });
  const newer = { ...later, run: { ...later.run, startedAt: '2026-11-25T08:00:00.000Z', finishedAt: '2026-11-25T08:00:10.000Z' } };
  regressed = finishMatrix({ ...newer, comparison: compareMatrices(base, newer) });
  baseFile = join(dir, 'base.json');
  regressedFile = join(dir, 'regressed.json');
  await writeFile(baseFile, JSON.stringify(base));
  await writeFile(regressedFile, JSON.stringify(regressed));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('comparison.regressed is what its new failures say', () => {
  it('the run as written regresses and fails its gate', async () => {
    expect(regressed.comparison?.newFailures).toHaveLength(1);
    expect(regressed.comparison?.regressed).toBe(true);
    expect(regressed.gate.gating).toEqual([]);
    const report = await cli(['report', regressedFile, '--report-dir', join(dir, 'as-written')]);
    expect(report.code, report.stderr).toBe(1);
  });

  it('regressed edited to false (and the gate to pass) beside a new failure is refused as edited: exit 2, nothing written', async () => {
    const edited = JSON.parse(await readFile(regressedFile, 'utf8')) as Matrix;
    edited.comparison!.regressed = false;
    edited.gate = { ...edited.gate, exitCode: 0, verdict: 'pass', regressedSinceBaseline: false };
    const file = join(dir, 'edited.json');
    await writeFile(file, JSON.stringify(edited));
    const out = join(dir, 'edited-out');
    const report = await cli(['report', file, '--report-dir', out]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('HARNESS_REPORT_INVALID');
    expect(report.stderr).toContain('comparison.regressed: false, but comparison.newFailures lists 1 new failure(s)');
    expect(report.stderr).toContain('this matrix.json was edited or is damaged');
    expect(await readdir(out).catch(() => [])).toEqual([]);
    // Nor may a baseline read it as something it is not, nor compare.
    expect((await cli(['compare', baseFile, file])).code).toBe(2);
  });

  it('regressed edited to true with no new failure is refused too', async () => {
    const edited = JSON.parse(await readFile(regressedFile, 'utf8')) as Matrix;
    edited.comparison!.newFailures = [];
    const file = join(dir, 'edited-true.json');
    await writeFile(file, JSON.stringify(edited));
    const report = await cli(['report', file, '--report-dir', join(dir, 'edited-true-out')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('comparison.regressed: true, but comparison.newFailures lists 0 new failure(s)');
  });
});

describe('a run compared with itself is refused', () => {
  it('report X --baseline X, and a copy of X: exit 2 naming the run, the regression X recorded is not replaced', async () => {
    const copy = join(dir, 'copy.json');
    await writeFile(copy, await readFile(regressedFile));
    for (const baseline of [regressedFile, copy]) {
      const out = join(dir, `self-${baseline === copy ? 'copy' : 'same'}`);
      const report = await cli(['report', regressedFile, '--baseline', baseline, '--report-dir', out]);
      expect(report.code).toBe(2);
      expect(report.stderr).toContain(`HARNESS_USAGE: --baseline ${baseline}: the baseline is the same run as the newer one, r2 (started 2026-11-25T08:00:00.000Z)`);
      expect(report.stderr).toContain('give the matrix.json of an earlier run as the baseline');
      expect(report.stdout).not.toContain('gate: pass');
      expect(await readdir(out).catch(() => [])).toEqual([]);
    }
    // The file itself still says what it recorded.
    expect((await cli(['report', regressedFile, '--report-dir', join(dir, 'again')])).code).toBe(1);
  });

  it('compare with both sides one run: exit 2; an earlier run first compares, newest first still only warns', async () => {
    const copy = join(dir, 'copy2.json');
    await writeFile(copy, await readFile(regressedFile));
    const same = await cli(['compare', copy, regressedFile]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('HARNESS_USAGE: compare');
    expect(same.stderr).toContain('the baseline is the same run as the newer one, r2');
    const ordered = await cli(['compare', baseFile, regressedFile]);
    expect(ordered.code, ordered.stderr).toBe(1);
    expect(ordered.stderr).not.toContain('same run');
    const reversed = await cli(['compare', regressedFile, baseFile]);
    expect(reversed.code).not.toBe(2);
    expect(reversed.stderr).toContain('warning: the newer run r1 started (2026-11-24T08:00:00.000Z) before the baseline r2');
  });
});
