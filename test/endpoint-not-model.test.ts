/**
 * A check blames the model's budget or choice only when that is what hid the behaviour, and can still fail an
 * endpoint that broke it (review rev6): an answer with no text whose usage counts reasoning tokens (above 0) short of
 * its output, and shows no more reasoning than could make up the rest, lost its output (answer.non-empty `empty`), usage past the limit stays a budget stop, a chained turn whose input tokens show no
 * history dropped it (`ignored`), the SDK stream judges check the chunk and final Response types, and non-strict
 * structured output that is not JSON is the model's best effort. Each is also held on the exchange a real model gives.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { budgetSpent } from '../src/checks/budget.ts';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { readChatToolStream } from '../src/checks/tool-stream-readers.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const OSS = 'openai.gpt-oss-20b';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A loopback proxy that may rewrite the forwarded request and the JSON answer (as /tmp/rev6-server.mjs does). */
async function proxy(upstream: string, rules: { request?: (body: Json) => Json; answer?: (body: Json, sent: Json, original: Json) => Json }): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString();
      const original: Json = raw ? (JSON.parse(raw) as Json) : {};
      const sent = rules.request && raw ? rules.request({ ...original }) : original;
      const out = raw ? JSON.stringify(sent) : '';
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(out)) };
      delete headers.host;
      const up = httpRequest(upstream + req.url, { method: req.method, headers }, (ur) => {
        const got: Buffer[] = [];
        ur.on('data', (c: Buffer) => got.push(c));
        ur.on('end', () => {
          let text = Buffer.concat(got).toString();
          if (rules.answer && ur.statusCode === 200 && String(ur.headers['content-type']).includes('application/json')) text = JSON.stringify(rules.answer(JSON.parse(text) as Json, sent, original));
          const back = { ...ur.headers, 'content-length': String(Buffer.byteLength(text)) };
          delete back['transfer-encoding'];
          res.writeHead(ur.statusCode ?? 502, back).end(text);
        });
      });
      up.end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const limitOf = (req: Json): number => req.max_tokens ?? req.max_completion_tokens ?? req.max_output_tokens ?? 64;

/**
 * BROKEN=drop-content: no text, no call, no reasoning shown, the budget "spent" with 0 reasoning tokens (or `reasoning`
 * of them). Reasoning shown at all makes a short count no evidence (summaries, parts shown), so it goes too.
 */
const dropContent = (reasoning: (limit: number) => number) => (body: Json, sent: Json): Json => {
  const limit = limitOf(sent);
  if (body.object === 'chat.completion') {
    for (const c of body.choices ?? []) {
      c.message.content = '';
      delete c.message.tool_calls;
      delete c.message.reasoning;
      delete c.message.reasoning_content;
      c.finish_reason = 'length';
    }
    body.usage = { ...body.usage, completion_tokens: limit, completion_tokens_details: { reasoning_tokens: reasoning(limit) } };
  } else if (body.object === 'response' && body.status === 'completed') {
    Object.assign(body, { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] });
    body.usage = { ...body.usage, output_tokens: limit, output_tokens_details: { reasoning_tokens: reasoning(limit) } };
  }
  return body;
};

async function throughProxy(rules: Parameters<typeof proxy>[1], checks: string[]): Promise<Map<string, CheckResult>> {
  const emulator: RunningEmulator = await catalogEmulator();
  const front = await proxy(emulator.url, rules);
  try {
    return await checkModel(liveTarget(front.url), OSS, { checks });
  } finally {
    await front.close();
    await emulator.close();
  }
}

describe('an answer emptied with its budget: the endpoint lost it, or the model reasoned it away', () => {
  const CHECKS = ['answer.non-empty', 'structured-output.chat', 'structured-output.responses'];

  it('a tenth of the tokens reasoning and nothing shown: answer.non-empty is empty (fail), structured output is judged not-json', async () => {
    const results = await throughProxy({ answer: dropContent((limit) => Math.floor(limit / 10)) }, CHECKS);
    const empty = results.get('answer.non-empty')!;
    expect(empty, empty.reason).toMatchObject({ status: 'fail', observed: 'empty' });
    expect(empty.reason).toMatch(/\d+ of them reasoning, yet it holds no text and no call, and too little reasoning/);
    for (const check of CHECKS.slice(1)) expect(results.get(check)!.status, results.get(check)!.reason).toBe('fail');
  });

  it('reasoning_tokens 0 and nothing shown: inconclusive, the reason saying what a 0 cannot tell (Mantle fills zeros)', async () => {
    const results = await throughProxy({ answer: dropContent(() => 0) }, CHECKS);
    const empty = results.get('answer.non-empty')!;
    expect(empty.status, empty.reason).toBe('inconclusive');
    expect(empty.reason).toMatch(/reasoning tokens 0 \(0 may be a count the endpoint does not keep: if the model did not reason, the endpoint lost its answer\)/);
  });

  it('the same budget gone on reasoning (a real model): inconclusive, as before', async () => {
    const results = await throughProxy({ answer: dropContent((limit) => limit) }, CHECKS);
    for (const check of CHECKS) expect(results.get(check)!.status, results.get(check)!.reason).toBe('inconclusive');
    expect(results.get('answer.non-empty')!.reason).toMatch(/output budget was spent on reasoning/);
  });

  const chat = (message: Json, usage: Json) => ({ choices: [{ finish_reason: 'length', message: { role: 'assistant', ...message } }], usage });
  it.each([
    ['no reasoning_tokens in usage (cannot tell)', chat({ content: '' }, { completion_tokens: 64 }), true],
    ['thinking written into the text, reasoning_tokens 0', chat({ content: '<think>Let me see' }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 0 } }), true],
    ['reasoning text enough for the tokens, beside reasoning_tokens 0', chat({ content: '', reasoning_content: 'Let me think. '.repeat(5) }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 0 } }), true],
    // Full reasoning text shown is bounded by its length; a summary (or encrypted) may stand for any count.
    ['a few words of reasoning for 1024 tokens, 10 of them reasoning', chat({ content: '', reasoning: 'Let me see.' }, { completion_tokens: 1024, completion_tokens_details: { reasoning_tokens: 10 } }), false],
    ['reasoning_details text, too short for 256 tokens, 100 reasoning', chat({ content: '', reasoning_details: [{ type: 'reasoning.text', text: 'Let me see.' }] }, { completion_tokens: 256, completion_tokens_details: { reasoning_tokens: 100 } }), false],
    ['a reasoning summary item, 100 of 256 reasoning (a summary may stand for any count)', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking about it.' }] }], usage: { output_tokens: 256, output_tokens_details: { reasoning_tokens: 100 } } }, true],
    ['an empty reasoning item (summary: []) and an empty message, 3 of 64 reasoning', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'reasoning', summary: [] }, { type: 'message', content: [] }], usage: { output_tokens: 64, output_tokens_details: { reasoning_tokens: 3 } } }, false],
    ['an empty reasoning_details entry, 3 of 64 reasoning', chat({ content: null, reasoning_details: [{ type: 'reasoning.text', text: '' }] }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 3 } }), false],
    ['an encrypted reasoning item', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'reasoning', summary: [], encrypted_content: 'e' }], usage: { output_tokens: 64, output_tokens_details: { reasoning_tokens: 0 } } }, true],
    ['an empty Response, 4 of 64 reasoning', { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [], usage: { output_tokens: 64, output_tokens_details: { reasoning_tokens: 4 } } }, false],
    ['a call cut mid-arguments', chat({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"ci' } }] }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 0 } }), true],
    ['an Anthropic thinking block', { stop_reason: 'max_tokens', content: [{ type: 'thinking', thinking: 'hm' }], usage: { output_tokens: 64 } }, true],
    ['nothing, reasoning_tokens 0 (zeros Mantle fills in cannot tell)', chat({ content: '' }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 0 } }), true],
    ['nothing, 10 of 64 reasoning', chat({ content: '' }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 10 } }), false],
    // An endpoint that raised a limit below its minimum (a clamp up) let the model spend more: still the budget's.
    ['usage far past the limit, all reasoning', chat({ content: '' }, { completion_tokens: 256, completion_tokens_details: { reasoning_tokens: 256 } }), true],
    ['usage a token past the limit (a stop token counted)', chat({ content: '' }, { completion_tokens: 65, completion_tokens_details: { reasoning_tokens: 65 } }), true],
  ])('%s', (_what, body, hidden) => {
    expect(budgetSpent(body, 64) !== undefined).toBe(hidden);
  });
});

describe('previous_response_id: usage shows whether the history reached the model', () => {
  /** The second turn's answer as a model that ignored the history gives it. */
  const forgot = (body: Json) => {
    for (const item of body.output ?? []) for (const part of item.content ?? []) if (typeof part.text === 'string') part.text = 'I do not know.';
    return body;
  };
  const chained = (sent: Json) => typeof sent.previous_response_id === 'string';

  it('an endpoint that echoes the id but drops the history: ignored (fail)', async () => {
    const results = await throughProxy(
      {
        request: (body) => {
          delete body.previous_response_id;
          return body;
        },
        answer: (body, _sent, original) => (chained(original) ? { ...body, previous_response_id: original.previous_response_id } : body),
      },
      ['responses.previous-response-id'],
    );
    const result = results.get('responses.previous-response-id')!;
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'ignored' });
    expect(result.reason).toMatch(/no more than the \d+ of the first turn alone: the history was not sent/);
  });

  it.each([
    ['usage of zeros (a count the endpoint does not keep)', (body: Json) => ({ ...body, usage: { ...body.usage, input_tokens: 0 } })],
    ['cached tokens counted apart from input_tokens', (body: Json) => ({ ...body, usage: { ...body.usage, input_tokens_details: { cached_tokens: 20 } } })],
    ['cache writes counted apart from input_tokens', (body: Json) => ({ ...body, usage: { ...body.usage, input_tokens_details: { cache_write_tokens: 90 } } })],
    ['Anthropic-style cache creation counted apart', (body: Json) => ({ ...body, usage: { ...body.usage, cache_creation_input_tokens: 90 } })],
  ])('a dropped history the usage cannot tell, %s: inconclusive, never ignored', async (_name, usage) => {
    const results = await throughProxy(
      {
        request: (body) => {
          delete body.previous_response_id;
          return body;
        },
        answer: (body, _sent, original) => usage(chained(original) ? { ...body, previous_response_id: original.previous_response_id } : body),
      },
      ['responses.previous-response-id'],
    );
    const result = results.get('responses.previous-response-id')!;
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it('the history counted in the input tokens, and the model ignored it: inconclusive', async () => {
    let first = 0;
    const results = await throughProxy(
      {
        answer: (body, sent) => {
          if (!chained(sent)) first = body.usage.input_tokens + body.usage.output_tokens;
          // As a real endpoint counts it: the first turn's input and answer, then the new input.
          return chained(sent) ? forgot({ ...body, usage: { ...body.usage, input_tokens: first + body.usage.input_tokens } }) : body;
        },
      },
      ['responses.previous-response-id'],
    );
    const result = results.get('responses.previous-response-id')!;
    expect(result, result.reason).toMatchObject({ status: 'inconclusive' });
    expect(result.reason).toMatch(/the history may have been dropped, or the model ignored it/);
  });
});

/** One recorded exchange: `sent` to `path`, answered with `body` (JSON) or `stream` (SSE). */
function exchange(path: string, sent: Json, body: Json | undefined, stream?: string): Exchange {
  const response = stream
    ? { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 0, data: stream }] }
    : { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] };
  return { step: 'main', prefix: '/v1', request: { method: 'POST', path, headers: {}, body: JSON.stringify(sent) }, response, error: null, durationMs: 1, attempts: 1 };
}

const run = (check: string, api: 'chat-completions' | 'responses', ex: Exchange): Promise<CheckResult> | CheckResult =>
  ALL_CHECKS.find((c) => c.id === check)!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'c', api, exchanges: [ex] }] });
const sse = (events: Json[], done = true) => `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}${done ? 'data: [DONE]\n\n' : ''}`;

describe('the openai SDK stream judges check the types an app reads', () => {
  const chunk = (created: unknown) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created, model: 'm', choices: [{ index: 0, delta: { content: 'OK' }, finish_reason: 'stop' }] });
  it.each([
    [1_700_000_000, 'pass'],
    ['1700000000', 'fail'],
  ])('sdk.openai.chat-stream, created %j: %s', async (created, status) => {
    const result = await run('sdk.openai.chat-stream', 'chat-completions', exchange('/v1/chat/completions', { stream: true }, undefined, sse([chunk(created), chunk(created)])));
    expect(result.status, result.reason).toBe(status);
    if (status === 'fail') expect(result.reason).toMatch(/every chunk \(2\): created is string, not number/);
  });

  const response = (createdAt: unknown) => ({ id: 'resp_1', object: 'response', created_at: createdAt, status: 'completed', model: 'm', output: [] });
  it.each([
    [1_700_000_000, 'pass'],
    ['1700000000', 'fail'],
  ])('sdk.openai.responses-stream, created_at %j: %s', async (createdAt, status) => {
    const events = [{ type: 'response.created', sequence_number: 0, response: { ...response(createdAt), status: 'in_progress' } }, { type: 'response.completed', sequence_number: 1, response: response(createdAt) }];
    const result = await run('sdk.openai.responses-stream', 'responses', exchange('/v1/responses', { stream: true }, undefined, sse(events, false)));
    expect(result.status, result.reason).toBe(status);
    if (status === 'fail') expect(result.reason).toMatch(/response\.created_at is string, not number/);
  });
});

describe('structured output that is not JSON: the endpoint only promises JSON under strict', () => {
  const format = (strict: boolean) => ({ type: 'json_schema', json_schema: { name: 'p', strict, schema: { type: 'object', properties: { a: { type: 'string' } } } } });
  const answer = (content: string) => ({ id: 'c', object: 'chat.completion', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] });
  it.each([
    ['```json\n{"a":"x"}\n```', false, 'inconclusive'],
    ["I can't help with that.", false, 'inconclusive'],
    ['```json\n{"a":"x"}\n```', true, 'fail'],
    ['{"a":"x"}', false, 'pass'],
  ])('%j, strict %s: %s', async (content, strict, status) => {
    const result = await run('structured-output.chat', 'chat-completions', exchange('/v1/chat/completions', { response_format: format(strict) }, answer(content)));
    expect(result.status, result.reason).toBe(status);
  });

  it('JSON mode (json_object) promises valid JSON: text that is not is not-json, not excused', async () => {
    const result = await run('structured-output.chat', 'chat-completions', exchange('/v1/chat/completions', { response_format: { type: 'json_object' } }, answer('not json')));
    expect([result.status, result.observed], result.reason).toEqual(['fail', 'not-json']);
    const withSchema = await run('structured-output.chat', 'chat-completions', exchange('/v1/chat/completions', { response_format: { type: 'json_object', json_schema: { name: 'p' } } }, answer('not json')));
    expect(withSchema.observed, withSchema.reason).toBe('not-json');
    const bare = await run('structured-output.chat', 'chat-completions', exchange('/v1/chat/completions', { response_format: { type: 'json_schema' } }, answer('```json\n{"a":"x"}\n```')));
    expect(bare.status, bare.reason).toBe('inconclusive');
  });
});

describe('a streamed call cut by the budget', () => {
  it('is weighed with its call: a call cut mid-arguments is the budget, not output the endpoint lost', () => {
    const chunk = (choice: Json, usage?: Json) => ({ t: 0, data: JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, choices: [choice], ...(usage ? { usage } : {}) }) });
    const events = [
      chunk({ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } }] }, finish_reason: null }),
      chunk({ index: 0, delta: {}, finish_reason: 'length' }, { completion_tokens: 64, completion_tokens_details: { reasoning_tokens: 4 } }),
      { t: 0, data: '[DONE]' },
    ];
    const reading = readChatToolStream(events, { max_tokens: 64, stream: true });
    expect(reading.budget).toMatch(/finish_reason "length"/);
  });
});
