/**
 * Runs against runs: compare lists what changed and exits 1 on a new failure; --baseline does the same inside a
 * run (and the GitHub step summary shows only the changes); merging shard outputs gives the single run's matrix;
 * merging runs of regions that selected different models and checks gives a file every command reads back.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compare-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('compare', () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    before = join(dir, 'before');
    expect((await cli(['run', '--models', 'xai.grok-4.3,qwen.qwen3-32b', '--report-dir', before, '--quiet'])).code).toBe(0);
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { defaults: { temperature: 1 } } }, { apiKey: 'cmp-key-0123456789' });
    try {
      after = join(dir, 'after');
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'xai.grok-4.3,zai.glm-5', '--report-dir', after, '--quiet'], {
        AWS_BEARER_TOKEN_BEDROCK: 'cmp-key-0123456789',
      });
      expect(run.code).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it('lists new failures (each change once, under the most specific heading), models only one run selected as not compared, and exits 1', async () => {
    const result = await cli(['compare', join(before, 'matrix.json'), join(after, 'matrix.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/new failures: 1\n {2}xai\.grok-4\.3 defaults\.temperature \(emulator\): pass 0\.7 -> fail 1/);
    // The new failure changed the observed value too; it is not listed a second time.
    expect(result.stdout.match(/xai\.grok-4\.3 defaults\.temperature/g)).toHaveLength(1);
    expect(result.stdout).not.toContain('changed observed values');
    // Each run named its own --models: GLM is not new and Qwen did not vanish; neither was compared.
    expect(result.stdout).toContain('not compared, one run did not select them (--models, --checks): models: zai.glm-5, qwen.qwen3-32b');
    expect(result.stdout).not.toMatch(/new models|vanished models/);
    expect(result.stdout).toContain('regressed: yes (exit 1)');
  });

  it('the other way round, the same change is a fix and nothing regressed', async () => {
    const result = await cli(['compare', join(after, 'matrix.json'), join(before, 'matrix.json'), '--json']);
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.fixes.map((c: { check: string }) => c.check)).toEqual(['defaults.temperature']);
    expect(comparison.newFailures).toEqual([]);
  });

  it('--baseline compares inside the run, and the step summary shows only the changes', async () => {
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { defaults: { temperature: 1 } } }, { apiKey: 'cmp-key-0123456789' });
    const summary = join(dir, 'summary.md');
    try {
      const reports = join(dir, 'with-baseline');
      const run = await cli(
        ['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'xai.grok-4.3,qwen.qwen3-32b', '--baseline', join(before, 'matrix.json'), '--report-dir', reports, '--quiet'],
        { AWS_BEARER_TOKEN_BEDROCK: 'cmp-key-0123456789', GITHUB_STEP_SUMMARY: summary },
      );
      expect(run.code).toBe(1);
      const matrix = await read(join(reports, 'matrix.json'));
      expect(matrix.comparison?.newFailures.map((c) => c.check)).toEqual(['defaults.temperature']);
      expect(matrix.gate.regressedSinceBaseline).toBe(true);
      const text = await readFile(summary, 'utf8');
      expect(text).toContain('### Mantle conformance: fail');
      expect(text).toMatch(/\*\*New failures\*\* \(1\)[\s\S]*\| `xai\.grok-4\.3` \| `defaults\.temperature` \| emulator \| ✓ 0\.7 \| ✗ 1 \|/);
      expect(text).not.toContain('qwen.qwen3-32b');
      const html = await readFile(join(reports, 'matrix.html'), 'utf8');
      expect(html).toContain('Changes since run');
      expect(html).toMatch(/data-key="emulator\|xai\.grok-4\.3\|defaults\.temperature"[^>]*>✗ 1<span class="change" title="new failure">▲<\/span>/);
    } finally {
      await emulator.close();
    }
  });
});

// Merging reads the matrices, not the fixtures: a few models on both bundled targets are as many shards as the
// whole catalog, at a fraction of the replays.
const SOME = ['--models', 'anthropic.claude-opus-4-7,openai.gpt-oss-20b,qwen.qwen3-32b,xai.grok-4.3,zai.glm-5'];

describe('merge', () => {
  it('two shards of a run merge into the single run\'s matrix', async () => {
    const single = join(dir, 'single');
    expect((await cli(['run', ...SOME, '--report-dir', single, '--quiet'])).code).toBe(0);
    for (const shard of ['1/2', '2/2']) {
      const out = join(dir, `shard-${shard[0]}`);
      const result = await cli(['run', ...SOME, '--shard', shard, '--run-id', 'sharded', '--report-dir', out, '--quiet']);
      expect(result.code, result.stderr).toBe(0);
    }
    const first = await read(join(dir, 'shard-1', 'matrix.json'));
    expect(first.results.some((r) => r.notRun)).toBe(true);
    expect(first.results.some((r) => !r.notRun)).toBe(true);
    const merged = join(dir, 'merged');
    const result = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-2', 'matrix.json'), '--report-dir', merged]);
    expect(result.code, result.stderr).toBe(0);
    const strip = (m: Matrix) => ({ ...m, run: { ...m.run, id: '', startedAt: '', finishedAt: '', durationMs: 0, selection: null }, totals: { ...m.totals, wallMs: 0 } });
    expect(strip(await read(join(merged, 'matrix.json')))).toEqual(strip(await read(join(single, 'matrix.json'))));

    // The same shard twice, and shards of two runs, are not a complete set: partial, named, exit 1.
    const doubled = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-1', 'matrix.json'), '--report-dir', join(dir, 'doubled')]);
    expect(doubled.code).toBe(1);
    expect(doubled.stdout).toContain('shard 1/2 of run sharded is given 2 times');
    expect(doubled.stdout).toContain('shard 2/2 of run sharded is missing');
    // Shard 2 of another run: shard 2's matrix under another run id (a replay with --run-id another writes that
    // matrix, its clocks apart; merge reads nothing else).
    const other = join(dir, 'other-run.json');
    const second = await read(join(dir, 'shard-2', 'matrix.json'));
    await writeFile(other, JSON.stringify({ ...second, run: { ...second.run, id: 'another' } }));
    const mixed = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), other, '--report-dir', join(dir, 'mixed')]);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/target emulator comes from 2 different runs \(sharded, another\)/);
  }, 240_000);

  // Hand-edited copies of the two shards above: no new replays.
  it('refuses shards of one run with different selections, and two files that ran the same cell: exit 2 naming both files', async () => {
    const [one, two] = await Promise.all([read(join(dir, 'shard-1', 'matrix.json')), read(join(dir, 'shard-2', 'matrix.json'))]);
    const write = async (name: string, matrix: Matrix) => {
      const file = join(dir, name);
      await writeFile(file, JSON.stringify(matrix));
      return file;
    };
    // Shard 2 run without one of the models: its cells would read "not run here" in the merged matrix.
    const gap = await write('gap.json', { ...two, run: { ...two.run, selection: { ...two.run.selection, models: two.run.selection.models.filter((m) => m !== 'zai.glm-5') } } });
    const refusedGap = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), gap, '--report-dir', join(dir, 'gap')]);
    expect(refusedGap.code).toBe(2);
    expect(refusedGap.stderr).toMatch(/HARNESS_REPORT_INVALID: merge: \S*shard-1\/matrix\.json and \S*gap\.json are both of run sharded, but their --models differ \(only in \S*shard-1\/matrix\.json: "zai\.glm-5"; only in \S*gap\.json: none\)/);
    const filtered = await write('filtered.json', { ...two, run: { ...two.run, selection: { ...two.run.selection, filters: ['grok'] } } });
    expect((await cli(['merge', join(dir, 'shard-1', 'matrix.json'), filtered, '--report-dir', join(dir, 'filtered')])).stderr).toMatch(/but their filters differ/);

    // Shard 2 run with a catalog that lacked a model (the catalog changed between the shard jobs): the model's cells
    // would read "another shard's" in both inputs, and no shard ran them. Refused, as is another harness version.
    const dropped = two.models.find((m) => one.results.some((r) => r.model === m.id && !r.notRun))!.id;
    const olderMatrix = { ...two, models: two.models.filter((m) => m.id !== dropped), results: two.results.filter((r) => r.model !== dropped) };
    expect(() => assertMergeable([one, olderMatrix], [join(dir, 'shard-1', 'matrix.json'), 'older-catalog.json'])).toThrow(`the models they planned differ (only in ${join(dir, 'shard-1', 'matrix.json')}: "${dropped}"`);
    // As a file, it is refused as it is read: --models named the model, and a run plans every model it is given.
    const older = await write('older-catalog.json', olderMatrix);
    const refusedCatalog = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), older, '--report-dir', join(dir, 'older')]);
    expect(refusedCatalog.code, refusedCatalog.stdout).toBe(2);
    expect(refusedCatalog.stderr).toContain(`was asked for, but models[] has no entry of it`);
    const version = await write('version.json', { ...two, run: { ...two.run, harnessVersion: '0.0.1-other' } });
    expect((await cli(['merge', join(dir, 'shard-1', 'matrix.json'), version, '--report-dir', join(dir, 'version')])).stderr).toMatch(/but their harness versions differ/);
    // Shard 2 also holds a cell shard 1 ran: in either order, neither file wins (refused, even with the same verdict).
    const ranByOne = one.results.find((r) => !r.notRun && r.status === 'pass' && r.expected !== null)!;
    const overlap = await write('overlap.json', { ...two, results: two.results.map((r) => (r.target === ranByOne.target && r.model === ranByOne.model && r.check === ranByOne.check ? { ...ranByOne, notRun: undefined } : r)) });
    for (const files of [[join(dir, 'shard-1', 'matrix.json'), overlap], [overlap, join(dir, 'shard-1', 'matrix.json')]]) {
      const refused = await cli(['merge', ...files, '--report-dir', join(dir, 'overlap')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`both ran target "${ranByOne.target}", model "${ranByOne.model}", check "${ranByOne.check}"`);
      expect(refused.stderr).toContain('shard-1/matrix.json');
      expect(refused.stderr).toContain('overlap.json');
    }
    // The unedited shards still merge (the edits above are what is refused).
    expect((await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-2', 'matrix.json'), '--report-dir', join(dir, 'again')])).code).toBe(0);
  });

  it('2 of 3 shards: exit 1, and the matrix says which shard is missing', async () => {
    for (const shard of ['1/3', '2/3']) expect((await cli(['run', ...SOME, '--shard', shard, '--run-id', 'three', '--report-dir', join(dir, `three-${shard[0]}`), '--quiet'])).code).toBe(0);
    const out = join(dir, 'two-of-three');
    const result = await cli(['merge', join(dir, 'three-1', 'matrix.json'), join(dir, 'three-2', 'matrix.json'), '--report-dir', out]);
    expect(result.code).toBe(1);
    const matrix = await read(join(out, 'matrix.json'));
    expect(matrix.run.partial).toBe(true);
    expect(matrix.run.partialReason).toBe('merge: shard 3/3 of run three is missing');
    expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail', problems: [{ kind: 'partial', message: 'partial run: merge: shard 3/3 of run three is missing' }] });
    expect(await readFile(join(out, 'matrix.md'), 'utf8')).toMatch(/\*\*Gate: fail \(exit 1\): partial run\*\*[\s\S]*## What fails the gate\n\n- \*\*partial\*\*: partial run: merge: shard 3\/3 of run three is missing/);
  }, 240_000);
});

// One run per region, each with its own --models and --checks: matrices built in memory as a run builds them (no
// replays), then merged and read back by every command that reads a matrix.json.
describe('merge of runs that selected different models and checks', () => {
  const GROK = 'xai.grok-4.3';
  const QWEN = 'qwen.qwen3-32b';
  const GLM = 'zai.glm-5';
  type Cells = Parameters<typeof smallMatrix>[0];
  const east = (cells: Cells = []) => smallMatrix(cells, [GROK, QWEN], ['path-prefix', 'created-at.chat', 'defaults.temperature'], { target: 'us-east-1', runId: 'east' });
  const west = (cells: Cells = [], shard?: string) => smallMatrix(cells, [GROK, GLM], ['path-prefix', 'defaults.temperature', 'defaults.top-p'], { target: 'us-west-2', runId: 'west', ...(shard ? { shard } : {}) });
  const save = async (name: string, matrix: Matrix) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(matrix));
    return file;
  };
  const same = (a: MatrixResult) => (b: MatrixResult) => a.target === b.target && a.model === b.model && a.check === b.check;
  const cell = (m: Matrix, target: string, model: string, check: string) => m.results.find(same({ target, model, check } as MatrixResult));

  it('report, table, compare and merge read the merged file; a cell a region did not select is not run there: never a pass, never gating', async () => {
    const files = [await save('east', east()), await save('west', west())];
    const out = join(dir, 'regions');
    const merged = await cli(['merge', ...files, '--report-dir', out]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('coverage: 12 of 24 cells observed (50.0%); not observed: 12 not run here');
    expect(merged.stdout).toContain('gate: pass (exit 0)');
    const file = join(out, 'matrix.json');
    const matrix = await read(file);
    // 2 targets x 3 models x 4 checks: each cell a region ran, as it ran it; every other cell not run.
    expect(matrix.results).toHaveLength(24);
    const ran = [...east().results, ...west().results];
    for (const r of ran) expect(matrix.results.find(same(r))).toEqual(r);
    const notSelected = matrix.results.filter((r) => !ran.some(same(r)));
    expect(notSelected).toHaveLength(12);
    for (const r of notSelected) expect(r).toMatchObject({ status: 'skipped', observed: null, expected: null, expectedSource: null, evidence: [], gating: false, notRun: true });
    expect(cell(matrix, 'us-east-1', GROK, 'defaults.top-p')?.reason).toBe('not run: not selected on target us-east-1 (run east did not run check defaults.top-p)');
    expect(cell(matrix, 'us-east-1', GLM, 'path-prefix')?.reason).toBe('not run: not selected on target us-east-1 (run east did not run model zai.glm-5)');
    expect(cell(matrix, 'us-west-2', QWEN, 'created-at.chat')?.reason).toBe('not run: not selected on target us-west-2 (run west did not run model qwen.qwen3-32b)');
    expect(matrix.gate).toMatchObject({ exitCode: 0, verdict: 'pass', gating: [], problems: [] });
    expect(matrix.totals.byStatus).toMatchObject({ pass: 12, skipped: 12 });

    const report = await cli(['report', file, '--report-dir', join(dir, 'regions-report')]);
    expect(report.code, report.stderr).toBe(0);
    expect(await readFile(join(dir, 'regions-report', 'matrix.md'), 'utf8')).toContain('Coverage: 12 of 24 cells observed (50.0%); not observed: 12 not run here');
    // The capability table of the merged file is the table of the two runs: a cell not run is not a measurement.
    const table = await cli(['table', file, '--format', 'json']);
    expect(table.code, table.stderr).toBe(0);
    expect(JSON.parse(table.stdout)).toEqual(JSON.parse((await cli(['table', ...files, '--format', 'json'])).stdout));
    const compared = await cli(['compare', files[0]!, file, '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    expect(JSON.parse(compared.stdout)).toMatchObject({ newFailures: [], fixes: [], changedObserved: [], newTargets: ['us-west-2'], newModels: [GLM], newChecks: ['defaults.top-p'], regressed: false });
    // A third region merges with the merged file, and that reads back too.
    const eu = await save('eu', smallMatrix([], [QWEN], ['created-at.chat'], { target: 'eu-west-1', runId: 'eu' }));
    const again = await cli(['merge', file, eu, '--report-dir', join(dir, 'regions-3')]);
    expect(again.code, again.stderr).toBe(0);
    const three = await read(join(dir, 'regions-3', 'matrix.json'));
    expect(three.results).toHaveLength(3 * 3 * 4);
    expect(three.results.filter((r) => !r.notRun)).toHaveLength(13);
    expect(cell(three, 'eu-west-1', GROK, 'created-at.chat')?.reason).toBe('not run: not selected on target eu-west-1 (run eu did not run model xai.grok-4.3)');
    expect((await cli(['report', join(dir, 'regions-3', 'matrix.json'), '--report-dir', join(dir, 'regions-3-report')])).code).toBe(0);
  });

  it('a target that read its model list gets no cells of a model it did not list', async () => {
    const listed = west();
    listed.targets = [{ ...listed.targets[0]!, modelList: { source: 'GET /v1/models', listed: 2, new: [], notListed: [QWEN], refused: [] } }];
    const out = join(dir, 'regions-listed');
    expect((await cli(['merge', await save('east-l', east()), await save('west-l', listed), '--report-dir', out])).code).toBe(0);
    const matrix = await read(join(out, 'matrix.json'));
    expect(matrix.results.filter((r) => r.target === 'us-west-2' && r.model === QWEN)).toEqual([]);
    expect(matrix.results).toHaveLength(24 - 4);
    expect((await cli(['report', join(out, 'matrix.json'), '--report-dir', join(dir, 'regions-listed-report')])).code).toBe(0);
  });

  it('a selected cell that fails, or that no shard ran (a missing shard), still fails the gate', async () => {
    const failing = await cli(['merge', await save('east-fail', east([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'exponent' }])), await save('west-ok', west()), '--report-dir', join(dir, 'regions-fail')]);
    expect(failing.code).toBe(1);
    expect((await read(join(dir, 'regions-fail', 'matrix.json'))).gate.gating).toEqual([expect.objectContaining({ target: 'us-east-1', model: QWEN, check: 'created-at.chat' })]);
    // Shard 1/2 of west holds GLM's cells as another shard's: without shard 2/2 they were selected and not observed.
    const shardCells = ['path-prefix', 'defaults.temperature', 'defaults.top-p'].map((check) => ({ model: GLM, check, status: 'skipped' as const, observed: null, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [], notRun: true as const }));
    const out = join(dir, 'regions-shard');
    const partial = await cli(['merge', await save('east-s', east()), await save('west-1of2', west(shardCells, '1/2')), '--report-dir', out]);
    expect(partial.code).toBe(1);
    const matrix = await read(join(out, 'matrix.json'));
    expect(matrix.gate.problems).toEqual([expect.objectContaining({ kind: 'partial', message: 'partial run: merge: shard 2/2 of run west is missing' })]);
    // Those cells say the shard they were in: they were selected there, not "not selected" (nor filtered out).
    expect(cell(matrix, 'us-west-2', GLM, 'defaults.top-p')?.reason).toBe('not run: in a missing shard (2/2 of run west)');
    // Read back, the gate is still recomputed as failing, and `report` exits with it.
    expect((await cli(['report', join(out, 'matrix.json'), '--report-dir', join(dir, 'regions-shard-report')])).code).toBe(1);
    expect((await read(join(dir, 'regions-shard-report', 'matrix.json'))).gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
  });

  it('a region that regressed since its baseline fails merged as it failed alone, and the strictest --max-errors holds, in any order', () => {
    const regressedEast = east([{ model: QWEN, check: 'path-prefix', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: slow' }]);
    const compared = finishMatrix({ ...regressedEast, comparison: compareMatrices(east(), regressedEast) });
    expect(compared.gate).toMatchObject({ exitCode: 1, regressedSinceBaseline: true });
    for (const inputs of [[compared, west()], [west(), compared]]) {
      const merged = mergeMatrices(inputs);
      expect(merged.gate).toMatchObject({ exitCode: 1, verdict: 'fail', regressedSinceBaseline: true });
      expect(merged.comparison?.newFailures.map((c) => `${c.target} ${c.model} ${c.check}`)).toEqual([`us-east-1 ${QWEN} path-prefix`]);
    }
    // A region compared with a baseline of both regions: the other region is not "vanished" in the merge.
    const both = mergeMatrices([east(), west()]);
    const westNow = finishMatrix({ ...west(), comparison: compareMatrices(both, west()) });
    expect(westNow.comparison!.vanishedTargets).toEqual(['us-east-1']);
    const rejoined = mergeMatrices([compared, westNow]);
    expect(rejoined.comparison).toMatchObject({ vanishedTargets: [], vanishedModels: [], vanishedChecks: [] });
    // The summary still says why the gate fails when a cell gates that no input's comparison calls new.
    const unexplained = mergeMatrices([compared, west([{ model: GLM, check: 'path-prefix', status: 'fail', observed: 'none', expected: '/v1', expectedSource: 'expectations: x' }])]);
    expect(unexplained.gate.gating.map((g) => g.model)).toContain(GLM);
    expect(renderStepSummary(unexplained, { runUrl: undefined })).toMatch(/\*\*Also failing the gate \(not a new failure\)\*\* \(1\)[\s\S]*zai\.glm-5/);
    // A cell listed under a change is not listed again.
    const failingNow = east([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'exponent' }]);
    const newlyFailing = finishMatrix({ ...failingNow, comparison: compareMatrices(east(), failingNow) });
    expect(newlyFailing.gate.gating).toHaveLength(1);
    expect(renderStepSummary(newlyFailing, { runUrl: undefined })).toContain('**New failures** (1)');
    expect(renderStepSummary(newlyFailing, { runUrl: undefined })).not.toContain('Also failing the gate');
    // A model one region stopped running vanished there, though another region runs it.
    const withoutGrok = smallMatrix([], [QWEN], ['path-prefix', 'created-at.chat', 'defaults.temperature'], { target: 'us-east-1', runId: 'east' });
    const eastNow = finishMatrix({ ...withoutGrok, comparison: compareMatrices(east(), withoutGrok) });
    expect(eastNow.comparison!.vanishedModels).toEqual([GROK]);
    expect(mergeMatrices([eastNow, west()]).comparison!.vanishedModels).toEqual([GROK]);
    // A shard's or a filter's cells are still the run's (notRun): nothing vanished.
    const shard = east([{ model: GROK, check: 'path-prefix', status: 'skipped', observed: null, notRun: true, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [] }]);
    expect(compareMatrices(east(), shard)).toMatchObject({ vanishedModels: [], vanishedChecks: [] });
    // A gating cell that changed value (listed under "Changed observed values") still says why it gates.
    const floatNow = east([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'float' }]);
    const stringNow = east([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'string' }]);
    const changed = finishMatrix({ ...stringNow, comparison: compareMatrices(floatNow, stringNow) });
    expect(changed.comparison!.changedObserved).toHaveLength(1);
    expect(renderStepSummary(changed, { runUrl: undefined })).toMatch(/\*\*Also failing the gate \(not a new failure\)\*\* \(1\)[\s\S]*created-at\.chat/);
    // One error where one input accepts none: the merge fails whichever file comes first.
    const strict = finishMatrix({ ...regressedEast, gate: { ...regressedEast.gate, errors: { unexpected: 0, max: 0 } } });
    expect(strict.gate.exitCode).toBe(1);
    for (const inputs of [[strict, west()], [west(), strict]]) expect(mergeMatrices(inputs).gate).toMatchObject({ exitCode: 1, errors: { unexpected: 1, max: 0 } });
    expect(mergeMatrices([regressedEast, west()]).gate).toMatchObject({ exitCode: 0, errors: { unexpected: 1, max: 5 } });
  });

  it('a hand-edited merged file that lacks a cell of a model and check its target has is refused, naming the cell', async () => {
    const out = join(dir, 'regions-edit');
    expect((await cli(['merge', await save('east-e', east()), await save('west-e', west()), '--report-dir', out])).code).toBe(0);
    const matrix = await read(join(out, 'matrix.json'));
    const without = (target: string, model: string, check: string) => ({ ...matrix, results: matrix.results.filter((r) => !same({ target, model, check } as MatrixResult)(r)) });
    // A cell the region ran, and a cell it did not select (the other cells of that pair are in the file).
    for (const [target, model, check] of [['us-west-2', GLM, 'defaults.top-p'], ['us-east-1', GLM, 'path-prefix']] as const) {
      const edited = await save(`edited-${target}`, without(target, model, check));
      for (const args of [['report', edited, '--report-dir', join(dir, 'edited-report')], ['table', edited], ['compare', edited, edited], ['merge', edited, await save('eu-e', smallMatrix([], [QWEN], ['created-at.chat'], { target: 'eu-west-1', runId: 'eu' })), '--report-dir', join(dir, 'edited-merge')]]) {
        const refused = await cli(args);
        expect(refused.code, args[0]).toBe(2);
        expect(refused.stderr).toContain(`results: no cell for target "${target}", model "${model}", check "${check}"`);
      }
    }
  });
});
