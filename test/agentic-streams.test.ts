/**
 * Streamed tool calls, images and thinking judged on streams written by hand, not by the emulator: a local server
 * on port 0 answers the suites' own requests with a tool call whose arguments come in five deltas (conformant), or
 * in fragments that do not concatenate to valid JSON (bad-arguments), on each of the three APIs (issue 10, done
 * when). The same way: one call where two were asked, a call the budget or a stall hid, reasoning carried nowhere
 * with and without usage that shows the model reasoned, a thinking block with and without its signature, and
 * answers that do or do not name the image's colour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { Expected } from '../src/suite/expected.ts';
import { startCaseJudge, type CaseJudge, type ScriptedAnswer, type ScriptedEvents } from './helpers/case-judge.ts';

const GOOD = ['{"ci', 'ty": ', '"Par', 'is', '"}'];
/** The closing quote is lost: `{"city": "Paris}` does not parse. */
const BROKEN = ['{"ci', 'ty": ', '"Par', 'is', '}'];

type Events = ScriptedEvents;

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

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge(300);
});
afterAll(() => judge.close());

/**
 * Sends the suite case's own request to the local server and judges the answer with one check, against `expected`
 * when given (so a deviation is a `fail`). A stalling answer is given up on after 300 ms of silence.
 */
function judgeCase(caseId: string, checkId: string, answer: ScriptedAnswer, expected?: Expected): Promise<CheckResult> {
  return judge.judge(caseId, checkId, answer, expected === undefined ? {} : { expected });
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

describe('streamed calls the model or the stream hid', () => {
  /** Reasoning deltas only, then a usage chunk: no chunk carries a finish_reason (stream.* fails that). */
  const reasoningOnly = (completionTokens: number): Events => {
    const chunk = (extra: Record<string, unknown>) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', ...extra });
    const delta = (reasoning_content: string) => chunk({ choices: [{ index: 0, delta: { reasoning_content }, finish_reason: null }] });
    const usage = { prompt_tokens: 20, completion_tokens: completionTokens, total_tokens: 20 + completionTokens, completion_tokens_details: { reasoning_tokens: completionTokens } };
    return [delta('The user wants'), delta(' the weather.'), chunk({ choices: [], usage }), '[DONE]'];
  };

  it.each([
    { caseId: 'tools.chat-stream', check: 'tools.chat.stream-call', limit: 128 },
    { caseId: 'tools.chat-parallel-stream', check: 'tools.chat.stream-parallel', limit: 256 },
  ])('$check: reasoning that fills max_tokens ($limit) and no finish_reason is inconclusive; under the limit it is no-call', async ({ caseId, check, limit }) => {
    const spent = await judgeCase(caseId, check, { events: reasoningOnly(limit) }, 'conformant');
    expect(spent.status, spent.reason).toBe('inconclusive');
    expect(spent.reason).toContain(`the output budget was spent on reasoning before the answer was complete: no stop reason given, output tokens ${limit} = the limit ${limit}`);
    const chose = await judgeCase(caseId, check, { events: reasoningOnly(limit / 2) }, 'conformant');
    expect(chose).toMatchObject({ status: 'fail', observed: 'no-call' });
  });

  it('a stream that stalls inside the call is an error (the endpoint broke); the same stream ending there is bad-stream', async () => {
    const cut = chatStream(GOOD).slice(0, 4);
    const stalled = await judgeCase('tools.chat-stream', 'tools.chat.stream-call', { events: cut, stall: true }, 'conformant');
    expect(stalled.status, stalled.reason).toBe('error');
    expect(stalled.reason).toMatch(/^could not observe: the stream stalled: no data for 300 ms after 4 event\(s\)/);
    const ended = await judgeCase('tools.chat-stream', 'tools.chat.stream-call', { events: cut }, 'conformant');
    expect(ended).toMatchObject({ status: 'fail', observed: 'bad-stream' });
  });
});

describe('reasoning nowhere: the endpoint\'s doing only when the usage shows the model reasoned', () => {
  const usage = (reasoning?: number) => ({ prompt_tokens: 20, completion_tokens: 30, total_tokens: 50, ...(reasoning === undefined ? {} : { completion_tokens_details: { reasoning_tokens: reasoning } }) });
  const chat = (usageOf?: Record<string, unknown>) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '42' }, finish_reason: 'stop' }], ...(usageOf ? { usage: usageOf } : {}) } });
  const chatChunks = (deltas: Record<string, unknown>[], usageOf?: Record<string, unknown>): Events => {
    const chunk = (extra: Record<string, unknown>) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', ...extra });
    const events: Events = [...deltas, {}].map((delta, i) => chunk({ choices: [{ index: 0, delta, finish_reason: i === deltas.length ? 'stop' : null }] }));
    return [...events, ...(usageOf ? [chunk({ choices: [], usage: usageOf })] : []), '[DONE]'];
  };
  const ANSWER = [{ role: 'assistant', content: '' }, { content: '42' }];

  it.each([
    { name: 'no usage', usage: undefined, reason: /usage did not show whether the model reasoned on this request \(the answer reports no usage\)/ },
    { name: 'usage without reasoning_tokens', usage: usage(), reason: /usage did not show whether the model reasoned on this request \(its usage has no reasoning_tokens\)/ },
    { name: 'reasoning_tokens 0', usage: usage(0), reason: /the model did not reason on this request \(reasoning_tokens 0\)/ },
  ])('reasoning.chat-field with $name is inconclusive', async (row) => {
    const r = await judgeCase('reasoning.chat-field', 'reasoning.chat-field', chat(row.usage), 'message.reasoning');
    expect(r.status, r.reason).toBe('inconclusive');
    expect(r.reason).toMatch(row.reason);
  });

  it('reasoning.chat-field: reasoning tokens and no field is none (fail)', async () => {
    expect(await judgeCase('reasoning.chat-field', 'reasoning.chat-field', chat(usage(24)), 'message.reasoning')).toMatchObject({ status: 'fail', observed: 'none' });
  });

  it('reasoning.chat-stream-field: no usage chunk is inconclusive, one with reasoning tokens is none (fail)', async () => {
    const bare = await judgeCase('reasoning.chat-stream', 'reasoning.chat-stream-field', { events: chatChunks(ANSWER) }, 'delta.reasoning');
    expect(bare.status, bare.reason).toBe('inconclusive');
    expect(bare.reason).toContain('(the stream reports no usage)');
    const reasoned = await judgeCase('reasoning.chat-stream', 'reasoning.chat-stream-field', { events: chatChunks(ANSWER, usage(24)) }, 'delta.reasoning');
    expect(reasoned).toMatchObject({ status: 'fail', observed: 'none' });
  });

  it('reasoning.chat-stream-field: a stream that stalls before its usage is an error, not none; reasoning seen before the stall still counts', async () => {
    const stalled = await judgeCase('reasoning.chat-stream', 'reasoning.chat-stream-field', { events: chatChunks(ANSWER).slice(0, 2), stall: true }, 'delta.reasoning');
    expect(stalled.status, stalled.reason).toBe('error');
    expect(stalled.reason).toMatch(/^could not observe: the stream stalled: no data for 300 ms after 2 event\(s\).*before any reasoning or the usage came$/);
    const seen = await judgeCase('reasoning.chat-stream', 'reasoning.chat-stream-field', { events: chatChunks([{ role: 'assistant', reasoning: 'The sum' }]).slice(0, 1), stall: true }, 'delta.reasoning');
    expect(seen).toMatchObject({ status: 'pass', observed: 'delta.reasoning' });
  });

  /**
   * A Responses stream answering "42" with no reasoning events, its completed Response carrying `usageOf` and, before
   * the message, the reasoning item `reasoning` when given.
   */
  const responsesEvents = (usageOf?: Record<string, unknown>, reasoning?: Record<string, unknown>): Events => {
    const answer = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '42', annotations: [] }] };
    const response = { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [...(reasoning ? [{ id: 'rs_1', type: 'reasoning', ...reasoning }] : []), answer], ...(usageOf ? { usage: usageOf } : {}) };
    const events = [{ type: 'response.created', response: { ...response, status: 'in_progress', output: [] } }, { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: '42' }, { type: 'response.completed', response }];
    return events.map((event, sequence_number) => ({ ...event, sequence_number }));
  };
  const responsesUsage = (reasoning: number) => ({ input_tokens: 20, output_tokens: 30, output_tokens_details: { reasoning_tokens: reasoning }, total_tokens: 50 });

  it('reasoning.responses-stream-events: no usage is inconclusive, a stall before the end an error, a summary the stream never sent none (fail)', async () => {
    const bare = await judgeCase('reasoning.responses-stream', 'reasoning.responses-stream-events', { events: responsesEvents() }, 'summary');
    expect(bare.status, bare.reason).toBe('inconclusive');
    expect(bare.reason).toContain('(the stream reports no usage)');
    const stalled = await judgeCase('reasoning.responses-stream', 'reasoning.responses-stream-events', { events: responsesEvents().slice(0, 2), stall: true }, 'summary');
    expect(stalled.status, stalled.reason).toBe('error');
    const summary = { summary: [{ type: 'summary_text', text: 'The user wants 42.' }] };
    const unsent = await judgeCase('reasoning.responses-stream', 'reasoning.responses-stream-events', { events: responsesEvents(responsesUsage(24), summary) }, 'summary');
    expect(unsent, unsent.reason).toMatchObject({ status: 'fail', observed: 'none' });
    expect(unsent.reason).toContain('no reasoning events, though the completed Response holds 1 summary_text part(s)');
    const raw = await judgeCase('reasoning.responses-stream', 'reasoning.responses-stream-events', { events: responsesEvents(responsesUsage(24), { summary: [], content: [{ type: 'reasoning_text', text: 'Think.' }] }) }, 'summary');
    expect(raw, raw.reason).toMatchObject({ status: 'fail', observed: 'none' });
  });

  it.each([
    { name: 'a reasoning item with summary []', reasoning: { summary: [] }, says: 'a reasoning item with summary []' },
    { name: 'no reasoning item', reasoning: undefined, says: 'no reasoning item' },
  ])('reasoning.responses-stream-events: reasoning tokens but $name in the completed Response is inconclusive, not none: nothing to stream', async ({ reasoning, says }) => {
    const empty = await judgeCase('reasoning.responses-stream', 'reasoning.responses-stream-events', { events: responsesEvents(responsesUsage(24), reasoning) }, 'summary');
    expect(empty.status, empty.reason).toBe('inconclusive');
    expect(empty.reason).toBe(`the model reasoned, but the completed Response holds no reasoning text (${says}), so there was nothing to stream`);
  });

  it('reasoning.encrypted-content: no usage and no reasoning item is inconclusive; a reasoning item without encrypted_content, or reasoning tokens, is not-returned (fail)', async () => {
    const body = (extra: Record<string, unknown>) => ({ json: { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [{ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'OK', annotations: [] }] }], ...extra } });
    const bare = await judgeCase('reasoning.encrypted', 'reasoning.encrypted-content', body({}), 'round-trips');
    expect(bare.status, bare.reason).toBe('inconclusive');
    expect(bare.reason).toContain('(the answer reports no usage), so there may have been nothing to encrypt');
    const item = body({ output: [{ id: 'rs_1', type: 'reasoning', summary: [] }] });
    expect(await judgeCase('reasoning.encrypted', 'reasoning.encrypted-content', item, 'round-trips')).toMatchObject({ status: 'fail', observed: 'not-returned' });
    expect(await judgeCase('reasoning.encrypted', 'reasoning.encrypted-content', body({ usage: responsesUsage(24) }), 'round-trips')).toMatchObject({ status: 'fail', observed: 'not-returned' });
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

  it('a stream that goes silent after message_start is an error, not the model choosing not to think; one silent after a text block began is that choice', async () => {
    const started = messagesStream([]).slice(0, 1);
    const stalled = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: started, stall: true });
    expect(stalled.status, stalled.reason).toBe('error');
    expect(stalled.reason).toMatch(/^could not observe: the stream stalled: no data for \d+ ms after 1 event\(s\).*before any content block, so whether the model thought is not seen$/);
    const text = [...started, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '0.05' } }];
    const answered = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: text, stall: true });
    expect(answered.status, answered.reason).toBe('inconclusive');
    expect(answered.reason).toContain('the model chose not to think on this request');
  });

  it('a stream that goes silent mid-thought is not no-signature: the block never closed (error)', async () => {
    // message_start, the thinking block's start and its two thinking deltas, then silence with the connection open.
    const events = messagesStream([{ type: 'thinking', signed: true }]).slice(0, 4);
    const stalled = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events, stall: true });
    expect(stalled.status, stalled.reason).toBe('error');
    expect(stalled.reason).toMatch(/^could not observe: the stream stalled: no data for \d+ ms after 4 event\(s\).*block 0: 2 thinking_delta\(s\), the block never closed/);
    // A block that closed unsigned before the stream went silent: no-signature all the same.
    const closed = messagesStream([{ type: 'thinking', signed: false }, { type: 'thinking', signed: true }]).slice(0, 6);
    const late = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: closed, stall: true });
    expect(late.observed, late.reason).toBe('no-signature');
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
    // Saying there is no image, in other words; and a hedge about the image it saw, which says no such thing.
    { answer: 'There is no image attached to your message.', observed: 'not-seen', status: 'pass' },
    { answer: 'I am unable to view images.', observed: 'not-seen', status: 'pass' },
    { answer: "I don't have the ability to process images.", observed: 'not-seen', status: 'pass' },
    { answer: "I can't name the colour of this image with confidence: it is one flat, uniform fill.", observed: null, status: 'inconclusive' },
    { answer: 'Hard to tell from this image; it is a single uniform colour.', observed: null, status: 'inconclusive' },
    { answer: 'The image was attached, but it is one uniform colour I cannot name.', observed: null, status: 'inconclusive' },
    { answer: 'The image was not attached.', observed: 'not-seen', status: 'pass' },
    // A shade of the drawn colour is seeing it beside the colour's name; alone it is a noun too ("a forest", "a lime"),
    // so it names no colour (a sixth review, 2026-12); a list of colours tells nothing. The drawn colour named, even
    // denied, is never not-seen, and beside a word outside the allowlist ("not") it is inconclusive (a fifth review).
    { answer: 'Lime.', observed: null, status: 'inconclusive' },
    { answer: 'It is emerald green.', observed: 'seen', status: 'pass' },
    { answer: 'It is green, not red.', observed: null, status: 'inconclusive' },
    { answer: 'Not green; it is blue.', observed: null, status: 'inconclusive' },
    { answer: "It isn't green, it's navy.", observed: null, status: 'inconclusive' },
    { answer: "It isn't red, it's navy.", observed: 'not-seen', status: 'pass' },
    { answer: 'Green or blue, hard to say.', observed: null, status: 'inconclusive' },
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
