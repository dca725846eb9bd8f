/**
 * images.seen.* reading the reasoning behind a clean "Green" (r3 findings 1, 4, 5 and 6), each rule both ways. A
 * dropped image said as a fronted reason or followed by "I'll just say green" makes it `inconclusive`; a guess counts
 * only when it is about the answer; descriptions count in short forms; an absence the model took back, negated,
 * attributed to someone else or hypothetical is none; and "I don't see any" is an absence only of the image.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reasoningDoubt } from '../src/checks/reasoning-no-image.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { chatAnswer, startCaseJudge, type CaseJudge } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const chat = chatAnswer;
const seenChat = (reasoning: string): Promise<CheckResult> => judge.judge('images.chat', 'images.seen.chat', chat({ content: 'Green', reasoning_content: reasoning }), { expected: 'seen' });

async function expectSeen(reasoning: string) {
  const result = await seenChat(reasoning);
  expect(result, `${reasoning}: ${result.reason}`).toMatchObject({ status: 'pass', observed: 'seen' });
}
async function expectDoubt(reasoning: string, says: 'no-image' | 'guess') {
  const result = await seenChat(reasoning);
  expect(result.status, `${reasoning}: ${result.reason}`).toBe('inconclusive');
  expect(result.observed).toBeNull();
  expect(result.reason).toContain(says === 'guess' ? "the model's reasoning says it guesses" : "the model's reasoning says no image reached it");
  expect(reasoningDoubt(reasoning)?.says, reasoning).toBe(says);
}

describe('finding 1: a dropped image said as a reason, or before the colour chosen, is read', () => {
  it.each([
    "Since there is no image attached to the user's message, I'll just say green.",
    'As I can\u2019t see any image in the message, I\u2019ll say green.',
    "Because no image came through, I'll just say green.",
    "Given that I can't see the image, green is my pick.",
    "I can't see the image, so I'll pick one: green.",
    "Even if they wanted me to look at something, there is no image attached, so I'll say Green.",
    'It seems the image was not sent. Green.',
    "There's no image attached, aside from the user's text.",
    "There's no image attached, aside from the user's text. Green.",
  ])('%s', (reasoning) => expectDoubt(reasoning, 'no-image'));

  it('the reason quotes the whole clause, the reason with what it is the reason for', async () => {
    expect((await seenChat("Since there is no image attached to the user's message, I'll just say green.")).reason).toContain(`("Since there is no image attached to the user's message, I'll just say green")`);
  });

  it('but not a fronted reason or an exception that says the image is there', async () => {
    for (const reasoning of ['Since the image is a solid green square, I will say green.', 'Nothing was uploaded aside from the green square.', "As the image shows, it's green."]) await expectSeen(reasoning);
  });
});

describe('finding 5: a guess counts only when it is about the answer', () => {
  it.each(["I'll guess green.", "I'll just say green.", 'Let me guess... green.', "I'm guessing here: green.", "I'd guess it's green.", "I'd guess green.", 'I can only pick one: green.', 'A wild guess: green.', 'Green is a safe guess.', 'My best guess is green.'])('a guess: %s', (reasoning) =>
    expectDoubt(reasoning, 'guess'),
  );

  it.each([
    "I'd guess the user wants just the colour name.",
    "I'd guess the user wants just one word.",
    'I would guess they want a single word.',
    'My guess is the user is testing vision.',
    "I'd guess it's generated.",
    'Some would guess; I can see it.',
    'The safe bet is to answer with just the colour name.',
    'Green is a common colour for test images, and this one is green.',
    'The harness likely picks a colour at random.',
    'They probably generate a random colour each time.',
    'Not a random colour.',
    'Not an arbitrary colour.',
    'Definitely not a wild guess.',
    'Hardly a guess.',
    'Zero guesswork.',
    "I'm guessing the user wants one word.",
    "It's green. My best guess at the exact shade is forest green, but I'll just say Green.",
    "**Identifying the color**\n\nI'm looking at a uniformly green image. The safe bet is to answer with just the color name.",
  ])('no guess at the answer: %s', (reasoning) => expectSeen(reasoning));
});

describe('finding 5: descriptions count in more forms, and outweigh a looser absence', () => {
  it.each(["It's a green square.", "It's all green.", 'Solid green.', "I'm looking at a uniformly green image."])('%s', async (description) => {
    await expectSeen(`No image is present. ${description}`);
    // Hedged, it describes nothing.
    await expectDoubt(`No image is present. ${description.replace(/^(It's|Solid|I'm)/, (word) => (word === 'Solid' ? 'Probably solid' : `${word} probably`))}`, 'no-image');
  });
});

describe('finding 4: an absence the model took back, negated, attributed or hypothetical is none', () => {
  const deepSeek = 'Okay, so the user is asking what color this image is. Hmm, wait, I don\u2019t see an image here. Oh wait, there it is. It\u2019s a green square.';
  it.each([
    deepSeek,
    'A text-only model would have to guess here.',
    "Don't say no image was attached; just answer.",
    "The system prompt claims I'm a text-based AI. But I see it.",
    'The user worries the image didn\u2019t come through. It did.',
    'The user says the image may not have loaded. It did: it is green.',
    "I won't claim I can't see the image.",
    'It would be wrong to answer that no image was provided.',
    "There's no need to say the image didn't come through.",
    "I must not pretend I don't have the image.",
    "I'm not a text-only model; I can see the image.",
    'Unlike a text-based model, I can see the image.',
    'The image is not missing.',
  ])('%s', async (reasoning) => {
    await expectSeen(reasoning);
    await expectSeen(`${reasoning} The image is a solid green square.`);
  });

  it.each([
    // Not taken back: no retraction, or a guess after the absence.
    "Hmm, wait, I don't see an image here. It's a green square.",
    "I don't see an image here. Oh wait, I'll just guess. It's a green square.",
    // Said by the model itself.
    'No image was attached; just answer.',
    "I'm a text-based AI. But I answer anyway.",
    "The image didn't come through.",
    "I can't see the image.",
    "I don't have the image.",
  ])('its own, unretracted absence still counts: %s', (reasoning) => expectDoubt(reasoning, 'no-image'));
});

describe('finding 6: "I don\'t see any", "none were present" only of the image', () => {
  it.each([
    "Looking for shapes in the image, I don't see any. It's all green.",
    "Looking for shapes in the image, I don't see any.",
    "It's a flat green square. The image has no text or patterns; I don't see any. Answer: Green.",
    "The image has no text or patterns; I don't see any.",
    "It's uniformly green with no gradient in the picture; there isn't one. Green.",
    "It's green. Looking for other colours in the image, none were present.",
    'Looking for other colours in the image, none were present.',
  ])('of what is in the image: %s', (reasoning) => expectSeen(reasoning));

  it.each(["The user mentions an image but I don't see any.", 'The user refers to an image, but none were present.', "The user asked about a picture, but there isn't one."])('of the image: %s', (reasoning) =>
    expectDoubt(reasoning, 'no-image'),
  );
});
