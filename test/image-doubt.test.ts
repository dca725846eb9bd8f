/**
 * images.seen.* on one simple rule (a third hostile review, 2026-12): `seen` only for a clean answer, the image's colour
 * with no other and no word of doubt; `not-seen` only for a plain statement that no image reached the model; the
 * right colour beside any doubt is `inconclusive`. The reviewer's three lists: guesses that passed `seen`, answers of a
 * model that saw the image that failed `not-seen`, and "never reached me" wordings that passed `seen`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saysNoImage } from '../src/checks/no-image.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { startCaseJudge, type CaseJudge } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const chat = (content: string) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } });
const messages = (text: string) => ({ json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 9 } } });
const seenChat = (answer: string): Promise<CheckResult> => judge.judge('images.chat', 'images.seen.chat', chat(answer), { expected: 'seen' });

describe('seen: a clean answer naming the colour and no other', () => {
  it.each([
    'Green.',
    'green',
    'The image is solid green.',
    'This image is a solid green color.',
    'It appears to be green.',
    'It looks lime green.',
    'Sure! The image is green.',
    'It is green, not red.',
    "It isn't blue, it's green.",
    'The attached image is green.',
  ])('%s', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
    const onMessages = await judge.judge('images.messages', 'images.seen.messages', messages(answer), { expected: 'seen' });
    expect(onMessages.observed, onMessages.reason).toBe('seen');
  });
});

describe('finding 1: the right colour named as a guess is inconclusive, naming the doubt', () => {
  it.each([
    ['Green (just a guess).', 'guess'],
    ['Green \u2014 just a guess.', 'guess'],
    ['Green. Just a guess.', 'guess'],
    ["Green. That's my guess.", 'guess'],
    ['Green (guessing).', 'guessing'],
    ["Green, though I'm guessing.", 'guessing'],
    ["Green, or so I'd guess.", "I'd"],
    ['Green, most likely.', 'likely'],
    ['Green \u2014 most likely.', 'likely'],
    ['Green... probably.', 'probably'],
    ['Green\u2026 probably.', 'probably'],
    ['Green; probably.', 'probably'],
    ['Green: probably.', 'probably'],
    ['Green -- probably.', 'probably'],
    ["Green, but I'm not sure.", 'not'],
    ['Not sure, but green.', 'Not'],
    ["I can't be certain, but green.", "can't"],
    ["I can't be sure \u2014 green.", "can't"],
    ["I think it's green.", 'think'],
    ['Green is a common choice.', 'common'],
    ['It might be green.', 'might'],
  ])('%s', async (answer, word) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toBe(`the image is green; the answer names green but also says ${JSON.stringify(word)}, so whether the image was seen cannot be told: ${JSON.stringify(answer)}`);
  });

  it('a question mark is doubt too: "Green? Definitely."', async () => {
    const result = await seenChat('Green? Definitely.');
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('but also says a question mark');
  });
});

describe("finding 2: a model that saw the image is never not-seen", () => {
  it.each([
    "The image isn't empty \u2014 it's solid green.",
    "I can't view the picture (it's only 64x64 pixels) in more detail, but it is green.",
    "I can't read the image (no text in it), but the colour is green.",
    "I can't see the image \u2014 at least not in detail \u2014 but it's green.",
    "I can't see the image (in detail), but it's green.",
    "Green (I'm a vision model, not just a text model).",
    'Unlike a text model, I can see images: this one is green.',
  ])('%s', async (answer) => {
    expect(saysNoImage(answer)).toBe(false);
    const result = await seenChat(answer);
    expect(['seen', null], result.reason).toContain(result.observed);
    expect(result.status).not.toBe('fail');
  });
});

describe('finding 3: "the image never reached me" is not-seen, never seen', () => {
  it.each([
    "I'm unable to see the image you've uploaded, but green is a common test colour.",
    "I can't see the image you've uploaded. Green.",
    "I cannot see the image you've shared with me. Green.",
    "There's no image attached to your question. Green.",
    'The image is missing. Green.',
    'The image failed to load on my side. Green.',
    "Looks like the image didn't make it through. Green.",
    "I don't actually have the ability to see images. Green.",
    "I don't have the capability of viewing images. Green.",
    "The image couldn't be loaded. Green.",
  ])('%s', async (answer) => {
    expect(saysNoImage(answer)).toBe(true);
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });
});

describe('no-image wording the patterns leave out falls to inconclusive, never seen', () => {
  it.each([
    "I'm not able to see images\u2014green.",
    "I can't see images - green",
    'The image is blank on my end. Green.',
    "I'm not sure if I can see the image. Green.",
    "I'm not sure the image came through. Green.",
  ])('%s', async (answer) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });
});

describe('a fourth review (2026-12): a model that saw green is not not-seen for a bare "it" or what follows a comma', () => {
  it.each([
    "The image is solid green. If there's any gradient or texture, I can't see it.",
    "Green. Any texture? I can't see it.",
    "Green; shading, if any, I can't see it.",
    "Green. There isn't any picture in it.",
    "It doesn't contain any image of objects, only colour.",
    'Green (no image, plain fill).',
    'Green \u2014 no picture, just colour.',
    'No image, just solid green.',
    "I can't see any image, just a green square.",
  ])('%s', async (answer) => {
    expect(saysNoImage(answer)).toBe(false);
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });
});

describe('a fourth review (2026-12): words of absence or guessing the lists missed are doubt, never seen', () => {
  it.each([
    ["I'm blind to images. Green.", 'blind'],
    ['I lack vision. Green.', 'lack'],
    ['The image is absent. Green.', 'absent'],
    ['Images are invisible to me. Green.', 'invisible'],
    ["Chances are it's green.", 'Chances'],
    ["Odds are it's green.", 'Odds'],
    ["I suspect it's green.", 'suspect'],
    ['My hunch: green.', 'hunch'],
    ['Green (a coin toss).', 'coin'],
    ['Green, hypothetically.', 'hypothetically'],
    ['Green, speculatively.', 'speculatively'],
    ["I'll go with green.", "I'll"],
    ['Green, I expect.', 'expect'],
    ['Green is my best shot.', 'shot'],
  ])('%s', async (answer, word) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`but also says ${JSON.stringify(word)}`);
  });
});

describe('a wrong colour keeps its verdict: not-seen, doubt or not', () => {
  it.each(['Red.', 'Probably red.', "I think it's blue."])('%s', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });
});
