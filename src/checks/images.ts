/**
 * @module checks/images
 * Image input, the most common reason for array content: a tiny solid-colour PNG made in code
 * (`{{generated.png-<colour>}}`) sent as `image_url` content on chat, `input_image` on Responses and an `image`
 * block on Messages. Whether the endpoint takes the request (`accepted` / `rejected`), and whether the answer
 * reflects the image: asked for its one colour, the model names it (`seen`) or not (`not-seen`). `seen` only for an
 * answer made of allowed words alone: the image's colour (or a shade of it) and the few neutral words colour-answer.ts
 * lists, so a guess or a doubt worded any way no one listed cannot pass. `not-seen` only for an answer that does not
 * name the image's colour at all: it names another colour, or says no image reached it (no-image.ts) and names none.
 * An answer naming the image's colour beside any other word, or that the output budget cut, or naming no colour,
 * cannot tell (`inconclusive`): a model that names the right colour is never blamed, whatever else it says. Nor is a
 * clean answer `seen` when the model's reasoning (reasoning-text.ts: `<think>`, reasoning fields, reasoning items,
 * thinking blocks) says no image reached it, or that the model guesses (reasoning-no-image.ts): the colour was then a
 * guess, and one in four is right, so it is `inconclusive`. Reasoning alone never makes `not-seen`: it muses ("is there no image? no,
 * it is a green square"), where an answer states, and only the answer's words blame the endpoint.
 */
import { colourOfPng, IMAGE_COLOURS, type ImageColour } from '../suite/generated.ts';
import { saysNoImage } from './no-image.ts';
import { reasoningDoubt } from './reasoning-no-image.ts';
import { answerWords, firstUnallowed } from './colour-answer.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { isRecord } from '../transport/body.ts';
import { acceptanceCheck, failedResponse, judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { answerText } from './answer-text.ts';
import { reasoningText } from './reasoning-text.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

type ImageApi = Extract<ApiId, 'chat-completions' | 'responses' | 'messages'>;

const HOW: Record<ImageApi, string> = {
  'chat-completions': 'as image_url content on Chat Completions',
  responses: 'as input_image on Responses',
  messages: 'as an image block on Messages',
};
const SHORT: Record<ImageApi, string> = { 'chat-completions': 'chat', responses: 'responses', messages: 'messages' };
/** A rejection naming anything else is not a verdict on image input. */
const IMAGE_FIELDS = ['messages', 'input'];

/** How much of an answer images.seen.* reads (its colour words, its other words, its absences): all of it, or none. */
export const MAX_ANSWER = 2_000;
/** Colour words a model may answer with, beyond the ones the harness draws. */
const OTHER_COLOURS = ['orange', 'purple', 'violet', 'pink', 'brown', 'black', 'white', 'grey', 'gray', 'cyan', 'magenta', 'teal', 'lime', 'navy', 'maroon', 'olive', 'turquoise', 'beige'];
/** The colour of the image a request sent (the PNG the harness generated), found wherever the API puts it. */
export function sentColour(request: unknown): ImageColour | undefined {
  if (typeof request === 'string') return request.startsWith('data:image/png;base64,') || /^[A-Za-z0-9+/=]{200,}$/.test(request) ? colourOfPng(request) : undefined;
  if (Array.isArray(request)) {
    for (const item of request) {
      const found = sentColour(item);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(request)) {
    for (const value of Object.values(request)) {
      const found = sentColour(value);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Names of a drawn colour's shades, read only as a modifier the allowlist takes ("lime green", "forest green"): alone
 * they are nouns too ("a picture of a forest", "the royal gardens"), so they name no colour the check judges by; yet an
 * answer naming one of the image's colour is never not-seen ("Emerald."): the model may have seen it.
 */
const SHADES: Record<ImageColour, readonly string[]> = {
  red: ['crimson', 'scarlet', 'cherry', 'ruby', 'vermilion'],
  green: ['lime', 'emerald', 'forest', 'jade', 'kelly', 'chartreuse'],
  blue: ['navy', 'azure', 'cobalt', 'sapphire', 'royal', 'ultramarine'],
  yellow: ['gold', 'golden', 'amber', 'lemon', 'mustard'],
};
/** "Greenish", "bluish": the drawn colour still, named loosely ("greenish-blue" names green and blue). */
const LOOSELY: Record<ImageColour, readonly string[]> = { red: ['reddish', 'reddy'], green: ['greenish', 'greeny'], blue: ['bluish', 'blueish', 'bluey'], yellow: ['yellowish', 'yellowy'] };
/**
 * Other colours too near a drawn one to say the model did not see it: a model may call (20,160,40) teal or olive. Named
 * beside no word for the drawn colour, they are no colour the check judges by (inconclusive, never not-seen).
 */
const NEIGHBOURS: Record<ImageColour, readonly string[]> = {
  red: ['pink', 'magenta', 'maroon', 'orange', 'purple', 'brown'],
  green: ['teal', 'olive', 'turquoise', 'lime', 'cyan'],
  blue: ['navy', 'cyan', 'teal', 'turquoise', 'violet', 'purple'],
  yellow: ['orange', 'beige', 'olive', 'lime', 'brown'],
};
/** Every colour word the check judges by, with the drawn colour it names (or itself, for another colour). */
const COLOUR_OF = new Map<string, string>([
  ...OTHER_COLOURS.map((c) => [c, c] as const),
  ...(Object.keys(IMAGE_COLOURS) as ImageColour[]).flatMap((c) => [[c, c] as const, ...LOOSELY[c].map((word) => [word, c] as const)]),
]);
/** Words before a colour that deny it ("not green", "isn't red", "rather than blue"). */
const DENY = String.raw`\b(?:not|no|isn't|isnt|is not|never|nor|neither|rather than|instead of|than)\s+`;
const MODIFIERS = String.raw`(?:(?:a|an|the|quite|really|very|exactly|pure|solid|bright|dark|light)\s+){0,2}`;
const DENIED = new RegExp(`${DENY}${MODIFIERS}$`);
/**
 * A denied list: every colour in it is denied, not the first alone ("with no white or black", "not black and white",
 * "no red, blue or yellow"). Commas alone make no list ("not green, red" says red).
 */
const ANY_COLOUR = String.raw`(?:${[...new Set([...COLOUR_OF.keys(), ...Object.values(SHADES).flat(), ...Object.values(NEIGHBOURS).flat()])].join('|')})\b`;
const DENIED_LIST = new RegExp(String.raw`${DENY}${MODIFIERS}${ANY_COLOUR}(?:\s*,\s*${MODIFIERS}${ANY_COLOUR})*\s*,?\s+(?:or|and|nor)\s+${MODIFIERS}${ANY_COLOUR}\b`, 'g');
/** After a colour, the answer taking it back: "Black? No wait, emerald.", "red - actually, green", "blue? no, green". */
const TAKEN_BACK = /^\s*(?:[?.,!;:\u2013\u2014-]+\s*)?(?:(?:no|oh|um+|uh+|hmm+|er+)\b[\s,.!\u2013\u2014-]*)*(?:wait|actually|scratch that|never ?mind|i mean|correction|make that)\b|^\s*\?+\s*no\b/;

/**
 * The colours an answer asserts, by the drawn colour they name ("not green, it is blue" is blue), but the image's
 * neighbours, colours denied (one or a list) and colours taken back.
 */
function assertedColours(text: string, image: ImageColour): Set<string> {
  const lower = text.toLowerCase();
  const lists = [...lower.matchAll(DENIED_LIST)].map((list) => [list.index, list.index + list[0].length] as const);
  const inList = (at: number) => lists.some(([from, to]) => at >= from && at < to);
  const out = new Set<string>();
  for (const match of lower.matchAll(/[a-z]+/g)) {
    const colour = COLOUR_OF.get(match[0]);
    const end = match.index + match[0].length;
    if (!colour || NEIGHBOURS[image].includes(colour) || inList(match.index) || TAKEN_BACK.test(lower.slice(end, end + 40))) continue;
    if (!DENIED.test(lower.slice(Math.max(0, match.index - 40), match.index))) out.add(colour);
  }
  return out;
}

function seenCheck(api: ImageApi): CheckDefinition {
  const definition: CheckDefinition = {
    id: `images.seen.${SHORT[api]}`,
    title: `Whether the answer reflects a one-colour PNG sent ${HOW[api]} (asked for its colour)`,
    api,
    vocabulary: ['seen', 'not-seen', 'rejected'],
    dependsOnModel: true,
    params: IMAGE_FIELDS,
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      const request = sentBody(seen.exchange);
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, IMAGE_FIELDS, 'its image', evidence);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      // A body that is not a JSON object names no colour because none of it can be read, not because of the model.
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const body = answer.body;
      const failed = failedResponse(body);
      if (failed) return judge(definition, input, 'rejected', evidence, `HTTP ${answer.status}, but ${failed}`);
      const colour = sentColour(request);
      if (!colour) return unobserved(input, 'HARNESS_INTERNAL: the request carries no image the harness generated ({{generated.png-<colour>}})', evidence);
      // The colour the answer names, not one the model mused on in a commentary message before it.
      const text = answerText(body);
      // Asked for one word with a budget of 16 tokens, an answer runs a few dozen characters. One of pages (an endpoint
      // that ignored the budget) is not read: the patterns' time grows faster than its length, and a verdict on a part
      // of it could be undone by the rest ("Red ... no, green").
      if (text.length > MAX_ANSWER) return inconclusive(input, `the answer runs ${text.length} characters, more than the ${MAX_ANSWER} an answer is read to, so whether the image was seen cannot be told: ${JSON.stringify(text.slice(0, 120))}`, evidence);
      const said = assertedColours(text, colour);
      const quoted = JSON.stringify(text.slice(0, 120));
      const others = [...said].filter((c) => c !== colour);
      const namesImageColour = (word: string) => COLOUR_OF.get(word) === colour;
      // The allowlist also takes the colour's shades, as modifiers ("lime green"), once the colour itself is named.
      const isImageColour = (word: string) => namesImageColour(word) || SHADES[colour].includes(word);
      // Cut by its budget, an answer had not reached what it would say, whichever colour it named so far ("let me check
      // whether it is green" is no more seen than "maybe red" is not): only a bare colour, the whole answer asked for, stands.
      const spent = budgetSpent(body, limitOf(request));
      const bare = /^\W*[a-z]+\W*$/i.test(text);
      const cut = () => inconclusive(input, `${spent}, before the answer was complete; it says ${quoted}${said.size ? ` (names ${[...said].join(', ')} so far)` : ''}`, evidence);
      // Any word for the image's colour, even one a negation seems to deny ("nothing other than a green image"), and the
      // answer is never not-seen: however it reads otherwise ("green; no text, no pictures"), a model that names the
      // colour may have seen it, and fail would blame the endpoint.
      if (answerWords(text).some((word) => namesImageColour(word.toLowerCase()))) {
        if (spent && !bare) return cut();
        // Naming its colour among others ("green or blue", "green, blue and red") says nothing about which it saw.
        if (others.length) return inconclusive(input, `the image is ${colour}; the answer names ${[colour, ...others].join(', ')}, so which it saw cannot be told: ${quoted}`, evidence);
        // Beside any word not allowed the colour may be a guess (one in four is right): no list tells a guess from a report.
        const extra = firstUnallowed(text, isImageColour);
        if (extra) return inconclusive(input, `the image is ${colour}; the answer names ${colour} but also says ${extra === '?' ? 'a question mark' : JSON.stringify(extra)}, so whether the image was seen cannot be told: ${quoted}`, evidence);
        // The answer may be clean and still a guess: a model whose image the endpoint dropped reasons "there's no image
        // attached, I'll guess" and answers "Green". It named the right colour, so it is never not-seen either.
        const doubt = reasoningDoubt(reasoningText(body));
        const says = doubt?.says === 'unread' ? 'is not read' : doubt?.says === 'guess' ? 'says it guesses' : 'says no image reached it';
        const clause = doubt?.says === 'unread' ? doubt.clause : JSON.stringify(doubt?.clause.slice(0, 120));
        if (doubt) return inconclusive(input, `the image is ${colour}; the answer says ${quoted}, but the model's reasoning ${says} (${clause}), so ${colour} may be a guess`, evidence);
        return judge(definition, input, 'seen', evidence, `the image is ${colour}; the answer says ${quoted}`);
      }
      // A shade of its colour alone ("Emerald."), whatever else the answer says ("Emerald. You didn't send a picture; it's a
      // PNG", "Emerald, with no white or black"): no colour the check judges by (a noun too), yet the model may have seen
      // the image, so it is never blamed.
      const shade = answerWords(text).find((word) => SHADES[colour].includes(word.toLowerCase()));
      if (shade) return spent ? cut() : inconclusive(input, `the image is ${colour}; the answer names ${JSON.stringify(shade)}, a shade of ${colour} but also a noun, so whether the image was seen cannot be told: ${quoted}`, evidence);
      // The model says no image reached it and names not its colour: the image was dropped, or unseen.
      if (saysNoImage(text)) {
        return judge(definition, input, 'not-seen', evidence, `the image is ${colour}; the answer says ${quoted} (no image seen${others.length ? `; names ${others.join(', ')} as a guess` : ''})`);
      }
      if (spent && !(bare && others.length > 0)) return cut();
      // A wrong colour is not-seen, doubt or not: a model that saw the image would not name it, however sure it sounds.
      if (others.length) return judge(definition, input, 'not-seen', evidence, `the image is ${colour}; the answer says ${quoted} (names ${others.join(', ')})`);
      return inconclusive(input, `the answer names no colour, so it cannot tell whether the image was seen: ${quoted}`, evidence);
    },
  };
  return definition;
}

function acceptedCheck(api: ImageApi): CheckDefinition {
  return acceptanceCheck({
    id: `images.${SHORT[api]}`,
    title: `Whether a request with a small PNG ${HOW[api]} is accepted`,
    api,
    ...(api === 'responses' ? { failedInside: failedResponse } : {}),
  });
}

const APIS: readonly ImageApi[] = ['chat-completions', 'responses', 'messages'];

export const imageChecks: readonly CheckDefinition[] = [...APIS.map(acceptedCheck), ...APIS.map(seenCheck)];
