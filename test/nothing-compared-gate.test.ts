/**
 * `compare` exits 1 when it compared nothing (every target of the newer run another endpoint than the baseline's of
 * that id, or not in the baseline), but `run --baseline` and `report --baseline` kept the run's own gate: a CI job that
 * passes --baseline to fail on regressions read green with no cell compared, and only a note said so. Their gate now
 * fails (kind `nothing-compared`, matrix format 5), in every report, naming why and the fix; a report of such a saved
 * run, a merge of its shards and the history keep that verdict. A baseline that compares is as before.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_FORMAT, OLDER_RULES, type Matrix } from '../src/report/matrix.ts';
import { nothingComparedProblems } from '../src/report/nothing-compared.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
/** A baseline of the same targets as the bundled replay, and the same run with each target's surface swapped. */
let base: string;
let swapped: string;
/** A small replay of the bundled recordings (two targets: emulator, runtime.emulator). */
const REPLAY = ['run', '--models', 'xai.grok-4.3', '--checks', 'path-prefix,created-at.chat', '--quiet'];
const WHY = /^nothing was compared with --baseline \(run base-swapped\): no target of this run is in the baseline as the same endpoint \(emulator: another endpoint, surface "runtime" -> "mantle"; runtime\.emulator: another endpoint, surface "mantle" -> "runtime"\), so no cell could be a new failure or a fix; give a baseline of the same targets \(surface, region\), or drop --baseline$/;
/** The same, within a console's output. */
const WHY_IN = new RegExp(WHY.source.slice(1, -1));
const GATE = 'fail (exit 1): nothing was compared with --baseline';

const readMatrixJson = async (folder: string) => JSON.parse(await readFile(join(folder, 'matrix.json'), 'utf8')) as Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nothing-compared-'));
  const made = await cli([...REPLAY, '--run-id', 'base', '--report-dir', join(dir, 'base')]);
  expect(made.code, made.stderr).toBe(0);
  base = join(dir, 'base', 'matrix.json');
  const matrix = await readMatrixJson(join(dir, 'base'));
  swapped = join(dir, 'swapped.json');
  // Each target id now names the other surface: a `--target-name` kept while `--surface` changed.
  const other = { mantle: 'runtime', runtime: 'mantle' } as const;
  await writeFile(swapped, JSON.stringify({ ...matrix, run: { ...matrix.run, id: 'base-swapped' }, targets: matrix.targets.map((t) => ({ ...t, surface: other[t.surface as 'mantle' | 'runtime'] })) }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a --baseline that compared nothing fails the gate', () => {
  it('run --baseline: exit 1, and the console, matrix.json, matrix.md, matrix.html, junit.xml and the step summary say why and the fix', async () => {
    const reports = join(dir, 'run');
    const summary = join(dir, 'summary.md');
    const run = await cli([...REPLAY.filter((a) => a !== '--quiet'), '--baseline', swapped, '--report-dir', reports, '--plain'], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^ {2}nothing was compared with --baseline \(run base-swapped\): .*or drop --baseline$/m);
    expect(run.stdout).toContain(`gate: ${GATE}\n`);
    const matrix = await readMatrixJson(reports);
    expect(matrix.format).toBe(MATRIX_FORMAT);
    expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail', gating: [], regressedSinceBaseline: false });
    expect(matrix.gate.problems).toEqual([{ kind: 'nothing-compared', message: expect.stringMatching(WHY) }]);
    const md = await readFile(join(reports, 'matrix.md'), 'utf8');
    expect(md).toContain(`**Gate: ${GATE}**`);
    expect(md).toContain('- **nothing-compared**: nothing was compared with --baseline (run base-swapped): ');
    const html = await readFile(join(reports, 'matrix.html'), 'utf8');
    expect(html).toContain(`<span class="gate-fail">${GATE}</span>`);
    expect(html).toContain('<li>nothing was compared with --baseline (run base-swapped): ');
    const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="gate" tests="1" failures="1"');
    expect(junit).toMatch(/<testcase classname="gate" name="nothing-compared" time="0">\s*<failure message="nothing was compared with --baseline \(run base-swapped\): [^"]*or drop --baseline" type="nothing-compared">/);
    const step = await readFile(summary, 'utf8');
    expect(step).toContain(`**Gate: ${GATE}**`);
    expect(step).toContain('- nothing was compared with --baseline (run base-swapped): ');
  });

  it('report of the saved run keeps its verdict (the gate is recomputed from its comparison), without --baseline', async () => {
    const reports = join(dir, 'saved');
    const made = await cli([...REPLAY, '--baseline', swapped, '--report-dir', reports]);
    expect(made.code, made.stderr).toBe(1);
    const again = await cli(['report', join(reports, 'matrix.json')]);
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(WHY_IN);
    expect(again.stdout).toContain(`gate: ${GATE}\n`);
    expect((await readMatrixJson(reports)).gate.problems.map((p) => p.kind)).toEqual(['nothing-compared']);
  });

  it('report --baseline: exit 1, the gate says why', async () => {
    const plain = join(dir, 'plain');
    expect((await cli([...REPLAY, '--report-dir', plain])).code).toBe(0);
    const reported = await cli(['report', join(plain, 'matrix.json'), '--baseline', swapped, '--report-dir', join(dir, 'reported')]);
    expect(reported.code, reported.stderr).toBe(1);
    expect(reported.stdout).toMatch(WHY_IN);
    expect(reported.stdout).toContain(`gate: ${GATE}\n`);
    expect((await readMatrixJson(join(dir, 'reported'))).gate.verdict).toBe('fail');
  });

  it('merge of shards each run with that --baseline: exit 1, as each shard', async () => {
    const shards = [1, 2].map((i) => join(dir, `shard${i}`));
    for (const [i, folder] of shards.entries()) {
      const shard = await cli([...REPLAY, '--run-id', 'sharded', '--shard', `${i + 1}/2`, '--baseline', swapped, '--report-dir', folder]);
      expect(shard.code, shard.stderr).toBe(1);
    }
    const merged = await cli(['merge', ...shards.map((s) => join(s, 'matrix.json')), '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(1);
    expect(merged.stdout).toContain(`gate: ${GATE}\n`);
    expect((await readMatrixJson(join(dir, 'merged'))).gate.problems).toEqual([{ kind: 'nothing-compared', message: expect.stringMatching(WHY) }]);
  });

  it('the history says the run failed its gate, and why', async () => {
    const history = join(dir, 'history');
    const run = await cli([...REPLAY, '--baseline', swapped, '--history', history, '--report-dir', join(dir, 'with-history')]);
    expect(run.code, run.stderr).toBe(1);
    const read = await cli(['history', history, '--report-dir', join(dir, 'history-report')]);
    expect(read.code, read.stderr).toBe(0);
    expect(await readFile(join(dir, 'history-report', 'history.md'), 'utf8')).toMatch(/gate fail: nothing was compared with --baseline \(run base-swapped\): .*or drop --baseline/);
  });

  it('a format 4 file an older build wrote with such a comparison is judged again: fails, and the note says the rule', async () => {
    const reports = join(dir, 'older');
    expect((await cli([...REPLAY, '--baseline', swapped, '--report-dir', reports])).code).toBe(1);
    const matrix = await readMatrixJson(reports);
    const older = join(dir, 'format4.json');
    // As a format 4 build wrote it: its gate passed.
    await writeFile(older, JSON.stringify({ ...matrix, format: 'mantle-conformance.matrix/4', gate: { ...matrix.gate, exitCode: 0, verdict: 'pass', problems: [] } }));
    const reported = await cli(['report', older, '--report-dir', join(dir, 'older-report')]);
    expect(reported.code, reported.stderr).toBe(1);
    expect(reported.stderr).toContain(`(format 4): its cells stand as that build judged them (by older rules: a --baseline that compared nothing (every target another endpoint or not in the baseline) did not fail the gate it wrote (the gate judged here again does); ${OLDER_RULES['mantle-conformance.matrix/5']})`);
    expect((await readMatrixJson(join(dir, 'older-report'))).format).toBe('mantle-conformance.matrix/4');
  });

  it('names three targets and counts the rest; none without a comparison', () => {
    const m = smallMatrix();
    const targets = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ ...m.targets[0]!, id }));
    const comparison = { ...m.comparison, baseline: { runId: 'r0', finishedAt: m.run.finishedAt }, newFailures: [], fixes: [], changedObserved: [], newModels: [], vanishedModels: [], newChecks: [], vanishedChecks: [], newTargets: ['a', 'b', 'c', 'd', 'e'], vanishedTargets: ['x'], regressed: false };
    const [problem] = nothingComparedProblems({ targets, comparison });
    expect(problem?.message).toContain('(a: not in the baseline; b: not in the baseline; c: not in the baseline; and 2 more target(s))');
    expect(nothingComparedProblems({ targets, comparison: undefined })).toEqual([]);
    expect(nothingComparedProblems({ targets, comparison: { ...comparison, newTargets: ['a', 'b'] } })).toEqual([]);
  });
});

describe('a --baseline that compared something, with no regression, passes as before', () => {
  it('run --baseline and report --baseline exit 0 with no nothing-compared problem', async () => {
    const reports = join(dir, 'same');
    const run = await cli([...REPLAY, '--baseline', base, '--report-dir', reports]);
    expect(run.code, run.stderr).toBe(0);
    const matrix = await readMatrixJson(reports);
    expect(matrix.gate).toMatchObject({ exitCode: 0, verdict: 'pass', problems: [], regressedSinceBaseline: false });
    expect(matrix.comparison?.changedTargets).toBeUndefined();
    const reported = await cli(['report', join(reports, 'matrix.json'), '--baseline', base, '--report-dir', join(dir, 'same-report')]);
    expect(reported.code, reported.stderr).toBe(0);
    expect(reported.stdout).not.toContain('nothing was compared');
    expect(reported.stdout).toContain('gate: pass (exit 0)\n');
  });

  it('a replay without --baseline: this format, no comparison, a passing gate', async () => {
    const reports = join(dir, 'alone');
    expect((await cli([...REPLAY, '--report-dir', reports])).code).toBe(0);
    const matrix = await readMatrixJson(reports);
    expect(matrix.format).toBe(MATRIX_FORMAT);
    expect(matrix.comparison).toBeUndefined();
    expect(matrix.gate).toEqual({ exitCode: 0, verdict: 'pass', gating: [], problems: [], errors: { unexpected: 0, max: 5 } });
  });
});
