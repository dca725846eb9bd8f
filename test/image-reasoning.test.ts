/**
 * images.seen.* reads the model's reasoning: a model whose image the endpoint dropped reasons "there's no image
 * attached, I'll guess" and answers "Green". A clean answer naming the image's colour is then `inconclusive` (the
 * colour was a guess), never `seen` and never `not-seen`; reasoning that describes the image, or says nothing of it,
 * changes nothing. Reasoning is read wherever each API puts it: `<think>` in chat content, message.reasoning /
 * reasoning_content, Responses reasoning items (summary, content) and commentary messages, Messages thinking blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reasoningNoImage } from '../src/checks/reasoning-no-image.ts';
import { reasoningText } from '../src/checks/reasoning-text.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { chatAnswer, startCaseJudge, type CaseJudge } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const SAW = 'The user wants the colour. The image shows a solid green square.';
const DROPPED = "There's no image attached to the user's message, so I'll have to guess. Green is a common test colour.";
const GUESS_REASON = "the model's reasoning says no image reached it";

const chat = chatAnswer;
const answerItem = (text: string, phase?: string) => ({ type: 'message', id: `msg_${text.length}`, role: 'assistant', status: 'completed', ...(phase ? { phase } : {}), content: [{ type: 'output_text', text, annotations: [] }] });
const response = (output: unknown[]) => ({ json: { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model: 'm', output, usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32 } } });
const summary = (text: string) => ({ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text }] });
const messages = (blocks: unknown[]) => ({ json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: blocks, stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 9 } } });
const thinking = (text: string) => ({ type: 'thinking', thinking: text, signature: 'sig' });
const text = (value: string) => ({ type: 'text', text: value });

const CASES = {
  chat: ['images.chat', 'images.seen.chat'],
  responses: ['images.responses', 'images.seen.responses'],
  messages: ['images.messages', 'images.seen.messages'],
} as const;
const seen = (api: keyof typeof CASES, answer: Parameters<CaseJudge['judge']>[2]): Promise<CheckResult> => judge.judge(CASES[api][0], CASES[api][1], answer, { expected: 'seen' });

/** Each API's places for reasoning, as a body answering `answer` after `reasoning`. */
const PLACES: [string, keyof typeof CASES, (reasoning: string, answer: string) => Parameters<CaseJudge['judge']>[2]][] = [
  ['chat <think> in content', 'chat', (r, a) => chat({ content: `<think>${r}</think>${a}` })],
  ['chat </think> only (template opened it)', 'chat', (r, a) => chat({ content: `${r}</think>\n\n${a}` })],
  ['chat message.reasoning_content', 'chat', (r, a) => chat({ content: a, reasoning_content: r })],
  ['chat message.reasoning', 'chat', (r, a) => chat({ content: a, reasoning: r })],
  ['responses reasoning summary', 'responses', (r, a) => response([summary(r), answerItem(a)])],
  ['responses reasoning content', 'responses', (r, a) => response([{ type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: r }] }, answerItem(a)])],
  ['responses commentary message', 'responses', (r, a) => response([answerItem(r, 'commentary'), answerItem(a, 'final_answer')])],
  ['responses <think> in output_text', 'responses', (r, a) => response([answerItem(`<think>${r}</think>${a}`)])],
  ['messages thinking block', 'messages', (r, a) => messages([thinking(r), text(a)])],
  ['messages <think> in a text block', 'messages', (r, a) => messages([text(`<think>${r}</think>${a}`)])],
];

describe('a clean right colour after reasoning that says no image came is inconclusive, not seen', () => {
  it.each(PLACES)('%s', async (_where, api, body) => {
    const guessed = await seen(api, body(DROPPED, 'Green.'));
    expect(guessed.status, guessed.reason).toBe('inconclusive');
    expect(guessed.observed).toBeNull();
    expect(guessed.reason).toContain(GUESS_REASON);
    expect(guessed.reason).toContain('so green may be a guess');
    // The same answer after reasoning that describes the image passes.
    const described = await seen(api, body(SAW, 'Green.'));
    expect(described, described.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });
});

describe('reasoning that describes the image, or says nothing of it, changes nothing', () => {
  it.each([
    ['chat', chat({ content: 'Green', reasoning_content: 'The user wants a short answer.' })],
    ['chat', chat({ content: '<think>The image is green, no text.</think>Green' })],
    ['chat', chat({ content: 'Green', reasoning: "I can see the image clearly: it's green. No text, no objects." })],
    ['chat', chat({ content: 'Green', reasoning: 'Is there no image? No, there is one: a plain green square.' })],
    ['responses', response([summary('**Identifying the colour**\n\nThe picture is a uniform green.'), answerItem('Green')])],
    ['responses', response([{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA' }, answerItem('Green')])],
    ['messages', messages([{ type: 'redacted_thinking', data: 'EmwKAhgB' }, text('Green')])],
    ['messages', messages([thinking('The image shows a solid green square.'), text('The image is solid green.')])],
  ] as const)('%s %#', async (api, body) => {
    const result = await seen(api, body);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });
});

describe('the other verdicts keep their rules', () => {
  it('a far colour after no-image reasoning is still not-seen (the answer names another colour)', async () => {
    const result = await seen('messages', messages([thinking(DROPPED), text('Red.')]));
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });

  it('no colour named after no-image reasoning stays inconclusive: reasoning alone never blames the endpoint', async () => {
    const result = await seen('chat', chat({ content: 'Sorry.', reasoning_content: DROPPED }));
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
  });

  it('the right colour beside other words keeps its own reason', async () => {
    const result = await seen('chat', chat({ content: 'Green, probably.', reasoning_content: DROPPED }));
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('but also says "probably"');
  });
});

describe('reasoningNoImage: reasoning wordings of a dropped image, and wordings that are not', () => {
  it.each([
    'There is no image attached.',
    "The user hasn't provided an image.",
    "The user hasn't actually attached an image, so I'll just guess.",
    "I can't see any image.",
    'No image was included.',
    "I don't see an image in the user's message",
    'Hmm, the user mentions an image but there is no image in the message. I will answer green.',
    'The user asks for a colour\n\nno image attached\n\nI must guess',
  ])('says no image: %s', (reasoning) => {
    expect(reasoningNoImage(reasoning)).toBeTruthy();
  });

  it.each([
    'The image is green, no text.',
    'The image shows a solid green square.',
    'The user wants a short answer.',
    'The user asks for the colour of the image. It is a 64x64 PNG.',
    'Is there no image? No: it is a plain green square.',
    "There's no text in the image, just green.",
    "I can't see the image in full detail, but it's green.",
    "The user didn't ask about the image's size.",
  ])('does not: %s', (reasoning) => {
    expect(reasoningNoImage(reasoning)).toBeUndefined();
  });

  it('quotes the clause that says it', () => {
    expect(reasoningNoImage(DROPPED)).toBe("There's no image attached to the user's message, so I'll have to guess");
  });

  it('reasoningText gathers every place and leaves the answer out', () => {
    const body = { choices: [{ message: { content: '<think>a</think>Green', reasoning: 'b', reasoning_content: 'c', reasoning_details: [{ type: 'reasoning.text', text: 'd' }] } }] };
    expect(reasoningText(body)).toBe('a\n\nb\n\nc\n\nd');
    expect(reasoningText({ content: [thinking('e'), { type: 'redacted_thinking', data: 'x' }, text('Green')] })).toBe('e');
    expect(reasoningText({ output: [summary('f'), answerItem('g', 'commentary'), answerItem('Green', 'final_answer')] })).toBe('f\n\ng');
  });
});
