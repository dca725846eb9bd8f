/**
 * @module checks/reasoning-no-image
 * Whether a model's reasoning shows that the right colour its clean answer named was a guess: images.seen.* reads it
 * only to keep such an answer from `seen` (inconclusive), never to blame the endpoint. Reasoning says so two ways.
 *
 * It says no image reached the model. no-image.ts's patterns read it as an answer would put it ("the user hasn't
 * attached an image" is "you hasn't attached an image"), and looser wordings that only reasoning uses count too, but
 * weakly ("the user mentions an image but I don't see one", "no image is present", "only text was provided", "the
 * image must have failed to upload"). Or it says the model will guess ("I'll guess green", "green is a safe guess",
 * "pick a common colour"): a model that saw a solid green square does not guess, so the guess itself is the sign,
 * whatever words it gave for why (no list of absences is ever whole). A guess the model denies ("no need to guess")
 * is none, and "I guess the user wants..." is a filler, not a guess at the answer.
 *
 * Reasoning that describes the image in plain words ("the image is a solid green square", "I can see a green
 * square") outweighs the weak signs, not an absence in no-image.ts's words. Read apart, as not the model's own
 * statement: quoted text ("answer 'I cannot see images' if you cannot see images"), a condition ("if", "unless",
 * "whether"), a question (only the question itself: "there's no image attached, maybe the upload failed?" still says
 * the first), and an absence with an exception ("nothing was uploaded besides the green square": something was).
 */
import { CLAUSES, IMAGE, MISSING_TAIL, NOT, SEE, saysNoImage } from './no-image.ts';

/**
 * Reasoning words the same absence as an answer does, but of "the user" where an answer says "you" ("the user hasn't
 * actually attached an image", "no image in the user's message") and with a guess announced at more length ("there's
 * no image attached, so I'll have to guess"): read as an answer would put it, by the same patterns.
 */
const AS_ANSWER: readonly [RegExp, string][] = [
  [/\bthe user's\s+(message|prompt|request|input|question|conversation|chat)\b/gi, 'your $1'],
  [/\b(?:the\s+)?user\s+(hasn't|has not|didn't|did not|forgot to)\b/gi, 'you $1'],
  [/\b(hasn't|has not|haven't|have not|didn't|did not)\s+(?:actually|really|even|yet)\s+/gi, '$1 '],
  [/,\s*(?:so|and)\s+I(?:'ll| will|'d| would)?\s+(?:(?:have|need) to|must|just|can only)\s+(?:just\s+)?guess\b/gi, ", so I'll guess"],
];
const asAnswer = (clause: string) => AS_ANSWER.reduce((text, [from, to]) => text.replace(from, to), clause);

/** An image, a picture... where it is the subject of its own clause (not "the hex code of the image"). */
const SUBJECT = String.raw`(?<!\bof\s+(?:the\s+|this\s+|that\s+|your\s+)?)\b(?:images?|pictures?|photos?|attachments?)\b(?!'s)`;
/** Absences only reasoning words so (read after AS_ANSWER): weak, a description of the image outweighs them. */
const LOOSE: readonly RegExp[] = [
  // "No image is present", "no actual image is present in your input", "there is no image content".
  new RegExp(String.raw`\bno\s+(?:actual\s+|real\s+)?(?:${IMAGE}(?:\s+(?:is|was|are|were|has been)\s+(?:actually\s+)?(?:present|there|visible|available|included|attached|provided))?|(?:image|visual|picture)\s+(?:content|data|input)s?(?:\s+(?:is|was)\s+(?:present|there|provided|included))?)${MISSING_TAIL}`, 'i'),
  // "The image isn't there", "the image is not present", "the image must have failed to upload".
  new RegExp(String.raw`${SUBJECT}\s+(?:(?:isn't|is not|wasn't|was not|aren't|are not)\s+(?:actually\s+|really\s+)?(?:there|present|here)|(?:must|may|might|probably|likely|apparently|seems to|appears to)\s+(?:have\s+)?(?:failed to (?:upload|load|attach|come through|send|arrive)|not (?:have\s+)?(?:been\s+)?(?:attached|uploaded|loaded|included|sent|come through|arrived)|(?:been\s+)?(?:dropped|lost|stripped)))${MISSING_TAIL}`, 'i'),
  // "Only text was provided", "there's only text", "you sent only text".
  new RegExp(String.raw`(?:^|\b(?:there(?:'s| is| was)|I (?:have|got|received|see)|you (?:sent|provided|gave))\s+)(?:only|just)\s+(?:the\s+|some\s+|plain\s+)?text(?:\s+(?:was|is|has been)\s+(?:provided|given|sent|included|attached|received|present|there|shared))?${MISSING_TAIL}`, 'i'),
  // "You didn't actually attach anything" (the user, reworded).
  new RegExp(String.raw`\b(?:haven't|have not|hasn't|has not|didn't|did not|forgot to)\s+(?:attach|attached|upload|uploaded|send|sent|share|shared|provide|provided|include|included)\s+anything(?:\s+at all)?${MISSING_TAIL}`, 'i'),
];
/** "I don't see one", "there isn't one", "none was attached": read only in a sentence that names the image. */
const PRONOUN: readonly RegExp[] = [
  new RegExp(String.raw`\b${NOT}\b(?:\s+\w+){0,2}?\s+${SEE}\s+(?:one|it|any)${MISSING_TAIL}`, 'i'),
  new RegExp(String.raw`\bthere(?:\s+(?:isn't|is not|wasn't|was not|aren't|are not)\s+(?:one|any)|(?:'s|\s+is|\s+was)\s+none)${MISSING_TAIL}`, 'i'),
  new RegExp(String.raw`\bnone\s+(?:was|were|is|are|has been|have been)\s+(?:actually\s+)?(?:attached|provided|included|uploaded|sent|shared|given|received|there|present|visible)${MISSING_TAIL}`, 'i'),
];
const NAMES_IMAGE = /\b(?:images?|pictures?|photos?|attachments?|png)\b/i;
/** "Besides the green square", "other than this image": something was there; "besides the text" is no exception. */
const EXCEPT = /\b(?:besides|other than|except(?:\s+for)?|apart from|aside from|beyond|in addition to)\s+(?!(?:the\s+|your\s+|some\s+|plain\s+|this\s+|a\s+)?(?:text|prompt|question|words?|message|instructions?)\b)/i;

const COLOUR = String.raw`(?:red|green|blue|yellow|orange|purple|violet|pink|brown|black|white|gr[ae]y|cyan|magenta|teal|lime|olive|turquoise|[a-z]+ish)\b`;
/** A guess at the answer: "I'll guess", "have to guess", "a safe guess", "guess green", "pick a random colour". */
const GUESS = new RegExp(String.raw`(?:'ll|\bwill|'d|\bwould|\bmust|\bto|\bcan only|\bcould only|\bjust|\bsimply)\s+(?:just\s+|simply\s+|have to\s+|need to\s+|probably\s+)?guess(?:ing)?\b|\b(?:an?|my|the|best|safe|random|wild|educated|reasonable|good|blind|pure|only|lucky)\s+guess(?:es|work)?\b|\bguesswork\b|^guess\b|\bguess(?:ing)?\s+(?:that\s+)?(?:it(?:'s| is)\s+)?${COLOUR}|\bmak(?:e|ing) (?:up (?:a|an|some) (?:colou?r|answer)|(?:one|something|a colou?r|an answer|it) up)\b|\b(?:random|arbitrary|plausible)\s+colou?r\b|\bcommon(?: test)? colou?r\b|\bsafe bet\b|\bat random\b|\bassum(?:e|ing)\s+(?:that\s+)?(?:it(?:'s| is)|the (?:image|colou?r|picture) is)\s+(?:\w+\s+)?${COLOUR}`, 'gi');
/** Words that deny the guess after them: "no need to guess", "I won't guess", "not a guess", "nothing to guess". */
const DENIED = /(?:\bno|\bnot|\bnever|\bnothing|\bwithout|\brather than|\binstead of|n't)\s+(?:(?:need|needs|have|has|going|to|be|a|any|just|really|actually|even|for|more|much|reason|point|room|make)\s+){0,3}$/i;
/** The image described as seen: "the image is a solid green square", "every pixel is green", "I can see a green square". */
const SEEING = new RegExp(String.raw`\b(?:(?:the|this|that|every|each|all)\s+(?:image|picture|photo|png|square|pixels?)\s+(?:itself\s+)?(?:shows|is|are|appears|looks|contains|depicts|displays|has)|I\s+(?:can\s+)?(?:clearly\s+)?see\s+(?:it|the image|the picture|this image|a|an|only|just))\b[^.!?;\n]{0,60}?\b${COLOUR}`, 'i');
/** What makes a description no report of sight: a denial, a guess, a hedge, a condition. */
const HEDGE = /\b(?:no|not|nothing|none|never|without|missing|guess\w*|probably|likely|maybe|perhaps|presumably|might|may|must|could|would|should|assum\w*|suppos\w*|imagin\w*|pretend\w*|if|unless|whether)\b|n't\b/i;

/**
 * Quoted text, in straight or curly quotes: what someone else said or might say, not the model's own statement. A
 * quote runs 300 characters at most, so a stray apostrophe is not searched to the end of a long line for its match.
 */
const QUOTED = /"[^"\n]{0,300}"|\u201c[^\u201d\n]{0,300}\u201d|\u2018.{0,300}?\u2019(?!\w)|(?<!\w)'(?=\S).{0,300}?(?<=\S)'(?!\w)/g;
/** A condition: "answer so if you cannot see images", "whether there is an image" (not "as if", a manner). */
const CONDITION = /(?<!\bas\s+)\b(?:if|unless|whether|in case)\b[^,;:.!?]*/gi;
/** A question whose first comma-joined piece asks ("is there no image, or is it green?"): asked from there on. */
const ASKS = /^(?:(?:so|and|but|or|wait|hmm+|then|ok(?:ay)?|well|now)\b[\s,]*)*(?:is|are|was|were|am|do|does|did|can|could|would|will|should|has|have|had|may|might|why|what|where|when|who|which|how|or|(?:is|are|was|were|do|does|did|ca|could|has|have|wo|would|should)n't)\b/i;

/** A line without its questions: from the piece that asks, or only the last piece ("..., maybe the upload failed?"). */
function withoutQuestions(line: string): string {
  return line.replace(/[^.!;:?]*\?+/g, (question) => {
    const pieces = question.split(',');
    const asked = pieces.findIndex((piece) => ASKS.test(piece.trim()));
    // A tag ("..., right?", "..., or not?") asks the whole of it.
    const tag = pieces.length > 1 && pieces[pieces.length - 1]!.trim().split(/\s+/).length <= 2;
    const kept = asked >= 0 ? asked : tag ? 0 : pieces.length - 1;
    return kept > 0 ? `${pieces.slice(0, kept).join(',')}. ` : ' ';
  });
}

/** Whether a guess in a clause is one the model makes (not denied). */
function guessIn(clause: string): boolean {
  for (const match of clause.matchAll(GUESS)) {
    const word = match[0].search(/guess|mak|random|arbitrary|plausible|common|safe|at random|assum/i);
    if (!DENIED.test(clause.slice(0, match.index + Math.max(0, word)))) return true;
  }
  return false;
}

/** Whether a sentence describes the image as seen, unhedged within the clause that says it. */
function describesImage(sentence: string): boolean {
  const match = SEEING.exec(sentence);
  if (!match) return false;
  const before = sentence.slice(0, match.index).split(/[;,]|\b(?:but|though|however)\b/).pop() ?? '';
  return !HEDGE.test(before + match[0]);
}

/** How much of a reasoning is read, and of each of its lines (reasoningDoubt). */
const MAX_REASONING = 16_000;
const MAX_LINE = 2_000;

/** Why a right colour may be a guess: the clause (as read, curly apostrophes made plain) and what it says. */
export interface ReasoningDoubt {
  clause: string;
  says: 'no-image' | 'guess';
}

/**
 * What in a model's reasoning makes a clean right colour a possible guess, or undefined. Read line by line too: a
 * reasoning's pieces and paragraphs are separate thoughts, often unpunctuated.
 */
export function reasoningDoubt(reasoning: string): ReasoningDoubt | undefined {
  // The patterns take time that grows faster than a line's length: an endpoint that ignores the 16-token budget and
  // sends pages of reasoning is read as far as a short answer's reasoning goes, so judging stays quick.
  const bounded = reasoning.slice(0, MAX_REASONING).split(/\n+/).map((line) => line.slice(0, MAX_LINE));
  const plain = bounded.join('\n').replace(QUOTED, ' ').replace(/[\u2018\u2019]/g, "'");
  const sentences = plain.split(/\n+/).flatMap((line) => withoutQuestions(line).replace(CONDITION, ' ').split(/(?<=[.!?])\s+/));
  const clauses = sentences.flatMap((sentence) => sentence.split(CLAUSES).map((clause) => ({ clause: clause.trim(), namesImage: NAMES_IMAGE.test(sentence) })));
  const read = clauses.filter(({ clause }) => clause && !EXCEPT.test(clause));
  const absent = read.find(({ clause }) => saysNoImage(asAnswer(clause)));
  if (absent) return { clause: absent.clause, says: 'no-image' };
  if (sentences.some(describesImage)) return undefined;
  const loose = read.find(({ clause, namesImage }) => [...LOOSE, ...(namesImage ? PRONOUN : [])].some((pattern) => pattern.test(asAnswer(clause))));
  if (loose) return { clause: loose.clause, says: 'no-image' };
  const guess = clauses.find(({ clause }) => guessIn(clause));
  return guess ? { clause: guess.clause, says: 'guess' } : undefined;
}

/** The clause in which a model's reasoning says no image reached it, or undefined (reasoningDoubt's absences alone). */
export function reasoningNoImage(reasoning: string): string | undefined {
  const doubt = reasoningDoubt(reasoning);
  return doubt?.says === 'no-image' ? doubt.clause : undefined;
}
