/**
 * @module checks/colour-answer
 * The words images.seen.* accepts beside the image's colour in a `seen` answer. Four rounds of phrase lists for doubt
 * and for "no image" each let a guess through as seen or blamed the endpoint for a description, since no list of
 * phrasings tells a guess from a report. This rule is closed instead: an answer is a clean report only when every word
 * in it is the image's colour or one of the few neutral words below, so a word no one listed makes it inconclusive,
 * never seen. None of them can say doubt, absence or a guess on its own: no negation ("no", "can't" reads as "cant"),
 * no hedge ("seems", "probably"), no first person beyond "I can see", no "if", "or", "but". "Appears" and "looks" stay:
 * "it appears to be green" is how vision models report what they see.
 */

/** Neutral words a vision model reports a one-colour image with: "The image is a solid green colour.", "I can see a
 * plain green square.", "It appears to be bright green.", "Sure! It's green." Read without apostrophes (it's → its). */
const ALLOWED = new Set([
  // Articles, pronouns and the verb that carry the report: "it's a", "this is the".
  'a', 'an', 'the', 'it', 'its', 'is', 'this', 'that',
  // What was sent, and what it is made of.
  'image', 'picture', 'photo', 'square', 'pixel', 'colour', 'color', 'shade', 'hue', 'tone', 'background', 'of',
  // How one colour fills it, and how the colour is qualified ("a solid, bright green").
  'solid', 'plain', 'pure', 'uniform', 'flat', 'single', 'one', 'entirely', 'completely', 'fully', 'filled', 'with',
  'bright', 'dark', 'light', 'deep', 'vivid',
  // Reporting what is seen: "appears (to be)", "looks", "shows", "I (can) see". Not "seems": it is said of a guess.
  // "Can", "to" and "be" are read only in those phrases (firstUnallowed): "it can be green" is a guess.
  'appears', 'looks', 'shows', 'displays', 'i', 'see',
  // A courtesy that opens the answer ("Sure! It's green.", "Yes, green.").
  'sure', 'yes',
]);

/** The words of an answer as written (apostrophes kept inside them), each question mark (any script's, and the
 * interrobang) and each emoji: every other mark, markdown too, is a gap. A question mark or a shrug is not a word anyone
 * reports a colour with ("Green?", "Green？", "Green 🤷"). */
export function answerWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['\u2018\u2019][\p{L}\p{N}]+)*|[?\uFF1F\u203D\u00BF\u2047-\u2049]|\p{Extended_Pictographic}/gu) ?? [];
}

/** A word as the allowlist and the colour names read it: lower-cased, apostrophes dropped (it's → its, can't → cant). */
const plain = (word: string) => word.toLowerCase().replace(/['\u2018\u2019]/g, '');

/**
 * The first word of the answer (as written, or `?`) that is neither the image's colour (`isImageColour`, given the
 * plain word) nor an allowed neutral word, or undefined when every word is allowed.
 */
export function firstUnallowed(text: string, isImageColour: (word: string) => boolean): string | undefined {
  const phrases = text.replace(/\bcan\s+see\b/gi, 'see').replace(/\b(appears|looks)\s+to\s+be\b/gi, '$1');
  return answerWords(phrases).find((word) => !isImageColour(plain(word)) && !ALLOWED.has(plain(word)));
}
