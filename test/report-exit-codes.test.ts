/**
 * The commands that write reports from saved runs exit as the gate of what they wrote, so a CI step can gate on
 * them: `report` of a failing, interrupted or (with --baseline) regressed run is not exit 0. `merge` writes the job
 * summary (GITHUB_STEP_SUMMARY) as `run` does: the merge job is where the whole run's gate is.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const QWEN = 'qwen.qwen3-32b';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-exit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const save = async (name: string, matrix: Matrix) => {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(matrix));
  return file;
};
const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;

describe('report exits with the gate', () => {
  it('0 for a run that passes, saying the gate', async () => {
    const result = await cli(['report', await save('pass', smallMatrix()), '--report-dir', join(dir, 'pass-report')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gate: pass (exit 0)');
  });

  it('1 for a run whose gate fails', async () => {
    const failing = smallMatrix([{ model: QWEN, check: 'created-at.chat', status: 'fail', observed: 'exponent' }]);
    const result = await cli(['report', await save('fail', failing), '--report-dir', join(dir, 'fail-report')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/gate: fail \(exit 1\)/);
  });

  it('130 for an interrupted run, as the run exited', async () => {
    const base = smallMatrix();
    const interrupted = { ...base, run: { ...base.run, partial: true, partialReason: 'interrupted (SIGINT)', interrupted: true } };
    const result = await cli(['report', await save('interrupted', interrupted), '--report-dir', join(dir, 'interrupted-report')]);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('gate: interrupted (exit 130)');
  });

  it('1 with --baseline when the run regressed since it (0 without: the error alone is within --max-errors)', async () => {
    const baseline = await save('baseline', smallMatrix());
    const now = await save('now', smallMatrix([{ model: QWEN, check: 'path-prefix', status: 'error', observed: null, reason: 'HARNESS_TIMEOUT: slow' }], undefined, undefined, { runId: 'r2' }));
    expect((await cli(['report', now, '--report-dir', join(dir, 'now-report')])).code).toBe(0);
    const out = join(dir, 'regressed-report');
    const result = await cli(['report', now, '--baseline', baseline, '--report-dir', out]);
    expect(result.code).toBe(1);
    expect((await read(join(out, 'matrix.json'))).gate).toMatchObject({ exitCode: 1, verdict: 'fail', regressedSinceBaseline: true });
  });
});

describe('report of a run that observed nothing, or nothing of a target', () => {
  const notRun = (reason: string) => ({ status: 'skipped' as const, observed: null, reason, evidence: [], notRun: true as const });
  const everyCell = (cell: ReturnType<typeof notRun>) => ['xai.grok-4.3', QWEN].flatMap((model) => ['path-prefix', 'created-at.chat', 'defaults.temperature'].map((check) => ({ model, check, ...cell })));

  it('1 when a target has no cell (its model list named no model); 0 with the target listing a model', async () => {
    const base = smallMatrix();
    const down = { ...base.targets[0]!, id: 'down', modelList: { source: 'GET /v1/models', listed: 0, new: [], notListed: base.models.map((m) => m.id), refused: [] } };
    const out = join(dir, 'down-report');
    const result = await cli(['report', await save('down', { ...base, targets: [...base.targets, down] }), '--report-dir', out]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^gate: fail \(exit 1\): target down ran nothing$/m);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="mantle-conformance" tests="\d+" failures="1"[\s\S]*<failure message="target down ran nothing: it has no cell/);
    expect((await read(join(out, 'matrix.json'))).gate.problems).toEqual([expect.objectContaining({ kind: 'partial', target: 'down' })]);
    expect((await cli(['report', await save('up', base), '--report-dir', join(dir, 'up-report')])).code).toBe(0);
  });

  it('1 when no cell ran, or there is none; 0 for a shard whose cells another shard ran', async () => {
    const filtered = smallMatrix(everyCell(notRun('not run: filtered out (a model filter or -t) or in another shard')));
    const none = await cli(['report', await save('none-ran', filtered), '--report-dir', join(dir, 'none-ran-report')]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^gate: fail \(exit 1\): nothing ran$/m);
    const empty = await cli(['report', await save('no-cells', smallMatrix([], [])), '--report-dir', join(dir, 'no-cells-report')]);
    expect(empty.code).toBe(1);
    const shard = smallMatrix(everyCell(notRun('not run: filtered out (a model filter or -t) or in another shard')), undefined, undefined, { runId: 'R', shard: '3/3' });
    expect((await cli(['report', await save('empty-shard', shard), '--report-dir', join(dir, 'empty-shard-report')])).code).toBe(0);
  });

  it('a run whose cells say "not reached" is partial whatever run.partial says: refused when read, and its gate fails', async () => {
    const base = smallMatrix(everyCell(notRun('not reached: interrupted (Ctrl-C)')).slice(0, 4));
    // run.partial, run.interrupted and run.partialReason edited away, as by hand.
    expect(base.run.partial).toBe(false);
    expect(base.gate).toMatchObject({ exitCode: 1, verdict: 'fail', problems: [expect.objectContaining({ kind: 'partial', message: expect.stringContaining('4 cell(s) say "not reached"') })] });
    const result = await cli(['report', await save('edited', base), '--report-dir', join(dir, 'edited-report')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_REPORT_INVALID: \S*edited\.json: results\[0\]\.reason: "not reached: interrupted \(Ctrl-C\)", but run\.partial is false/);
    // As the run wrote it, it is read, and says interrupted.
    const written = { ...base, run: { ...base.run, partial: true, partialReason: 'interrupted (Ctrl-C)', interrupted: true } };
    expect((await cli(['report', await save('as-written', written), '--report-dir', join(dir, 'as-written-report')])).code).toBe(130);
  });
});

describe('merge writes the step summary', () => {
  const shard = (i: 1 | 2) =>
    smallMatrix(
      ['path-prefix', 'created-at.chat', 'defaults.temperature'].map((check) => ({ model: i === 1 ? QWEN : 'xai.grok-4.3', check, status: 'skipped' as const, observed: null, reason: 'not run: filtered out (a model filter or -t) or in another shard', evidence: [], notRun: true as const })),
      undefined,
      undefined,
      { runId: 'R', shard: `${i}/2` },
    );

  it('of the merged gate, when GITHUB_STEP_SUMMARY is set', async () => {
    const summary = join(dir, 'summary.md');
    const files = [await save('s1', shard(1)), await save('s2', shard(2))];
    const merged = await cli(['merge', ...files, '--report-dir', join(dir, 'merged')], { GITHUB_STEP_SUMMARY: summary });
    expect(merged.code, merged.stderr).toBe(0);
    expect(await readFile(summary, 'utf8')).toMatch(/^### Mantle conformance: pass\n\n\*\*Gate: pass \(exit 0\)\*\*/);
    // A missing shard: the summary says the gate fails, and why.
    const partial = await cli(['merge', files[0]!, files[0]!, '--report-dir', join(dir, 'merged-partial')], { GITHUB_STEP_SUMMARY: summary });
    expect(partial.code).toBe(1);
    expect(await readFile(summary, 'utf8')).toMatch(/### Mantle conformance: fail[\s\S]*shard 2\/2 of run R is missing/);
  });

  it("a summary file that cannot be written is a warning naming it; the exit code stays the gate's", async () => {
    const blocked = join(dir, 'a-folder');
    await mkdir(blocked, { recursive: true });
    const out = join(dir, 'merged-blocked');
    const result = await cli(['merge', await save('b1', shard(1)), await save('b2', shard(2)), '--report-dir', out], { GITHUB_STEP_SUMMARY: blocked });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: cannot write the GITHUB_STEP_SUMMARY file ${blocked} (EISDIR)`);
    expect((await read(join(out, 'matrix.json'))).gate.verdict).toBe('pass');
  });
});
