/**
 * @module checks/colour-doubt
 * Whether an answer to "what is the one colour of this image" carries doubt anywhere in it: images.seen.* counts the
 * right colour as `seen` only in a clean answer, since a dropped image is guessed right one time in four and no list
 * of phrasings tells a guess from a report ("Green (just a guess)", "Green... probably", "I can't be sure, green").
 * One rule: any word of negation, hedge, uncertainty or absence, or a question mark, anywhere in the answer, and the
 * colour it names may be a guess, so whether the image was seen cannot be told (inconclusive). The lists are closed,
 * so each word takes its inflections ("chances", "suspected", "hypothetically"): a word missed passes a guess as seen.
 * "Appears" and "looks" stay clean: "it appears to be green" is how vision models report what they see. A negation
 * that denies a colour ("green, not red", "it isn't blue, it's green") names what the image is not: no doubt. A
 * courtesy that opens the answer ("Sure! It's green.", "Certainly, green") is no uncertainty either.
 */

/** Negation: what no image, or a hedge about one, is said with. A denial of a colour is set apart (see DENIES). */
const NEGATION = String.raw`not|no|never|nothing|none|nobody|nowhere|cannot|unable|without|neither|nor|\w+n't|cant|dont|doesnt|didnt|isnt|wasnt|havent|couldnt|wont`;
/** A hedge or a guess: the colour is inferred or picked, not reported. */
const HEDGE = String.raw`guess\w*|probab\w*|(?:un)?likel\w*|maybe|perhaps|(?:im)?possib\w*|presum\w*|might|may|could|would|should|i'd|seem\w*|apparent\w*|if|unless|imagin\w*|hard(?:ly)?|hypothetic\w*|speculat\w*|suspect\w*|hunch\w*`;
/** Uncertainty, or a colour chosen from what is usual rather than what was seen. */
const UNSURE = String.raw`(?:un)?sure|(?:un)?certain(?:ty|ties)?|unclear|assum\w*|estimat\w*|pick\w*|bet|bets|betting|suppos\w*|think\w*|believ\w*|reckon\w*|confiden\w*|doubt\w*|common\w*|typical\w*|usual\w*|popular\w*|default\w*|choices?|random\w*|arbitrar\w*|chances?|odds|coin|coins|toss\w*|i'll|expect\w*|gather|shot|sake`;
/** Absence, failure, or what a model without the image says instead ("I'm a text model", "sorry, please resend"). */
const ABSENT = String.raw`missing|fail\w*|unavailable|empty|blank|lost|broken|corrupt\w*|text|texts|textual|sorry|unfortunate\w*|apolog\w*|please|resend\w*|upload\w*|absen\w*|blind\w*|lack\w*|invisib\w*|stripped|zero|language`;

const DOUBT = new RegExp(String.raw`\b(${NEGATION}|${HEDGE}|${UNSURE}|${ABSENT})\b|\?`, 'gi');
/** What a negation may stand before when it denies a colour: "not red", "isn't a bright blue". */
const DENIES = /^\s+(?:(?:a|an|the|quite|really|very|exactly|pure|solid|bright|dark|light)\s+){0,2}([a-z]+)\b/i;
/** A courtesy that opens the answer: "Sure!", "Certainly,", "Of course." */
const OPENER = /^\s*(?:sure|certainly|of course|absolutely)\b[\s!,.:;-]*/i;
const NEGATIONS = new RegExp(String.raw`^(?:${NEGATION})$`, 'i');

/**
 * The first word of doubt in the answer, as written (or `?`), or undefined when the answer is clean. `isColour` tells
 * which words are colours, so that a negation denying one is not counted.
 */
export function doubtIn(text: string, isColour: (word: string) => boolean): string | undefined {
  const plain = text.replace(/[\u2018\u2019]/g, "'");
  const body = plain.slice(OPENER.exec(plain)?.[0].length ?? 0);
  for (const match of body.matchAll(DOUBT)) {
    const word = match[1];
    if (word && NEGATIONS.test(word)) {
      const denied = DENIES.exec(body.slice(match.index + word.length))?.[1];
      if (denied && isColour(denied.toLowerCase())) continue;
    }
    return word ?? '?';
  }
  return undefined;
}
