/**
 * A run cut short (a stop, a spend cap) leaves some trials of a repeated case unsent (review of 2026-12-06): a record
 * run replaced a whole `--repeat 3` recording with the one trial it sent, so a recorded flaky cell replayed as a pass
 * and `--baseline` called it "became stable"; and the cell of the cut run itself said `pass` from 1 of 3 trials, with
 * coverage at 100%. Now a case with trials unsent keeps its recording whole (and is named), a pass on part of the
 * trials is `skipped`, and the coverage line counts skipped trials as it counts errored ones.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineTrials } from '../src/checks/trials.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { HarnessError } from '../src/errors.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { coverageLine } from '../src/report/coverage.ts';
import { keptUnshownProblem } from '../src/report/kept-unshown.ts';
import { trialsCut } from '../src/run/case-recording.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const CAP = 'not sent: the run reached --max-requests 4';
const trial = (status: CheckResult['status'], observed: CheckResult['observed']): CheckResult => ({ status, observed, expected: 'a', reason: `${status} reason`, evidence: [] });
const notSent: CheckResult = { status: 'skipped', observed: null, expected: 'a', reason: CAP, evidence: [] };

describe('combineTrials: trials a stop or a cap left unsent', () => {
  it('a pass on the trials that ran is skipped, naming the trials not run', () => {
    const cell = combineTrials([trial('pass', 'a'), notSent, notSent], [false, true, true]);
    expect(cell.status).toBe('skipped');
    expect(cell.observed).toBeNull();
    expect(cell.trials).toBeUndefined();
    expect(cell.reason).toBe(`not judged: 2/3 trials were not run (${CAP}); a pass on the 1 trial(s) that ran would rest on part of the trials asked (one not run may be the one that deviates)`);
  });

  it('an observed failure, and a spread, stand', () => {
    expect(combineTrials([trial('fail', 'b'), notSent, notSent], [false, true, true]).status).toBe('fail');
    expect(combineTrials([trial('pass', 'a'), trial('fail', 'b'), notSent], [false, false, true]).status).toBe('flaky');
  });

  it('with every trial run (or no word of what was not), a pass is a pass', () => {
    expect(combineTrials([trial('pass', 'a'), trial('pass', 'a'), trial('pass', 'a')], [false, false, false]).status).toBe('pass');
    // matrix.json's readers recombine trials without it (cli/trials-claim.ts): as before.
    expect(combineTrials([trial('pass', 'a'), notSent]).status).toBe('pass');
  });
});

describe('the coverage line counts skipped trials of observed cells', () => {
  it('says the cells that rest on fewer trials, and how many were skipped', () => {
    const trials = [{ status: 'fail' as const, observed: 'exponent', reason: 'x', evidence: [] }, { status: 'skipped' as const, observed: null, reason: CAP, evidence: [] }];
    const cell = { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail' as const, observed: 'exponent' };
    const matrix = smallMatrix([{ ...cell, trials }]);
    expect(coverageLine(matrix)).toContain('1 observed cell(s) rest on fewer trials than asked (1 trial(s) skipped)');
    const both = smallMatrix([{ ...cell, trials: [...trials, { status: 'error' as const, observed: null, reason: 'e', evidence: [] }] }]);
    expect(coverageLine(both)).toContain('(1 trial(s) errored, 1 skipped)');
  });
});

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"model":"m","messages":[]}' };
const answer = (n: number): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: `{"n":${n}}` }] }, error: null, durationMs: 5, attempts: 1, ...(n > 1 ? { trial: n } : {}) });

describe('trialsCut: which cases had trials unsent', () => {
  const completed = { kind: 'completed' as const, caseId: 'k', api: 'chat-completions' as const, exchanges: [answer(1)] };
  const skipped = { kind: 'skipped' as const, caseId: 'k', api: 'chat-completions' as const, reason: CAP };
  it('some sent and some not: cut; all or none: not', () => {
    expect(trialsCut([completed, skipped, skipped])).toEqual({ asked: 3, notSent: 2, why: CAP });
    expect(trialsCut([completed, completed])).toBeUndefined();
    expect(trialsCut([skipped, skipped])).toBeUndefined();
    const down = { kind: 'error' as const, caseId: 'k', api: 'chat-completions' as const, exchanges: [], error: { code: 'HARNESS_ENDPOINT_DOWN' as const, message: 'gave up' } };
    expect(trialsCut([completed, down])?.why).toBe('HARNESS_ENDPOINT_DOWN: gave up');
  });
});

describe('a record run with trials unsent writes nothing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-trials-cut-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
  const record = (overwriteFailures = false) => new RecordTarget(inner, { fixturesDir: dir, overwriteFailures, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
  const cut = { asked: 3, notSent: 2, why: CAP };

  it('keeps a whole recording, --overwrite-failures or not, and says so as HARNESS_RECORDING_KEPT', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'k');
    await record().caseFinished('m', 'k', [answer(1), answer(2), answer(3)]);
    const whole = await readFile(file, 'utf8');
    for (const overwrite of [false, true]) {
      const target = record(overwrite);
      const error = await target.caseFinished('m', 'k', [answer(1)], cut).catch((e: unknown) => e);
      expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
      expect((error as HarnessError).message).toMatch(/^2 of 3 trial\(s\) not sent \(not sent: the run reached --max-requests 4\): kept the previous recording whole/);
      expect(target.kept).toEqual([file]);
      expect(await readFile(file, 'utf8')).toBe(whole);
    }
  });

  it('writes none where there was none', async () => {
    const error = await record().caseFinished('m', 'fresh', [answer(1)], cut).catch((e: unknown) => e);
    expect((error as HarnessError).message).toContain('wrote no recording of the case');
    await expect(readFile(fixturePath(dir, 'unit', 'm', 'fresh'), 'utf8')).rejects.toThrow();
  });

  it('the gate names such a case and says no flag records it', () => {
    const matrix = smallMatrix();
    const why = `2 of 3 trial(s) not sent (${CAP}): kept the previous recording whole`;
    const problem = keptUnshownProblem({ ...matrix, targets: matrix.targets.map((t) => ({ ...t, recordingKept: { count: 1, cases: [{ model: 'm', case: 'k', file: 'fx/unit/m/k.json', why }] } })) });
    expect(problem?.message).toMatch(/^1 case\(s\) this record run kept unrecorded \(HARNESS_RECORDING_KEPT\) because a stop, a spend cap or a target that stopped answering left some of their trials unsent: fx\/unit\/m\/k\.json .*; record them again in a run nothing cuts short$/);
  });
});

describe('end to end: a capped record run over a --repeat 3 recording', () => {
  let dir: string;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-trials-cut-run-'));
    emulator = await catalogEmulator();
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the 3 trials, names the case, and neither run nor replay calls the flaky cell a pass', async () => {
    const model = 'openai.gpt-oss-20b';
    const check = 'reasoning.chat-field';
    const fixtures = join(dir, 'fx');
    const common = ['--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', model, '--repeat', '3', '--fixtures', fixtures, '--target-name', 'emu', '--source', 'emulator', '--checks', check, '--plain'];
    const full = await cli(['run', '--mode', 'record', ...common, '--report-dir', join(dir, 'r1')]);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    const file = fixturePath(fixtures, 'emu', model, check);
    const whole = await readFile(file, 'utf8');
    const trialsOf = (text: string) => [...new Set((JSON.parse(text) as { exchanges: { trial?: number }[] }).exchanges.map((e) => e.trial ?? 1))].sort();
    expect(trialsOf(whole)).toEqual([1, 2, 3]);
    const baseline = JSON.parse(await readFile(join(dir, 'r1', 'matrix.json'), 'utf8')) as { results: { check: string; status: string }[] };
    expect(baseline.results.find((r) => r.check === check)?.status).toBe('flaky');

    const capped = await cli(['run', '--mode', 'record', ...common, '--max-requests', '4', '--report-dir', join(dir, 'r2'), '--baseline', join(dir, 'r1', 'matrix.json')]);
    expect(capped.code).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(whole);
    expect(capped.stdout).toContain('0 pass, 0 fail, 0 flaky, 0 inconclusive, 0 unsupported, 1 skipped');
    expect(capped.stdout).not.toContain('became stable');
    expect(capped.stdout).toMatch(/kept unrecorded \(HARNESS_RECORDING_KEPT\) because a stop, a spend cap or a target that stopped answering left some of their trials unsent: .*reasoning\.chat-field\.json \(2 of 3 trial\(s\) not sent/);
    const cut = JSON.parse(await readFile(join(dir, 'r2', 'matrix.json'), 'utf8')) as { results: { check: string; status: string; reason: string }[]; targets: { recordingKept?: { count: number } }[] };
    expect(cut.results.find((r) => r.check === check)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^not judged: 2\/3 trials were not run/) });
    expect(cut.targets[0]?.recordingKept?.count).toBe(1);

    const replay = await cli(['run', '--fixtures', fixtures, '--target-name', 'emu', '--models', model, '--checks', check, '--plain', '--report-dir', join(dir, 'p'), '--baseline', join(dir, 'r1', 'matrix.json')]);
    expect(replay.stdout).not.toContain('became stable');
    const replayed = JSON.parse(await readFile(join(dir, 'p', 'matrix.json'), 'utf8')) as { results: { check: string; status: string }[] };
    expect(replayed.results.find((r) => r.check === check)?.status).toBe('flaky');
  });
});
