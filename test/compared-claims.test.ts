/**
 * `comparison.compared` is what the gate reads for "nothing compared". A saved matrix whose count its own lists
 * contradict (every model it ran is new, yet compared > 0; or more compared than results) is an edited file:
 * `report` refuses it (exit 2, HARNESS_REPORT_INVALID naming the field). A merge of an input that compared 0 and one
 * an older build wrote without a count, which compared nothing by that build's rule, keeps the 0 and fails.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
let base: string;
const API = ['--targets', 'mantle:emulator', '--checks', 'api.*', '--quiet'];
const readMatrixJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compared-claims-'));
  const made = await cli(['run', '--models', 'deepseek.v3.2', ...API, '--run-id', 'base-v32', '--report-dir', join(dir, 'base')]);
  expect(made.code, made.stderr).toBe(0);
  base = join(dir, 'base', 'matrix.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('report checks a saved comparison.compared against the file', () => {
  it('compared > 0 beside a comparison whose every model is new is refused, naming the field; so is more than the results', async () => {
    const other = join(dir, 'other');
    const run = await cli(['run', '--models', 'openai.gpt-oss-20b', ...API, '--baseline', base, '--report-dir', other]);
    expect(run.code).toBe(1);
    const matrix = await readMatrixJson(join(other, 'matrix.json'));
    expect(matrix.comparison).toMatchObject({ compared: 0, notSelected: { models: expect.arrayContaining(['openai.gpt-oss-20b']) } });
    // As written it reads back (and fails its gate).
    expect((await cli(['report', join(other, 'matrix.json'), '--report-dir', join(dir, 'as-written')])).code).toBe(1);

    const forged = { ...matrix, comparison: { ...matrix.comparison!, compared: 5 }, gate: { ...matrix.gate, problems: [], verdict: 'pass', exitCode: 0 } };
    await writeFile(join(dir, 'forged.json'), JSON.stringify(forged));
    const report = await cli(['report', join(dir, 'forged.json'), '--report-dir', join(dir, 'f1')]);
    expect(report.code, report.stdout).toBe(2);
    expect(report.stderr).toContain('HARNESS_REPORT_INVALID');
    expect(report.stderr).toContain('comparison.compared: 5, but every model this run ran is new or not selected by the baseline (comparison.newModels, comparison.notSelected.models)');

    const ran = matrix.results.filter((r) => !r.notRun).length;
    const tooMany = { ...forged, comparison: { ...forged.comparison, notSelected: { models: [], checks: [] }, compared: ran + 1 } };
    await writeFile(join(dir, 'too-many.json'), JSON.stringify(tooMany));
    const counted = await cli(['report', join(dir, 'too-many.json'), '--report-dir', join(dir, 'f2')]);
    expect(counted.code).toBe(2);
    expect(counted.stderr).toContain(`comparison.compared: ${ran + 1}, but the run has ${ran} result(s)`);
  }, 60_000);

  it('a run that compared cells reads back as it was written', async () => {
    const same = join(dir, 'same');
    expect((await cli(['run', '--models', 'deepseek.v3.2', ...API, '--baseline', base, '--report-dir', same])).code).toBe(0);
    expect((await readMatrixJson(join(same, 'matrix.json'))).comparison?.compared).toBeGreaterThan(0);
    expect((await cli(['report', join(same, 'matrix.json'), '--report-dir', join(dir, 'same-out')])).code).toBe(0);
  }, 60_000);
});

describe('merge keeps a known count of 0 beside an input without a count', () => {
  it('a region that compared 0 and one without a count whose only target the baseline lacks merge to compared 0, and fail', async () => {
    // Two region-like runs with the baseline of mantle:emulator's deepseek.v3.2: one of another model there (compared
    // 0), one of runtime.emulator, a target the baseline lacks (compared 0 too).
    const first = await cli(['run', '--models', 'openai.gpt-oss-20b', ...API, '--run-id', 'm1', '--baseline', base, '--report-dir', join(dir, 'm1')]);
    expect(first.code).toBe(1);
    expect((await readMatrixJson(join(dir, 'm1', 'matrix.json'))).comparison?.compared).toBe(0);
    const runtime = await cli(['run', '--models', 'deepseek.v3.2', '--targets', 'runtime:emulator', '--checks', 'api.*', '--quiet', '--run-id', 'm2', '--baseline', base, '--report-dir', join(dir, 'm2')]);
    expect(runtime.code).toBe(1);
    // The second as an older build wrote it: no count.
    const second = await readMatrixJson(join(dir, 'm2', 'matrix.json'));
    expect(second.comparison?.compared).toBe(0);
    delete second.comparison!.compared;
    await writeFile(join(dir, 'm2-nocount.json'), JSON.stringify(second));
    const merged = await cli(['merge', join(dir, 'm1', 'matrix.json'), join(dir, 'm2-nocount.json'), '--report-dir', join(dir, 'mo')]);
    expect(merged.code, merged.stdout).toBe(1);
    expect(merged.stdout).toContain('nothing was compared with --baseline');
    expect((await readMatrixJson(join(dir, 'mo', 'matrix.json'))).comparison?.compared).toBe(0);
  }, 60_000);
});
