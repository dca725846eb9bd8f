/**
 * Verdicts against a misbehaving model, on the suites' own requests answered by a local server on port 0 (a hostile
 * review, 2026-12): an image answer that says no image came, or guesses the colour, is no `seen`; a thinking block
 * signed but with no thinking text is no `conformant` (inconclusive: the request did not ask to see the thinking), and
 * a redacted one shows nothing of how thinking streams (inconclusive); a complete forced call in an answer the budget ended gets the same verdict streamed as whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saysNoImage } from '../src/checks/no-image.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { Expected } from '../src/suite/expected.ts';
import { startCaseJudge, type CaseJudge, type ScriptedAnswer, type ScriptedEvents } from './helpers/case-judge.ts';

type Events = ScriptedEvents;

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

/** Sends the suite case's first request to the local server and judges the answer with one check against `expected`. */
function judgeCase(caseId: string, checkId: string, answer: ScriptedAnswer, expected: Expected): Promise<CheckResult> {
  return judge.judge(caseId, checkId, answer, { expected });
}

describe('images.seen.*: an answer that says it has no image, or guesses, is not seen', () => {
  const answers = {
    chat: (content: string) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } }),
    messages: (text: string) => ({ json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 9 } } }),
  };
  const check = (api: keyof typeof answers, answer: string) => judgeCase(`images.${api}`, `images.seen.${api}`, answers[api](answer), 'seen');

  it.each(['chat', 'messages'] as const)('%s: a plain answer naming the colour is seen', async (api) => {
    for (const answer of ['Green.', 'green', 'The image is solid green.', 'The image appears to be green.', 'It looks lime green.']) {
      expect(await check(api, answer), answer).toMatchObject({ status: 'pass', observed: 'seen' });
    }
  });

  // Not-seen before a fifth review (2026-12): an answer naming the image's colour is never not-seen, whatever else it says.
  it.each(['chat', 'messages'] as const)('%s: saying there is no image, then guessing the right colour, is inconclusive', async (api) => {
    for (const answer of [
      "I don't have the image, so I'll guess: green.",
      "Without being able to view the picture, I'd guess green.",
      "I can't actually see the image, but green is a common choice.",
      "As an AI, I have no eyes, but it's probably green.",
      'I only see text in your message. Green?',
      "There's no picture here that I can see; green.",
    ]) {
      const result = await check(api, answer);
      expect(result.status, `${answer}: ${result.reason}`).toBe('inconclusive');
      expect(result.reason, answer).toContain('the answer names green but also says');
    }
  });

  it.each(['chat', 'messages'] as const)('%s: the right colour marked as a guess is inconclusive, never seen', async (api) => {
    for (const [answer, mark] of [
      ["It's probably green.", '"probably"'],
      ['Green is a common choice.', '"common"'],
      ['My guess is green.', '"My"'],
      ['It is likely green.', '"likely"'],
      ['It might be green.', '"might"'],
      ["I'd say green, but I'm not sure.", `"I'd"`],
      ['Green?', 'a question mark'],
    ] as const) {
      const result = await check(api, answer);
      expect(result.status, `${answer}: ${result.reason}`).toBe('inconclusive');
      expect(result.reason).toBe(`the image is green; the answer names green but also says ${mark}, so whether the image was seen cannot be told: ${JSON.stringify(answer)}`);
    }
  });
});

describe('saysNoImage, widened: plain absence reads as no image; a hedge about an image seen still does not', () => {
  it.each([
    "I don't have the image, so I'll guess: green.",
    "I do not have the picture you sent.",
    'Without being able to view the picture, I would guess green.',
    'Without access to the image, I cannot say.',
    "I can't actually see the image, but green is a common choice.",
    'As an AI, I have no eyes.',
    "I don't have eyes.",
    'I only see text in your message.',
    "There's no picture here that I can see.",
  ])('no image: %s', (answer) => expect(saysNoImage(answer)).toBe(true));

  it.each([
    "I don't have the image data, but it looks green.",
    "I don't have the image in higher resolution, but it's green.",
    "I don't have the exact hex code of the image, but it's green.",
    'Without being able to view the image at full resolution, it looks green.',
    'Without zooming into the image, it looks green.',
    "I can't see it being anything but green.",
    "Green. I can't see it as anything else.",
    "I don't see it any other way: green.",
    "Green \u2014 I don't have access to the original file, only the rendered image.",
    // A bare "it" may be a texture or a detail of the image seen ("Any texture? I can't see it."): left to the doubt rule.
    "I can't actually see it, but green is a common choice.",
    "I'm not able to view it.",
  ])('a hedge: %s', (answer) => expect(saysNoImage(answer)).toBe(false));
});

/** A Messages stream of the blocks given, ending as a turn does. */
function messagesStream(blocks: Record<string, unknown>[][], stop = 'end_turn'): Events {
  const events: Events = [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  blocks.forEach(([start, ...deltas], index) => {
    events.push({ type: 'content_block_start', index, content_block: start });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
  });
  return [...events, { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 9 } }, { type: 'message_stop' }];
}

describe('messages.thinking-stream: what was not streamed is not conformant', () => {
  const text = [{ type: 'text', text: '' }, { type: 'text_delta', text: '0.05' }];
  const signature = { type: 'signature_delta', signature: 'EqQBCgIYAhIM' };
  const judgeThinking = (blocks: Record<string, unknown>[][]) => judgeCase('messages.thinking-stream', 'messages.thinking-stream', { events: messagesStream(blocks) }, 'conformant');

  it('thinking_delta fragments and a signature_delta are conformant', async () => {
    const thought = [{ type: 'thinking', thinking: '', signature: '' }, { type: 'thinking_delta', thinking: 'The ball' }, { type: 'thinking_delta', thinking: ' costs 0.05.' }, signature];
    expect(await judgeThinking([thought, text])).toMatchObject({ status: 'pass', observed: 'conformant' });
  });

  // The suite's request sets no thinking.display, whose default is "omitted" on the newest Claude models: the empty
  // signed block is then what the model was asked for (vb2-verdict-scope.test.ts has the request that asks to see it).
  it('a signed thinking block with no thinking text is inconclusive when the request did not ask to see it, with or without empty deltas', async () => {
    for (const thought of [[{ type: 'thinking', thinking: '', signature: '' }, signature], [{ type: 'thinking', thinking: '', signature: '' }, { type: 'thinking_delta', thinking: '' }, signature]]) {
      const result = await judgeThinking([thought, text]);
      expect(result.status, result.reason).toBe('inconclusive');
      expect(result.reason).toContain('thinking block 0 signed but with no thinking text');
      expect(result.reason).toContain('thinking.display');
    }
  });

  it('a redacted_thinking block as the only thinking is inconclusive: neither delta was seen', async () => {
    const result = await judgeThinking([[{ type: 'redacted_thinking', data: 'EuYBCkQYAiJA' }], text]);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('redacted_thinking');
    expect(result.reason).toContain('was not seen');
  });
});

describe('a forced call in an answer the budget ended: streamed as whole', () => {
  const CITY = '{"city": "Paris"}';
  const CUT = '{"city": "Pa';
  const chatWhole = (args: string) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } }] }, finish_reason: 'length' }], usage: { prompt_tokens: 9, completion_tokens: 128, total_tokens: 137 } } });
  const chatStream = (args: string): { events: Events } => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
    const fragments = [args.slice(0, 5), args.slice(5)];
    return { events: [chunk({ role: 'assistant', content: null }), chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }), ...fragments.map((a) => chunk({ tool_calls: [{ index: 0, function: { arguments: a } }] })), chunk({}, 'length'), { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 9, completion_tokens: 128, total_tokens: 137 } }, '[DONE]'] };
  };
  const item = (args: string) => ({ id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'get_weather', arguments: args });
  const incomplete = (args: string) => ({ id: 'resp_1', object: 'response', created_at: 1, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, model: 'm', output: [item(args)], usage: { input_tokens: 9, output_tokens: 128, total_tokens: 137 } });
  const responsesStream = (args: string): { events: Events } => ({
    events: [
      { type: 'response.created', response: { ...incomplete(args), status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { ...item(args), status: 'in_progress', arguments: '' } },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: args },
      { type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 0, name: 'get_weather', arguments: args },
      { type: 'response.output_item.done', output_index: 0, item: item(args) },
      { type: 'response.incomplete', response: incomplete(args) },
    ].map((event, sequence_number) => ({ ...event, sequence_number })),
  });

  it.each([
    { api: 'chat', whole: ['tools.chat', 'tools.chat.forced-call', chatWhole], stream: ['tools.chat-stream', 'tools.chat.stream-call', chatStream] },
    { api: 'responses', whole: ['tools.responses', 'tools.responses.forced-call', (a: string) => ({ json: incomplete(a) })], stream: ['tools.responses-stream', 'tools.responses.stream-call', responsesStream] },
  ] as const)('$api: a complete call is conformant both ways; one cut short is inconclusive both ways', async ({ whole, stream }) => {
    const [wholeCase, wholeCheck, wholeAnswer] = whole;
    const [streamCase, streamCheck, streamAnswer] = stream;
    const complete = [await judgeCase(wholeCase, wholeCheck, wholeAnswer(CITY), 'conformant'), await judgeCase(streamCase, streamCheck, streamAnswer(CITY), 'conformant')];
    for (const result of complete) expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(complete[1]!.reason).toContain('after the call was complete');
    const cut = [await judgeCase(wholeCase, wholeCheck, wholeAnswer(CUT), 'conformant'), await judgeCase(streamCase, streamCheck, streamAnswer(CUT), 'conformant')];
    for (const result of cut) {
      expect(result.status, result.reason).toBe('inconclusive');
      expect(result.reason).toMatch(/may have been cut short before the budget ran out$/);
    }
  });

  it('messages: a complete tool_use in a turn the budget ended is inconclusive both ways (stop_reason "tool_use" never came)', async () => {
    const use = { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } };
    const whole = await judgeCase('tools.messages', 'tools.messages.forced-call', { json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [use], stop_reason: 'max_tokens', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 128 } } }, 'conformant');
    const streamed = await judgeCase('tools.messages-stream', 'tools.messages.stream-call', { events: messagesStream([[{ ...use, input: {} }, { type: 'input_json_delta', partial_json: '{"city": ' }, { type: 'input_json_delta', partial_json: '"Paris"}' }]], 'max_tokens') }, 'conformant');
    for (const result of [whole, streamed]) {
      expect(result.status, result.reason).toBe('inconclusive');
      expect(result.reason).toContain('did not get to stop_reason "tool_use"');
    }
  });
});
