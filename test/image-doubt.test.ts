/**
 * images.seen.* on a closed rule (a fifth hostile review, 2026-12, after four rounds of phrase lists): `seen` only for
 * an answer made of allowed words alone (the image's colour and a few neutral words, colour-answer.ts); `not-seen` only
 * for an answer that does not name the image's colour (another colour, or no image and no colour); the right colour
 * beside any other word is `inconclusive`. The reviewers' lists: guesses that passed `seen`, answers of a model that
 * saw the image that failed `not-seen`, and "never reached me" wordings that passed `seen`.
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

describe('seen: an answer of the colour and allowed words alone', () => {
  it.each([
    'Green.',
    'green',
    'The image is solid green.',
    'This image is a solid green color.',
    'It appears to be green.',
    'It looks lime green.',
    'Sure! The image is green.',
    'I can see a solid green square.',
    '**Colour:** bright green',
    'The image is a solid, uniform shade of emerald green.',
  ])('%s', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
    const onMessages = await judge.judge('images.messages', 'images.seen.messages', messages(answer), { expected: 'seen' });
    expect(onMessages.observed, onMessages.reason).toBe('seen');
  });
});

describe('finding 1: the right colour named as a guess is inconclusive, naming the first word not allowed', () => {
  it.each([
    ['Green (just a guess).', 'just'],
    ['Green \u2014 just a guess.', 'just'],
    ['Green. Just a guess.', 'Just'],
    ["Green. That's my guess.", "That's"],
    ['Green (guessing).', 'guessing'],
    ["Green, though I'm guessing.", 'though'],
    ["Green, or so I'd guess.", 'or'],
    ['Green, most likely.', 'most'],
    ['Green \u2014 most likely.', 'most'],
    ['Green... probably.', 'probably'],
    ['Green\u2026 probably.', 'probably'],
    ['Green; probably.', 'probably'],
    ['Green: probably.', 'probably'],
    ['Green -- probably.', 'probably'],
    ["Green, but I'm not sure.", 'but'],
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

  it('a question mark is not allowed: "Green?"', async () => {
    const result = await seenChat('Green?');
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

// These were not-seen before the fifth review: an answer naming the image's colour is never not-seen, so "no image,
// but green" is inconclusive (a dropped image still shows as not-seen whenever the model names no colour or a wrong one).
describe('finding 3: "the image never reached me" beside the right colour is inconclusive, never seen', () => {
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
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('the answer names green but also says');
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
    ["I'm blind to images. Green.", "I'm"],
    ['I lack vision. Green.', 'lack'],
    ['The image is absent. Green.', 'absent'],
    ['Images are invisible to me. Green.', 'Images'],
    ["Chances are it's green.", 'Chances'],
    ["Odds are it's green.", 'Odds'],
    ["I suspect it's green.", 'suspect'],
    ['My hunch: green.', 'My'],
    ['Green (a coin toss).', 'coin'],
    ['Green, hypothetically.', 'hypothetically'],
    ['Green, speculatively.', 'speculatively'],
    ["I'll go with green.", "I'll"],
    ['Green, I expect.', 'expect'],
    ['Green is my best shot.', 'my'],
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

// A fifth review (2026-12): four rounds of phrase lists each failed both ways, so images.seen.* reads a closed list.
describe('fifth review: an answer naming the image\'s colour is never not-seen, whatever else it says', () => {
  const cut = (content: string) => ({ json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'length' }], usage: { prompt_tokens: 50, completion_tokens: 16, total_tokens: 66 } } });
  it.each([
    'The image is a solid green square with no text, no objects, and no pictures.',
    'Green. No text, no shapes, no photos.',
    'Green; no picture.',
    "It's green. There isn't any picture.",
    'Got it \u2014 no problem with the upload! The image is solid green.',
    'Green (I\'m a vision model, not a text-only model).',
    'Green. The image was not missing.',
    "I didn't receive the image in high resolution, but it's clearly green.",
    'I don\'t see anything attached other than a green image.',
    '**Colour:** Green\n\n**Details:**\n- Solid fill\n- No text\n- No pictures',
    "I don't have the image, so I'll guess: green.",
  ])('%s', async (answer) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain('the answer names green but also says');
  });

  it.each(["Green. I can't see any image", 'Green \u2014 a uniform fill. There isn\'t any picture'])('cut by the budget: %s is inconclusive', async (answer) => {
    const result = await judge.judge('images.chat', 'images.seen.chat', cut(answer), { expected: 'seen' });
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it('no image and no colour, or a wrong colour, is still not-seen', async () => {
    for (const answer of ["I can't see any image in your message.", 'No image came through. Red.']) {
      const result = await seenChat(answer);
      expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
    }
  });
});

describe('fifth review: a word outside the allowlist is never seen', () => {
  it.each([
    ['Going with green.', 'Going'],
    ['Green, I surmise.', 'surmise'],
    ['The filename suggests green.', 'filename'],
    ['Green, ostensibly.', 'ostensibly'],
    ['I only get words. Green.', 'only'],
    ['Pixels: none received. Green.', 'Pixels'],
    ['Green, ish.', 'ish'],
    ["I'd say green.", "I'd"],
    ["I'm visionless. Green.", "I'm"],
    ['Image: null. Green.', 'null'],
    ['It seems to be green.', 'seems'],
    ['The attached image is green.', 'attached'],
    ['It is green, not red.', 'not'],
    ["It isn't blue, it's green.", "isn't"],
  ])('%s', async (answer, word) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`but also says ${JSON.stringify(word)}`);
  });
});

describe('sixth review: marks, phrases, shades and neighbours', () => {
  it.each(['Green\uFF1F', 'Green\u203D', 'Green \u00BF', 'Green \u{1F937}', 'Green \u{1F914}', 'It can be green.', 'Can it be green', 'To be green.'])('%s is inconclusive, never seen', async (answer) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it.each(['I can see a solid green square.', 'It appears to be green.', 'Forest green.', 'Lime green', 'The image is a solid, uniform shade of emerald green.'])('%s is seen', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });

  // A shade alone is a noun too ("a picture of a forest"): no colour the check judges by.
  it.each(["It's a picture of a forest.", 'Forest.', 'That is the image of a lime.', 'It is the colour of grass in the royal gardens.'])('%s names no colour: inconclusive', async (answer) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  // Near the image's colour, or its colour named loosely: the model may have seen it, so never not-seen.
  it.each(['Teal', 'Olive', 'Turquoise', 'Greenish-blue', 'Greenish yellow'])('%s is inconclusive, never not-seen', async (answer) => {
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it.each(['Blue.', 'Red.', 'Black', 'It is white.'])('%s, a colour far from green, is still not-seen', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });
});
