/**
 * Real Mantle answers (test/vectors, written by hand from the excerpts MANTLE.md quotes) through the checks that
 * read them, with today's verdicts (issue 17 item 7), so a change cannot quietly break what real Mantle sends.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerOf } from '../src/checks/answer.ts';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import type { CaseOutcome, CheckResult } from '../src/checks/types.ts';
import type { ApiId } from '../src/suite/suite-schema.ts';
import { classifyResponse } from '../src/transport/classify-response.ts';
import { bodyText } from '../src/transport/body.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { checkModel, liveTarget } from './helpers/harness.ts';
import { exchangeOf, vector, wireOf, type Vector } from './helpers/vectors.ts';

async function run(checkId: string, outcomes: CaseOutcome[], model = 'm'): Promise<CheckResult> {
  const definition = ALL_CHECKS.find((c) => c.id === checkId);
  if (!definition) throw new Error(`no check ${checkId}`);
  return definition.run({ model, expectation: null, outcomes });
}

const completed = (caseId: string, api: ApiId, exchanges: Exchange[]): CaseOutcome => ({ kind: 'completed', caseId, api, exchanges });

/** A vector's answer to another request (the same bytes, another model's or another prefix's request). */
function answering(v: Vector, path: string, body?: Record<string, unknown>): Exchange {
  return exchangeOf({ ...v, request: { method: 'POST', path, ...(body ? { body } : v.request.body !== undefined ? { body: v.request.body } : {}) } });
}

describe('route errors as Mantle sends them', () => {
  it.each([
    { name: 'wrong-route-400-not-on-this-route', kind: 'route-unsupported', rule: 'not-on-route' },
    { name: 'wrong-route-401-berm', kind: 'route-unsupported', rule: 'berm' },
    { name: 'api-not-supported-chat-gpt-5.6-terra', kind: 'api-unsupported', rule: 'api-not-offered' },
    { name: 'api-not-supported-responses-gpt-5.6', kind: 'api-unsupported', rule: 'api-not-offered' },
    { name: 'unsupported-parameter-max-tokens-gemma-4', kind: 'rejected', rule: '4xx' },
  ])('$name is classified $kind ($rule)', async ({ name, kind, rule }) => {
    const exchange = exchangeOf(await vector(name));
    expect(classifyResponse(exchange.response!.status, bodyText(exchange.response!))).toMatchObject({ kind, rule });
  });

  it('the wrong-route 400, the Berm 401 and the unsupported_parameter 400 are OpenAI error envelopes (schema.error, errors.wrong-route)', async () => {
    for (const name of ['wrong-route-400-not-on-this-route', 'wrong-route-401-berm', 'unsupported-parameter-max-tokens-gemma-4']) {
      const result = await run('schema.error', [completed('probe.chat', 'chat-completions', [exchangeOf(await vector(name))])]);
      expect(result.observed, `${name}: ${result.reason}`).toBe('valid');
    }
    const chat = await vector('chat-gpt-oss-20b');
    for (const name of ['wrong-route-400-not-on-this-route', 'wrong-route-401-berm']) {
      const probe = completed('probe.chat', 'chat-completions', [exchangeOf(await vector(name)), answering(chat, '/openai/v1/chat/completions')]);
      const result = await run('errors.wrong-route', [probe]);
      expect(result.observed, `${name}: ${result.reason}`).toBe('conformant');
    }
  });

  it('gemma-4-31b as recorded: /v1 chat refused, /v1/responses silent, /openai/v1 serves both -> path-prefix /openai/v1, both APIs supported', async () => {
    const chat = completed('probe.chat', 'chat-completions', [exchangeOf(await vector('wrong-route-400-not-on-this-route')), answering(await vector('chat-gpt-oss-20b'), '/openai/v1/chat/completions')]);
    const responses = completed('probe.responses', 'responses', [exchangeOf(await vector('no-answer-gemma-4-responses-v1')), exchangeOf(await vector('response-gemma-4-31b'))]);
    const outcomes = [chat, responses];
    const prefix = await run('path-prefix', outcomes, 'google.gemma-4-31b');
    expect(prefix.observed, prefix.reason).toBe('/openai/v1');
    expect(prefix.reason).toContain('/v1/responses: HARNESS_TIMEOUT');
    expect((await run('api.chat-completions', outcomes)).observed).toBe('supported');
    expect((await run('api.responses', outcomes)).observed).toBe('supported');
  });

  it('errors.wrong-route says what happened when no route refused the model: a 5xx or a hang is an error naming it, never "every route served the model"', async () => {
    const chat = await vector('chat-gpt-oss-20b');
    const served = answering(chat, '/v1/chat/completions');
    const broke: Exchange = { ...answering(chat, '/openai/v1/chat/completions'), response: { status: 503, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"error":{"message":"Service Unavailable"}}' }] } };
    const hung = exchangeOf(await vector('no-answer-gemma-4-responses-v1'));
    const fiveXx = await run('errors.wrong-route', [completed('probe.chat', 'chat-completions', [served, broke])]);
    expect(fiveXx.status, fiveXx.reason).toBe('error');
    expect(fiveXx.reason).toBe('no wrong-route answer to read: /openai/v1/chat/completions: HTTP 503');
    expect(fiveXx.reason).not.toMatch(/served/);
    const hang = await run('errors.wrong-route', [completed('probe.chat', 'chat-completions', [served]), completed('probe.responses', 'responses', [hung])]);
    expect(hang.status, hang.reason).toBe('error');
    expect(hang.reason).toMatch(/\/v1\/responses: HARNESS_TIMEOUT/);
    const both = await run('errors.wrong-route', [completed('probe.chat', 'chat-completions', [served, answering(chat, '/openai/v1/chat/completions')])]);
    expect(both.status, both.reason).toBe('skipped');
    expect(both.reason).toMatch(/every probed route served the model/);
  });

  it('a Berm 401 on /v1 is "not this route", never a bad key', async () => {
    const probe = completed('probe.chat', 'chat-completions', [exchangeOf(await vector('wrong-route-401-berm')), answering(await vector('chat-gpt-oss-20b'), '/openai/v1/chat/completions')]);
    const prefix = await run('path-prefix', [probe]);
    expect(prefix.observed, prefix.reason).toBe('/openai/v1');
    expect(prefix.reason).toContain('/v1/chat/completions: 401 route-unsupported');
  });

  it("GPT-5.6 against a local server: /v1/responses says \"does not support the '/v1/responses' API\", /openai/v1/responses answers 200 -> path-prefix /openai/v1, api.responses supported", async () => {
    const refusal = await vector('api-not-supported-responses-gpt-5.6');
    const served = await vector('response-gemma-4-31b');
    const json = { ...(served.response!.json as Record<string, unknown>), model: 'openai.gpt-5.6-sol' };
    const server = await vectorServer({ 'POST /v1/responses': refusal.response!, 'POST /openai/v1/responses': { ...served.response!, json } });
    try {
      const results = await checkModel(liveTarget(server.url), 'openai.gpt-5.6-sol', { checks: ['path-prefix', 'api.responses'] });
      expect(results.get('path-prefix')?.observed, results.get('path-prefix')?.reason).toBe('/openai/v1');
      expect(results.get('path-prefix')?.status).toBe('pass');
      expect(results.get('api.responses')?.observed).toBe('supported');
      expect(results.get('api.responses')?.status).toBe('pass');
    } finally {
      await server.close();
    }
  });

  it("with /openai/v1/responses serving, the /v1 \"does not support the '/v1/responses' API\" answer is a route finding with its evidence; with no prefix serving, it is believed", async () => {
    const refusal = exchangeOf(await vector('api-not-supported-responses-gpt-5.6'));
    const served = answering(await vector('response-gemma-4-31b'), '/openai/v1/responses');
    const outcomes = [completed('probe.responses', 'responses', [refusal, served])];
    for (const check of ['path-prefix', 'api.responses']) {
      const result = await run(check, outcomes, 'openai.gpt-5.6-sol');
      expect(result.reason, check).toContain('/v1/responses: 400 route-unsupported (API wording, route cause: /openai/v1 serves responses)');
      expect(result.evidence.map((e) => e.request), check).toEqual(['POST /v1/responses', 'POST /openai/v1/responses']);
    }
    const refusedOnBoth = [completed('probe.responses', 'responses', [refusal, { ...refusal, prefix: '/openai/v1', request: { ...refusal.request, path: '/openai/v1/responses' } }])];
    const api = await run('api.responses', refusedOnBoth, 'openai.gpt-5.6-sol');
    expect(api.observed, api.reason).toBe('unsupported');
    expect(api.reason).toContain('/v1/responses: 400 api-unsupported');
    expect(api.reason).not.toContain('route cause');
  });
});

describe("parameter rejections: gemma-4's 400 for max_tokens", () => {
  /** The 400 answering the step a case's check reads, the request carrying the case's own fields and max_tokens. */
  async function rejectedFor(checkId: string, extra: Record<string, unknown>, options: { caseId?: string; step?: string } = {}): Promise<CheckResult> {
    const v = await vector('unsupported-parameter-max-tokens-gemma-4');
    const body = { ...(v.request.body as Record<string, unknown>), ...extra };
    const exchange = { ...answering(v, v.request.path, body), step: options.step ?? 'main' };
    return run(checkId, [completed(options.caseId ?? checkId, 'chat-completions', [exchange])], 'google.gemma-4-31b');
  }

  it('is a rejection that names max_tokens in its param field: params.max-tokens is rejected', async () => {
    const exchange = exchangeOf(await vector('unsupported-parameter-max-tokens-gemma-4'));
    expect(answerOf(exchange)).toEqual({ kind: 'rejected', status: 400, message: "Unsupported parameter: 'max_tokens' is not supported with this model.", param: 'max_tokens' });
    const result = await rejectedFor('params.max-tokens', { max_tokens: 1 }, { step: 'limited' });
    expect(result.observed, result.reason).toBe('rejected');
    expect(result.reason).not.toContain('does not name');
  });

  it.each([
    ['params.stop', { stop: ['7'] }, 'stopped'],
    ['params.logprobs', { logprobs: true, top_logprobs: 2 }, 'main'],
    ['params.n', { n: 2 }, 'main'],
  ] as const)('%s answered with the max_tokens rejection is inconclusive, naming max_tokens (not rejected)', async (checkId, extra, step) => {
    const result = await rejectedFor(checkId, extra, { step });
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
    expect(result.reason).toContain('refused for max_tokens');
  });

  it('a JSON 400 answer to a stream request is a rejection, not a malformed stream', async () => {
    const result = await rejectedFor('stream.chat-completions', { stream: true, max_tokens: 16 }, { caseId: 'stream.chat' });
    expect(result.observed, result.reason).toBe('rejected');
  });
});

describe('an error event without an error member', () => {
  it('stream.messages reads an error event that carries its code and message itself (the Responses shape) as a violation, not a harness error', async () => {
    const v = await vector('message-claude-opus-4-7');
    const stream = { status: 200, events: [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } }, { type: 'error', code: 'invalid_prompt', message: 'bad prompt' }] };
    const exchange = exchangeOf({ ...v, request: { method: 'POST', path: '/anthropic/v1/messages', body: { model: 'm', stream: true, max_tokens: 16, messages: [] } }, response: stream });
    const result = await run('stream.messages', [completed('stream.messages', 'messages', [exchange])]);
    expect(result).toMatchObject({ status: 'fail', observed: 'nonconformant' });
    expect(result.reason).toContain('error event {"type":"error","code":"invalid_prompt"');
  });
});

describe('fields real answers carry', () => {
  const outcomesOf = async (name: string, caseId: string, api: ApiId) => [completed(caseId, api, [exchangeOf(await vector(name))])];

  it('gpt-oss-20b chat: lenient-only (no choices[].logprobs, system_fingerprint null), message.reasoning listed as an extra field, integer created, every SDK parses it', async () => {
    const outcomes = await outcomesOf('chat-gpt-oss-20b', 'probe.chat', 'chat-completions');
    const schema = await run('schema.chat-completion', outcomes);
    expect(schema.observed).toBe('lenient-only');
    expect(schema.reason).toContain('/choices/0: missing "logprobs"');
    expect(schema.reason).toContain('/system_fingerprint: must be string');
    expect(schema.reason).toContain('extra fields: choices[].message.reasoning');
    expect((await run('created-at.chat', outcomes)).observed).toBe('integer');
    expect((await run('reasoning.chat-field', outcomes)).observed).toBe('message.reasoning');
    for (const sdk of ['sdk.openai.chat', 'sdk.openai-bedrock.chat', 'sdk.strict.chat']) expect((await run(sdk, outcomes)).observed, sdk).toBe('ok');
  });

  it('created-at on a 2xx that is not JSON could not read the field: an error whatever is stated (an expectation of missing does not pass a broken body)', async () => {
    const v = await vector('chat-gpt-oss-20b');
    const outcomes = [completed('probe.chat', 'chat-completions', [exchangeOf({ ...v, response: { status: 200, text: 'OK' } })])];
    const check = ALL_CHECKS.find((c) => c.id === 'created-at.chat')!;
    const judged = (value: string | string[]) => check.run({ model: 'm', expectation: { value, source: 'expectations: x' }, outcomes });
    for (const stated of [['integer', 'missing'], 'missing', 'integer']) {
      expect(await judged(stated)).toMatchObject({ status: 'error', observed: null, reason: expect.stringMatching(/^could not observe: \/v1\/chat\/completions: the 2xx body is not a JSON object \(JSON value expected/) });
    }
  });

  it('gpt-oss-20b chat stream: a conformant stream; chunks lenient-only (usage.prompt_tokens_details: null) with choices[].obfuscation listed; the openai SDK iterates it', async () => {
    const outcomes = await outcomesOf('chat-stream-gpt-oss-20b', 'stream.chat', 'chat-completions');
    const stream = await run('stream.chat-completions', outcomes);
    expect(stream.observed, stream.reason).toBe('conformant');
    const schema = await run('schema.chat-completion-chunk', outcomes);
    expect(schema.observed).toBe('lenient-only');
    expect(schema.reason).toContain('event 3: /usage/prompt_tokens_details: must be object');
    expect(schema.reason).toContain('extra fields: choices[].obfuscation');
    expect((await run('sdk.openai.chat-stream', outcomes)).observed).toBe('ok');
  });

  it('gemma-4-31b Response: lenient-only ("user": null), billing, penalties and store listed; integer created_at, the echoed defaults; the SDKs parse it', async () => {
    const outcomes = await outcomesOf('response-gemma-4-31b', 'probe.responses', 'responses');
    const schema = await run('schema.response', outcomes);
    expect(schema.observed).toBe('lenient-only');
    expect(schema.reason).toContain('/user: must be string');
    expect(schema.reason).toContain('extra fields: billing, frequency_penalty, presence_penalty, store');
    expect((await run('created-at.responses', outcomes)).observed).toBe('integer');
    expect((await run('defaults.temperature', outcomes)).observed).toBe(1);
    expect((await run('defaults.top-p', outcomes)).observed).toBe(0.98);
    expect((await run('reasoning.default-effort', outcomes)).observed).toBe('medium');
    for (const sdk of ['sdk.openai.responses', 'sdk.openai-bedrock.responses', 'sdk.strict.responses']) expect((await run(sdk, outcomes)).observed, sdk).toBe('ok');
  });

  it('gpt-oss-120b created_at 1.772195752e+09: created-at.responses exponent, strict clients break, the JavaScript SDK reads it', async () => {
    const outcomes = await outcomesOf('response-created-at-exponent-gpt-oss-120b', 'probe.responses', 'responses');
    const lexeme = await run('created-at.responses', outcomes);
    expect(lexeme.observed).toBe('exponent');
    expect(lexeme.reason).toContain('created_at = 1.772195752e+09');
    expect((await run('sdk.strict.responses', outcomes)).observed).toBe('breaks');
    expect((await run('sdk.openai.responses', outcomes)).observed).toBe('ok');
    expect((await run('schema.response', outcomes)).observed).toBe('valid');
  });

  it('Claude: "model": "claude-opus-4-7" and a msg_bdrk_ id: messages.basic conformant, schema valid (unset nullable fields may be absent), the SDK parses it', async () => {
    const outcomes = await outcomesOf('message-claude-opus-4-7', 'probe.messages', 'messages');
    expect((await run('messages.basic', outcomes)).observed).toBe('conformant');
    expect((await run('schema.anthropic-message', outcomes)).observed).toBe('valid');
    expect((await run('sdk.anthropic.messages', outcomes)).observed).toBe('ok');
  });

  it('messages.model-echo says stripped-prefix for anthropic.claude-opus-4-7 echoing "claude-opus-4-7"', async () => {
    const outcomes = await outcomesOf('message-claude-opus-4-7', 'probe.messages', 'messages');
    const result = await run('messages.model-echo', outcomes, 'anthropic.claude-opus-4-7');
    expect(result.observed, result.reason).toBe('stripped-prefix');
  });
});

/** A vector whose answer body is edited (top-level fields replaced), to the request `body` when given, as the exchange of `step`. */
function edited(v: Vector, fields: Record<string, unknown>, options: { body?: Record<string, unknown>; step?: string } = {}): Exchange {
  const json = { ...(v.response!.json as Record<string, unknown>), ...fields };
  const request = options.body ? { ...v.request, body: options.body } : v.request;
  return exchangeOf({ ...v, request, response: { ...v.response!, json } }, options.step);
}

describe('Claude thinking through its whole max_tokens (messages.basic)', () => {
  const claude = () => vector('message-claude-opus-4-7');
  const THINKING = { type: 'thinking', thinking: 'The user wants the word OK, so', signature: '' };
  const cut = { stop_reason: 'max_tokens', usage: { input_tokens: 12, output_tokens: 16 } };
  const basic = async (fields: Record<string, unknown>, check = 'messages.basic') => run(check, [completed('probe.messages', 'messages', [edited(await claude(), fields)])]);

  it.each([
    { name: 'content []', content: [] },
    { name: 'one thinking block', content: [THINKING] },
  ])('$name at stop_reason max_tokens is inconclusive, naming the budget as answer.non-empty does', async ({ content }) => {
    const result = await basic({ ...cut, content });
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
    expect(result.reason).toContain('stop_reason "max_tokens", output tokens 16 = the limit 16, no visible text');
    const answer = await basic({ ...cut, content }, 'answer.non-empty');
    expect(answer.status, answer.reason).toBe('inconclusive');
  });

  it.each([
    { name: 'content []', content: [], none: 'content is an empty array' },
    { name: 'one thinking block', content: [THINKING], none: 'no text block (blocks: "thinking")' },
  ])('$name at stop_reason end_turn is inconclusive: the model ended its turn without text (answer.non-empty judges that, per trial)', async ({ content, none }) => {
    const result = await basic({ content, stop_reason: 'end_turn' });
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`the model ended its turn without text (${none}, stop_reason "end_turn")`);
    const answer = await basic({ content, stop_reason: 'end_turn' }, 'answer.non-empty');
    expect(answer.observed, answer.reason).toBe('empty');
  });

  it('a Message cut by the budget that breaks the shape elsewhere still fails, for that', async () => {
    const result = await basic({ ...cut, content: [], id: undefined, type: 'msg' });
    expect(result.observed, result.reason).toBe('nonconformant');
    expect(result.reason).toContain('type is "msg"');
    expect(result.reason).toContain('no string id');
    expect(result.reason).not.toContain('no content blocks');
  });
});

describe('chat content as an array of text parts is read as its text by every check that reads the answer', () => {
  const gptOss = () => vector('chat-gpt-oss-20b');
  const parts = (...texts: string[]) => texts.map((text) => ({ type: 'text', text }));
  const choice = (content: unknown, finish = 'stop') => ({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }] });
  const answer = async (content: unknown, check: string) => run(check, [completed('probe.chat', 'chat-completions', [edited(await gptOss(), choice(content))])]);

  it('answer.non-empty: text parts are an answer; an array without text is still empty', async () => {
    expect((await answer(parts('OK'), 'answer.non-empty')).observed).toBe('non-empty');
    for (const empty of [[], parts(''), [{ type: 'refusal', refusal: '' }]]) {
      const result = await answer(empty, 'answer.non-empty');
      expect(result.observed, JSON.stringify(empty)).toBe('empty');
      expect(result.reason).toContain('no text and no tool call');
    }
  });

  it('the shape checks still own the array form: schema.chat-completion and the openai SDK judge it', async () => {
    expect((await answer(parts('OK'), 'schema.chat-completion')).observed).toBe('invalid');
    expect((await answer(parts('OK'), 'sdk.openai.chat')).observed).toBe('mistyped');
  });

  it('SDK judges running at once each read their own answer (one client per SDK, each call routed to its exchange)', async () => {
    const contents = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 'OK' : parts('OK')));
    const observed = await Promise.all(contents.map((content) => answer(content, 'sdk.openai.chat').then((r) => r.observed)));
    expect(observed).toEqual(contents.map((content) => (typeof content === 'string' ? 'ok' : 'mistyped')));
  });

  it('structured-output.chat joins the parts: valid JSON across two parts validates, prose is not-json', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const body = { model: 'openai.gpt-oss-20b', messages: [{ role: 'user', content: 'Ada' }], response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema } } };
    const structured = async (content: unknown) => run('structured-output.chat', [completed('structured.chat', 'chat-completions', [edited(await gptOss(), choice(content), { body })])]);
    expect((await structured(parts('{"name":', '"Ada"}'))).observed).toBe('valid');
    const prose = await structured(parts('Her name is Ada.'));
    expect(prose.observed, prose.reason).toBe('not-json');
    expect(prose.reason).toContain('"Her name is Ada."');
  });

  /** params.stop on `answered` to `prompt` with stop `stops`, beside a control (no stop) that answered `free`. */
  const stopCase = (prompt: string, stops: string[], free: unknown) => async (answered: unknown) => {
    const stopped = { model: 'openai.gpt-oss-20b', messages: [{ role: 'user', content: prompt }], max_tokens: 64, stop: stops };
    const v = await gptOss();
    return run('params.stop', [completed('params.stop', 'chat-completions', [edited(v, choice(answered), { body: stopped, step: 'stopped' }), edited(v, choice(free), { body: { ...stopped, stop: undefined }, step: 'control' })])]);
  };

  it('params.stop reads both steps through the parts: honored when only the control reaches "7", ignored when the stopped answer holds it', async () => {
    const stop = stopCase('Count from 1 to 10, separated by spaces.', ['7'], parts('1 2 3 4 5 6 7 8 9 10'));
    const honored = await stop(parts('1 2 3 4 5 6 '));
    expect(honored.observed, honored.reason).toBe('honored');
    const ignored = await stop(parts('1 2 3 4 5 6 ', '7 8'));
    expect(ignored.observed, ignored.reason).toBe('ignored');
    expect(ignored.reason).toContain('contains "7"');
    // The model wrote the numbers in words this time: no "7", but nothing was cut either.
    const other = await stop('one two three four five six seven eight nine ten');
    expect(other.status, other.reason).toBe('inconclusive');
    expect(other.reason).toContain('not the control\'s answer cut short');
    // Nothing at all, or an answer that ended early on its own: a prefix of the control, but the control does not go
    // on with "7" there, so stop never had the chance to cut it (review of 2026-12-04: both read "honored").
    for (const early of ['', '1 2 3']) {
      const result = await stop(early);
      expect(result.status, `${JSON.stringify(early)}: ${result.reason}`).toBe('inconclusive');
      expect(result.reason).toContain('ended on its own before the stop sequence');
    }
  });

  it('params.stop: a stop sequence of whitespace is compared as it is', async () => {
    const stop = stopCase('Two lines.', ['\n'], 'first line\nsecond line');
    expect((await stop('first line')).observed).toBe('honored');
    expect((await stop('first')).status).toBe('inconclusive');
  });
});

describe('an output limit is honored only when the answer met it', () => {
  const gptOss = () => vector('chat-gpt-oss-20b');
  const limited = { model: 'openai.gpt-oss-20b', messages: [{ role: 'user', content: 'Write a long story.' }], max_tokens: 16 };
  const answer = (text: string, finish: string, tokens: number) => ({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }], usage: { prompt_tokens: 9, completion_tokens: tokens, total_tokens: 9 + tokens } });
  const judged = async (finish: string, tokens: number) => {
    const v = await gptOss();
    return run('params.max-tokens', [
      completed('params.max-tokens', 'chat-completions', [
        edited(v, answer('Once upon a time', finish, tokens), { body: limited, step: 'limited' }),
        edited(v, answer('Once upon a time, a long story.', 'stop', 100), { body: { ...limited, max_tokens: undefined }, step: 'control' }),
      ]),
    ]);
  };

  it('cut at the limit (finish_reason length, or every token of it used) is honored', async () => {
    expect((await judged('length', 16)).observed).toBe('honored');
    expect((await judged('stop', 16)).observed).toBe('honored');
    // Said cut with little of the limit used: the limit ended it all the same (not "ended on its own").
    expect((await judged('length', 3)).observed).toBe('honored');
  });

  it('an answer that ended on its own under the limit never met it: inconclusive, not honored', async () => {
    const result = await judged('stop', 3);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toBe('max_tokens: 16, 3 output token(s), ended on its own (finish_reason "stop"); the limit was never reached, though the control wrote 100');
  });

  it('past the limit is ignored, whatever the answer says', async () => {
    expect((await judged('length', 40)).observed).toBe('ignored');
  });
});

/** A local server that answers each `METHOD /path` with a vector's answer, and anything else with a plain 404. */
async function vectorServer(routes: Record<string, NonNullable<Vector['response']>>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = routes[`${req.method} ${req.url}`];
      if (!answer) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      const { status, headers, reads } = wireOf(answer);
      res.writeHead(status, headers);
      for (const read of reads) res.write(read);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
