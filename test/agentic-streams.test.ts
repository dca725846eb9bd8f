/**
 * Streamed tool calls, images and thinking judged on streams written by hand, not by the emulator: a local server
 * on port 0 answers the suites' own requests with a tool call whose arguments come in five deltas (conformant), or
 * in fragments that do not concatenate to valid JSON (bad-arguments), on each of the three APIs (issue 10, done
 * when). The same way: one call where two were asked, a thinking block with and without its signature, and answers
 * that do or do not name the image's colour.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCheck } from '../src/checks/registry.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { buildRequest } from '../src/run/case-runner.ts';
import { projectSuites, liveTarget } from './helpers/harness.ts';

const GOOD = ['{"ci', 'ty": ', '"Par', 'is', '"}'];
/** The closing quote is lost: `{"city": "Paris}` does not parse. */
const BROKEN = ['{"ci', 'ty": ', '"Par', 'is', '}'];

type Events = (string | Record<string, unknown>)[];

function chatStream(fragments: readonly string[], calls = 1): Events {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  const events: Events = [chunk({ role: 'assistant', content: null })];
  for (let index = 0; index < calls; index++) {
    events.push(chunk({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
    for (const arguments_ of fragments) events.push(chunk({ tool_calls: [{ index, function: { arguments: arguments_ } }] }));
  }
  return [...events, chunk({}, 'tool_calls'), '[DONE]'];
}

function responsesStream(fragments: readonly string[]): Events {
  const joined = fragments.join('');
  const item = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'get_weather', arguments: joined };
  const response = { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [item] };
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } },
    ...fragments.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta })),
    { type: 'response.function_call_arguments.done', item_id: 'fc_1', name: 'get_weather', output_index: 0, arguments: joined },
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.completed', response },
  ];
  return events.map((event, sequence_number) => ({ ...event, sequence_number }));
}

function messagesStream(blocks: { type: 'tool_use' | 'thinking'; fragments?: readonly string[]; signed?: boolean }[]): Events {
  const events: Events = [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  blocks.forEach((block, index) => {
    if (block.type === 'tool_use') {
      events.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } });
      for (const partial_json of block.fragments ?? []) events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
    } else {
      events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const thinking of ['The ball', ' costs 0.05.']) events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
      if (block.signed) events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } });
    }
    events.push({ type: 'content_block_stop', index });
  });
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return [...events, { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }];
}

/** What the local server answers next: an SSE stream, or a JSON body. */
let next: { events: Events } | { json: unknown } = { json: {} };
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if ('json' in next) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(next.json));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of next.events) res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends the suite case's own request to the local server and judges the answer with one check. */
async function judgeCase(caseId: string, checkId: string, answer: typeof next): Promise<CheckResult> {
  const { suites } = await projectSuites();
  const spec = suites.cases.find((c) => c.id === caseId)!;
  const step = spec.steps[0]!;
  const prefix = spec.api === 'messages' ? '/anthropic/v1' : '/v1';
  const request = buildRequest(spec, step, prefix, { model: 'test.model', step: () => undefined });
  next = answer;
  const exchange = await liveTarget(url).send(request, { model: 'test.model', caseId, step: step.id, prefix });
  return getCheck(checkId)!.run({ model: 'test.model', expectation: null, outcomes: [{ kind: 'completed', caseId, api: spec.api, exchanges: [exchange] }] });
}

describe('a tool call streamed in five deltas, by hand', () => {
  it.each([
    { api: 'chat', caseId: 'tools.chat-stream', check: 'tools.chat.stream-call', stream: chatStream },
    { api: 'responses', caseId: 'tools.responses-stream', check: 'tools.responses.stream-call', stream: responsesStream },
    { api: 'messages', caseId: 'tools.messages-stream', check: 'tools.messages.stream-call', stream: (f: readonly string[]) => messagesStream([{ type: 'tool_use', fragments: f }]) },
  ])('$api: five fragments that concatenate to valid JSON are conformant; fragments that do not are bad-arguments', async ({ caseId, check, stream }) => {
    const good = await judgeCase(caseId, check, { events: stream(GOOD) });
    expect(good.observed, good.reason).toBe('conformant');
    expect(good.reason).toContain('in 5 fragment(s)');
    const bad = await judgeCase(caseId, check, { events: stream(BROKEN) });
    expect(bad.observed, bad.reason).toBe('bad-arguments');
    expect(bad.reason).toMatch(/do not parse as JSON/);
  });

  it('two parallel calls with distinct ids and indexes are conformant; one call cannot show it (inconclusive)', async () => {
    const two = await judgeCase('tools.chat-parallel-stream', 'tools.chat.stream-parallel', { events: chatStream(GOOD, 2) });
    expect(two.observed, two.reason).toBe('conformant');
    expect(two.reason).toContain('2 call(s)');
    const one = await judgeCase('tools.chat-parallel-stream', 'tools.chat.stream-parallel', { events: chatStream(GOOD, 1) });
    expect(one.status, one.reason).toBe('inconclusive');
  });

  it('an overloaded error inside the stream is the endpoint breaking (error), a refusal inside it is rejected', async () => {
    const cut = (type: string): Events => [...messagesStream([{ type: 'tool_use', fragments: GOOD.slice(0, 2) }]).slice(0, 4), { type: 'error', error: { type, message: 'x' } }];
    const overloaded = await judgeCase('tools.messages-stream', 'tools.messages.stream-call', { events: cut('overloaded_error') });
    expect(overloaded.status, overloaded.reason).toBe('error');
    const refused = await judgeCase('tools.messages-stream', 'tools.messages.stream-call', { events: cut('invalid_request_error') });
    expect(refused.observed, refused.reason).toBe('rejected');
  });

  /** The stream with one string replaced in every event. */
  const edited = (events: Events, from: string, to: string): Events => events.map((e) => (typeof e === 'string' ? e : (JSON.parse(JSON.stringify(e).replace(from, to)) as Record<string, unknown>)));

  it('a first call delta without its id is bad-stream', async () => {
    const result = await judgeCase('tools.chat-stream', 'tools.chat.stream-call', { events: edited(chatStream(GOOD), '"id":"call_0",', '') });
    expect(result.observed, result.reason).toBe('bad-stream');
    expect(result.reason).toContain('the first delta of call 0 lacks id');
  });

  it('finish_reason "stop" after a forced call is what OpenAI and vLLM send (conformant, said); "tool_use" is bad-stream', async () => {
    const stop = await judgeCase('tools.chat-stream', 'tools.chat.stream-call', { events: edited(chatStream(GOOD), '"finish_reason":"tool_calls"', '"finish_reason":"stop"') });
    expect(stop.observed, stop.reason).toBe('conformant');
    expect(stop.reason).toContain('finish_reason "stop" after a forced call');
    const leaked = await judgeCase('tools.chat-stream', 'tools.chat.stream-call', { events: edited(chatStream(GOOD), '"finish_reason":"tool_calls"', '"finish_reason":"tool_use"') });
    expect(leaked.observed, leaked.reason).toBe('bad-stream');
    expect(leaked.reason).toContain('finish_reason "tool_use" after the tool calls');
  });
});

describe('thinking streamed on Messages, by hand', () => {
  it('is conformant with a signature_delta, no-signature without, and inconclusive when the model did not think', async () => {
    const signed = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: messagesStream([{ type: 'thinking', signed: true }]) });
    expect(signed.observed, signed.reason).toBe('conformant');
    const unsigned = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: messagesStream([{ type: 'thinking', signed: false }]) });
    expect(unsigned.observed, unsigned.reason).toBe('no-signature');
    const none = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: messagesStream([]) });
    expect(none.status, none.reason).toBe('inconclusive');
  });
});

describe('whether an answer reflects the image', () => {
  const chat = (content: string, finish = 'stop') => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }] } });
  it.each([
    { answer: 'Green.', observed: 'seen', status: 'pass' },
    { answer: 'The image is solid green', observed: 'seen', status: 'pass' },
    { answer: 'Red', observed: 'not-seen', status: 'pass' },
    { answer: "I can't see any image in this conversation.", observed: 'not-seen', status: 'pass' },
    { answer: 'Sure, happy to help!', observed: null, status: 'inconclusive' },
  ])('"$answer" -> $observed', async ({ answer, observed, status }) => {
    const r = await judgeCase('images.chat', 'images.seen.chat', chat(answer));
    expect(r.observed, r.reason).toBe(observed);
    expect(r.status).toBe(status);
  });

  it('content sent as text parts is read as their text: seen, not-seen', async () => {
    const parts = (text: string) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: [{ type: 'text', text }] }, finish_reason: 'stop' }] } });
    expect((await judgeCase('images.chat', 'images.seen.chat', parts('Green.'))).observed).toBe('seen');
    expect((await judgeCase('images.chat', 'images.seen.chat', parts('Red'))).observed).toBe('not-seen');
  });

  it('an answer cut by its budget before a colour is inconclusive', async () => {
    const r = await judgeCase('images.chat', 'images.seen.chat', chat('The', 'length'));
    expect(r.status, r.reason).toBe('inconclusive');
    expect(r.reason).toContain('finish_reason "length"');
  });
});
