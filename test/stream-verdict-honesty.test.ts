/**
 * Streams whose events cannot be read (review of a hostile model server and a rewriting proxy): an event whose data
 * is not a JSON object is no object of its kind (`schema.*-event`: `invalid`, never `skipped` or `valid`; what the
 * client never reads as an object exempt, one rule for every reader: checks/client-read-events.ts); a stream that yields no call because its events cannot be read is
 * `bad-stream`, not `no-call`, and a thinking stream likewise, not "the model chose not to think"; a Messages stream
 * without `event:` names is nonconformant (@anthropic-ai/sdk dispatches on them). The conforming streams still pass.
 */
import { stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { projectSuites } from './helpers/harness.ts';
import { vector } from './helpers/vectors.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

type Event = { name?: string; data: string };

/** `check` on a stream of raw `events` answering case `caseId`'s own request. */
async function judged(caseId: string, check: string, events: Event[]): Promise<CheckResult> {
  const at = await caseStep(caseId);
  return judgeOn(check, caseId, at.spec.api, [answeredWith(at, { sse: sseText(events) })]);
}

const json = (values: Record<string, unknown>[], named = false): Event[] => values.map((v) => ({ data: JSON.stringify(v), ...(named ? { name: String(v.type) } : {}) }));
const DONE: Event = { data: '[DONE]' };

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
const chatCall = [chunk({ role: 'assistant', content: '' }), chunk({ tool_calls: [{ index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '' } }] }), chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }), chunk({}, 'tool_calls')];

/** A Responses stream of a bundled Response (schema-valid), text only. */
async function responsesText(): Promise<Record<string, unknown>[]> {
  const response = JSON.parse(stringify((await vector('response-gemma-4-31b')).response!.json) ?? 'null') as Record<string, unknown>;
  response.user = 'u';
  return [
    { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', output: [], usage: null } },
    { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'OK', logprobs: [] },
    { type: 'response.completed', sequence_number: 2, response },
  ];
}

function messages(thinking: boolean): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [{ type: 'message_start', message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  if (thinking) {
    events.push({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
    events.push({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hm.' } });
    events.push({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } });
  } else {
    events.push({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } });
  }
  events.push({ type: 'content_block_stop', index: 0 });
  return [...events, { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }];
}

/** Every event's data cut to its first character, as the rewriting proxy sent it. */
const cut = (events: Event[]) => events.map((e) => (e.data === '[DONE]' ? e : { ...e, data: '{' }));
/** One event's data cut short. */
const cutOne = (events: Event[], at: number) => events.map((e, i) => (i === at ? { ...e, data: e.data.slice(0, 20) } : e));

describe('schema.*-event: an event whose data is not a JSON object', () => {
  const STREAMS = [
    { check: 'schema.chat-completion-chunk', caseId: 'tools.chat-stream', events: async () => [...json(chatCall), DONE] },
    { check: 'schema.response-event', caseId: 'tools.responses-stream', events: async () => json(await responsesText()) },
    { check: 'schema.anthropic-event', caseId: 'messages.thinking-stream', events: async () => json(messages(false), true) },
  ];
  it.each(STREAMS)('$check: invalid for one cut event and for all; the whole stream still valid', async ({ check, caseId, events }) => {
    const good = await events();
    { const whole = await judged(caseId, check, good); expect(whole.observed, whole.reason).toBe("valid"); }
    const one = await judged(caseId, check, cutOne(good, 1));
    expect(one.observed, one.reason).toBe('invalid');
    expect(one.reason).toMatch(/event 1: the event's data is not a JSON object \(not JSON\)/);
    const all = await judged(caseId, check, cut(good));
    expect(all.status, all.reason).toBe('fail');
    expect(all.observed).toBe('invalid');
    // Named, as every event of an Anthropic stream is (@anthropic-ai/sdk skips one without a name unread).
    const scalar = await judged(caseId, check, [...good.slice(0, 1), { name: 'message_delta', data: '42' }, ...good.slice(1)]);
    expect(scalar.reason).toContain('(JSON number)');
  });

  it('judges what the client reads as an object: not [DONE] or what follows it, not an Anthropic ping, unnamed or empty event', async () => {
    const chat = async (events: Event[]) => (await judged('tools.chat-stream', 'schema.chat-completion-chunk', events)).observed;
    expect(await chat([...json(chatCall), DONE])).toBe('valid');
    expect(await chat([...json(chatCall), DONE, { data: 'bye' }])).toBe('valid');
    // openai-node JSON.parses every event before [DONE], named or not, empty or not, and throws.
    expect(await chat([...json(chatCall), { data: '' }, DONE])).toBe('invalid');
    expect(await chat([...json(chatCall), { name: 'ping', data: 'keepalive' }, DONE])).toBe('invalid');
    expect((await judged('tools.responses-stream', 'schema.response-event', [...json(await responsesText()), DONE])).observed).toBe('valid');
    const [start, ...rest] = json(messages(false), true);
    const anthropic = async (extra: Event) => (await judged('messages.thinking-stream', 'schema.anthropic-event', [start!, extra, ...rest])).observed;
    expect(await anthropic({ name: 'ping', data: 'keepalive' })).toBe('valid');
    expect(await anthropic({ name: 'content_block_delta', data: '' })).toBe('valid');
    expect(await anthropic({ data: '[DONE]' })).toBe('valid');
    expect(await anthropic({ name: 'content_block_delta', data: 'keepalive' })).toBe('invalid');
  });
});

describe('a stream no call could be read from', () => {
  const STREAMS = [
    { check: 'tools.chat.stream-call', caseId: 'tools.chat-stream', good: [...json(chatCall), DONE] },
    { check: 'tools.chat.stream-parallel', caseId: 'tools.chat-parallel-stream', good: [...json(chatCall), DONE] },
  ];
  it.each(STREAMS)('$check: every event unreadable is bad-stream, not no-call', async ({ check, caseId, good }) => {
    const garbage = await judged(caseId, check, cut(good));
    expect(garbage.observed, garbage.reason).toBe('bad-stream');
    expect(garbage.reason).toMatch(/no tool call could be read: event 0: data is not JSON: \{/);
    // Prose and no call, in a stream that breaks nothing: still no-call.
    const prose = await judged(caseId, check, [...json([chunk({ role: 'assistant', content: 'Sunny.' }), chunk({}, 'stop')]), DONE]);
    expect(prose.observed, prose.reason).toBe('no-call');
  });

  it('the conforming call is still conformant', async () => {
    expect((await judged('tools.chat-stream', 'tools.chat.stream-call', [...json(chatCall), DONE])).observed).toBe('conformant');
  });

  it('counts as unreadable only what the client reads as an object: an event after [DONE] or an Anthropic ping is none', async () => {
    // What follows [DONE] is no concern of a call the client read whole before it.
    expect((await judged('tools.chat-stream', 'tools.chat.stream-call', [...json(chatCall), DONE, { data: 'bye' }])).observed).toBe('conformant');
    const prose = [...json([chunk({ role: 'assistant', content: 'Sunny.' }), chunk({}, 'stop')])];
    const empty = await judged('tools.chat-stream', 'tools.chat.stream-call', [...prose, { data: '' }, DONE]);
    expect(empty.observed, empty.reason).toBe('bad-stream');
    const caseId = (await projectSuites()).suites.cases.find((c) => c.checks.includes('tools.messages.stream-call'))?.id;
    if (!caseId) throw new Error('no bundled case reads tools.messages.stream-call');
    const call = [
      { type: 'message_start', message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city":"Paris"}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ];
    const [start, ...rest] = json(call, true);
    const messagesCall = async (extra: Event) => (await judged(caseId, 'tools.messages.stream-call', [start!, extra, ...rest])).observed;
    expect(await messagesCall({ name: 'ping', data: 'keepalive' })).toBe('conformant');
    expect(await messagesCall({ name: 'content_block_delta', data: 'keepalive' })).toBe('bad-stream');
    // A call the client never reads (unnamed on Messages, after [DONE] on chat) never reached it: bad-stream, not conformant.
    const unnamed = await judged(caseId, 'tools.messages.stream-call', json(call));
    expect(unnamed.observed, unnamed.reason).toBe('bad-stream');
    expect(unnamed.reason).toContain('it has no event: name, and @anthropic-ai/sdk skips such events');
    const late = await judged('tools.chat-stream', 'tools.chat.stream-call', [json(chatCall)[0]!, DONE, ...json(chatCall).slice(1)]);
    expect(late.observed, late.reason).toBe('bad-stream');
    expect(late.reason).toContain('it comes after [DONE], where openai-node stops reading');
  });

  it('messages.thinking-stream: an error event is the endpoint\'s refusal (rejected) or an outage (error), not a cut stream', async () => {
    const [start] = json(messages(true), true);
    const refusal = await judged('messages.thinking-stream', 'messages.thinking-stream', [start!, { name: 'error', data: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'thinking is not supported for this model' } }) }]);
    expect(refusal.observed, refusal.reason).toBe('rejected');
    expect(refusal.reason).toContain('thinking is not supported for this model');
    const overloaded = await judged('messages.thinking-stream', 'messages.thinking-stream', [...json(messages(true), true).slice(0, 3), { name: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) }]);
    expect(overloaded.status, overloaded.reason).toBe('error');
  });
});

describe('messages.thinking-stream on events that cannot be read', () => {
  it('is bad-stream, not "the model chose not to think"; a thinking stream still conformant, a text one inconclusive', async () => {
    const garbage = await judged('messages.thinking-stream', 'messages.thinking-stream', cut(json(messages(true), true)));
    expect(garbage.observed, garbage.reason).toBe('bad-stream');
    expect(garbage.reason).toContain('event 0: data is not JSON');
    const hidden = await judged('messages.thinking-stream', 'messages.thinking-stream', cutOne(json(messages(true), true), 3));
    expect(hidden.observed, hidden.reason).toBe('bad-stream');
    expect((await judged('messages.thinking-stream', 'messages.thinking-stream', json(messages(true), true))).observed).toBe('conformant');
    const text = await judged('messages.thinking-stream', 'messages.thinking-stream', json(messages(false), true));
    expect(text.status, text.reason).toBe('inconclusive');
    // A ping whose data is no JSON is skipped by @anthropic-ai/sdk unread: not unreadable.
    const [start, ...rest] = json(messages(true), true);
    expect((await judged('messages.thinking-stream', 'messages.thinking-stream', [start!, { name: 'ping', data: '' }, ...rest])).observed).toBe('conformant');
    expect((await judged('messages.thinking-stream', 'messages.thinking-stream', [start!, { name: 'ping', data: 'keepalive' }, ...rest])).observed).toBe('conformant');
    const named = await judged('messages.thinking-stream', 'messages.thinking-stream', [start!, { name: 'content_block_delta', data: 'keepalive' }, ...rest]);
    expect(named.observed, named.reason).toBe('bad-stream');
  });
});

describe('reasoning.*-stream on events that cannot be read', () => {
  it('"none" is not observed when events could not be read; a readable stream without reasoning still judged', async () => {
    const caseId = (await projectSuites()).suites.cases.find((c) => c.checks.includes('reasoning.chat-stream-field'))!.id;
    const usage = { ...chunk({}), choices: [], usage: { prompt_tokens: 1, completion_tokens: 30, total_tokens: 31, completion_tokens_details: { reasoning_tokens: 20 } } };
    const good = [...json([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hi' }), chunk({}, 'stop'), usage]), DONE];
    expect((await judged(caseId, 'reasoning.chat-stream-field', good)).observed).toBe('none');
    const garbage = await judged(caseId, 'reasoning.chat-stream-field', cutOne(good, 1));
    expect(garbage.status, garbage.reason).toBe('error');
    expect(garbage.reason).toMatch(/could not observe: no reasoning in the events that could be read, but 1 could not be \(event 1: data is not JSON/);
    // openai-node throws on empty data before [DONE] (reasoning may have been meant there) and reads nothing after it.
    const empty = await judged(caseId, 'reasoning.chat-stream-field', [...good.slice(0, 2), { data: '' }, ...good.slice(2)]);
    expect(empty.status, empty.reason).toBe('error');
    // Reasoning only after [DONE] never reached openai-node: not seen, so not "none" either.
    const after = await judged(caseId, 'reasoning.chat-stream-field', [...good, ...json([chunk({ reasoning_content: 'Hm.' })])]);
    expect(after.status, after.reason).toBe('error');
    expect(after.reason).toContain('after [DONE]');
  });
});

describe('stream.messages: every event named', () => {
  it('is nonconformant when an event has no event: name; the named stream conformant', async () => {
    expect((await judged('messages.thinking-stream', 'stream.messages', json(messages(false), true))).observed).toBe('conformant');
    const unnamed = await judged('messages.thinking-stream', 'stream.messages', json(messages(false)));
    expect(unnamed.observed, unnamed.reason).toBe('nonconformant');
    expect(unnamed.reason).toMatch(/event 0 has no event: name \(nor 5 other event\(s\)\)/);
  });
});
