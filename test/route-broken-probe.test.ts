/**
 * A route probe that broke on every prefix, or was not run, leaves the prefixes it covers unknown: path-prefix must
 * not decide from the other API's probe alone (it said "none" when every chat probe failed), and a check whose cases
 * were cut short by a spend cap or a stop is not judged on the cases that ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelNotFound } from '../src/checks/route.ts';
import type { CaseOutcome } from '../src/checks/types.ts';
import type { HarnessErrorCode } from '../src/errors.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(() => emulator.close());

/** The emulator, except that requests `fails` matches come back as the harness error `code` (no answer). */
function breaking(fails: (request: ExchangeRequest, context: SendContext) => boolean, code: HarnessErrorCode): Target {
  const inner = liveTarget(emulator.url);
  return {
    id: inner.id,
    mode: inner.mode,
    async send(request, context): Promise<Exchange> {
      if (!fails(request, context)) return inner.send(request, context);
      return { step: context.step, prefix: context.prefix, request, response: null, error: { code, message: `${code} (test)` }, durationMs: 1, attempts: 1 };
    },
    caseFinished: () => Promise.resolve(),
    close: () => inner.close(),
  };
}

const chat = (request: ExchangeRequest) => request.path.endsWith('/chat/completions');

describe('path-prefix with a probe that did not answer', () => {
  it('is error, not "none", when every chat probe failed', async () => {
    const results = await checkModel(breaking(chat, 'HARNESS_SERVER_ERROR'), 'deepseek.v3.2', { checks: ['path-prefix', 'api.chat-completions'] });
    const prefix = results.get('path-prefix')!;
    expect(prefix.status).toBe('error');
    expect(prefix.reason).toMatch(/could not tell/);
    expect(prefix.reason).toMatch(/chat\/completions: HARNESS_SERVER_ERROR/);
    expect(results.get('api.chat-completions')!.status).toBe('error');
  });

  it('still passes on a conforming exchange', async () => {
    const results = await checkModel(liveTarget(emulator.url), 'deepseek.v3.2', { checks: ['path-prefix', 'errors.wrong-route'] });
    expect(results.get('path-prefix')!.status).toBe('pass');
    expect(results.get('errors.wrong-route')!.status).toBe('pass');
  });

  it('errors.wrong-route: conformant is not said from the responses probe alone when every chat probe broke', async () => {
    const results = await checkModel(breaking(chat, 'HARNESS_SERVER_ERROR'), 'deepseek.v3.2', { checks: ['errors.wrong-route'] });
    const wrongRoute = results.get('errors.wrong-route')!;
    expect(wrongRoute.status, wrongRoute.reason).toBe('error');
    expect(wrongRoute.reason).toMatch(/not every probe was answered \(probe\.chat: HARNESS_SERVER_ERROR\)/);
  });

  it('errors.wrong-route: a wrong route that hung, of a probe that answered, was not read: error, never a pass on the others', async () => {
    // gemma-3-27b is served on /v1: its chat wrong route is /openai/v1, which breaks here; Responses' wrong routes answer.
    const results = await checkModel(breaking((request) => request.path === '/openai/v1/chat/completions', 'HARNESS_TIMEOUT'), 'google.gemma-3-27b-it', { checks: ['errors.wrong-route'] });
    const wrongRoute = results.get('errors.wrong-route')!;
    expect(wrongRoute.status, wrongRoute.reason).toBe('error');
    expect(wrongRoute.reason).toMatch(/not every wrong route answered \(\/openai\/v1\/chat\/completions: HARNESS_TIMEOUT\)/);
  });

  it('errors.wrong-route: a deviation read on one API is a fail, whatever broke on the other', async () => {
    const plain404 = await catalogEmulator({ 'deepseek.v3.2': { wrongRoute: 'plain-404' } });
    try {
      const target = liveTarget(plain404.url);
      const broken: Target = { ...target, send: (request, context) => (chat(request) ? Promise.resolve({ step: context.step, prefix: context.prefix, request, response: null, error: { code: 'HARNESS_SERVER_ERROR', message: 'down (test)' }, durationMs: 1, attempts: 1 }) : target.send(request, context)), caseFinished: () => target.caseFinished(), close: () => target.close() };
      const results = await checkModel(broken, 'deepseek.v3.2', { checks: ['errors.wrong-route'] });
      expect(results.get('errors.wrong-route')!.status).toBe('fail');
    } finally {
      await plain404.close();
    }
  });

  it('is skipped, not judged from the responses probe, when the chat probe was not run (a spend cap)', async () => {
    const results = await checkModel(breaking(chat, 'HARNESS_BUDGET'), 'deepseek.v3.2', { checks: ['path-prefix'] });
    expect(results.get('path-prefix')!.status).toBe('skipped');
  });
});

describe('a check whose cases were cut short', () => {
  it('is skipped when a case it reads was not run, not judged on the cases that ran', async () => {
    let sent = 0;
    // The probes and the first few cases run; every later request is refused by the "spend cap".
    const capped = breaking((_, context) => !context.caseId.startsWith('probe.') && ++sent > 2, 'HARNESS_BUDGET');
    const results = await checkModel(capped, 'openai.gpt-oss-20b', { checks: ['schema.response'] });
    const schema = results.get('schema.response')!;
    expect(schema.status).toBe('skipped');
    expect(schema.reason).toMatch(/was not run/);
  });

  it('a deviation read stands (a case not run cannot undo an invalid object), and a case of another API does not cut it', async () => {
    const quirky = await catalogEmulator({ 'openai.gpt-oss-20b': { createdAt: { chat: 'string' } } });
    try {
      const inner = liveTarget(quirky.url);
      let chatSent = 0;
      // Every Responses case and all but the first two chat cases are "not sent" by the cap.
      const capped: Target = {
        ...inner,
        send: (request, context) =>
          !context.caseId.startsWith('probe.') && (request.path.endsWith('/responses') || (request.path.endsWith('/chat/completions') && ++chatSent > 2))
            ? Promise.resolve({ step: context.step, prefix: context.prefix, request, response: null, error: { code: 'HARNESS_BUDGET', message: 'cap (test)' }, durationMs: 1, attempts: 1 })
            : inner.send(request, context),
        caseFinished: () => inner.caseFinished(),
        close: () => inner.close(),
      };
      const results = await checkModel(capped, 'openai.gpt-oss-20b', { checks: ['schema.chat-completion', 'schema.response'] });
      const chat = results.get('schema.chat-completion')!;
      expect(chat.status, chat.reason).toBe('fail');
      expect(chat.reason).toMatch(/was not run/);
      expect(results.get('schema.response')!.status).toBe('skipped');
    } finally {
      await quirky.close();
    }
  });

  it('passes when every case it reads ran', async () => {
    const results = await checkModel(liveTarget(emulator.url), 'openai.gpt-oss-20b', { checks: ['schema.response'] });
    expect(results.get('schema.response')!.status).toBe('pass');
  });
});

describe('a model the endpoint does not know, with one probe broken', () => {
  it('every route check is an error (the model is not found), never "none" or "unsupported"', async () => {
    const anthropic = (request: ExchangeRequest) => request.path.startsWith('/anthropic/');
    const results = await checkModel(breaking(anthropic, 'HARNESS_SERVER_ERROR'), 'openai.gpt-oss-20b-gone', { checks: ['path-prefix', 'api.chat-completions', 'api.responses', 'api.messages'] });
    for (const [check, result] of results) expect(`${check} ${result.status}`, result.reason).toBe(`${check} error`);
    expect(results.get('path-prefix')!.reason).toMatch(/does not exist/);
  });
});

describe('modelNotFound', () => {
  const request = (path: string): ExchangeRequest => ({ method: 'POST', path, headers: {}, body: '{}' });
  const notFound = (prefix: string, api: string): Exchange => ({
    step: 'main',
    prefix,
    request: request(`${prefix}/${api}`),
    response: { status: 404, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify({ error: { message: "The model 'x' does not exist", type: 'invalid_request_error', code: 'model_not_found' } }) }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  });
  const responses: CaseOutcome = { kind: 'completed', caseId: 'probe.responses', api: 'responses', exchanges: [notFound('/v1', 'responses'), notFound('/openai/v1', 'responses')] };

  it('concludes from the probes that answered when another broke, and says so (undecided, the 404s read as every API refusing: gating fails)', () => {
    expect(modelNotFound([responses], 'x')).toMatch(/does not exist/);
    expect(modelNotFound([responses], 'x')).not.toMatch(/did not answer/);
    const broken: CaseOutcome = { kind: 'error', caseId: 'probe.chat', api: 'chat-completions', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 'timed out' } };
    expect(modelNotFound([responses, broken], 'x')).toMatch(/does not exist.*but probe\.chat did not answer: whether the model exists, or is only not served on those APIs, cannot be told$/);
    expect(modelNotFound([responses, broken], 'x')).not.toMatch(/typo/);
    expect(modelNotFound([responses, { kind: 'skipped', caseId: 'probe.chat', api: 'chat-completions', reason: 'not sent' }], 'x')).toMatch(/cannot be told/);
  });
});
