/**
 * images.seen.* (r6 findings 1 to 4). A model that says it has sight, says what was sent instead of an image, denies
 * colours in a list or takes a colour back is not blamed (`inconclusive`, never `not-seen`), nor is one that names a
 * shade of the image's colour ("Emerald."), whatever else it says. A clean right colour after terse reasoning that
 * says no image came ("Image missing. Answer green.") or after a reasoning past what is read is `inconclusive`, never
 * `seen`. Plain absences stay `not-seen`, and a reasoning that describes the image stays `seen`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saysNoImage } from '../src/checks/no-image.ts';
import { reasoningDoubt } from '../src/checks/reasoning-no-image.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { startCaseJudge, type CaseJudge } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const chat = (content: string, reasoning?: string) => ({
  json: {
    id: 'c',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content, ...(reasoning === undefined ? {} : { reasoning_content: reasoning }) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
  },
});
/** The suite's image is green (images.chat sends {{generated.png-green}}). */
const seenChat = (answer: string, reasoning?: string): Promise<CheckResult> => judge.judge('images.chat', 'images.seen.chat', chat(answer, reasoning), { expected: 'seen' });

async function expectInconclusive(answer: string, reasoning?: string): Promise<CheckResult> {
  const result = await seenChat(answer, reasoning);
  expect(result.status, `${answer} | ${reasoning ?? ''}: ${result.reason}`).toBe('inconclusive');
  expect(result.observed).toBeNull();
  return result;
}

/** The reviewer's answers: each was `fail not-seen`. */
const REVIEWED = [
  'Emerald. As a text-based model with vision, I can see it.',
  'Emerald. I am an AI text model with vision support.',
  'Emerald. I can only process text and this one image at low detail, sorry.',
  "Emerald - you didn't send an image, you sent a colour swatch.",
  "Emerald. You didn't send a picture; it's a plain PNG.",
  'Emerald, with no white or black.',
  'Emerald. Not black and white.',
  'Black? No wait, emerald.',
];

describe('findings 2 to 4: a model that may have seen the image is not blamed', () => {
  it.each(REVIEWED)('%s', async (answer) => {
    await expectInconclusive(answer);
  });

  // The same wordings without the shade: the wording itself is no absence, and no colour is asserted.
  it.each(REVIEWED.map((answer) => answer.replace(/emerald/i, (word) => (word === 'Emerald' ? 'Teal' : 'teal'))))('%s', async (answer) => {
    await expectInconclusive(answer);
  });

  it.each([
    'As a text-based model with vision, I can see it.',
    'I am an AI text model with vision support.',
    'I can only process text and this one image at low detail, sorry.',
    "You didn't send an image, you sent a colour swatch.",
    "You didn't send an image - you sent a colour swatch.",
    "You didn't send a picture; it's a plain PNG.",
  ])('no absence: %s', (answer) => {
    expect(saysNoImage(answer), answer).toBe(false);
  });

  it.each([
    'I am a text-only model.',
    'As a text-based AI, I cannot tell.',
    'I can only process text and no images.',
    "You didn't send a picture; it's just text.",
    "You didn't send an image, you sent only text.",
    "I didn't receive an image - only text.",
    "I can't see any image; you sent only text.",
  ])('a plain absence is still not-seen: %s', async (answer) => {
    expect(saysNoImage(answer), answer).toBe(true);
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });

  it.each(['Black.', 'Red? No wait, blue.', 'Not blue, red.', 'Black, with no white.', 'White, not black or grey.'])('a colour asserted is still not-seen: %s', async (answer) => {
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });

  it('the reason names the shade', async () => {
    const result = await expectInconclusive('Emerald, with no white or black.');
    expect(result.reason).toContain('"Emerald", a shade of green');
  });
});

/** Each, the reasoning behind a clean "Green": `pass seen` before. */
const TERSE = [
  'Image missing. Answer green.',
  'There is no image content visible to us. Choose green.',
  'Image absent. Say green.',
  'No image data present. Going with green.',
  'Image not provided. Green it is.',
  'Without the image, green is my pick.',
  'User wants the colour. Image missing. Answer green.',
  'We need to answer with colour only. There is no image content visible to us. Choose green.',
];

describe('finding 1: terse reasoning that says no image came keeps a clean right colour from seen', () => {
  it.each(TERSE)('%s', async (reasoning) => {
    const result = await expectInconclusive('Green', reasoning);
    expect(result.reason).toContain("the model's reasoning says no image reached it");
    expect(reasoningDoubt(reasoning)?.says, reasoning).toBe('no-image');
  });

  it.each([
    'The image is a solid green square. Answer green.',
    'The image is not missing. Answer green.',
    'Image shows solid green. Say green.',
    'No text in the image; it is all green. Green it is.',
    'Without zooming into the image, it is clearly a solid green square.',
  ])('a reasoning that saw the image stays seen: %s', async (reasoning) => {
    const result = await seenChat('Green', reasoning);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });
});

describe('finding 1: a reasoning past what is read is unread, not clean', () => {
  const filler = 'The user asks for the one colour of the image and wants only the colour name. ';

  it('a line over 2,000 characters', async () => {
    const reasoning = `${filler.repeat(30)}But there's no image attached, so I'll guess green.`;
    const result = await expectInconclusive('Green', reasoning);
    expect(result.reason).toContain("the model's reasoning is not read (a line of");
    expect(result.reason).toContain('more than the 2000 a line is read to');
    expect(reasoningDoubt(reasoning)?.says).toBe('unread');
  });

  it('over 16,000 characters in short lines, even with nothing said of the image', async () => {
    const reasoning = `${filler}\n`.repeat(220);
    const result = await expectInconclusive('Green', reasoning);
    // Read as the reasoning field holds it, less its trailing blank.
    expect(result.reason).toMatch(/the model's reasoning is not read \(\d{5} characters, more than the 16000 a reasoning is read to\)/);
    expect(reasoningDoubt(reasoning)?.says).toBe('unread');
  });

  it('within both bounds it is read as before', async () => {
    const reasoning = `${filler}\n`.repeat(150);
    expect(reasoning.length).toBeLessThan(16_000);
    const result = await seenChat('Green', reasoning);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });
});
