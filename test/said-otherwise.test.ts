/**
 * Answers that say one thing with the shape of another (review of a real model behind a rewriting proxy): a
 * Responses object that failed inside a 200 for the request (`invalid_prompt`) is a refusal, `rejected`, for
 * params.temperature / params.top-p, reasoning.effort.* and tools.responses.result-turn, as content.array.responses
 * already said, while one that failed for the server stays an outage (`error`); a model that says no image reached
 * it and then guesses the colour is `not-seen`, not `seen`; errors.unknown-model judges a 403 that denies access to
 * the unknown id (AWS's answer), while a 403 about the credentials stays unobserved; and a model list refused for
 * the credentials' missing permission is `error`, not `no-list`. The conforming answers still pass.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { standInAnswer } from '../src/transport/stand-in-answer.ts';
import { projectSuites } from './helpers/harness.ts';
import { answeredWith, caseStep, judgeOn } from './helpers/suite-answers.ts';

/** A Responses object, `status` and `error` as given (Mantle's shape for a refusal inside a 200). */
const response = (status: string, error: Record<string, unknown> | null = null, output: unknown[] = []) => ({
  id: 'resp_1', object: 'response', created_at: 1, status, error, model: 'm', output, temperature: 0.2, top_p: 0.5, usage: null,
});
const refused = (field: string) => response('failed', { code: 'invalid_prompt', message: `Unsupported parameter: '${field}' is not supported with this model.` });
const OUTAGE = response('failed', { code: 'server_error', message: 'The server had an error while processing your request.' });

/** `check` on case `caseId`'s own request (step `step`) answered `status` with `json`, as the transport hands it on. */
async function judged(caseId: string, check: string, json: unknown, options: { status?: number; step?: string; prefix?: string } = {}): Promise<CheckResult> {
  const at = await caseStep(caseId, { ...(options.step ? { step: options.step } : {}), ...(options.prefix ? { prefix: options.prefix } : {}) });
  return judgeOn(check, caseId, at.spec.api, [transported(answeredWith(at, { status: options.status ?? 200, json }))]);
}

/** The exchange as the transport hands it on: what stands in for an answer (an outage inside a 200) is an error. */
function transported(exchange: Exchange): Exchange {
  const error = exchange.response ? standInAnswer(exchange.request, exchange.response) : undefined;
  return error ? { ...exchange, error } : exchange;
}

describe('a Responses object that failed inside a 200', () => {
  it.each([
    { caseId: 'params.temperature.responses', check: 'params.temperature', field: 'temperature' },
    { caseId: 'params.top-p.responses', check: 'params.top-p', field: 'top_p' },
  ])('$check: rejected with the message when it failed for the request; accepted when it completed', async ({ caseId, check, field }) => {
    const no = await judged(caseId, check, refused(field));
    expect(no.observed, no.reason).toBe('rejected');
    expect(no.reason).toContain(`Unsupported parameter: '${field}'`);
    expect((await judged(caseId, check, response('completed'))).observed).toBe('accepted');
  });

  it('reasoning.effort.none: rejected with the message when it failed for the request; accepted when it completed', async () => {
    const no = await judged('reasoning.effort-none', 'reasoning.effort.none', response('failed', { code: 'invalid_prompt', message: "Unsupported value: 'reasoning.effort' does not support 'none' with this model." }));
    expect(no.observed, no.reason).toBe('rejected');
    expect(no.reason).toContain("does not support 'none'");
    expect((await judged('reasoning.effort-none', 'reasoning.effort.none', response('completed'))).observed).toBe('accepted');
  });

  it('params.temperature and reasoning.effort.none: a failure of the server inside the 200 is an outage, error', async () => {
    for (const [caseId, check] of [['params.temperature.responses', 'params.temperature'], ['reasoning.effort-none', 'reasoning.effort.none']] as const) {
      const outage = await judged(caseId, check, OUTAGE);
      expect(outage.status, outage.reason).toBe('error');
      expect(outage.reason).toContain('The server had an error');
    }
  });

  it('tools.responses.result-turn: rejected when the result turn failed inside its 200; accepted when it completed', async () => {
    const { suites } = await projectSuites();
    const spec = suites.cases.find((c) => c.id === 'tools.responses')!;
    const call = await caseStep('tools.responses', { step: 'call' });
    const made = answeredWith(call, { json: response('completed', null, [{ type: 'function_call', id: 'fc_0', call_id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }]) });
    // The result step's templates read the call's answer: a stub request stands in, the check reads only the answer.
    const at = { step: spec.steps.find((s) => s.id === 'result')!, prefix: '/v1', request: { method: 'POST' as const, path: '/v1/responses', headers: {}, body: '{}' } };
    const turn = (json: unknown) => judgeOn('tools.responses.result-turn', 'tools.responses', 'responses', [made, answeredWith(at, { json })]);
    const no = await turn(response('failed', { code: 'invalid_prompt', message: 'No tool output found for function call call_0.' }));
    expect(no.observed, no.reason).toBe('rejected');
    expect(no.reason).toContain('No tool output found');
    expect((await turn(response('completed'))).observed).toBe('accepted');
  });
});

describe('images.seen.*: a model that says no image reached it', () => {
  const chat = (text: string) => ({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] });
  const responses = (text: string) => response('completed', null, [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }]);

  it.each([
    { caseId: 'images.chat', check: 'images.seen.chat', body: chat },
    { caseId: 'images.responses', check: 'images.seen.responses', body: responses },
  ])('$check: inconclusive when it then guesses the right colour; seen when it names it plainly; not-seen with no colour', async ({ caseId, check, body }) => {
    // Not-seen before a fifth review (2026-12): an answer naming the image's colour is never not-seen.
    const guess = await judged(caseId, check, body("I can't see any image in your message, but I'd guess green."));
    expect(guess.status, guess.reason).toBe('inconclusive');
    expect((await judged(caseId, check, body("I can't see any image in your message, but I'd guess red."))).observed).toBe('not-seen');
    expect((await judged(caseId, check, body('Green.'))).observed).toBe('seen');
    // A hedge about the image seen is doubt beside the colour: inconclusive, neither seen nor blamed on the endpoint.
    expect((await judged(caseId, check, body("I can't see the image in detail, but it is green."))).status).toBe('inconclusive');
    expect((await judged(caseId, check, body("I can't see any image in your message."))).observed).toBe('not-seen');
  });
});

describe('errors.unknown-model: a 403 for the unknown id', () => {
  const denied = { error: { message: "You don't have access to the model with the specified model ID.", type: 'permission_error', param: null, code: 'access_denied' } };

  it('judges the envelope of a 403 that denies access: conformant when complete, nonconformant when not', async () => {
    const whole = await judged('errors.unknown-model', 'errors.unknown-model', denied, { status: 403 });
    expect(whole, whole.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(whole.reason).toContain("403: You don't have access to the model");
    const bare = await judged('errors.unknown-model', 'errors.unknown-model', { message: "You don't have access to the model with the specified model ID." }, { status: 403 });
    expect(bare.observed, bare.reason).toBe('nonconformant');
  });

  it('a 403 that refuses the credentials stays unobserved (error), and errors.bad-parameter does not judge a denial', async () => {
    const expired = await judged('errors.unknown-model', 'errors.unknown-model', { message: 'The security token included in the request is expired' }, { status: 403 });
    expect(expired.status, expired.reason).toBe('error');
    const other = await judged('errors.bad-parameter', 'errors.bad-parameter', denied, { status: 403 });
    expect(other.status, other.reason).toBe('error');
  });
});

describe('models.listed: every list route answers 403', () => {
  /** models.listed on the list asked on both prefixes, each answered `status` with `json`. */
  async function listed(status: number, json: unknown): Promise<CheckResult> {
    const exchanges = await Promise.all(['/v1', '/openai/v1'].map(async (prefix) => answeredWith(await caseStep('models.list', { prefix }), { status, json })));
    return judgeOn('models.listed', 'models.list', 'models', exchanges);
  }

  it('a refusal of the credentials (no bedrock:ListFoundationModels) is error, naming it; a 404 is still no-list', async () => {
    const denied = await listed(403, { error: { message: 'User is not authorized to perform: bedrock:ListFoundationModels', type: 'permission_error', param: null, code: 'access_denied' } });
    expect(denied.status, denied.reason).toBe('error');
    expect(denied.reason).toContain('bedrock:ListFoundationModels');
    const missing = await listed(404, { error: { message: 'Not Found', type: 'invalid_request_error', param: null, code: null } });
    expect(missing.observed, missing.reason).toBe('no-list');
    const list = await listed(200, { object: 'list', data: [{ id: 'test.model', object: 'model', created: 1, owned_by: 'x' }] });
    expect(list.observed).toBe('listed');
  });
});
