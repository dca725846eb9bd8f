/**
 * A comparison that compared no cell read green when its targets were the baseline's: a baseline of another model, of
 * other checks, one whose failing cells are all another model's, and a lone shard whose only target is not in the
 * baseline (its matrix lists every target of its run) all said "regressed: no", exit 0, and `compare --json` had no
 * nothingCompared. "Nothing was compared" now means no cell (a result in both runs) was: compare exits 1, and the gate
 * of run --baseline and report --baseline fails with `nothing-compared`, saying why and the fix. A merge is judged on
 * its merged comparison; a comparison that compared some cells passes, with new models noted as before.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { nothingComparedProblems } from '../src/report/nothing-compared.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
/** A replay of the bundled recordings (targets emulator and runtime.emulator) of deepseek.v3.2, api.* checks. */
let base: string;
const API = ['--checks', 'api.*', '--quiet'];
const GATE = 'gate: fail (exit 1): nothing was compared with --baseline\n';

const readMatrixJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;
const problems = async (folder: string) => (await readMatrixJson(join(folder, 'matrix.json'))).gate.problems;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nothing-compared-cells-'));
  const made = await cli(['run', '--models', 'deepseek.v3.2', ...API, '--run-id', 'base-v32', '--report-dir', join(dir, 'base')]);
  expect(made.code, made.stderr).toBe(0);
  base = join(dir, 'base', 'matrix.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('no cell compared, though the targets are the baseline\'s', () => {
  it('a baseline of another model: run --baseline, report --baseline and compare exit 1, and say no model is in common', async () => {
    const reports = join(dir, 'v31');
    const run = await cli(['run', '--models', 'deepseek.v3.1', '--checks', 'api.*', '--baseline', base, '--report-dir', reports, '--plain']);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain(GATE);
    const why = 'nothing was compared with --baseline (run base-v32): no model of this run is one the baseline ran (this run: deepseek.v3.1; the baseline: deepseek.v3.2), so no cell could be a new failure or a fix; give a baseline run of the same --models, or drop --baseline';
    expect(await problems(reports)).toEqual([{ kind: 'nothing-compared', message: why }]);
    const matrix = await readMatrixJson(join(reports, 'matrix.json'));
    expect(matrix.comparison).toMatchObject({ compared: 0, regressed: false });
    expect(await readFile(join(reports, 'matrix.md'), 'utf8')).toContain('**Nothing was compared: no model of this run is one the baseline ran (see the models not compared)');
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toContain('name="nothing-compared"');

    const compared = await cli(['compare', base, join(reports, 'matrix.json')]);
    expect(compared.code, compared.stdout).toBe(1);
    expect(compared.stdout).toContain('nothing was compared: no model of this run is one the baseline ran (see the models not compared), so no cell could be a new failure or a fix; give a baseline run of the same --models\n');
    expect(compared.stdout).toContain('regressed: not known (nothing was compared)');
    expect(compared.stdout).not.toMatch(/^regressed: no$|^new failures: 0$/m);
    const json = await cli(['compare', base, join(reports, 'matrix.json'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ nothingCompared: true, compared: 0, regressed: false });

    const again = await cli(['run', '--models', 'deepseek.v3.1', ...API, '--report-dir', join(dir, 'v31-plain')]);
    expect(again.code).toBe(0);
    const reported = await cli(['report', join(dir, 'v31-plain', 'matrix.json'), '--baseline', base, '--report-dir', join(dir, 'v31-report')]);
    expect(reported.code, reported.stdout).toBe(1);
    expect(reported.stdout).toContain(`${why}\n${GATE}`);
    // The saved run keeps its verdict when rendered again without --baseline.
    expect((await cli(['report', join(reports, 'matrix.json')])).code).toBe(1);
  });

  it('a baseline of other checks: exit 1, and say no check is in common', async () => {
    const reports = join(dir, 'models-checks');
    const run = await cli(['run', '--models', 'deepseek.v3.2', '--checks', 'models.*', '--quiet', '--baseline', base, '--report-dir', reports]);
    expect(run.code, run.stdout).toBe(1);
    const [problem] = await problems(reports);
    expect(problem?.kind).toBe('nothing-compared');
    expect(problem?.message).toMatch(/: no check of this run is one the baseline ran \(this run: models\.[^;]*; the baseline: api\.[a-z-]+, .*\), so no cell could be a new failure or a fix; give a baseline run of the same --checks, or drop --baseline$/);
    const compared = await cli(['compare', base, join(reports, 'matrix.json'), '--json']);
    expect(compared.code).toBe(1);
    expect(JSON.parse(compared.stdout)).toMatchObject({ nothingCompared: true });
  });

  it('a baseline whose failing cells are all another model\'s: compare exits 1, not "new failures: 0"', async () => {
    const failing = (model: string) => [{ model, check: 'created-at.chat', status: 'fail' as const, observed: 'exponent', reason: 'exponent' }];
    const before = smallMatrix(failing('xai.grok-4.3'), ['xai.grok-4.3'], undefined, { runId: 'old' });
    before.run.selection.models = ['xai.grok-4.3'];
    const after = smallMatrix(failing('qwen.qwen3-32b'), ['qwen.qwen3-32b'], undefined, { runId: 'new' });
    after.run = { ...after.run, startedAt: '2026-11-25T08:00:00.000Z', finishedAt: '2026-11-25T08:00:10.000Z', selection: { ...after.run.selection, models: ['qwen.qwen3-32b'] } };
    await writeFile(join(dir, 'fail-a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'fail-b.json'), JSON.stringify(after));
    const compared = await cli(['compare', join(dir, 'fail-a.json'), join(dir, 'fail-b.json')]);
    expect(compared.code, compared.stdout).toBe(1);
    expect(compared.stdout).toContain('nothing was compared: no model of this run is one the baseline ran');
    expect(compared.stdout).not.toContain('new failures: 0');
    expect(nothingComparedProblems({ ...after, comparison: compareMatrices(before, after) })).toHaveLength(1);
  });

  it('a lone shard that ran only a target the baseline lacks fails; its sibling compared and passes; their merge passes', async () => {
    const emu = await cli(['run', '--targets', 'mantle:emulator', '--models', 'deepseek.v3.2', ...API, '--run-id', 'base-emu', '--report-dir', join(dir, 'emu')]);
    expect(emu.code, emu.stderr).toBe(0);
    const shards = [1, 2].map((i) => join(dir, `shard${i}`));
    const codes: number[] = [];
    for (const [i, folder] of shards.entries()) {
      const shard = await cli(['run', '--models', 'deepseek.v3.2', ...API, '--run-id', 'shardrun1', '--shard', `${i + 1}/2`, '--baseline', join(dir, 'emu', 'matrix.json'), '--report-dir', folder]);
      codes.push(shard.code);
    }
    // Shard 1/2 ran `emulator` (in the baseline), shard 2/2 `runtime.emulator` (not in it).
    expect((await readMatrixJson(join(shards[0]!, 'matrix.json'))).results.filter((r) => !r.notRun).map((r) => r.target)).toContain('emulator');
    expect(codes).toEqual([0, 1]);
    const [problem] = await problems(shards[1]!);
    expect(problem?.message).toBe(
      "nothing was compared with --baseline (run base-emu): this run is shard 2/2, and no target it ran is in the baseline as the same endpoint (runtime.emulator: not in the baseline), so no cell could be a new failure or a fix; give a baseline that has the targets the shard ran (a run of every target), or gate on the merge of the shards (mantle-conformance merge), which counts every shard's cells, or drop --baseline",
    );
    const merged = await cli(['merge', ...shards.map((s) => join(s, 'matrix.json')), '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stdout).toBe(0);
    const matrix = await readMatrixJson(join(dir, 'merged', 'matrix.json'));
    expect(matrix.comparison?.compared).toBe(5);
    expect(matrix.gate.problems).toEqual([]);
    // The merge is judged on the merged comparison: shard 2/2 merged alone compared nothing.
    expect((await cli(['merge', join(shards[1]!, 'matrix.json'), '--report-dir', join(dir, 'merged-2')])).stdout).toContain('nothing was compared with --baseline');
  });
});

describe('cells compared, none regressed: a pass as before', () => {
  it('a newer run with a model the baseline lacks still passes, and says the model was not compared', async () => {
    const reports = join(dir, 'more-models');
    const run = await cli(['run', '--models', 'deepseek.v3.2,deepseek.v3.1', '--checks', 'api.*', '--baseline', base, '--report-dir', reports, '--plain']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('not compared, one run did not select them (--models, --checks): models: deepseek.v3.1');
    expect(run.stdout).toContain('regressed: no\n');
    expect(run.stdout).toContain('gate: pass (exit 0)\n');
    const matrix = await readMatrixJson(join(reports, 'matrix.json'));
    expect(matrix.comparison?.compared).toBe(10);
    const json = await cli(['compare', base, join(reports, 'matrix.json'), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('nothingCompared');
  });

  it('a comparison an older build wrote (no count of cells) is judged by its targets, as that build did', () => {
    const m = smallMatrix();
    const { compared: _count, ...older } = compareMatrices(smallMatrix([], ['xai.grok-4.3']), m);
    expect(_count).toBe(3);
    expect(nothingComparedProblems({ ...m, comparison: older })).toEqual([]);
    expect(nothingComparedProblems({ ...m, comparison: { ...older, compared: 0 } })).toHaveLength(1);
    expect(nothingComparedProblems({ ...m, comparison: { ...older, newTargets: ['emulator'] } })[0]?.message).toContain('no target of this run is in the baseline as the same endpoint (emulator: not in the baseline)');
  });
});
