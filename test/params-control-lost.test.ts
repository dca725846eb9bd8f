/**
 * The control step of params.max-tokens, max-completion-tokens, max-output-tokens and stop, lost to the endpoint (a
 * 503 after the retries, a reset) or to a stop, read as `inconclusive` (the model's doing), so the gate passed with
 * the stated expectation never observed; its reason said the check did not read the step it needed (hostile review
 * of the CI gate, 2026-12-06, finding 2). Now such a control is the step's `error` where only it could tell, "not
 * reached" when a stop cut it; a limit exceeded is still `ignored` without it, and a control that answered but
 * cannot show the limit (the model wrote little) stays `inconclusive`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paramChecks } from '../src/checks/params.ts';
import type { CaseOutcome, CheckInput, CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { runOnObserved } from '../src/run/observed-steps.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { startProxy, type ProxiedRequest } from './helpers/wire-proxy.ts';

const MODEL = 'xai.grok-4.3';
const LIMITS = ['params.max-tokens', 'params.max-completion-tokens', 'params.max-output-tokens', 'params.stop'];
const JSON_HEADERS = { 'content-type': 'application/json' };
const UNAVAILABLE = { status: 503, headers: { ...JSON_HEADERS, 'retry-after': '0' }, body: '{"error":{"message":"injected","type":"server_error"}}' };
const UNAVAILABLE_ANSWER = { status: 503, body: { error: { message: 'injected', type: 'server_error' } } };
const SERVER_ERROR = { code: 'HARNESS_SERVER_ERROR' as const, message: 'the endpoint answered 503 on all 3 attempts' };

/**
 * The control request of each limit case (suites/params.suite.yaml): the larger limit, and params.stop's count to 10
 * without its stop sequence (its max_tokens may be raised to give a reasoning model room to think).
 */
const control = (request: ProxiedRequest) =>
  !request.body.includes('"stop"') && (/"max_tokens":64\b|"max_completion_tokens":64\b|"max_output_tokens":128\b/.test(request.body) || request.body.includes('Count from 1 to 10,'));

function exchange(step: string, request: Record<string, unknown>, answer: { status: number; body: unknown } | undefined): Exchange {
  return {
    step,
    prefix: '/v1',
    request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: JSON.stringify(request) },
    response: answer ? { status: answer.status, headers: JSON_HEADERS, chunks: [{ t: 0, data: JSON.stringify(answer.body) }] } : null,
    error: answer ? null : SERVER_ERROR,
    durationMs: 1,
    attempts: 1,
  } as unknown as Exchange;
}

const count = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(' ');
const chat = (text: string, tokens: number, finish: string) => ({ status: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }], usage: { completion_tokens: tokens } } });
const prompt = [{ role: 'user', content: 'Count from 1 to 100, separated by spaces.' }];
const limited = (answer: { status: number; body: unknown }) => exchange('limited', { messages: prompt, max_tokens: 1 }, answer);
const controlStep = (answer: { status: number; body: unknown } | undefined) => exchange('control', { messages: prompt, max_tokens: 64 }, answer);

/** A case whose control broke after the limited step was answered, as the case runner reports it. */
function brokeOnControl(first: Exchange): CaseOutcome {
  const earlier = { kind: 'completed' as const, caseId: 'params.max-tokens', api: 'chat-completions' as const, exchanges: [first], routed: true as const };
  return { kind: 'error', caseId: 'params.max-tokens', api: 'chat-completions', exchanges: [first, controlStep(undefined)], error: SERVER_ERROR, laterStepBroke: { step: 'control', earlier } };
}

function judgeMaxTokens(outcome: CaseOutcome): Promise<CheckResult> {
  const definition = paramChecks.find((c) => c.id === 'params.max-tokens')!;
  const input: CheckInput = { model: MODEL, expectation: { value: 'honored', source: 'openai-reference: max_tokens' }, outcomes: [outcome] };
  return runOnObserved(definition, input);
}

describe('params.max-tokens judged on what its case observed', () => {
  it('a control that broke on the way is the step\'s error where only it could tell (the answer stayed within the limit)', async () => {
    const result = await judgeMaxTokens(brokeOnControl(limited(chat('1', 1, 'length'))));
    expect(result.status).toBe('error');
    expect(result.reason).toMatch(/^HARNESS_SERVER_ERROR: step control not observed: step control of case params\.max-tokens broke/);
    expect(result.reason).toContain('the control tells whether max_tokens: 1 had an effect (1 output token(s))');
    expect(result.reason).not.toContain('a step this check does not read');
    expect(result.evidence.map((e) => e.step)).toEqual(['limited']);
  });

  it('a limit exceeded is ignored without the control (why control is not among the steps it must read)', async () => {
    const result = await judgeMaxTokens(brokeOnControl(limited(chat(count(50), 50, 'stop'))));
    expect(`${result.status} ${JSON.stringify(result.observed)}`).toBe('fail "ignored"');
    expect(result.reason).toContain('judged on the steps of case params.max-tokens answered before step control broke (HARNESS_SERVER_ERROR)');
  });

  it('a control answered with a 5xx kept in the case is error too, with its evidence', async () => {
    const outcome: CaseOutcome = { kind: 'completed', caseId: 'params.max-tokens', api: 'chat-completions', routed: true, exchanges: [limited(chat('1', 1, 'length')), controlStep(UNAVAILABLE_ANSWER)] };
    const result = await judgeMaxTokens(outcome);
    expect(result.status).toBe('error');
    expect(result.evidence.map((e) => `${e.step} ${e.status}`)).toEqual(['limited 200', 'control 503']);
  });

  it('a control that answered but wrote too little to show the limit stays inconclusive', async () => {
    const outcome: CaseOutcome = { kind: 'completed', caseId: 'params.max-tokens', api: 'chat-completions', routed: true, exchanges: [limited(chat('1', 1, 'length')), controlStep(chat('1', 1, 'stop'))] };
    const result = await judgeMaxTokens(outcome);
    expect(result.status).toBe('inconclusive');
    expect(result.reason).toContain('the control with room to answer wrote only 1 token(s)');
  });
});

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'params-control-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function runThrough(answer: (request: ProxiedRequest) => { status: number; headers?: Record<string, string>; body?: string } | undefined, name: string) {
  const proxy = await startProxy(emulator.url, { answer });
  try {
    const reports = join(dir, name);
    const args = ['run', '--mode', 'live', '--endpoint', proxy.url, '--auth', 'none', '--models', MODEL, '--checks', LIMITS.join(','), '--retries', '0', '--concurrency', '1', '--report-dir', reports, '--plain'];
    const run = await cli(args);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    return { run, cells: new Map(matrix.results.map((cell) => [cell.check, cell])) };
  } finally {
    await proxy.close();
  }
}

describe('a live run whose control requests fail', () => {
  it('a 503 on every control: each limit check is error, gating, and the run fails (exit 1)', async () => {
    const { run, cells } = await runThrough((request) => (control(request) ? UNAVAILABLE : undefined), 'control-503');
    for (const id of LIMITS) {
      const cell = cells.get(id)!;
      expect(`${id} ${cell.status} ${cell.gating}`).toBe(`${id} error true`);
      expect(cell.reason).toMatch(/^HARNESS_SERVER_ERROR: step control not observed/);
    }
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('inconclusive: ');
  });

  it('a key rejected on the control stops the run: the cell is "not reached", not inconclusive', async () => {
    const rejected = { status: 401, headers: JSON_HEADERS, body: '{"error":{"message":"invalid api key","type":"authentication_error"}}' };
    const { cells } = await runThrough((request) => (/"max_tokens":64\b/.test(request.body) && !request.body.includes('"stop"') ? rejected : undefined), 'control-401');
    const cell = cells.get('params.max-tokens')!;
    expect(cell.status).toBe('skipped');
    expect(cell.notRun).toBe(true);
    expect(cell.reason).toMatch(/^not reached/);
  });
});
