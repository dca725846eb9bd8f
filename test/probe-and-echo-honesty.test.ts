/**
 * Verdicts that blame the endpoint only for what it did (review of a hostile server and a rewriting proxy, h74):
 * a probe whose one prefix broke while the other refused the model says which route serves it cannot be told
 * (`error`), never `unsupported`; a refusal of the effort the harness added (room to think) is no rejection of the
 * request under test (`inconclusive`), while a refusal of the field under test stays `rejected`; a Response that
 * does not echo a default, or echoes it as a string, shows no default (`error`: the endpoint left it out), while an explicit `null`
 * is observed.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, Expectation } from '../src/checks/types.ts';
import type { Thinking } from '../src/run/room-to-think.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

const MODEL = 'some.model';
type Answer = { prefix?: string; status?: number; body?: unknown; broken?: true; step?: string };

async function judged(caseId: string, check: string, answers: Answer[], options: { expectation?: Expectation; thinking?: Thinking } = {}): Promise<CheckResult> {
  const exchanges: Exchange[] = [];
  for (const answer of answers) {
    const at = await caseStep(caseId, { ...(answer.step ? { step: answer.step } : {}), prefix: answer.prefix ?? '/openai/v1', model: MODEL, ...(options.thinking ? { thinking: options.thinking } : {}) });
    const broken = { response: null, error: { code: 'HARNESS_CONNECTION' as const, message: 'socket hang up (ECONNRESET)' } };
    exchanges.push(answeredWith(at, { status: answer.status ?? 200, json: answer.body }, answer.broken ? broken : {}));
  }
  const { spec } = await caseStep(caseId);
  return judgeOn(check, caseId, spec.api, exchanges, { model: MODEL, expectation: options.expectation ?? null });
}

const notOnRoute = { status: 400, body: { error: { message: `The model ${MODEL} isn't supported on this route.`, type: 'invalid_request_error' } } };
const completion = { id: 'c1', object: 'chat.completion', created: 1700000000, model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } };

describe('a probe with one broken prefix and one refusal: which route serves the model cannot be told', () => {
  const SDK_CHECKS = ['sdk.openai.chat', 'sdk.openai-bedrock.chat', 'sdk.strict.chat'];
  it.each(SDK_CHECKS)('%s is an error, not unsupported', async (check) => {
    const result = await judged('probe.chat', check, [{ prefix: '/v1', broken: true }, { prefix: '/openai/v1', ...notOnRoute }]);
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toContain('socket hang up');
  });
  it.each(SDK_CHECKS)('%s: every prefix refusing the model is unsupported; a 2xx on one is judged', async (check) => {
    const refused = await judged('probe.chat', check, [{ prefix: '/v1', ...notOnRoute }, { prefix: '/openai/v1', ...notOnRoute }]);
    expect(refused.status).toBe('unsupported');
    const served = await judged('probe.chat', check, [{ prefix: '/v1', broken: true }, { prefix: '/openai/v1', body: completion }]);
    expect(served.observed, served.reason).toBe('ok');
  });
});

const LOW: Thinking = { budget: 16, effort: 'low', why: 'catalog: test' };
const refusedFor = (param: string, message: string) => ({ status: 400, body: { error: { message, type: 'invalid_request_error', param } } });

describe('acceptance checks: a refusal of a field the harness added is not a rejection of the request', () => {
  it('images.chat: a 400 for the added reasoning_effort is inconclusive, as images.seen.chat says', async () => {
    const answer = refusedFor('reasoning_effort', 'Unsupported value: reasoning_effort "low"');
    const accepted = await judged('images.chat', 'images.chat', [answer], { thinking: LOW });
    expect(accepted.status, accepted.reason).toBe('inconclusive');
    expect(accepted.reason).toContain('refused for reasoning_effort');
    expect((await judged('images.chat', 'images.seen.chat', [answer], { thinking: LOW })).status).toBe('inconclusive');
  });
  it('images.responses: a 400 naming reasoning.effort (the added effort) is inconclusive', async () => {
    const result = await judged('images.responses', 'images.responses', [refusedFor('reasoning.effort', 'Unsupported value: low')], { thinking: LOW });
    expect(result.status, result.reason).toBe('inconclusive');
  });
  it('images.chat: a 400 naming the image (messages) stays rejected; a 2xx is accepted', async () => {
    const rejected = await judged('images.chat', 'images.chat', [refusedFor('messages[0].content[1]', 'image input is not supported')], { thinking: LOW });
    expect(rejected.observed, rejected.reason).toBe('rejected');
    const noParam = await judged('images.chat', 'images.chat', [{ status: 400, body: { error: { message: 'Image input is not supported for this model' } } }], { thinking: LOW });
    expect(noParam.observed).toBe('rejected');
    expect((await judged('images.chat', 'images.chat', [{ body: completion }], { thinking: LOW })).observed).toBe('accepted');
  });
  it('reasoning.effort.low: a refusal of reasoning, the field under test, stays rejected; one of max_output_tokens is inconclusive', async () => {
    const effort = await judged('reasoning.effort-low', 'reasoning.effort.low', [refusedFor('reasoning.effort', 'Unsupported value: low')]);
    expect(effort.observed, effort.reason).toBe('rejected');
    const bound = await judged('reasoning.effort-low', 'reasoning.effort.low', [refusedFor('max_output_tokens', 'max_output_tokens must be at least 32')]);
    expect(bound.status).toBe('inconclusive');
  });
  it('messages.thinking-budget: a refusal naming max_tokens (it must exceed budget_tokens) stays rejected', async () => {
    const result = await judged('messages.thinking-budget', 'messages.thinking-budget', [{ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: '`max_tokens` must be greater than `thinking.budget_tokens`' } } }]);
    expect(result.observed, result.reason).toBe('rejected');
  });
  it('content.array.chat: a refusal naming messages stays rejected, one of its max_tokens bound is inconclusive', async () => {
    expect((await judged('content-array.chat', 'content.array.chat', [refusedFor('messages', 'content must be a string')])).observed).toBe('rejected');
    expect((await judged('content-array.chat', 'content.array.chat', [refusedFor('max_tokens', 'max_tokens is too small')])).status).toBe('inconclusive');
  });
});

const response = (fields: Record<string, unknown>) => ({ id: 'resp_1', object: 'response', created_at: 1700000000, status: 'completed', model: MODEL, output: [], ...fields });
const one: Expectation = { value: 1, source: 'catalog: test' };
const none: Expectation = { value: null, source: 'catalog: test' };

describe('defaults.*: only an echo is observed', () => {
  it('an absent field is an error (nothing observed, the endpoint left it out), not null', async () => {
    for (const check of ['defaults.temperature', 'defaults.top-p']) {
      const result = await judged('probe.responses', check, [{ body: response({}) }], { expectation: one });
      expect(result.status, result.reason).toBe('error');
      expect(result.reason).toContain('does not echo');
    }
    const max = await judged('probe.responses', 'defaults.max-output-tokens', [{ body: response({}) }], { expectation: none });
    expect(max.status, max.reason).toBe('error');
  });
  it('a string where the number belongs is an error, naming it', async () => {
    const result = await judged('probe.responses', 'defaults.temperature', [{ body: response({ temperature: '1' }) }], { expectation: one });
    expect(result.status).toBe('error');
    expect(result.reason).toContain('temperature: "1" is a string');
  });
  it('an echoed number or an explicit null is observed', async () => {
    expect(await judged('probe.responses', 'defaults.temperature', [{ body: response({ temperature: 1 }) }], { expectation: one })).toMatchObject({ status: 'pass', observed: 1 });
    expect(await judged('probe.responses', 'defaults.temperature', [{ body: response({ temperature: 0.7 }) }], { expectation: one })).toMatchObject({ status: 'fail', observed: 0.7 });
    expect(await judged('probe.responses', 'defaults.max-output-tokens', [{ body: response({ max_output_tokens: null }) }], { expectation: none })).toMatchObject({ status: 'pass', observed: null });
  });
});
