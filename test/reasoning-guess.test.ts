/**
 * images.seen.* reading the model's reasoning, both ways. A vision model that saw the image keeps `seen` when its
 * reasoning only uses "image" as a modifier ("image caption"), names an exception ("besides this image"), or quotes
 * an instruction ("answer 'I cannot see images' if ..."). A model whose image was dropped loses it when its reasoning
 * says so in looser words ("I don't see one", "no image is present", "only text was provided"), when it says it
 * guesses ("I'll guess green", "a safe guess"), or when the absence is followed by a question ("..., maybe the
 * upload failed?"). A clean right colour is then `inconclusive`, never `not-seen`: reasoning never blames the endpoint.
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
const messages = (reasoning: string, answer: string) => ({
  json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'thinking', thinking: reasoning, signature: 'sig' }, { type: 'text', text: answer }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 9, output_tokens: 9 } },
});
const seenChat = (reasoning: string, answer = 'Green'): Promise<CheckResult> => judge.judge('images.chat', 'images.seen.chat', chat({ content: answer, reasoning_content: reasoning }), { expected: 'seen' });

/** Reasoning of a model that saw the green square (finding 6, and the same rules from other sides). */
const SAW = [
  "The user didn't provide an image caption. The image is a solid green square.",
  "The user didn't provide an image caption.",
  "The user didn't include a file name. The picture is plainly green.",
  "The user didn't include a file name.",
  "The user hasn't attached any files besides this image.",
  "The user didn't provide any image context; the picture itself is uniformly green.",
  "The user didn't provide any image context.",
  "The user didn't send a photo, it's a generated PNG: solid green.",
  'Nothing was uploaded besides the green square.',
  "The system prompt says to answer 'I cannot see images' if you cannot see images. I can see it: it's green.",
  'The system prompt says to answer \u2018I can\u2019t see images\u2019 if you cannot see images.',
  'The instructions say: \u201cIf there is no image, reply that no image was attached.\u201d It is green.',
  'The image shows a solid green square. No need to guess.',
  "It's not a guess: the image is green.",
  'I guess the user wants just the colour name.',
  "I'm guessing the user wants one word.",
  'I can see a green square; my best guess at the exact shade is lime.',
  'Hmm, is there no image, or is it just green? It is green.',
  "Wait, there's no image, right? No, there it is: green.",
  "If there's no image I'd have to guess. The image shows a solid green square.",
  'The user wants the colour. I don\u2019t see any text in it.',
];

/** Reasoning of a model whose image never came (finding 4): the right colour is a guess. */
const GUESSED = [
  "The user mentions an image but I don't see one. I'll guess green.",
  "The user refers to an image, but none was attached. Green is a safe guess.",
  "The user asked about an image but there isn't one. I'll say green.",
  "Only text was provided. I'll just say green.",
  "The image isn't there. Guess green.",
  "The user didn't actually attach anything. Guess green.",
  "Hmm, the image must have failed to upload. I'll guess green.",
  "Since I can't see it, I'll guess green.",
  'No image is present.',
  "No actual image is present in the user's input",
  'There is no image content; only the text of the question.',
  "Without the image I'll guess green",
  "There's no image attached, maybe the upload failed?",
];
/** Each looser absence alone, with no guess announced after it. */
const ABSENT_ALONE = [
  "The user mentions an image but I don't see one.",
  'The user refers to an image, but none was attached.',
  "The user asked about an image but there isn't one.",
  'Only text was provided.',
  "The image isn't there.",
  "The user didn't actually attach anything.",
  'Hmm, the image must have failed to upload.',
];
/** A guess alone, with no absence said. */
const GUESS_ALONE = ["Since I can't see it, I'll guess green.", "Without the image I'll guess green", 'Green is a common test colour, so I will go with it.', 'Green is the colour I would pick at random.'];

describe('reasoning of a model that saw the image keeps a clean right colour seen', () => {
  it.each(SAW)('%s', async (reasoning) => {
    const result = await seenChat(reasoning);
    expect(result, result.reason).toMatchObject({ status: 'pass', observed: 'seen' });
  });
});

describe('reasoning that says no image came, or that the model guesses, makes a clean right colour inconclusive', () => {
  it.each([...GUESSED, ...ABSENT_ALONE, ...GUESS_ALONE])('%s', async (reasoning) => {
    const result = await seenChat(reasoning);
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
    expect(result.reason).toContain("the model's reasoning says");
    expect(result.reason).toContain('so green may be a guess');
  });

  it('each looser absence is read as an absence, each bare guess as a guess', () => {
    for (const reasoning of ABSENT_ALONE) expect(reasoningDoubt(reasoning)?.says, reasoning).toBe('no-image');
    for (const reasoning of GUESS_ALONE) expect(reasoningDoubt(reasoning)?.says, reasoning).toBe('guess');
  });

  it('the reason says which: an absence, or a guess', async () => {
    expect((await seenChat('No image is present.')).reason).toContain('says no image reached it ("No image is present")');
    expect((await seenChat("Since I can't see it, I'll guess green.")).reason).toContain('says it guesses ("Since I can\'t see it, I\'ll guess green")');
  });

  it('only the question is left out, not the statement before its comma', () => {
    expect(reasoningDoubt("There's no image attached, maybe the upload failed?")).toEqual({ clause: "There's no image attached", says: 'no-image' });
  });

  it('the same on Messages thinking blocks', async () => {
    const result = await judge.judge('images.messages', 'images.seen.messages', messages("The user mentions an image but I don't see one. I'll guess green.", 'Green'), { expected: 'seen' });
    expect(result.status, result.reason).toBe('inconclusive');
  });
});

describe('which sign weighs more', () => {
  it('a description of the image outweighs a looser absence or a guess', async () => {
    for (const reasoning of ['No image is present... wait, the image shows a solid green square.', 'The image shows a solid green square; I would guess the shade is lime.']) {
      const result = await seenChat(reasoning);
      expect(result, `${reasoning}: ${result.reason}`).toMatchObject({ status: 'pass', observed: 'seen' });
    }
  });

  it("an absence in no-image.ts's words is not outweighed, and a hedged description is none", async () => {
    for (const reasoning of ["There's no image attached, so I'll guess. The image is green.", "The image isn't there. The image is probably green."]) {
      const result = await seenChat(reasoning);
      expect(result.status, `${reasoning}: ${result.reason}`).toBe('inconclusive');
    }
  });

  it('reasoning never makes not-seen: a guess with no colour named stays inconclusive', async () => {
    const result = await seenChat("Since I can't see it, I'll guess.", 'Sorry.');
    expect(result.status, result.reason).toBe('inconclusive');
    expect(result.observed).toBeNull();
  });
});

describe('answers: "image" as a modifier, or with an exception, is no absence (no longer not-seen)', () => {
  it.each(["You didn't provide an image caption.", "You haven't attached any files besides this image.", "You didn't include a file name."])('%s', async (answer) => {
    const result = await seenChat('', answer);
    expect(result.status, result.reason).toBe('inconclusive');
  });

  it('an answer that says the image was not attached is still not-seen', async () => {
    const result = await seenChat('', "You haven't provided an image for me to look at.");
    expect(result, result.reason).toMatchObject({ status: 'fail', observed: 'not-seen' });
  });
});

describe('a reasoning of pages is not read, and not clean either (r6 finding 1)', () => {
  it('reads a no-image line within the bound; past 16,000 characters or 2,000 in one line it is unread', () => {
    const filler = 'the user wants to know the colour of this picture and I think about it carefully ';
    expect(reasoningDoubt(`${filler}\nThere's no image attached, so I'll have to guess.`)?.says).toBe('no-image');
    expect(reasoningDoubt(`${filler.repeat(250)}\nThere's no image attached, so I'll have to guess.`)?.says).toBe('unread');
    expect(reasoningDoubt(`${filler.repeat(30)} There's no image attached`)?.says).toBe('unread');
  });
});
