/**
 * A gateway's spent budget (LiteLLM's budget_exceeded: the key's, a team's, or one model's) is the infrastructure
 * error of the requests it refuses, HARNESS_BUDGET_EXCEEDED: never a stop of the run (one model's budget stopped every
 * model's), never retried, never judged, never recorded over a recording, told once on the console with the fix. Its
 * recognition is tight to LiteLLM's shapes: a throttle that says "budget" stays a throttle; a thinking or reasoning
 * budget, Anthropic's and Mantle's budget_tokens errors and a model named `ExceededBudget` are the endpoint's answers.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatrixResult } from '../src/report/matrix.ts';
import { BudgetRefusalsTarget } from '../src/run/budget-refusals.ts';
import { RouteCredentialsTarget } from '../src/run/route-credentials.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import { classifyAnswer, classifyResponse } from '../src/transport/classify-response.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { INFRASTRUCTURE_FAILURES } from '../src/transport/record-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { keyGateway } from './helpers/key-gateway.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const litellm = (message: string, type = 'auth_error', code = '401') => JSON.stringify({ error: { message, type, param: null, code } });
// LiteLLM's verbatim budget answers (its docs and source): the key's, a team's, one model's, and the older 401 forms.
const KEY_400 = litellm('Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', 'budget_exceeded', '400');
const KEY_429 = litellm('Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', 'budget_exceeded', '429');
const TEAM_429 = litellm('Budget has been exceeded! Team=b19f95b6 Current cost: 30001.64591778147, Max budget: 30000.0', 'budget_exceeded', '429');
const AUTH_400 = litellm('Authentication Error - Budget has been exceeded! Current cost: 0.1512, Max budget: 0.15', 'auth_error', '400');
const perModel = (model: string, status = '429') => litellm(`LiteLLM Virtual Key: 9769f3f6768a199f76cc29aa, key_alias: ci, exceeded budget for model=${model}`, 'budget_exceeded', status);
const TOKEN_401 = litellm('Authentication Error, ExceededTokenBudget: Current spend for token: 7.2; Max Budget for Token: 2.0');
const TOKEN_DETAIL_401 = JSON.stringify({ detail: 'Authentication Error, ExceededTokenBudget: Current spend for token: 7.2e-05; Max Budget for Token: 2e-07' });
const USER_401 = litellm('Authentication Error, ExceededBudget: User=u-1 over budget. Spend=1.2, Budget=1.0');
const RATE_LIMIT = JSON.stringify({ error: { message: 'Rate limit reached: the token budget has been exceeded for this minute. Please try again in 1s.', type: 'requests', param: null, code: 'rate_limit_exceeded' } });

const ask = (model: string, path = '/v1/chat/completions'): ExchangeRequest => ({ method: 'POST', path, headers: {}, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
const response = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, headers: { 'content-type': 'application/json', ...headers }, chunks: [{ t: 0, data: body }] });
const answered = (request: ExchangeRequest, status: number, body: string, prefix = '/v1'): Exchange => ({ step: 'main', prefix, request, response: response(status, body), error: null, durationMs: 1, attempts: 1 });
const context = (model: string, prefix = '/v1'): SendContext => ({ model, caseId: 'c', step: 'main', prefix });

/** A target that answers per `answer` and counts what it was sent. */
function fake(answer: (request: ExchangeRequest, context: SendContext) => { status: number; body: string }) {
  const sent: ExchangeRequest[] = [];
  const target: Target = {
    id: 'gw',
    mode: 'live',
    surface: 'custom',
    send: async (request, ctx) => {
      sent.push(request);
      const { status, body } = answer(request, ctx);
      return answered(request, status, body, ctx.prefix);
    },
    caseFinished: async () => {},
    close: async () => {},
  };
  return { sent, target };
}

describe('what a spent budget is', () => {
  it('LiteLLM\'s budget answers (400, 429, the older 401 forms) are `budget-exceeded`, before the 429 and 401 rules', () => {
    for (const [status, body] of [[400, KEY_400], [429, KEY_429], [429, TEAM_429], [400, AUTH_400], [429, perModel('m02')], [400, perModel('m02', '400')], [401, TOKEN_401], [401, TOKEN_DETAIL_401], [401, USER_401]] as const) {
      expect(classifyResponse(status, body).kind, `${status} ${body}`).toBe('budget-exceeded');
    }
  });

  it('a throttle that says "budget" stays a throttle: a rate-limit class, or a Retry-After', () => {
    expect(classifyResponse(429, RATE_LIMIT).kind).toBe('throttled');
    expect(classifyResponse(429, litellm('Token budget per minute exceeded. Please retry after 20s', 'rate_limit_error', '429')).kind).toBe('throttled');
    expect(classifyResponse(429, litellm('Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', 'budget_exceeded', 'rate_limit_exceeded')).kind).toBe('throttled');
    expect(classifyAnswer(response(429, KEY_429, { 'retry-after': '1' })).kind).toBe('throttled');
    expect(classifyAnswer(response(429, KEY_429)).kind).toBe('budget-exceeded');
  });

  it('a thinking or reasoning budget, budget_tokens errors and a model named ExceededBudget are the endpoint\'s answers', () => {
    const notBudget: [number, string, string][] = [
      [400, JSON.stringify({ error: { message: 'The thinking budget has been exceeded', type: 'invalid_request_error' } }), 'rejected'],
      [400, JSON.stringify({ error: { message: 'The thinking budget has been exceeded! Max budget: 1024', type: 'invalid_request_error' } }), 'rejected'],
      [400, JSON.stringify({ error: { message: 'Reasoning budget has been exceeded before the model produced output; increase max_output_tokens', type: 'invalid_request_error', code: 'max_output_tokens' } }), 'rejected'],
      [400, JSON.stringify({ error: { message: 'Reasoning Budget has been exceeded! Max budget: 1024', type: 'invalid_request_error' } }), 'rejected'],
      // Anthropic's, verbatim.
      [400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'thinking.budget_tokens: Input should be greater than or equal to 1024' } }), 'rejected'],
      [400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size' } }), 'rejected'],
      // Mantle's (the recorded fixtures' words).
      [400, JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'thinking.type: "enabled" with budget_tokens is not supported for this model; use {"type": "adaptive"} with output_config.effort' } }), 'rejected'],
      [404, JSON.stringify({ error: { message: 'The model `ExceededBudget` does not exist.', type: 'NotFoundError', code: 404 } }), 'model-unknown'],
      [400, JSON.stringify({ error: { message: "Invalid value for 'messages[0].content': 'Budget has been exceeded' is not a valid role", type: 'invalid_request_error' } }), 'rejected'],
      [400, JSON.stringify({ error: { message: 'x', code: 'BudgetExceeded' } }), 'rejected'],
    ];
    for (const [status, body, kind] of notBudget) expect(classifyResponse(status, body).kind, body).toBe(kind);
  });
});

describe('a spent budget on the way', () => {
  it('is never retried; a throttle that says "budget" is, and ends HARNESS_THROTTLED', async () => {
    const sleep = async () => {};
    for (const body of [KEY_429, perModel('m02'), TOKEN_401]) {
      const { sent, target } = fake(() => ({ status: body === TOKEN_401 ? 401 : 429, body }));
      const seen = await new RetryingTarget(target, { retries: 3, baseDelayMs: 1, maxDelayMs: 1, sleep }).send(ask('m02'), context('m02'));
      expect(sent.length, body).toBe(1);
      expect(seen.attempts).toBe(1);
    }
    const { sent, target } = fake(() => ({ status: 429, body: RATE_LIMIT }));
    const seen = await new RetryingTarget(target, { retries: 3, baseDelayMs: 1, maxDelayMs: 1, sleep }).send(ask('m01'), context('m01'));
    expect(sent.length).toBe(4);
    expect(seen.error?.code).toBe('HARNESS_THROTTLED');
  });

  it('is its request\'s error, told once per budget with the model the words name and the fix, never "check the key"', async () => {
    const told: string[] = [];
    const { target } = fake((request) => (request.body!.includes('"m02"') ? { status: 429, body: perModel('m02') } : { status: 200, body: '{"id":"x","object":"chat.completion","choices":[]}' }));
    const budgets = new BudgetRefusalsTarget(target, { redact: (t) => t, onRefused: (m) => told.push(m) });
    for (let i = 0; i < 3; i++) {
      const seen = await budgets.send(ask('m02'), context('m02'));
      expect(seen.error?.code).toBe('HARNESS_BUDGET_EXCEEDED');
      expect(seen.error?.message).toMatch(/^POST \/v1\/chat\/completions answered 429: the spend budget for model m02 is spent on the gateway \(LiteLLM Virtual Key: .*exceeded budget for model=m02\), which refused the request: no answer about the model; raise that budget on the gateway or wait for its reset, or use another key$/);
    }
    expect((await budgets.send(ask('m01'), context('m01'))).error).toBeNull();
    expect(told).toEqual([
      'the spend budget for model m02 is spent on the gateway (POST /v1/chat/completions answered 429): the requests it refuses are errors (HARNESS_BUDGET_EXCEEDED), never retried nor judged; the other models carry on; raise that budget on the gateway or wait for its reset, or use another key',
    ]);
    expect(INFRASTRUCTURE_FAILURES.has('HARNESS_BUDGET_EXCEEDED')).toBe(true);
  });

  it('its 401 form is not the key\'s: no HARNESS_ROUTE_AUTH on a route not answered yet, no stop, no scope clause', async () => {
    const told: string[] = [];
    const stops: string[] = [];
    // /v1 takes the key; /anthropic/v1 (never answered 2xx) says the older 401 budget words.
    const { target } = fake((_request, ctx) => (ctx.prefix === '/v1' ? { status: 200, body: '{"id":"x","object":"chat.completion","choices":[]}' } : { status: 401, body: TOKEN_401 }));
    const stack = new RouteCredentialsTarget(new BudgetRefusalsTarget(target, { redact: (t) => t, onRefused: (m) => told.push(m) }), { auth: { kind: 'bearer', apiKeyEnv: 'K' }, redact: (t) => t, onRefused: (m) => told.push(m) });
    const watched = watchedTarget(stack, { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions', onAuthRejected: (_e, m) => stops.push(m) });
    expect((await watched.send(ask('m01'), context('m01'))).error).toBeNull();
    const seen = await watched.send(ask('m01', '/anthropic/v1/messages'), context('m01', '/anthropic/v1'));
    expect(seen.error?.code).toBe('HARNESS_BUDGET_EXCEEDED');
    // Nothing accepted yet and the primary prefix: the 401 rule would stop the run; the budget's does not.
    const first = await watchedTarget(new RouteCredentialsTarget(new BudgetRefusalsTarget(fake(() => ({ status: 401, body: TOKEN_401 })).target, { redact: (t) => t }), { auth: { kind: 'bearer', apiKeyEnv: 'K' }, redact: (t) => t }), { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions', onAuthRejected: (_e, m) => stops.push(m) }).send(ask('m01'), context('m01'));
    expect(first.error?.code).toBe('HARNESS_BUDGET_EXCEEDED');
    expect(stops).toEqual([]);
    expect(told.join('\n')).not.toMatch(/check the key|HARNESS_ROUTE_AUTH|scope|credentials/);
    expect(told).toHaveLength(1);
  });
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'budget-refusals-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Rule = (model: string, seen: number) => { status: number; body: string } | undefined;

const gateway = (upstreamUrl: string, rule: Rule) => keyGateway(upstreamUrl, KEY, litellm('Authentication Error, Invalid proxy server token passed.'), (model, _path, seen) => (model === undefined ? undefined : rule(model, seen)));

const [A, B] = ['openai.gpt-oss-20b', 'openai.gpt-oss-120b'];

async function through(rule: Rule, name: string, args: string[]) {
  const upstream = await catalogEmulator({}, { apiKey: KEY });
  const proxy = await gateway(upstream.url, rule);
  try {
    const reports = join(dir, name);
    const run = await cli(['run', '--endpoint', proxy.url, '--api-key-env', 'GWKEY', '--target-name', 'gw', '--report-dir', reports, '--plain', '--models', `${A},${B}`, ...args], { GWKEY: KEY });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: MatrixResult[]; gate: { problems: { message: string }[] } };
    return { run, matrix, refusals: proxy.refusals() };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

const budgetCells = (results: MatrixResult[], model: string) => results.filter((r) => r.model === model && r.status === 'error' && r.reason.includes('HARNESS_BUDGET_EXCEEDED'));
const warnings = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('warning:'));

describe('runs through a gateway', () => {
  it('one model\'s budget leaves the other model observed: exit 1, its cells HARNESS_BUDGET_EXCEEDED, one console line naming it', async () => {
    const { run, matrix } = await through((model) => (model === B ? { status: 429, body: perModel(B) } : undefined), 'per-model', ['--mode', 'live', '--quiet']);
    expect(run.code, run.stderr + run.stdout).toBe(1);
    expect(matrix.results.filter((r) => r.model === A && r.status === 'pass').length).toBeGreaterThan(10);
    expect(budgetCells(matrix.results, A)).toEqual([]);
    expect(budgetCells(matrix.results, B).length).toBeGreaterThan(0);
    expect(matrix.results.filter((r) => r.model === B && ['pass', 'fail', 'unsupported'].includes(r.status) && !r.check.startsWith('models.'))).toEqual([]);
    expect(warnings(run.stderr)).toEqual([
      `warning: target gw: the spend budget for model ${B} is spent on the gateway (POST /v1/chat/completions answered 429): the requests it refuses are errors (HARNESS_BUDGET_EXCEEDED), never retried nor judged; the other models carry on; raise that budget on the gateway or wait for its reset, or use another key.`,
    ]);
    expect(run.stderr + run.stdout).not.toMatch(/check the key|HARNESS_AUTH_REJECTED|rejected mid-run/);
  }, 90_000);

  it('a whole key\'s budget spent mid-record: the rest are HARNESS_BUDGET_EXCEEDED (exit 1), each refusal asked once, good fixtures kept, replay unaffected', async () => {
    const fixtures = join(dir, 'fixtures');
    const good = await through(() => undefined, 'good', ['--mode', 'record', '--fixtures', fixtures, '--concurrency', '1']);
    expect(good.run.code, good.run.stderr).not.toBe(2);
    const files = (await readdir(fixtures, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
    const before = await Promise.all(files.map((f) => readFile(join(fixtures, f), 'utf8')));
    const replay = async (name: string) => {
      const reports = join(dir, name);
      const run = await cli(['run', '--mode', 'replay', '--fixtures', fixtures, '--target-name', 'gw', '--surface', 'custom', '--models', `${A},${B}`, '--report-dir', reports, '--plain', '--quiet']);
      return { run, matrix: JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: MatrixResult[] } };
    };
    const replayedBefore = await replay('replay-before');

    // Spent after 20 requests for a model; --retries 3 would ask each refusal 4 times were it retried.
    const spent = await through((_model, seen) => (seen > 20 ? { status: 429, body: KEY_429 } : undefined), 'spent', ['--mode', 'record', '--fixtures', fixtures, '--concurrency', '1', '--retries', '3']);
    expect(spent.run.code, spent.run.stderr + spent.run.stdout).toBe(1);
    expect(spent.run.stderr + spent.run.stdout).not.toMatch(/check the key|HARNESS_AUTH_REJECTED|rejected mid-run/);
    expect(warnings(spent.run.stderr)).toHaveLength(1);
    const refused = spent.matrix.results.filter((r) => r.status === 'error' && r.reason.includes('HARNESS_BUDGET_EXCEEDED'));
    expect(refused.length).toBeGreaterThan(20);
    // Every refused request's cell kept its recording (the budget is no answer), and no attempt was repeated.
    expect(refused.filter((r) => !r.reason.includes('HARNESS_RECORDING_KEPT: HARNESS_BUDGET_EXCEEDED')).map((r) => `${r.check}: ${r.reason}`)).toEqual([]);
    expect(spent.matrix.gate.problems.map((p) => p.message).join('\n')).toMatch(/kept their cases' previous recordings because a spend budget on the gateway was spent in this record run \(HARNESS_BUDGET_EXCEEDED\)/);
    expect(spent.matrix.gate.problems.map((p) => p.message).join('\n')).not.toMatch(/endpoint failed/);
    const after = await Promise.all(files.map((f) => readFile(join(fixtures, f), 'utf8')));
    expect(after.filter((text) => text.includes('Budget has been exceeded'))).toEqual([]);
    // The fixtures the refused cases name as kept are byte for byte the good recording's.
    const keptFiles = new Set(refused.flatMap((r) => [...r.reason.matchAll(/kept the previous recording (\S+) \(/g)].map((m) => m[1]!)));
    const keptIndexes = files.flatMap((f, i) => ([...keptFiles].some((shown) => shown.endsWith(f)) ? [i] : []));
    expect(keptIndexes.length).toBeGreaterThan(10);
    for (const i of keptIndexes) expect(after[i], files[i]).toBe(before[i]);
    // The same run without retries meets the budget as many times: none of its refusals was asked again.
    const unretried = await through((_model, seen) => (seen > 20 ? { status: 429, body: KEY_429 } : undefined), 'spent-no-retries', ['--mode', 'record', '--fixtures', fixtures, '--concurrency', '1', '--retries', '0']);
    expect(spent.refusals).toBeGreaterThan(20);
    expect(spent.refusals).toBe(unretried.refusals);

    const replayedAfter = await replay('replay-after');
    expect(replayedAfter.run.code).toBe(replayedBefore.run.code);
    const shape = (results: MatrixResult[]) => results.map((r) => `${r.model} ${r.check} ${r.status} ${r.reason}`).sort();
    expect(shape(replayedAfter.matrix.results)).toEqual(shape(replayedBefore.matrix.results));
    expect(replayedAfter.matrix.results.some((r) => r.reason.includes('BUDGET'))).toBe(false);
  }, 180_000);
});

