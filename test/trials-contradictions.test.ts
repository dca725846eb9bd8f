/**
 * Trials a run never writes (second review of the CI path: a gating flaky cell set to `pass` read "gate: pass" when
 * its `trials` were cut to the one passing entry, or when each failing trial was relabelled `inconclusive` with its
 * value kept). combineTrials keeps trials only for two or more, and every check says observed null when it observed
 * nothing: read back, a shorter list or a value beside such a trial is refused, naming the JSON path. Whether a cell
 * has trials, and how many, is not a rule: replay repeats a case as often as it was recorded, and a check whose
 * cases ran once has none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineTrials } from '../src/checks/trials.ts';
import type { CheckResult, TrialResult } from '../src/checks/types.ts';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const CHECK = 'created-at.chat';
const trial = (status: TrialResult['status'], observed: string | null): CheckResult => ({ status, observed, expected: 'integer', reason: `${status} ${observed}`, evidence: [] });

/** The small matrix with grok's created-at.chat cell as the run combines `trials`. */
function repeated(trials: CheckResult[]): Matrix {
  return smallMatrix([{ model: GROK, check: CHECK, ...combineTrials(trials) }]);
}
const indexOf = (m: Matrix) => m.results.findIndex((r) => r.model === GROK && r.check === CHECK);
/** The matrix as its JSON with the cell's trials replaced and the cell set to a green pass: a hand-edited file. */
function editedGreen(m: Matrix, trials: TrialResult[]): unknown {
  const json = JSON.parse(JSON.stringify(m)) as Matrix;
  Object.assign(json.results[indexOf(m)]!, { status: 'pass', observed: 'integer', gating: false, trials });
  return json;
}
const FLAKY = repeated([trial('fail', 'none'), trial('pass', 'integer'), trial('fail', 'none')]);
const asTrial = ({ status, observed, reason, evidence }: CheckResult) => ({ status, observed, reason, evidence }) as TrialResult;

describe('trials a run never writes', () => {
  it('the flaky cell as the run wrote it reads and fails the gate', () => {
    const read = parseMatrix(JSON.parse(JSON.stringify(FLAKY)), 'm.json');
    expect(read.results[indexOf(FLAKY)]).toMatchObject({ status: 'flaky', gating: true });
    expect(read.gate.verdict).toBe('fail');
  });

  it('trials cut to the one passing entry are refused on results[i].trials', () => {
    expect(() => parseMatrix(editedGreen(FLAKY, [asTrial(trial('pass', 'integer'))]), 'r5/matrix.json')).toThrow(
      new RegExp(`^r5/matrix\\.json: results\\[${indexOf(FLAKY)}\\]\\.trials: 1 trial, but a run writes trials only for two or more`),
    );
  });

  it('an empty trials list is refused too', () => {
    expect(() => parseMatrix(editedGreen(FLAKY, []), 'm.json')).toThrow(new RegExp(`results\\[${indexOf(FLAKY)}\\]\\.trials: 0 trials, but`));
  });

  it.each(['inconclusive', 'error', 'unsupported', 'skipped'] as const)('a failing trial relabelled %s with its value kept is refused on results[i].trials[j].observed', (status) => {
    const trials = [asTrial(trial(status, 'none')), asTrial(trial('pass', 'integer')), asTrial(trial(status, 'none'))];
    expect(() => parseMatrix(editedGreen(FLAKY, trials), 'm.json')).toThrow(
      new RegExp(`results\\[${indexOf(FLAKY)}\\]\\.trials\\[0\\]\\.observed: "none" with status "${status}", but a trial that observed nothing says null`),
    );
  });

  it('trials that observed nothing, as the run writes them (observed null), still read', () => {
    const m = repeated([trial('inconclusive', null), trial('pass', 'integer'), trial('error', null)]);
    expect(parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json').results[indexOf(m)]).toMatchObject({ status: 'pass', observed: 'integer' });
  });

  it('a cell without trials still reads (a check judged once, a replay of one recording)', () => {
    const m = smallMatrix();
    expect(m.results[indexOf(m)]!.trials).toBeUndefined();
    expect(parseMatrix(JSON.parse(JSON.stringify(m)), 'm.json').gate.verdict).toBe('pass');
  });
});

describe('report of the edited file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-trials-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['cut to one trial', [asTrial(trial('pass', 'integer'))], 'trials:'],
    ['failures relabelled inconclusive', [asTrial(trial('inconclusive', 'none')), asTrial(trial('pass', 'integer')), asTrial(trial('inconclusive', 'none'))], 'trials[0].observed:'],
  ])('%s: exit 2 with HARNESS_REPORT_INVALID naming the path, not "gate: pass"', async (_, trials, path) => {
    const file = join(dir, 'edited.json');
    await writeFile(file, JSON.stringify(editedGreen(FLAKY, trials as TrialResult[])));
    const run = await cli(['report', file, '--report-dir', join(dir, 'r')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_REPORT_INVALID: ${file}: results[${indexOf(FLAKY)}].${path}`);
    expect(run.stdout + run.stderr).not.toContain('gate: pass');
  });
});
