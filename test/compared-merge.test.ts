/**
 * report's check of `comparison.compared` against the file's own lists is not skipped by a `+` typed into an id: a
 * run id names runs merged only when the file holds a target of each (merge makes a target of two run ids partial),
 * and a baseline that is itself a merge (`a+b`) is one run compared with. For a merge the rule that holds for every
 * merge is still judged (every target set apart), and an honest merge of runs of two ids reads back.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

let dir: string;
let base: string;
const API = ['--checks', 'api.*', '--quiet'];
const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;
const report = async (name: string, matrix: Matrix) => {
  await writeFile(join(dir, `${name}.json`), JSON.stringify(matrix));
  return cli(['report', join(dir, `${name}.json`), '--report-dir', join(dir, `${name}-out`)]);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compared-merge-'));
  const made = await cli(['run', '--models', 'deepseek.v3.2', '--targets', 'mantle:emulator', ...API, '--run-id', 'base-1', '--report-dir', join(dir, 'base')]);
  expect(made.code, made.stderr).toBe(0);
  base = join(dir, 'base', 'matrix.json');
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a + in a run id or the baseline id', () => {
  it('does not let a nothing-compared file claim compared 1', async () => {
    const run = await cli(['run', '--models', 'openai.gpt-oss-20b', '--targets', 'mantle:emulator', ...API, '--run-id', 'other-1', '--baseline', base, '--report-dir', join(dir, 'other')]);
    expect(run.code).toBe(1);
    const matrix = await read(join(dir, 'other', 'matrix.json'));
    expect(matrix.comparison?.compared).toBe(0);
    const forged = { ...matrix, comparison: { ...matrix.comparison!, compared: 1 }, gate: { ...matrix.gate, problems: [], verdict: 'pass', exitCode: 0 } } as Matrix;

    const baselinePlus = await report('baseline-plus', { ...forged, comparison: { ...forged.comparison!, baseline: { ...forged.comparison!.baseline, runId: `${forged.comparison!.baseline.runId}+x` } } });
    expect(baselinePlus.code, baselinePlus.stdout).toBe(2);
    expect(baselinePlus.stderr).toContain('HARNESS_REPORT_INVALID');
    expect(baselinePlus.stderr).toContain('comparison.compared: 1, but every model this run ran is new or not selected by the baseline');

    const runPlus = await report('run-plus', { ...forged, run: { ...forged.run, id: `${forged.run.id}+x` } });
    expect(runPlus.code, runPlus.stdout).toBe(2);
    expect(runPlus.stderr).toContain('HARNESS_REPORT_INVALID');
    expect(runPlus.stderr).toContain('run.id: "other-1+x" names 2 runs merged, but the file has 1 target(s)');
  }, 60_000);

  it('a merge of runs of two ids that compared reads back; made to claim a count beside every target set apart, it is refused', async () => {
    const one = await cli(['run', '--models', 'deepseek.v3.2', '--targets', 'mantle:emulator', ...API, '--run-id', 'r-a', '--baseline', base, '--report-dir', join(dir, 'r-a')]);
    expect(one.code, one.stderr).toBe(0);
    const two = await cli(['run', '--models', 'deepseek.v3.2', '--targets', 'runtime:emulator', ...API, '--run-id', 'r-b', '--baseline', base, '--report-dir', join(dir, 'r-b')]);
    expect(two.code).toBe(1);
    const merged = await cli(['merge', join(dir, 'r-a', 'matrix.json'), join(dir, 'r-b', 'matrix.json'), '--report-dir', join(dir, 'm')]);
    const matrix = await read(join(dir, 'm', 'matrix.json'));
    expect(matrix.run.id).toBe('r-a+r-b');
    expect(matrix.comparison?.compared).toBeGreaterThan(0);
    const again = await cli(['report', join(dir, 'm', 'matrix.json'), '--report-dir', join(dir, 'm-out')]);
    expect(again.code, again.stderr).toBe(merged.code);

    const apart = await report('merge-apart', { ...matrix, comparison: { ...matrix.comparison!, newTargets: matrix.targets.map((t) => t.id) } });
    expect(apart.code, apart.stdout).toBe(2);
    expect(apart.stderr).toContain('every target this run has results of is set apart');
  }, 90_000);
});
