/**
 * Streams the endpoint cut off cleanly (review of a model played by hand behind a truncating proxy): a tool stream
 * that ends after its first event, or holds no event at all, shows no choice of the model, so it is `bad-stream`
 * naming what its ending lacks, never `no-call` (which an expectation allowing no-call would pass). A thinking stream
 * that ends with its thinking block open is `bad-stream`, not `no-signature`; one that ends after message_start or
 * holds no event is `bad-stream`, not "the model chose not to think". Prose that ends properly is still `no-call`, a
 * text block still the model's choice, a stall still an `error`.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, Expectation } from '../src/checks/types.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

type Json = Record<string, unknown>;

/** `check` on the stream `events` (named by their type on Messages) answering case `caseId`'s own request. */
async function judged(caseId: string, check: string, events: Json[], options: { stall?: boolean; expectation?: Expectation } = {}): Promise<CheckResult> {
  const at = await caseStep(caseId);
  const named = at.spec.api === 'messages';
  const exchange = answeredWith(at, { sse: sseText(events.map((e) => ({ data: JSON.stringify(e), ...(named ? { name: String(e.type) } : {}) }))) });
  if (options.stall) exchange.response!.stalledAfterMs = 300;
  return judgeOn(check, caseId, at.spec.api, [exchange], { expectation: options.expectation ?? null });
}

const chunk = (delta: Json, finish_reason: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason }] });
const chatCall = [chunk({ role: 'assistant', content: '' }), chunk({ tool_calls: [{ index: 0, id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }), chunk({}, 'tool_calls')];
const chatProse = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'It is sunny.' }), chunk({}, 'stop')];

const response = (status: string, output: Json[]) => ({ id: 'r', object: 'response', created_at: 1, status, model: 'm', output });
const responsesProse = [
  { type: 'response.created', sequence_number: 0, response: response('in_progress', []) },
  { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'It is sunny.' },
  { type: 'response.completed', sequence_number: 2, response: response('completed', [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is sunny.', annotations: [] }] }]) },
];

const messageStart = { type: 'message_start', message: { id: 'msg', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };
const ending = (stop_reason: string) => [{ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }];
const block = (index: number, content_block: Json, deltas: Json[]) => [{ type: 'content_block_start', index, content_block }, ...deltas.map((delta) => ({ type: 'content_block_delta', index, delta })), { type: 'content_block_stop', index }];
const messagesProse = [messageStart, ...block(0, { type: 'text', text: '' }, [{ type: 'text_delta', text: 'It is sunny.' }]), ...ending('end_turn')];

const TOOLS = [
  { check: 'tools.chat.stream-call', caseId: 'tools.chat-stream', first: chatCall[0]!, prose: chatProse, missing: 'no chunk carries a finish_reason and no [DONE] ends the stream' },
  { check: 'tools.chat.stream-parallel', caseId: 'tools.chat-parallel-stream', first: chatCall[0]!, prose: chatProse, missing: 'no chunk carries a finish_reason and no [DONE] ends the stream' },
  { check: 'tools.responses.stream-call', caseId: 'tools.responses-stream', first: responsesProse[0]!, prose: responsesProse, missing: 'no terminal event (response.completed, response.incomplete or response.failed)' },
  { check: 'tools.messages.stream-call', caseId: 'tools.messages-stream', first: messageStart, prose: messagesProse, missing: 'no message_delta with a stop_reason' },
];
const escaped = (text: string) => text.replace(/[()[\]]/g, '\\$&');

describe('a tool stream the endpoint cut off before the model chose', () => {
  it.each(TOOLS)('$check: cut after its first event, or empty, is bad-stream naming what is missing; prose that ends is no-call', async ({ check, caseId, first, prose, missing }) => {
    for (const events of [[first], []]) {
      const cut = await judged(caseId, check, events);
      expect(cut, cut.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
      expect(cut.reason).toMatch(new RegExp(`the stream ended before its end \\(${escaped(missing)}\\) with no tool call read$`));
    }
    // Where no-call is allowed, the cut stream is still no pass: the choice the expectation allows was never seen.
    const allowed = await judged(caseId, check, [first], { expectation: { value: ['conformant', 'no-call'], source: 'test' } });
    expect(allowed, allowed.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    const answered = await judged(caseId, check, prose);
    expect(answered, answered.reason).toMatchObject({ status: 'fail', observed: 'no-call' });
  });

  it.each(TOOLS)('$check: the same cut stream left silent is an error (the endpoint stalled)', async ({ check, caseId, first }) => {
    const stalled = await judged(caseId, check, [first], { stall: true });
    expect(stalled.status, stalled.reason).toBe('error');
    expect(stalled.reason).toMatch(/^could not observe: the stream stalled: no data for 300 ms after 1 event\(s\)/);
  });

  it('tools.chat.stream-call: prose without finish_reason but ended by [DONE] is still no-call (the answer was whole)', async () => {
    const at = await caseStep('tools.chat-stream');
    const events = [...chatProse.slice(0, 2).map((e) => ({ data: JSON.stringify(e) })), { data: '[DONE]' }];
    const ended = await judgeOn('tools.chat.stream-call', 'tools.chat-stream', 'chat-completions', [answeredWith(at, { sse: sseText(events) })]);
    expect(ended, ended.reason).toMatchObject({ status: 'fail', observed: 'no-call' });
    expect(ended.reason).toMatch(/no tool call; no chunk carries a finish_reason$/);
  });

  it('a conforming call is still conformant', async () => {
    const good = await judged('tools.chat-stream', 'tools.chat.stream-call', chatCall);
    expect(good.observed, good.reason).toBe('conformant');
  });
});

describe('messages.thinking-stream on a stream the endpoint cut off', () => {
  const thinking = (deltas: Json[]) => [messageStart, { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }, ...deltas.map((delta) => ({ type: 'content_block_delta', index: 0, delta }))];
  const thoughts = [{ type: 'thinking_delta', thinking: 'Hm, ' }, { type: 'thinking_delta', thinking: 'the ball.' }];
  const signature = { type: 'signature_delta', signature: 'EqQB' };
  const judge = (events: Json[], stall = false) => judged('messages.thinking-stream', 'messages.thinking-stream', events, { stall });

  it('ending with the thinking block open is bad-stream, not no-signature; a block closed unsigned is still no-signature', async () => {
    const open = await judge(thinking(thoughts));
    expect(open, open.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(open.reason).toMatch(/block 0: 2 thinking_delta\(s\); the stream ended with thinking block 0 open \(no content_block_stop, no message_delta or message_stop\)$/);
    const unsigned = await judge([...thinking(thoughts), { type: 'content_block_stop', index: 0 }, ...ending('end_turn')]);
    expect(unsigned.observed, unsigned.reason).toBe('no-signature');
    const signed = await judge([...thinking([...thoughts, signature]), { type: 'content_block_stop', index: 0 }, ...ending('end_turn')]);
    expect(signed.observed, signed.reason).toBe('conformant');
    expect((await judge(thinking(thoughts), true)).status).toBe('error');
  });

  it('empty, or cut after message_start, is bad-stream, not the model choosing not to think; a text block still is that choice', async () => {
    for (const events of [[], [messageStart]]) {
      const cut = await judge(events);
      expect(cut, cut.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
      expect(cut.reason).toMatch(new RegExp(`the stream ended after ${events.length} event\\(s\\), before any content block and without message_delta or message_stop$`));
    }
    const text = await judge(messagesProse);
    expect(text.status, text.reason).toBe('inconclusive');
    expect(text.reason).toContain('the model chose not to think');
    expect((await judge([messageStart], true)).status).toBe('error');
  });
});
