/**
 * @module checks/colour-guess
 * Whether an answer names an image's colour as a guess rather than a report of what it saw ("probably green", "I'd
 * guess green", "green, probably", "green is my best estimate", "Green?"): images.seen.* reads such an answer as
 * `inconclusive`, since a dropped image is guessed right one time in four. A hedge counts only where it governs the
 * colour: in the sentence that names it, just before it or closing it. A hedge about something else in that sentence
 * ("green, likely a test image", "green — probably #00FF00"), a sentence beside it ("Green. No guessing needed.") or
 * a question the answer then answers ("Is it green? Yes.") is no guess; nor is a guess beside a plain naming ("Green
 * (it could be lime, but green is the name)"): only an answer whose every naming of the colour is hedged guessed it.
 */

/** Where an answer names the colour: the word's offset and length (images.ts finds them; denied ones are left out). */
export interface Naming {
  index: number;
  length: number;
}

/**
 * A hedge that governs a colour named within a few words after it: "probably green", "my guess is green", "it might
 * be green", "my best estimate is green", "if I had to pick: green", "I can't really tell, green", "assuming it's a
 * default, green". "Could be described
 * as" names a colour, it does not guess it; a "but" between turns the sentence away from the hedge.
 */
const HEDGE_BEFORE = new RegExp(
  String.raw`\b(guess(?:es|ed|ing)?|assuming|probably|likely|presumably|perhaps|maybe|possibly|(?:might|may|could) be\b(?!\s+(?:described|called|considered|referred|termed|named))|best (?:estimate|bet)|if i (?:had|have) to (?:pick|guess|choose|say)|(?:can't|cannot|can not) (?:really |quite |exactly )?(?:tell|say|be sure)|hard to (?:say|tell))(?:[\s,:]+(?!(?:but|though|although|however)\b)[\w'#-]+){0,4}?[\s,:]+$`,
  'i',
);
/**
 * A hedge that closes the colour's naming: "green, probably.", "green, I think", "green is my best estimate", "green
 * is a common choice", "Green. Probably." An adverb must end its sentence or clause ("green, likely a test image"
 * hedges the test image, not the colour).
 */
const HEDGE_AFTER = new RegExp(
  String.raw`^(?:\s+(?:colou?r|shade|hue))?\s*(?:[,\u2014\u2013(.!]|-(?=\s))?\s*(?:(probably|likely|presumably|perhaps|maybe|possibly|i (?:think|guess|believe|suppose|reckon)|i'd (?:guess|say)|at a guess|if i had to (?:guess|pick|choose))\s*(?:[.!?,;)]|$)|(?:is|would be)\s+((?:my|a|an|the)\s+(?:(?:best|educated|wild|safe|rough)\s+)?(?:guess|estimate|bet))\b|(?:is\s+)?(an? (?:common|popular|safe|typical) (?:choice|guess|answer|colou?r)|the most (?:common|popular|likely) (?:choice|guess|answer))\b)`,
  'i',
);
/** "I'd say green, but I'm not sure": the "but" takes back what "I'd say" named. */
const SAY_BUT = /\b(?:i'd|i would) say\b[^.!?]*\bbut\b/gi;
/** An answer to the question just asked ("Is it green? Yes."): the naming is asserted, not asked. */
const ANSWERED = /^\s*(?:yes|yep|yeah|yup|correct|indeed|definitely|it is|that's right)\b/i;

/** How one naming of the colour is hedged (the hedge's words, or `a question`), or undefined when it is plain. */
function hedgeOf(text: string, naming: Naming): string | undefined {
  const sentences = [...text.matchAll(/[^.!?]+[.!?]*/g)];
  const sentence = sentences.find((s) => s.index <= naming.index && naming.index < s.index + s[0].length);
  if (!sentence) return undefined;
  const end = naming.index + naming.length;
  const said = [...sentence[0].matchAll(SAY_BUT)].find((m) => sentence.index + m.index <= naming.index && end <= sentence.index + m.index + m[0].length);
  if (said) return `"${said[0]}"`;
  const before = HEDGE_BEFORE.exec(text.slice(sentence.index, naming.index));
  if (before) return `"${before[1]}"`;
  const after = HEDGE_AFTER.exec(text.slice(end));
  const word = after?.[1] ?? after?.[2] ?? after?.[3];
  if (word) return `"${word}"`;
  const asked = sentence[0].trim().endsWith('?') && !ANSWERED.test(text.slice(sentence.index + sentence[0].length));
  return asked ? 'a question' : undefined;
}

/** How the answer marks the colour it names as a guess, when every naming of it is hedged; undefined otherwise. */
export function guessed(text: string, namings: readonly Naming[]): string | undefined {
  const plain = text.replace(/[\u2018\u2019]/g, "'");
  const hedges = namings.map((naming) => hedgeOf(plain, naming));
  return hedges.length && hedges.every(Boolean) ? hedges[0] : undefined;
}
