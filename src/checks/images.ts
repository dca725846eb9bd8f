/**
 * @module checks/images
 * Image input, the most common reason for array content: a tiny solid-colour PNG made in code
 * (`{{generated.png-<colour>}}`) sent as `image_url` content on chat, `input_image` on Responses and an `image`
 * block on Messages. Whether the endpoint takes the request (`accepted` / `rejected`), and whether the answer
 * reflects the image: asked for its one colour, the model names it (`seen`) or not (`not-seen`). An answer that
 * names no colour at all, or that the output budget cut, cannot tell (`inconclusive`).
 */
import { colourOfPng, IMAGE_COLOURS, type ImageColour } from '../suite/generated.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { isRecord } from '../transport/body.ts';
import { acceptanceCheck, failedResponse, judgeRejection, notObservable, observe, sentBody } from './answer.ts';
import { budgetSpent, limitOf, visibleText } from './budget.ts';
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

/** Colour words a model may answer with, beyond the ones the harness draws. */
const OTHER_COLOURS = ['orange', 'purple', 'violet', 'pink', 'brown', 'black', 'white', 'grey', 'gray', 'cyan', 'magenta', 'teal', 'lime', 'navy', 'maroon', 'olive', 'turquoise', 'beige'];
/**
 * What an image is called in an answer that says it has none, as the object of the verb: "see the image", "view
 * images", "see the PNG image you attached", "open the file", "view the contents of the image", "I don't see one."
 * (two words at most before the image's own name, and not "the image's pixel values"). What follows it must not
 * make a hedge of it: "see the image in full detail", "process the image at full resolution".
 */
const PICTURE = String.raw`(?:(?:the )?contents? of )?(?:[\w-]+\s+){0,2}?(?:(?:image|picture|photo|attachment|file)s?\b(?!'s)(?!\s+(?:in (?:full|great|fine|much|enough|more|higher|better) (?:detail|resolution)|at (?:full|high|higher|this|that|its) resolution|clearly|well|perfectly|exactly|precisely)\b)|visual (?:content|input)|one(?=\s*(?:[.!?,;]|$)))`;

/**
 * Ways an answer says the model has no image to look at (checked with straight apostrophes): it cannot see, view,
 * open or interpret one; there is none ("no image was provided", "you haven't attached an image", "the image failed
 * to load", "the image wasn't included in your message"); it has no vision at all. A hedge about the image it saw
 * says none of these, and names no colour (inconclusive): "I can't name the colour of this image with confidence",
 * "I can't see any text in the image", "I can't analyze the image's pixel values", "the picture is not available in
 * higher resolution".
 */
const NO_IMAGE: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:not|cannot|can't|can ?not|couldn't|could not|unable to|don't|do not|doesn't|does not|didn't|did not|no way to)\b[^.]{0,40}\b(?:see|view|access(?: to)?|process|open|load|perceive|receive|interpret|analy[sz]e|read|look at|find|detect)\s+${PICTURE}`, 'i'),
  new RegExp(String.raw`\bno (?:image|picture|photo|attachment)s?\b(?=\s*(?:[.,;:!?)]|$|was\b|were\b|is\b|has\b|have\b|here\b|in\b|to\b|attached|provided|uploaded|included|came|for\b))`, 'i'),
  new RegExp(String.raw`\b(?:haven't|have not|hasn't|has not|didn't|did not)\s+(?:attached|shared|uploaded|sent|provided|included)\s+${PICTURE}`, 'i'),
  /\b(?:image|picture|photo|attachment|file)s?\b[^.]{0,20}\b(?:isn't|wasn't|aren't|weren't|is not|was not|are not|were not|didn't|did not|failed to|appears to be|seems to be)\s+(?:attached|included|provided|visible|available|come through|load|loaded|missing|uploaded|received)\b(?!\s+(?:in (?:full|higher|high|better|more|greater) (?:resolution|detail)|at (?:full|high|higher) resolution)\b)/i,
  /\b(?:image|picture|attachment)s?\s+not\s+found\b/i,
  /\bno vision\b|\b(?:don't|do not|doesn't|does not) (?:have|support) (?:vision|image input|image understanding)|\btext[- ](?:only|based) (?:model|ai|assistant|language model)\b|\bonly (?:see|received?|got|have) text\b/i,
];

/** Whether an answer says the model has no image to look at (see NO_IMAGE). */
export function saysNoImage(text: string): boolean {
  const straight = text.replace(/[\u2018\u2019]/g, "'");
  return NO_IMAGE.some((pattern) => pattern.test(straight));
}

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

/** Names of a drawn colour's shades: a model may call (20,160,40) lime or emerald, and that is seeing it green. */
const SHADES: Record<ImageColour, readonly string[]> = {
  red: ['crimson', 'scarlet', 'cherry', 'ruby', 'vermilion'],
  green: ['lime', 'emerald', 'forest', 'jade', 'kelly', 'chartreuse'],
  blue: ['navy', 'azure', 'cobalt', 'sapphire', 'royal', 'ultramarine'],
  yellow: ['gold', 'golden', 'amber', 'lemon', 'mustard'],
};
/** Every colour word the check reads, with the drawn colour it names (or itself, for another colour). */
const COLOUR_OF = new Map<string, string>([
  ...OTHER_COLOURS.map((c) => [c, c] as const),
  ...(Object.keys(IMAGE_COLOURS) as ImageColour[]).flatMap((c) => [[c, c] as const, ...SHADES[c].map((shade) => [shade, c] as const)]),
]);
/** Words before a colour that deny it ("not green", "isn't red", "rather than blue"). */
const DENIED = /\b(?:not|no|isn't|isnt|is not|never|nor|neither|rather than|instead of|than)\s+(?:(?:a|an|the|quite|really|very|exactly|pure|solid|bright|dark|light)\s+){0,2}$/;

/** The colours an answer asserts, by the drawn colour they name: "lime" is green; "not green, it is blue" is blue. */
function assertedColours(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (const match of lower.matchAll(/[a-z]+/g)) {
    const colour = COLOUR_OF.get(match[0]);
    if (!colour || DENIED.test(lower.slice(Math.max(0, match.index - 40), match.index))) continue;
    out.add(colour);
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
      const body = answer.body ?? {};
      const failed = failedResponse(body);
      if (failed) return judge(definition, input, 'rejected', evidence, `HTTP ${answer.status}, but ${failed}`);
      const colour = sentColour(request);
      if (!colour) return unobserved(input, 'HARNESS_INTERNAL: the request carries no image the harness generated ({{generated.png-<colour>}})', evidence);
      const text = visibleText(body);
      const said = assertedColours(text);
      const quoted = JSON.stringify(text.slice(0, 120));
      const others = [...said].filter((c) => c !== colour);
      if (said.has(colour) && others.length === 0) return judge(definition, input, 'seen', evidence, `the image is ${colour}; the answer says ${quoted}`);
      // Naming its colour among others ("green or blue", "green, blue and red") says nothing about which it saw.
      if (said.has(colour)) return inconclusive(input, `the image is ${colour}; the answer names ${[colour, ...others].join(', ')}, so which it saw cannot be told: ${quoted}`, evidence);
      if (others.length || saysNoImage(text)) {
        return judge(definition, input, 'not-seen', evidence, `the image is ${colour}; the answer says ${quoted}${others.length ? ` (names ${others.join(', ')})` : ' (no image seen)'}`);
      }
      const spent = budgetSpent(body, limitOf(request));
      return inconclusive(input, spent ? `${spent}, before a colour was named` : `the answer names no colour, so it cannot tell whether the image was seen: ${quoted}`, evidence);
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
