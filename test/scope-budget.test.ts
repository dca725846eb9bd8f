/**
 * A key's scope words are a gateway's (custom surface) only: on Mantle and bedrock-runtime a 401 for a made-up id
 * stops the run as any 401. On a gateway, a made-up id answered (401 or 403) in scope words is about a key, not the
 * id: errors.unknown-model and models.profile-id are both `inconclusive`, never a pass nor a fail. A gateway's "budget
 * has been exceeded" (LiteLLM: any 4xx, type budget_exceeded) is never an answer judged or recorded, nor a stop of the
 * run: its requests' error, HARNESS_BUDGET_EXCEEDED (test/fxi-budget.test.ts).
 * Kept recordings of a scope refusal are worded as such, and the scope clauses say possibilities, not advice that
 * stops again.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorChecks } from '../src/checks/errors-discovery.ts';
import { surfaceFeatureChecks } from '../src/checks/surface-features.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { MatrixResult } from '../src/report/matrix.ts';
import { scopeReason, stopClause } from '../src/run/model-scope.ts';
import type { AuthConfig } from '../src/run/run-config.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import type { Surface } from '../src/surfaces.ts';
import { classifyResponse } from '../src/transport/classify-response.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { HarnessError } from '../src/errors.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { isRetryable } from '../src/transport/retrying-target.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { keyGateway, runThroughGateway } from './helpers/key-gateway.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const auth: AuthConfig = { kind: 'bearer', apiKeyEnv: 'GWKEY' };
const litellm = (message: string, type = 'auth_error', code = '401') => JSON.stringify({ error: { message, type, param: 'None', code } });
const scopeWords = (asked: string) => litellm(`Authentication Error, key not allowed to access model. This key can only access models=['a']. Tried to access ${asked}`);
// LiteLLM's budget answers, verbatim: a 400 typed budget_exceeded (429 in newer versions), and the auth check's words.
const BUDGET_400 = litellm('Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', 'budget_exceeded', '400');
const BUDGET_429 = litellm('Budget has been exceeded! Current cost: 0.51, Max budget: 0.5', 'budget_exceeded', '429');
const EXCEEDED_BUDGET = litellm('ExceededBudget: User=u-1 over budget. Spend=1.2, Budget=1.0', 'auth_error', '400');
const EXCEEDED_TOKEN_BUDGET = litellm('ExceededTokenBudget: Current spend for token: 0.51; Max Budget for Token: 0.5', 'auth_error', '400');

const ask = (model: string, path = '/v1/chat/completions'): ExchangeRequest => ({ method: 'POST', path, headers: {}, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
const answered = (request: ExchangeRequest, status: number, body: string): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request,
  response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] },
  error: null,
  durationMs: 1,
  attempts: 1,
});
const context = (model: string): SendContext => ({ model, caseId: 'c', step: 'main', prefix: '/v1' });

/** The session's watch over a target on `surface` that answers every request with `status` and `body`. */
function watch(surface: Surface | undefined, answer: (request: ExchangeRequest) => { status: number; body: string }) {
  const stops: string[] = [];
  const inner: Target = {
    id: 'fake',
    mode: 'live',
    ...(surface ? { surface } : {}),
    caseFinished: async () => undefined,
    close: async () => undefined,
    send: async (request) => {
      const { status, body } = answer(request);
      return answered(request, status, body);
    },
  };
  const target = watchedTarget(inner, { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions', onAuthRejected: (_e, m) => stops.push(m) });
  return { stops, target };
}

/** A check run on one case's answer, as a session on `surface` runs it. */
async function judged(check: string, exchange: Exchange, surface: Surface | undefined): Promise<CheckResult> {
  const outcomes: CaseOutcome[] = [{ kind: 'completed', caseId: check, api: 'chat-completions', exchanges: [exchange], routed: true }];
  const definition = [...errorChecks, ...surfaceFeatureChecks].find((c) => c.id === check)!;
  return definition.run({ model: 'a', expectation: null, outcomes, ...(surface ? { surface } : {}) });
}

describe('scope words for a made-up id: a gateway\'s only', () => {
  it('on Mantle and bedrock-runtime (and a target that names no surface) the 401 stops the run; on custom it does not', async () => {
    for (const surface of ['mantle', 'runtime', undefined] as const) {
      const { stops, target } = watch(surface, (r) => ({ status: 401, body: scopeWords(JSON.parse(r.body!).model) }));
      expect((await target.send(ask('mantle-conformance.no-such-model'), context('a'))).error?.code, String(surface)).toBe('HARNESS_AUTH_REJECTED');
      expect(stops, String(surface)).toHaveLength(1);
    }
    const { stops, target } = watch('custom', (r) => ({ status: 401, body: scopeWords(JSON.parse(r.body!).model) }));
    for (const id of ['mantle-conformance.no-such-model', 'us.a']) expect((await target.send(ask(id), context('a'))).error).toBeNull();
    expect(stops).toEqual([]);
  });

  it('the checks read scope words only on custom: on Mantle a 401 for the made-up ids is no pass and no inconclusive', async () => {
    for (const [check, id] of [['errors.unknown-model', 'mantle-conformance.no-such-model'], ['models.profile-id', 'us.a']] as const) {
      const result = await judged(check, answered(ask(id), 401, scopeWords(id)), 'mantle');
      expect(result.status, `${check} ${result.reason}`).toBe('error');
    }
  });

  it('on custom, a 401 or a 403 in scope words for a made-up id leaves both checks inconclusive, saying what was seen without claiming the key is scoped', async () => {
    for (const status of [401, 403]) {
      for (const [check, id, what] of [
        ['errors.unknown-model', 'mantle-conformance.no-such-model', 'how the endpoint answers an unknown model id was not observed'],
        ['models.profile-id', 'us.a', 'whether the endpoint serves the profile id was not observed'],
      ] as const) {
        const result = await judged(check, answered(ask(id), status, scopeWords(id)), 'custom');
        expect(`${result.status} ${result.observed}`, `${check} ${status} ${result.reason}`).toBe('inconclusive null');
        expect(result.reason).toContain(`${id} was answered ${status} in words of a key's model scope`);
        expect(result.reason).toContain(what);
        expect(result.reason).not.toMatch(/the key's scope (answered|refused)|before the endpoint read/);
      }
    }
  });
});

describe('a gateway key whose budget is spent', () => {
  it('LiteLLM\'s budget answers are a spent budget (never a rejection judged, a throttle retried, nor credentials refused); a request\'s own "budget_tokens" error is not', () => {
    for (const [status, body] of [[400, BUDGET_400], [429, BUDGET_429], [400, EXCEEDED_BUDGET], [400, EXCEEDED_TOKEN_BUDGET], [403, BUDGET_400]] as const) {
      const classification = classifyResponse(status, body);
      expect(`${classification.kind} ${classification.rule}`, body).toBe('budget-exceeded budget-exceeded');
      expect(isRetryable(answered(ask('a'), status, body)), body).toBe(false);
    }
    expect(classifyResponse(400, litellm('thinking.budget_tokens: must be less than max_tokens', 'invalid_request_error', '400')).kind).toBe('rejected');
    expect(classifyResponse(429, litellm('Rate limit reached for requests', 'rate_limit_error', '429')).kind).toBe('throttled');
  });

  it('the watch never stops the run on it, on any surface (a 401 included): it is no refused key', async () => {
    for (const surface of ['custom', 'mantle'] as const) {
      for (const [status, body] of [[400, BUDGET_400], [429, BUDGET_429], [401, litellm('Authentication Error, ExceededTokenBudget: Current spend for token: 7.2; Max Budget for Token: 2.0')]] as const) {
        const { stops, target } = watch(surface, () => ({ status, body }));
        const seen = await target.send(ask('a'), context('a'));
        expect(seen.error?.code, body).not.toBe('HARNESS_AUTH_REJECTED');
        expect(stops, body).toEqual([]);
      }
    }
  });
});

describe('wording', () => {
  it('a wordless 401\'s stop says a scope as a possibility, in one clause', () => {
    expect(stopClause('c', ['a', 'b'], false)).toBe("; these credentials were accepted for a, b in this run but never for c: the gateway's 401 did not say why; if the key is scoped to some models, c may be outside it (--models can leave it out)");
    expect(stopClause('us.a', ['a'], true)).toMatch(/: the gateway's 401 did not say why; if the key is scoped to some models, us\.a may be outside it \(--checks can leave out errors\.unknown-model and models\.profile-id/);
  });

  it('a scope cell\'s way out holds whether another route served the model or not', () => {
    const refusal = { method: 'POST', path: '/openai/v1/chat/completions', prefix: '/openai/v1', status: 401, said: 'key not allowed to access model', model: 'm' };
    for (const answeredOn of [[], ['/v1']]) {
      const reason = scopeReason({ ...refusal, answeredOn }, auth);
      expect(reason).toContain('its checks on /openai/v1 are errors; use a key whose scope includes m there, or leave out the checks that use /openai/v1 (--checks names the ones to run), or the model where no route takes the key for it (--models)');
      expect(reason).not.toMatch(/or leave it out \(--models\)$|nothing .* observed/);
    }
  });

  it('kept recordings of a scope refusal are not called an outage, and say which cells they count', () => {
    const reason = 'HARNESS_RECORDING_KEPT: HARNESS_MODEL_SCOPE: POST /v1/chat/completions answered 401 (...): the key in K may not use m on /v1; kept the previous recording x';
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'path-prefix', status: 'error', observed: null, reason }], ['xai.grok-4.3', 'qwen.qwen3-32b']);
    const kept = matrix.gate.problems.filter((p) => p.kind === 'recording-kept');
    expect(kept.map((p) => p.message)).toEqual([
      "1 error cell(s) (HARNESS_RECORDING_KEPT) kept their cases' previous recordings because the key's scope refused the model in this record run (HARNESS_MODEL_SCOPE), which is no outage nor the endpoint's answer: record them with a key whose scope includes the model (--overwrite-failures records the refusal)",
    ]);
    expect(matrix.gate.verdict).toBe('fail');
  });
});

let dir: string;

describe('a record run whose key\'s scope refuses a model recorded before', () => {
  it('keeps the recording and says why without calling it an outage or "record again later"', async () => {
    const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
    const record = () => new RecordTarget(inner, { fixturesDir: dir, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
    await record().caseFinished('m', 'probe.chat', [answered(ask('m'), 200, '{"id":"x","object":"chat.completion","choices":[]}')]);
    const refused = { ...answered(ask('m'), 401, scopeWords('m')), error: { code: 'HARNESS_MODEL_SCOPE' as const, message: 'POST /v1/chat/completions answered 401: the key in K may not use m on /v1' } };
    const error = await record().caseFinished('m', 'probe.chat', [refused]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/\(record it with a key whose scope includes the model, or pass --overwrite-failures to record the refusal\)$/);
  });
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scope-budget-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Rule = (model: string, seen: number) => { status: number; body: string } | undefined;

const gateway = (upstreamUrl: string, rule: Rule) => keyGateway(upstreamUrl, KEY, litellm('Authentication Error, Invalid proxy server token passed.'), (model, _path, seen) => (model === undefined ? undefined : rule(model, seen)));

const through = (rule: Rule, name: string, args: string[]) => runThroughGateway<MatrixResult>((url) => gateway(url, rule), KEY, join(dir, name), args);

const MODELS = 'openai.gpt-oss-20b,openai.gpt-oss-120b';
const madeUp = (model: string) => model.startsWith('us.') || model.includes('no-such');

describe('runs through a gateway', () => {
  it('--surface mantle: made-up ids refused in scope words stop the run (exit 2), never a pass nor an inconclusive gate pass', async () => {
    const rule: Rule = (model) => (madeUp(model) ? { status: 401, body: scopeWords(model) } : undefined);
    const { run } = await through(rule, 'mantle', ['--mode', 'live', '--surface', 'mantle', '--models', MODELS, '--checks', 'api.chat-completions,errors.unknown-model,models.profile-id']);
    expect(run.code, run.stderr + run.stdout).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED: POST \/v1\/chat\/completions answered 401: Authentication Error, key not allowed to access model/);
  }, 60_000);

  it('a spent budget mid-record is its requests\' error (exit 1, no stop) with the fix; no cell is judged on it and no fixture holds it as an answer', async () => {
    const fixtures = join(dir, 'budget-fixtures');
    const rule: Rule = (_model, seen) => (seen > 6 ? { status: 400, body: BUDGET_400 } : undefined);
    const { run, matrix } = await through(rule, 'budget', ['--mode', 'record', '--fixtures', fixtures, '--target-name', 'gw', '--models', MODELS, '--concurrency', '1']);
    expect(run.code, run.stderr + run.stdout).toBe(1);
    expect(run.stderr).toContain("warning: target gw: a spend budget (the key's, its team's or one model's) is spent on the gateway (");
    expect(run.stderr + run.stdout).not.toMatch(/check the key|HARNESS_AUTH_REJECTED|rejected mid-run/);
    expect(matrix.results.filter((r) => r.reason.includes('HARNESS_BUDGET_EXCEEDED')).length).toBeGreaterThan(0);
    // A verdict whose evidence holds the budget's answer as an answer (no error on it) was judged on it.
    const onBudget = (r: MatrixResult) => r.evidence.some((e) => !e.error && /budget has been exceeded/i.test(e.excerpt ?? ''));
    const judgedOnIt = matrix.results.filter((r) => ['pass', 'fail', 'unsupported', 'flaky'].includes(r.status) && onBudget(r));
    expect(judgedOnIt).toEqual([]);
    expect(matrix.results.filter((r) => /budget has been exceeded/i.test(JSON.stringify(r.evidence))).length).toBeGreaterThan(0);
    const files = (await readdir(fixtures, { recursive: true })).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const fixture = JSON.parse(await readFile(join(fixtures, file), 'utf8')) as { exchanges: Exchange[] };
      for (const ex of fixture.exchanges) if (JSON.stringify(ex.response ?? {}).includes('Budget has been exceeded')) expect(ex.error, file).not.toBeNull();
    }
  }, 90_000);
});
