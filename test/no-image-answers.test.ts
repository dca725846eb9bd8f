/**
 * images.seen.* on answers that name no colour (r3 findings 2, 3 and 7). A plain "you haven't attached the image"
 * stays `not-seen` whatever follows the image ("you asked about", ", unfortunately", "for me to review", "- only
 * text"), while "image" modifying a noun ("an image caption") is no absence. A model that says it is no text-only
 * model, that the image is not missing, or that it reads text and images is not blamed: `inconclusive`. An answer of
 * pages is judged at once, and not read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER } from '../src/checks/images.ts';
import { saysNoImage } from '../src/checks/no-image.ts';
import type { CheckResult } from '../src/checks/types.ts';
import { startCaseJudge, type CaseJudge } from './helpers/case-judge.ts';

let judge: CaseJudge;
beforeAll(async () => {
  judge = await startCaseJudge();
});
afterAll(() => judge.close());

const chat = (content: string) => ({
  json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 } },
});
const seenChat = (answer: string): Promise<CheckResult> => judge.judge('images.chat', 'images.seen.chat', chat(answer), { expected: 'seen' });

/** The reviewer's list: not-seen before b4a87893, inconclusive after it. */
const DROPPED = [
  "It looks like you haven't attached the image you're asking about.",
  "You haven't attached the image you're asking about.",
  "You haven't attached the image you asked about.",
  "You haven't shared the picture you're describing.",
  "You haven't provided an image, unfortunately.",
  "You haven't provided an image, I'm afraid.",
  "You haven't provided an image for me to review.",
  "You haven't provided an image for me to identify.",
  "You haven't provided an image, so I can't answer.",
  "You haven't attached an image, so I don't know the colour.",
  "You didn't attach an image, so there's nothing for me to look at.",
  "You haven't shared an image in this thread.",
  "You haven't sent an image along with your message.",
  "You haven't sent any image over.",
  "You haven't provided any image at this point.",
  "You haven't provided an image (only text came through).",
  "Sorry, you haven't attached an image, it seems.",
  "I didn't receive an image - only text.",
  'You forgot to attach the image \u{1F642}',
  "You haven't attached any image that I'm able to see.",
  "You haven't provided an image, or it didn't upload.",
  "You haven't provided an image.",
  "You didn't attach an image file.",
];
/** "Image" as a modifier of the noun after it: the image is there. */
const MODIFIER = [
  "You didn't provide an image caption.",
  "You didn't provide an image description.",
  "You didn't provide any image context.",
  "You didn't provide an image file name.",
  "You didn't include a file name.",
  "You haven't attached any files besides this image.",
  "You didn't provide an image-based prompt.",
];
/** Finding 3: what a model that saw the image says of itself and of the image. */
const SAW = [
  'I am not a text-only model, but this image is too small for me to name its colour.',
  'The image is not missing; I just cannot name its exact shade.',
  'I can only process text and images at low resolution; this one is too small to tell.',
  'Unlike a text-based model I can look at images, but this one is too small to tell.',
  'Unlike a text-based model I can look at images',
  'I only see text and an image, and the image is too small to tell.',
  'I only see text and an image.',
  'A text-only model would have to guess here.',
];
/** The same rules the other way: said of itself, unnegated, it is an absence. */
const NO_VISION = ['I am a text-only model.', 'As a text-based AI, I cannot tell.', "I'm just a text model.", 'I can only process text.', 'I only see text in your message.', 'The image is missing.', 'The image appears to be missing.', 'It seems the image was not sent.'];

describe('a plain absence in an answer is not-seen, whatever follows the image', () => {
  it.each([...DROPPED, ...NO_VISION])('%s', async (answer) => {
    expect(saysNoImage(answer), answer).toBe(true);
    const result = await seenChat(answer);
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
    expect(result.reason).toContain('(no image seen)');
  });
});

describe('"image" as a modifier, or said by a model that saw it, blames no one', () => {
  it.each([...MODIFIER, ...SAW])('%s', async (answer) => {
    expect(saysNoImage(answer), answer).toBe(false);
    const result = await seenChat(answer);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
  });
});

describe('an answer is read only to a bound, and judged at once', () => {
  it('pages of blanks between "no" and "image" take no time to read, and are judged inconclusive', async () => {
    const huge = `no${' '.repeat(200_000)}image${' '.repeat(200_000)}.`;
    const started = Date.now();
    expect(saysNoImage(`no${' '.repeat(100_000)}image${' '.repeat(100_000)}.`)).toBe(true);
    expect(saysNoImage(`not${' '.repeat(100_000)}x`)).toBe(false);
    const result = await seenChat(huge);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.reason).toContain(`the answer runs ${huge.length} characters, more than the ${MAX_ANSWER} an answer is read to`);
  });

  it('an answer within the bound is judged as before; one past it is not, whichever colour it names', async () => {
    const within = await seenChat(`Red.${' '.repeat(MAX_ANSWER - 8)}Red.`);
    expect(within, within.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
    const past = await seenChat(`Red.${' '.repeat(MAX_ANSWER - 7)}Red.`);
    expect(past.status, past.reason).toBe('inconclusive');
    const green = await seenChat(`Green.${' '.repeat(MAX_ANSWER)}Green.`);
    expect(green.status, green.reason).toBe('inconclusive');
  });
});
