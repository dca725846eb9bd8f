/**
 * Arguments that parse but miss the schema of a tool the request did not declare `strict` are the model's best
 * effort (OpenAI and Anthropic promise a fit only under strict): `inconclusive`, saying so, not `bad-arguments` /
 * `schema-mismatch` blamed on the endpoint (review of the checks against real models: a grok that added a field
 * failed its stated `conformant`). Declared strict, the same miss is the endpoint's; arguments that do not parse
 * stay `bad-arguments` either way. A Messages call that came whole in a turn the budget ended is inconclusive, not
 * `wrong-stop-reason`.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

type Api = 'chat-completions' | 'responses' | 'messages';

/**
 * `exchange` with every declared tool's `strict` set as a suite could send it: true, or not strict (absent on chat
 * and Messages, whose default is false; `strict: false` on Responses, whose default is strict).
 */
function withStrict(exchange: Exchange, api: Api, strict: boolean): Exchange {
  const body = JSON.parse(exchange.request.body!) as { tools: Record<string, unknown>[] };
  body.tools = body.tools.map((tool) => {
    const { strict: _, ...rest } = (api === 'chat-completions' ? tool.function : tool) as Record<string, unknown>;
    const fn = strict ? { ...rest, strict: true } : api === 'responses' ? { ...rest, strict: false } : rest;
    return api === 'chat-completions' ? { ...tool, function: fn } : fn;
  });
  return { ...exchange, request: { ...exchange.request, body: JSON.stringify(body) } };
}

async function judged(check: string, caseId: string, api: Api, answer: { json?: unknown; sse?: string }, strict: boolean): Promise<CheckResult> {
  const at = await caseStep(caseId, { step: caseId === 'structured.messages' || caseId.endsWith('-stream') ? 'main' : 'call' });
  return judgeOn(check, caseId, api, [withStrict(answeredWith(at, answer), api, strict)]);
}

const chat = (args: string) => ({
  id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: args } }] }, finish_reason: 'tool_calls' }],
  usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
});
const responses = (args: string) => ({
  id: 'r', object: 'response', created_at: 1, status: 'completed', model: 'm',
  output: [{ type: 'function_call', id: 'fc_0', call_id: 'call_0', name: 'get_weather', arguments: args, status: 'completed' }],
  usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32 },
});
const messages = (name: string, input: unknown, stop = 'tool_use', outputTokens = 12) => ({
  id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'tool_use', id: 'toolu_0', name, input }],
  stop_reason: stop, stop_sequence: null, usage: { input_tokens: 20, output_tokens: outputTokens },
});

const FORCED = [
  { check: 'tools.chat.forced-call', caseId: 'tools.chat', api: 'chat-completions' as const, missed: chat('{"location":"Paris"}'), fits: chat('{"city":"Paris"}') },
  { check: 'tools.responses.forced-call', caseId: 'tools.responses', api: 'responses' as const, missed: responses('{"city":"Paris","unit":"celsius"}'), fits: responses('{"city":"Paris"}') },
  { check: 'tools.messages.forced-call', caseId: 'tools.messages', api: 'messages' as const, missed: messages('get_weather', { location: 'Paris' }), fits: messages('get_weather', { city: 'Paris' }) },
];

describe('a forced call whose arguments parse and miss the schema', () => {
  it.each(FORCED)('$check: inconclusive for a tool not declared strict, bad-arguments for a strict one; a fit passes both ways', async ({ check, caseId, api, missed, fits }) => {
    const loose = await judged(check, caseId, api, { json: missed }, false);
    expect(loose.status, loose.reason).toBe('inconclusive');
    expect(loose.reason).toMatch(/^arguments do not fit the schema: .*; the tool is not declared strict, so fitting its schema is the model's best effort/);
    const strict = await judged(check, caseId, api, { json: missed }, true);
    expect(strict.observed, strict.reason).toBe('bad-arguments');
    for (const declared of [false, true]) expect((await judged(check, caseId, api, { json: fits }, declared)).observed).toBe('conformant');
  });

  it('arguments that do not parse, or parse to no object (encoded twice, null, a list, a number), are bad-arguments, strict or not', async () => {
    for (const args of ['{"city": ', JSON.stringify('{"city":"Paris"}'), 'null', '[]', '42']) {
      for (const declared of [false, true]) expect((await judged('tools.chat.forced-call', 'tools.chat', 'chat-completions', { json: chat(args) }, declared)).observed, args).toBe('bad-arguments');
    }
    expect((await judged('tools.chat.forced-call', 'tools.chat', 'chat-completions', { json: chat('{"city":42}') }, false)).status).toBe('inconclusive');
  });

  it('a Responses function tool that omits strict is strict (the API\'s default): a miss is bad-arguments', async () => {
    const at = await caseStep('tools.responses', { step: 'call' });
    const body = JSON.parse(at.request.body!) as { tools: Record<string, unknown>[] };
    body.tools = body.tools.map(({ strict: _, ...tool }) => tool);
    const exchange = answeredWith({ ...at, request: { ...at.request, body: JSON.stringify(body) } }, { json: responses('{"location":"Paris"}') });
    expect((await judgeOn('tools.responses.forced-call', 'tools.responses', 'responses', [exchange])).observed).toBe('bad-arguments');
  });

  it('a whole Messages answer whose tool_use input is a JSON string is bad-arguments (the endpoint wrote it so)', async () => {
    expect((await judged('tools.messages.forced-call', 'tools.messages', 'messages', { json: messages('get_weather', '{"city":"Paris"}') }, false)).observed).toBe('bad-arguments');
  });

  it('streamed: fragments that join to JSON missing the schema are inconclusive unless strict; fragments that join to no JSON are bad-arguments', async () => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ data: JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] }) });
    const stream = (fragments: string[]) =>
      sseText([
        chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        ...fragments.map((f) => chunk({ tool_calls: [{ index: 0, function: { arguments: f } }] })),
        chunk({}, 'tool_calls'),
      ]) + 'data: [DONE]\n\n';
    const joinsToOther = stream(['{"c', '":"Paris"}']);
    const loose = await judged('tools.chat.stream-call', 'tools.chat-stream', 'chat-completions', { sse: joinsToOther }, false);
    expect(loose.status, loose.reason).toBe('inconclusive');
    expect(loose.reason).toMatch(/^#0 \(2 fragment\(s\)\): arguments do not fit the schema: .*not declared strict/);
    expect((await judged('tools.chat.stream-call', 'tools.chat-stream', 'chat-completions', { sse: joinsToOther }, true)).observed).toBe('bad-arguments');
    expect((await judged('tools.chat.stream-call', 'tools.chat-stream', 'chat-completions', { sse: stream(['{"city', 'Paris"}']) }, false)).observed).toBe('bad-arguments');
    expect((await judged('tools.chat.stream-call', 'tools.chat-stream', 'chat-completions', { sse: stream(['{"ci', 'ty":"Paris"}']) }, false)).observed).toBe('conformant');
  });
});

describe('structured-output.messages: a tool input that misses its input_schema', () => {
  it('is inconclusive for a tool not declared strict, schema-mismatch for a strict one', async () => {
    const person = messages('record_person', { name: 'Ann', age: 30, occupation: 'pilot' });
    const loose = await judged('structured-output.messages', 'structured.messages', 'messages', { json: person }, false);
    expect(loose.status, loose.reason).toBe('inconclusive');
    expect(loose.reason).toMatch(/^the tool input does not fit its input_schema: .*"occupation".*not declared strict/);
    expect((await judged('structured-output.messages', 'structured.messages', 'messages', { json: person }, true)).observed).toBe('schema-mismatch');
    expect((await judged('structured-output.messages', 'structured.messages', 'messages', { json: messages('record_person', { name: 'Ann', age: 30 }) }, false)).observed).toBe('valid');
  });
});

describe('structured-output.chat and .responses: output that misses the json_schema', () => {
  const person = '{"name":"Ann","age":30,"occupation":"pilot"}';
  const chatText = (text: string) => ({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } });
  const responsesText = (text: string) => ({ id: 'r', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [{ type: 'message', id: 'm1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], usage: { input_tokens: 5, output_tokens: 9, total_tokens: 14 } });
  /** The case's request with its format's `strict` set to `strict` (false: as OpenAI's default). */
  async function formatted(caseId: string, api: 'chat-completions' | 'responses', answer: unknown, strict: boolean): Promise<CheckResult> {
    const at = await caseStep(caseId);
    const body = JSON.parse(at.request.body!) as { response_format?: { json_schema: Record<string, unknown> }; text?: { format: Record<string, unknown> } };
    Object.assign(api === 'chat-completions' ? body.response_format!.json_schema : body.text!.format, { strict });
    const check = api === 'chat-completions' ? 'structured-output.chat' : 'structured-output.responses';
    return judgeOn(check, caseId, api, [answeredWith({ ...at, request: { ...at.request, body: JSON.stringify(body) } }, { json: answer })]);
  }

  it.each([
    ['structured.chat', 'chat-completions', chatText],
    ['structured.responses', 'responses', responsesText],
  ] as const)('%s: inconclusive when the format is not strict, schema-mismatch when it is', async (caseId, api, answer) => {
    const loose = await formatted(caseId, api, answer(person), false);
    expect(loose.status, loose.reason).toBe('inconclusive');
    expect(loose.reason).toMatch(/"occupation".*the json_schema is not strict/);
    expect((await formatted(caseId, api, answer(person), true)).observed).toBe('schema-mismatch');
    expect((await formatted(caseId, api, answer('{"name":"Ann","age":30}'), false)).observed).toBe('valid');
  });
});

describe('tools.chat.result-turn: a rejection of the turn that echoes a call missing a schema not declared strict', () => {
  it('may be about that call (the model\'s best effort): inconclusive, naming it', async () => {
    const call = await caseStep('tools.chat', { step: 'call' });
    const result = await caseStep('tools.chat', { step: 'result' });
    const rejected = answeredWith(result, { status: 400, json: { error: { message: 'Invalid tool arguments in messages[1]', type: 'invalid_request_error', code: 'validation_error' } } });
    const verdict = await judgeOn('tools.chat.result-turn', 'tools.chat', 'chat-completions', [answeredWith(call, { json: chat('{"location":"Paris"}') }), rejected]);
    expect(verdict.status, verdict.reason).toBe('inconclusive');
    expect(verdict.reason).toMatch(/get_weather.*arguments do not fit the schema/);
  });
});

describe('tools.messages.forced-call: a whole call in a turn that did not stop on tool_use', () => {
  it('is inconclusive when the budget ended it (max_tokens at the limit), wrong-stop-reason otherwise', async () => {
    const budget = await judged('tools.messages.forced-call', 'tools.messages', 'messages', { json: messages('get_weather', { city: 'Paris' }, 'max_tokens', 128) }, false);
    expect(budget.status, budget.reason).toBe('inconclusive');
    expect(budget.reason).toMatch(/output tokens 128 = the limit 128.*the turn held get_weather\(\{"city":"Paris"\}\) and did not get to stop_reason "tool_use" before the budget ran out/);
    const ended = await judged('tools.messages.forced-call', 'tools.messages', 'messages', { json: messages('get_weather', { city: 'Paris' }, 'end_turn') }, false);
    expect(ended.observed, ended.reason).toBe('wrong-stop-reason');
  });
});
