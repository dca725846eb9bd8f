/**
 * Recordings of fewer trials than asked, the cases next to the cut (review of 2026-12-06): a record run with
 * `--repeat 3 --checks <a check not judged per trial>` recorded one trial of every case a per-trial check reads, over
 * 3-trial recordings, and replay then called their flaky cells "became stable"; and a case kept for trials a rejected
 * key's stop left unsent said the run was "interrupted". Now a record run gives a case the trials every check that
 * reads it needs, selected or not; the record target never replaces a recording with one of fewer trials; and a kept
 * case names what stopped the run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../src/checks/types.ts';
import { HarnessError } from '../src/errors.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { keptUnshownProblem } from '../src/report/kept-unshown.ts';
import { finishCase, trialsCut } from '../src/run/case-recording.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"model":"m","messages":[]}' };
const answer = (n: number): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: `{"n":${n}}` }] }, error: null, durationMs: 5, attempts: 1, ...(n > 1 ? { trial: n } : {}) });
const trialsOf = (text: string) => [...new Set((JSON.parse(text) as { exchanges: { trial?: number }[] }).exchanges.map((e) => e.trial ?? 1))].sort();

describe('the record target keeps a recording of more trials than the run made', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-kept-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
  const record = (overwriteFailures = false) => new RecordTarget(inner, { fixturesDir: dir, overwriteFailures, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);

  it('keeps it whole, --overwrite-failures or not, naming both counts and the --repeat that replaces it', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'k');
    await record().caseFinished('m', 'k', [answer(1), answer(2), answer(3)]);
    const whole = await readFile(file, 'utf8');
    for (const overwrite of [false, true]) {
      const target = record(overwrite);
      const error = await target.caseFinished('m', 'k', [answer(1)]).catch((e: unknown) => e);
      expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
      expect((error as HarnessError).message).toMatch(/^the recording holds 3 trial\(s\), this run made 1: run with --repeat 3 to replace it; kept it whole, /);
      expect(target.kept).toEqual([file]);
      expect(await readFile(file, 'utf8')).toBe(whole);
    }
  });

  it('as many trials or more replace it; a case never recorded is written', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'grows');
    await record().caseFinished('m', 'grows', [answer(1)]);
    await record().caseFinished('m', 'grows', [answer(1), answer(2)]);
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1, 2]);
    await record().caseFinished('m', 'grows', [answer(1), answer(2)]);
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1, 2]);
  });

  it("the run's own trials stand: the case keeps its outcomes, not an error", async () => {
    const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId: 'k', api: 'chat-completions', exchanges: [answer(1)] }];
    expect(await finishCase(record(), 'm', 'k', outcomes, [answer(1)])).toBe(outcomes);
  });

  it('the gate names such a case and the way to replace it', () => {
    const matrix = smallMatrix();
    const why = 'the recording holds 3 trial(s), this run made 1: run with --repeat 3 to replace it; kept it whole, not replaced by fewer trials (a flaky cell would replay as a pass)';
    const problem = keptUnshownProblem({ ...matrix, targets: matrix.targets.map((t) => ({ ...t, recordingKept: { count: 1, cases: [{ model: 'm', case: 'k', file: 'fx/unit/m/k.json', why }] } })) });
    expect(problem?.message).toMatch(/^1 case\(s\) this record run kept unrecorded \(HARNESS_RECORDING_KEPT\) because it made fewer trials than their recordings hold: fx\/unit\/m\/k\.json .*; record them again with as many trials \(--repeat\)$/);
  });
});

describe('a case kept for trials a stop left unsent names the stop', () => {
  const completed = { kind: 'completed' as const, caseId: 'k', api: 'chat-completions' as const, exchanges: [answer(1)] };
  // What a request in flight says when the stop abandons it, whatever the stop was.
  const abandoned = { kind: 'skipped' as const, caseId: 'k', api: 'chat-completions' as const, reason: 'the request to h/v1/responses was abandoned because the run was interrupted' };

  it("a rejected key's stop is named, not an interruption", () => {
    const stop = 'not sent: the run stopped because POST /v1/responses answered 401: Invalid API key';
    expect(trialsCut([completed, abandoned, abandoned], stop)).toEqual({ asked: 3, notSent: 2, why: 'the run stopped because POST /v1/responses answered 401: Invalid API key' });
    expect(trialsCut([completed, abandoned], 'not sent: the run was interrupted (SIGTERM)')?.why).toBe('the run was interrupted (SIGTERM)');
    // No stop (a spend cap denied the trial): the trial's own words.
    expect(trialsCut([completed, abandoned])?.why).toBe(abandoned.reason);
  });
});

describe('end to end: a --checks record run over --repeat 3 recordings', () => {
  let dir: string;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-checks-'));
    emulator = await catalogEmulator();
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records every trial a check not selected needs, and the replay keeps the flaky cell', async () => {
    const model = 'openai.gpt-oss-20b';
    const check = 'reasoning.chat-field';
    const fixtures = join(dir, 'fx');
    const common = ['--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', model, '--repeat', '3', '--fixtures', fixtures, '--target-name', 'emu', '--source', 'emulator', '--plain'];
    const first = await cli(['run', '--mode', 'record', ...common, '--checks', check, '--report-dir', join(dir, 'r1')]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const file = fixturePath(fixtures, 'emu', model, check);
    const before = await readFile(file, 'utf8');
    expect(trialsOf(before)).toEqual([1, 2, 3]);

    // schema.chat-completion reads the case and is judged on trial 1 only: the recording is for every check.
    const filtered = await cli(['run', '--mode', 'record', ...common, '--checks', 'schema.chat-completion', '--report-dir', join(dir, 'r2')]);
    expect(filtered.code, filtered.stdout + filtered.stderr).toBe(0);
    expect(filtered.stdout).not.toContain('HARNESS_RECORDING_KEPT');
    const after = await readFile(file, 'utf8');
    expect(after).not.toBe(before);
    expect(trialsOf(after)).toEqual([1, 2, 3]);

    const replay = await cli(['run', '--fixtures', fixtures, '--target-name', 'emu', '--models', model, '--checks', check, '--plain', '--report-dir', join(dir, 'p'), '--baseline', join(dir, 'r1', 'matrix.json')]);
    expect(replay.stdout).not.toContain('became stable');
    const replayed = JSON.parse(await readFile(join(dir, 'p', 'matrix.json'), 'utf8')) as { results: { check: string; status: string }[] };
    expect(replayed.results.find((r) => r.check === check)?.status).toBe('flaky');
  }, 120_000);
});
