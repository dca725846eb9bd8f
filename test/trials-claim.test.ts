/**
 * A repeated cell's status is what its trials give (hostile review of the CI path: a gating flaky cell edited to
 * `pass`, `unsupported`, `inconclusive` or `skipped`, its trials left as they were, read "gate: pass (exit 0)" in
 * `report` and `merge`). read-matrix aggregates the trials as the run does (checks/trials.ts) and refuses a cell that
 * says otherwise, naming the file and the field; a file as a run wrote it still reads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineTrials } from '../src/checks/trials.ts';
import type { CheckResult, TrialResult } from '../src/checks/types.ts';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const CHECK = 'created-at.chat';
const trial = (status: TrialResult['status'], observed: string | null): CheckResult => ({ status, observed, expected: 'integer', reason: `${status} ${observed}`, evidence: [] });

/** The small matrix with grok's created-at.chat cell as the run combines `trials` (its expected value `expected`). */
function repeated(trials: CheckResult[], expected: MatrixResult['expected'] = 'integer'): Matrix {
  const cell = combineTrials(trials.map((t) => ({ ...t, expected })));
  return smallMatrix([{ model: GROK, check: CHECK, ...cell }]);
}

const indexOf = (m: Matrix, check = CHECK) => m.results.findIndex((r) => r.model === GROK && r.check === check);
/** The matrix as its JSON, the cell at `check` edited by `edit`: what a hand-edited file reads as. */
function edited(m: Matrix, edit: Partial<MatrixResult>, check = CHECK): unknown {
  const json = JSON.parse(JSON.stringify(m)) as Matrix;
  Object.assign(json.results[indexOf(m, check)]!, edit);
  return json;
}

const FLAKY_TRIALS = [trial('pass', 'integer'), trial('fail', 'none'), trial('pass', 'integer')];

describe('a cell with trials says what its trials give', () => {
  it('a flaky cell as the run wrote it reads, and gates', () => {
    const m = repeated(FLAKY_TRIALS);
    const read = parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json');
    expect(read.results[indexOf(m)]).toMatchObject({ status: 'flaky', observed: 'integer', gating: true });
    expect(read.gate.verdict).toBe('fail');
  });

  it('a gating flaky cell edited to pass (gating false, observed the expected value) is refused, naming the file and field', () => {
    const m = repeated(FLAKY_TRIALS);
    const i = indexOf(m);
    expect(() => parseMatrix(edited(m, { status: 'pass', gating: false, observed: 'integer' }), 'shard-1/matrix.json')).toThrow(
      new RegExp(`^shard-1/matrix\\.json: results\\[${i}\\]\\.status: the cell says "pass" with observed "integer", but its 3 trials \\(pass "integer", fail "none", pass "integer"\\) give "flaky" with observed "integer"`),
    );
  });

  it.each(['unsupported', 'inconclusive', 'skipped'] as const)('relabelled %s with observed null (trials holding observed values) is refused', (status) => {
    const m = repeated(FLAKY_TRIALS);
    expect(() => parseMatrix(edited(m, { status, gating: false, observed: null }), 'm.json')).toThrow(
      new RegExp(`results\\[${indexOf(m)}\\]\\.status: the cell says "${status}" with observed null, but its 3 trials .* give "flaky"`),
    );
  });

  it('an inconclusive cell with no stated expectation turned into a pass is refused', () => {
    const check = 'defaults.temperature';
    const hidden: CheckResult = { status: 'inconclusive', observed: null, expected: null, reason: 'budget spent on reasoning', evidence: [] };
    const cell = combineTrials([hidden, hidden, hidden]);
    const m = smallMatrix([{ model: GROK, check, ...cell }]);
    expect(parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json').results[indexOf(m, check)]!.status).toBe('inconclusive');
    expect(() => parseMatrix(edited(m, { status: 'pass' }, check), 'm.json')).toThrow(new RegExp(`results\\[${indexOf(m, check)}\\]\\.status: the cell says "pass" with observed null, but its 3 trials \\(inconclusive null, .*\\) give "inconclusive"`));
  });

  it('an observed value other than the trials\' most frequent is refused on results[i].observed', () => {
    const m = repeated(FLAKY_TRIALS);
    expect(() => parseMatrix(edited(m, { observed: 'none' }), 'm.json')).toThrow(new RegExp(`results\\[${indexOf(m)}\\]\\.observed: the cell says "flaky" with observed "none"`));
  });

  it('a trial that saw a value the stated list does not allow, relabelled pass (no longer gating the flaky cell), is refused', () => {
    const expected = ['integer', 'exponent'];
    const m = repeated([trial('pass', 'integer'), trial('fail', 'none'), trial('pass', 'exponent')], expected);
    expect(parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json').results[indexOf(m)]!.gating).toBe(true);
    const json = JSON.parse(JSON.stringify(m)) as Matrix;
    json.results[indexOf(m)]!.trials![1]!.status = 'pass';
    json.results[indexOf(m)]!.gating = false;
    expect(() => parseMatrix(json, 'm.json')).toThrow(new RegExp(`results\\[${indexOf(m)}\\]\\.trials\\[1\\]\\.status: "pass", but its observed "none" does not meet the cell's expected one of "integer", "exponent"`));
  });
});

describe('report and merge of the edited file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-trials-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exit 2 with HARNESS_REPORT_INVALID, not "gate: pass"', async () => {
    const m = repeated(FLAKY_TRIALS);
    const file = join(dir, 'edited.json');
    await writeFile(file, JSON.stringify(edited(m, { status: 'pass', gating: false, observed: 'integer' })));
    for (const args of [['report', file, '--report-dir', join(dir, 'r')], ['merge', file, '--report-dir', join(dir, 'm')]]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`HARNESS_REPORT_INVALID: ${file}: results[${indexOf(m)}].status: the cell says "pass"`);
      expect(run.stdout + run.stderr).not.toContain('gate: pass');
    }
  });
});
