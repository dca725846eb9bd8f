/**
 * Verdicts that blame the endpoint only for what it did (a second hostile review of the misbehaving-model verdicts,
 * 2026-12), on the suites' own requests answered by a local server on port 0: an empty signed thinking block is the
 * endpoint's loss only when the request asked to see the thinking; a thought that came whole in content_block_start
 * did not stream; an image answer that says no image came is not-seen, and the right colour beside any doubt is
 * inconclusive; and a stream rule broken before the budget ran out stays a fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { startCaseJudge, type CaseJudge, type ScriptedAnswer, type ScriptedEvents } from './helpers/case-judge.ts';

type Events = ScriptedEvents;
type Answer = ScriptedAnswer;

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

/**
 * Sends the suite case's first request (its body changed by `edit`, when given) and judges the answer with one check
 * against `expected` ("conformant" unless given).
 */
function judgeCase(caseId: string, checkId: string, answer: Answer, edit?: (body: Record<string, unknown>) => void, expected = 'conformant'): Promise<CheckResult> {
  return judge.judge(caseId, checkId, answer, { expected, ...(edit ? { edit } : {}) });
}

/** A Messages stream of the blocks given (each its start, then its deltas), ending with `stop`. */
function messagesStream(blocks: Record<string, unknown>[][], stop = 'end_turn'): { events: Events } {
  const events: Events = [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  blocks.forEach(([start, ...deltas], index) => {
    events.push({ type: 'content_block_start', index, content_block: start });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
  });
  return { events: [...events, { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }] };
}

describe('messages.thinking-stream: an empty signed block, and a thought that did not stream', () => {
  const signature = { type: 'signature_delta', signature: 'EqQBCgIYAhIM' };
  const empty = [{ type: 'thinking', thinking: '', signature: '' }, signature];
  const thought = [{ type: 'thinking', thinking: '', signature: '' }, { type: 'thinking_delta', thinking: 'The ball costs 0.05.' }, signature];
  const redacted = [{ type: 'redacted_thinking', data: 'EuYBCkQYAiJA' }];
  const text = [{ type: 'text', text: '' }, { type: 'text_delta', text: '0.05' }];
  const judgeThinking = (blocks: Record<string, unknown>[][], display?: string) =>
    judgeCase('messages.thinking-stream', 'messages.thinking-stream', messagesStream(blocks), display ? (body) => Object.assign(body.thinking as object, { display }) : undefined);

  it('the display-omitted stream (empty start, a signature_delta, no thinking_delta) is inconclusive, naming display, when the request set none', async () => {
    const result = await judgeThinking([empty, text]);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('did not set thinking.display');
    expect(result.reason).toContain('"omitted"');
    const omitted = await judgeThinking([empty, text], 'omitted');
    expect(omitted.status, omitted.reason).toBe('inconclusive');
    expect(omitted.reason).toContain('the request set thinking.display "omitted"');
  });

  it('the same stream is signed-empty (fail) when the request asked to see the thinking (display "summarized")', async () => {
    const result = await judgeThinking([empty, text], 'summarized');
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'signed-empty' });
    expect(result.reason).toContain('asked for thinking.display "summarized"');
    expect(await judgeThinking([thought, text], 'summarized')).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  it('mixed: a block with text beside an empty signed one is judged on the text (conformant); an empty one beside redacted_thinking is inconclusive', async () => {
    const mixed = await judgeThinking([thought, empty, text]);
    expect(mixed, mixed.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(mixed.reason).toContain('only the blocks with text are judged');
    expect((await judgeThinking([empty, redacted, text])).status).toBe('inconclusive');
  });

  it('thinking text whole in content_block_start, with no thinking_delta, is bad-stream, not conformant', async () => {
    for (const stop of ['end_turn', 'max_tokens']) {
      const result = await judgeCase('messages.thinking-stream', 'messages.thinking-stream', messagesStream([[{ type: 'thinking', thinking: 'Let me think', signature: '' }, signature], text], stop));
      expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
      expect(result.reason).toContain('thinking block 0 carries its thinking in content_block_start');
    }
  });
});

describe('images.seen.chat: no-image wording read within a clause, and the right colour beside any doubt', () => {
  const chat = (content: string): Answer => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } });
  const check = (answer: string) => judgeCase('images.chat', 'images.seen.chat', chat(answer), undefined, 'seen');

  it.each([
    "(I can't see images.) Green",
    "Images aren't visible to me. Green.",
    "I can't see what you attached. Green.",
    'Without seeing the image, green.',
    'Green. I have no way of viewing images, though.',
    "Green (I'm just a text model)",
  ])('no image, then the right colour: inconclusive (not-seen before a fifth review, 2026-12), red: not-seen: %s', async (answer) => {
    const result = await check(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    const red = await check(answer.replace(/green/i, 'red'));
    expect(red, red.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });

  // A dash no longer ends a clause (it cut qualifiers off: "I can't see the image \u2014 at least not in detail \u2014 but
  // it's green" read as no image): these fall to the doubt rule, inconclusive, never seen.
  it.each(["I'm not able to see images\u2014green.", "I can't see images - green", "I can't see images \u2013 green", 'Hard to say without seeing it. Green.'])('set apart by a dash, inconclusive: %s', async (answer) => {
    const result = await check(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it.each([
    ["I can't really tell, green", "can't"],
    ['If I had to pick: green.', 'If'],
    ['Green is my best estimate.', 'my'],
    ['My best estimate is green.', 'My'],
    ['Green, probably.', 'probably'],
    ['Green. Probably.', 'Probably'],
    ["I'd guess green.", "I'd"],
    // A hedge that seems to be about something else is doubt all the same: no list of phrasings tells which it governs.
    ['The image shows a solid green color, likely a test image.', 'likely'],
    ['Green, likely a placeholder image.', 'likely'],
    ['Green. Could be used as a background.', 'Could'],
    ['Green. No guessing needed.', 'No'],
    ['Green (it could be lime, but green is the name).', 'could'],
    ["It's green \u2014 probably #00FF00.", 'probably'],
  ])('doubt, inconclusive: %s', async (answer, word) => {
    const result = await check(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`the answer names green but also says ${JSON.stringify(word)}`);
  });

  it('a question answered is still a question mark: "Is it green? Yes." is inconclusive', async () => {
    const result = await check('Is it green? Yes.');
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('a question mark');
  });
});

describe('a stream rule broken before the budget ran out is bad-stream; what the budget explains yields to it', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  const usage = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 9, completion_tokens: 128, total_tokens: 137 } };
  const chatStream = (finish: string, first: Record<string, unknown>, second: Record<string, unknown> = {}, args = '{"city": "Paris"}'): Answer => ({
    events: [chunk({ role: 'assistant', tool_calls: [{ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' }, ...first }] }), chunk({ tool_calls: [{ index: 0, ...second, function: { arguments: args } }] }), chunk({}, finish), usage, '[DONE]'],
  });
  const chatCall = (answer: Answer) => judgeCase('tools.chat-stream', 'tools.chat.stream-call', answer);

  it.each(['tool_calls', 'length'])('chat, finish_reason %s: a first delta without its id, or an id that changes, is bad-stream', async (finish) => {
    const noId = await chatCall(chatStream(finish, {}));
    expect(noId, noId.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(noId.reason).toContain('the first delta of call 0 lacks id');
    const changed = await chatCall(chatStream(finish, { id: 'call_1' }, { id: 'call_2' }));
    expect(changed, changed.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(changed.reason).toContain('changes id from "call_1" to "call_2"');
  });

  it('chat, finish_reason "length": arguments cut short stay inconclusive (the budget explains them)', async () => {
    const cut = await chatCall(chatStream('length', { id: 'call_1' }, {}, '{"city": "Pa'));
    expect(cut.status, cut.reason).toBe('inconclusive');
    expect(cut.reason).toMatch(/may have been cut short before the budget ran out$/);
  });

  it('messages, stop_reason "max_tokens": input in content_block_start is bad-stream; a well-streamed call is inconclusive, as its whole body', async () => {
    const use = { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } };
    const inStart = await judgeCase('tools.messages-stream', 'tools.messages.stream-call', messagesStream([[use]], 'max_tokens'));
    expect(inStart, inStart.reason).toMatchObject({ status: 'fail', observed: 'bad-stream' });
    expect(inStart.reason).toContain('carries its input in content_block_start');
    const streamed = await judgeCase('tools.messages-stream', 'tools.messages.stream-call', messagesStream([[{ ...use, input: {} }, { type: 'input_json_delta', partial_json: '{"city": "Paris"}' }]], 'max_tokens'));
    const whole = await judgeCase('tools.messages', 'tools.messages.forced-call', { json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [use], stop_reason: 'max_tokens', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 128 } } });
    for (const result of [streamed, whole]) expect(result.status, result.reason).toBe('inconclusive');
  });
});
