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
 * square", "it's all green", "solid green") outweighs the weak signs and a guess, and an absence in no-image.ts's words
 * only when the model took it back ("I don't see an image here. Oh wait, there it is. It's a green square."). Read
 * apart, as not the model's own statement: quoted text ("answer 'I cannot see images' if you cannot see images"), a
 * condition ("if", "unless", "whether"), a question (only the question itself: "there's no image attached, maybe the
 * upload failed?" still says the first), what another says or fears ("the user worries the image didn't come
 * through"), what the model will not say ("don't say no image was attached"), and an absence with an exception
 * ("nothing was uploaded besides the green square": something was). A guess counts only at the answer: not "I'd guess
 * the user wants one word", "my best guess at the exact shade", "the harness picks a colour at random". A reasoning
 * longer than is read (MAX_REASONING, or a line over MAX_LINE) is a doubt too: what is not read may say either.
 */
import { BEFORE, CLAUSES, IMAGE, MISSING_TAIL, NOT, SEE, saysNoImage } from './no-image.ts';

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
  // "..., I'll just say green", "..., so I'll pick one": an answer chosen without the image is a guess announced.
  [/,\s*(?:(?:so|and|therefore|thus|hence)\s+)?I(?:'ll| will|'d| would|'m going to| am going to)?\s+(?:(?:just|simply|have to|need to|probably)\s+)*(?:say|pick|choose|answer|go with|reply|respond|guess)\b.*$/gi, ", so I'll guess"],
  // "..., aside from the user's text": only text came, no exception.
  [/,\s*(?:besides|other than|except(?:\s+for)?|apart from|aside from|beyond)\s+(?:the user's\s+|the\s+|your\s+|some\s+|plain\s+|this\s+|a\s+)?(?:text|prompt|question|words?|message|instructions?)\b.*$/gi, ', only text'],
];
const asAnswer = (clause: string) => AS_ANSWER.reduce((text, [from, to]) => text.replace(from, to), clause);

/** An image, a picture... where it is the subject of its own clause (not "the hex code of the image"). */
const SUBJECT = String.raw`(?<!\bof\s+(?:the\s+|this\s+|that\s+|your\s+)?)\b(?:images?|pictures?|photos?|attachments?)\b(?!'s)`;
/** "Visible to us": reasoning speaks for the model in the plural too. */
const TO_US = String.raw`(?:\s+(?:to|for)\s+(?:me|us))?`;
/** Absences only reasoning words so (read after AS_ANSWER): weak, a description of the image outweighs them. */
const LOOSE: readonly RegExp[] = [
  // "No image is present", "no actual image is present in your input", "there is no image content", and tersely, with
  // no verb: "no image data present", "no image content visible to us".
  new RegExp(String.raw`\bno\s+(?:actual\s+|real\s+)?(?:${IMAGE}|(?:image|visual|picture)\s+(?:content|data|input)s?)(?:\s+(?:(?:is|was|are|were|has been)\s+)?(?:actually\s+)?(?:present|there|visible|available|included|attached|provided|shown))?${TO_US}${MISSING_TAIL}`, 'i'),
  // Notes with no verb or article, as reasoning models write them: "Image missing.", "Image absent.", "Image not
  // provided.", "The image is absent"; not "the image is not missing".
  new RegExp(String.raw`^(?:the\s+|an?\s+)?${SUBJECT}\s+(?:(?:is|was|are|were)\s+(?:actually\s+)?)?(?:missing|absent|unavailable|not\s+(?:provided|present|attached|included|there|here|visible|available|given|sent|found|shown|uploaded|received|loaded))${TO_US}${MISSING_TAIL}`, 'i'),
  // "Without the image, green is my pick", "with no image to look at,": the image itself is what the choice lacks.
  new RegExp(String.raw`\b(?:without|with no|lacking|absent)\s+${BEFORE}${IMAGE}(?:\s+to (?:look at|see|view|go on|work with|go by))?\s*(?:,|$)`, 'i'),
  // "The image isn't there", "the image is not present", "the image must have failed to upload".
  new RegExp(String.raw`${SUBJECT}\s+(?:(?:isn't|is not|wasn't|was not|aren't|are not)\s+(?:actually\s+|really\s+)?(?:there|present|here)|(?:must|may|might|probably|likely|apparently|seems to|appears to)\s+(?:have\s+)?(?:failed to (?:upload|load|attach|come through|send|arrive)|not (?:have\s+)?(?:been\s+)?(?:attached|uploaded|loaded|included|sent|come through|arrived)|(?:been\s+)?(?:dropped|lost|stripped)))${MISSING_TAIL}`, 'i'),
  // "Only text was provided", "there's only text", "you sent only text".
  new RegExp(String.raw`(?:^|\b(?:there(?:'s| is| was)|I (?:have|got|received|see)|you (?:sent|provided|gave))\s+)(?:only|just)\s+(?:the\s+|some\s+|plain\s+)?text(?:\s+(?:was|is|has been)\s+(?:provided|given|sent|included|attached|received|present|there|shared))?${MISSING_TAIL}`, 'i'),
  // "You didn't actually attach anything" (the user, reworded).
  new RegExp(String.raw`\b(?:haven't|have not|hasn't|has not|didn't|did not|forgot to)\s+(?:attach|attached|upload|uploaded|send|sent|share|shared|provide|provided|include|included)\s+anything(?:\s+at all)?${MISSING_TAIL}`, 'i'),
];
/** "I don't see one", "there isn't one", "none was attached": read only where the pronoun is the image (IMAGE_BEFORE). */
const PRONOUN: readonly RegExp[] = [
  new RegExp(String.raw`\b${NOT}\b(?:\s+\w+){0,2}?\s+${SEE}\s+(?:one|it|any)${MISSING_TAIL}`, 'i'),
  new RegExp(String.raw`\bthere(?:\s+(?:isn't|is not|wasn't|was not|aren't|are not)\s+(?:one|any)|(?:'s|\s+is|\s+was)\s+none)${MISSING_TAIL}`, 'i'),
  new RegExp(String.raw`\bnone\s+(?:was|were|is|are|has been|have been)\s+(?:actually\s+)?(?:attached|provided|included|uploaded|sent|shared|given|received|there|present|visible)${MISSING_TAIL}`, 'i'),
];
/**
 * What a pronoun clause must follow in its sentence for "one" / "any" / "none" to be the image: the image named last,
 * as the thing spoken of ("the user mentions an image but I don't see one"), not as where something is ("looking for
 * shapes in the image, I don't see any", "no gradient in the picture; there isn't one": the shapes, the gradient).
 */
const IMAGE_BEFORE = /(?<!\b(?:in|of|on|within|inside|from|across|throughout|for|at|into)\s+)\b(?:an?|any|the|this|that|your|their|some)\s+(?:(?:attached|uploaded|actual|png)\s+)?(?:images?|pictures?|photos?|attachments?)\s*(?:(?:[,;:]|\b(?:but|and|yet|so|though|however)\b)\s*)*$/i;
/** "Besides the green square", "other than this image": something was there; "besides the text" is no exception. */
const EXCEPT = /\b(?:besides|other than|except(?:\s+for)?|apart from|aside from|beyond|in addition to)\s+(?!(?:the\s+|your\s+|some\s+|plain\s+|this\s+|a\s+)?(?:user's\s+)?(?:text|prompt|question|words?|message|instructions?)\b)/i;
/**
 * Not the model's own statement, from these words to the clause's end: what another says or fears ("the user worries
 * the image didn't come through", "the system prompt claims I'm a text-based AI"), and what the model will not say
 * ("don't say no image was attached", "I won't claim I can't see the image", "no need to say", "wrong to answer that").
 */
const SET_APART = /\b(?:(?:the\s+)?user|they|he|she|someone|somebody|people|the\s+(?:system\s+)?(?:prompt|message|instructions?)|the\s+(?:question|task))\s+(?:(?:probably|might|may|apparently|clearly|also|still|seems to|seem to)\s+)?(?:says?|said|claims?|claimed|worr(?:y|ies|ied)|thinks?|thought|fears?|feared|suggests?|suggested|believes?|believed|states?|stated|notes?|noted|implies|implied|insists?|insisted|assumes?|assumed|warns?|warned|wonders?|wondered)\b.*$|\b(?:don't|do not|won't|will not|wouldn't|would not|shouldn't|should not|mustn't|must not|never|not|no need to|no reason to|wrong to|a mistake to)\s+(?:(?:just|simply|ever|really|falsely|wrongly|even|go on to|be)\s+)?(?:say(?:ing)?|claim(?:ing)?|answer(?:ing)?|reply(?:ing)?|respond(?:ing)?|pretend(?:ing)?|state|tell(?:ing)?|write|suggest|imply|act as (?:if|though))\b.*$/i;
/** A reason put first ("since there's no image attached, I'll say green"): the reason and the rest, each read alone. */
const FRONTED = /^(?:since|as|because|given(?:\s+that)?|seeing(?:\s+(?:that|as))?|now that)\s+([^,]+),\s*(.+)$/i;

const COLOUR = String.raw`(?:red|green|blue|yellow|orange|purple|violet|pink|brown|black|white|gr[ae]y|cyan|magenta|teal|lime|olive|turquoise|[a-z]+ish)\b`;
/** A colour named as what the image is, after a guess word: "it's green", "probably a shade of green". */
const IS_COLOUR = String.raw`(?:that\s+)?(?:it(?:'s| is| would be|'d be| will be|'ll be)\s+)?(?:(?:a|an|the|probably|just|likely|maybe|some|shade|kind|sort|of)\s+){0,3}${COLOUR}`;
/**
 * A guess at the answer, not at what the user wants or at the exact shade: "I'll guess", "I'd guess it's green", "let
 * me guess", "I'm guessing here", "I'll have to guess", "guess green", "a safe guess", "my best guess is green", "I'll
 * just say green", "pick one", "pick a random colour", "a common test colour, so I'll go with it", "green is a safe bet".
 * Not "I'd guess the user wants one word", "my guess is the user is testing", "my best guess at the exact shade is
 * lime", "some would guess", "the safe bet is to answer with just the colour name", "the harness picks a colour at
 * random", "a common colour for test images".
 */
const GUESS = new RegExp(
  [
    String.raw`(?:^|\b(?:I|we)(?:'ll|'d|'m|\s+will|\s+would|\s+must|\s+am|\s+can|\s+could|\s+shall|\s+should)?\s+|\blet me\s+|\blet's\s+)(?:(?:just|simply|only|probably|have to|need to|going to|gonna|'ll have to|will have to|must|better)\s+){0,3}guess(?:ing)?\b(?=\s*$|\s*[^\w\s]|\s+(?:here|again|blindly|randomly|at random|then|now|anyway|one|something|a colou?r|the colou?r|the answer|an answer|based)\b|\s+${IS_COLOUR})`,
    String.raw`\b(?:an?|my|the|our|best|safe|random|wild|educated|reasonable|good|blind|pure|only|lucky)\s+(?:(?:best|safe|random|wild|educated|reasonable|good|blind|pure|only|lucky|total|rough|informed)\s+)?guess(?:es)?\b(?!\s+(?:is|was|would be|here is)\s+(?!${IS_COLOUR})|\s+(?:at|about|as to|on|of|for)\s+(?!(?:the\s+|its\s+)?(?:colou?r|answer)\b))`,
    String.raw`\bguesswork\b`,
    String.raw`\bguess(?:ing)?\s+${IS_COLOUR}`,
    String.raw`\bI(?:'ll|\s+will)\s+(?:just|simply)\s+(?:say|go with|pick|answer(?: with)?)\b`,
    String.raw`\bpick(?:ing)?\s+one\b(?=\s*$|\s*[^\w\s]|\s+(?:at random|randomly|then|anyway)\b)`,
    String.raw`\b(?:pick|picking|choose|choosing|go with|going with|say|name|answer with)\s+(?:a|the|some|any)\s+(?:random|arbitrary|plausible|common|likely)(?:\s+test)?\s+colou?r\b`,
    String.raw`\b(?:random|arbitrary|plausible|common)(?:\s+test)?\s+colou?r\b,?\s+so\s+I\b`,
    String.raw`\bI(?:'ll|'d|\s+will|\s+would|\s+can|\s+must|\s+could)?\s+(?:just\s+|simply\s+)?(?:pick|choose|select|go with|say|answer|name)\b[^.;:!?]{0,30}?\b(?:at random|randomly)\b`,
    String.raw`\bmak(?:e|ing) (?:up (?:a|an|some) (?:colou?r|answer)|(?:one|something|a colou?r|an answer|it) up)\b`,
    String.raw`\bsafe bet\b(?!\s+(?:is|was|would be|here is)\s+to\b)`,
    String.raw`\bassum(?:e|ing)\s+(?:that\s+)?(?:it(?:'s| is)|the (?:image|colou?r|picture) is)\s+(?:\w+\s+)?${COLOUR}`,
  ].join('|'),
  'gi',
);
/** Words that deny the guess after them: "no need to guess", "not a wild guess", "hardly a guess", "zero guesswork". */
const DENIED = /(?:\bno|\bnot|\bnever|\bnothing|\bwithout|\brather than|\binstead of|\bhardly|\bbarely|\bzero|\bfar from|\bnor|n't)\s+(?:(?:need|needs|have|has|going|to|be|a|an|any|just|really|actually|even|for|more|much|reason|point|room|make|mere|pure|wild|blind|random|total)\s+){0,3}$/i;
/** The image described as seen: "the image is a solid green square", "every pixel is green", "I can see a green square". */
const SEEING = new RegExp(String.raw`\b(?:(?:the|this|that|every|each|all)\s+(?:image|picture|photo|png|square|pixels?)\s+(?:itself\s+)?(?:shows|is|are|appears|looks|contains|depicts|displays|has)|I\s+(?:can\s+)?(?:clearly\s+)?see\s+(?:it|the image|the picture|this image|a|an|only|just)|I(?:'m| am)\s+(?:looking at|seeing|viewing|observing))\b[^.!?;\n]{0,60}?\b${COLOUR}`, 'i');
/** "It's a green square", "it's all green", "it's green.", "solid green fill": the same, said shortly. */
const QUALIFIED = String.raw`(?:all|entirely|completely|uniformly|totally|solid|plain|pure|flat|fully|bright|dark|light|vivid|deep)`;
const SEEN_SHORT = new RegExp(String.raw`\b(?:it(?:'s| is)|this is|that's)\s+(?:(?:a|an|just|simply|clearly|definitely)\s+)?(?:${QUALIFIED}\s+${COLOUR}|${COLOUR}(?=\s+(?:square|image|picture|fill|colou?r|background|block|canvas|pixels?|all over|throughout|everywhere)\b|\s*[.!]?\s*$))|^(?:an?\s+)?${QUALIFIED}\s+${COLOUR}`, 'i');
/** What makes a description no report of sight: a denial, a guess, a hedge, a condition. */
const HEDGE = /\b(?:no|not|nothing|none|never|without|missing|guess\w*|probably|likely|maybe|perhaps|presumably|might|may|must|could|would|should|assum\w*|suppos\w*|imagin\w*|pretend\w*|if|unless|whether)\b|n't\b/i;
/** The model taking back what it said: "wait, there it is", "oh, I do see it", "actually", "never mind". */
const RETRACT = /\b(?:wait|oh|ah|actually|hold on|hang on|there it is|I do see|I can see it|now I see|never ?mind|scratch that|on (?:second|closer|another) look|my (?:mistake|bad)|correction|I was wrong|it did)\b/i;

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
  for (const match of clause.matchAll(GUESS)) if (!DENIED.test(clause.slice(0, match.index))) return true;
  return false;
}

/** Whether a sentence describes the image as seen, unhedged within the clause that says it. */
function describesImage(sentence: string): boolean {
  return [SEEING, SEEN_SHORT].some((seeing) => {
    const match = seeing.exec(sentence.trim());
    if (!match) return false;
    const before = sentence.trim().slice(0, match.index).split(/[;,]|\b(?:but|though|however)\b/).pop() ?? '';
    return !HEDGE.test(before + match[0]);
  });
}

/** How much of a reasoning is read, and of each of its lines (reasoningDoubt): past either, none of it. */
const MAX_REASONING = 16_000;
const MAX_LINE = 2_000;

/**
 * Why a right colour may be a guess: the clause (as read, curly apostrophes made plain) and what it says, or, for a
 * reasoning past what is read (`unread`), how far past.
 */
export interface ReasoningDoubt {
  clause: string;
  says: 'no-image' | 'guess' | 'unread';
}

/** A clause as read (set apart words gone), as written, the whole clause a fronted reason is part of, and its sentence. */
interface Clause {
  clause: string;
  raw: string;
  whole: string;
  sentence: string;
}

/** The clauses of a sentence, a fronted reason apart from what it is the reason for. */
function clausesOf(sentence: string): Clause[] {
  return sentence.split(CLAUSES).flatMap((piece) => {
    const whole = piece.trim();
    const fronted = FRONTED.exec(whole);
    return (fronted ? [fronted[1]!, fronted[2]!] : [whole]).map((raw) => ({ clause: raw.replace(SET_APART, ' ').trim(), raw: raw.trim(), whole, sentence }));
  });
}

/** Whether a pronoun clause ("I don't see one") follows the image named as the thing spoken of in its sentence. */
const pronounIsImage = ({ raw, sentence }: Clause) => IMAGE_BEFORE.test(sentence.slice(0, Math.max(0, sentence.indexOf(raw))));

/**
 * Whether the model took back the absence at `at` ("I don't see an image here. Oh wait, there it is. It's a green
 * square."): a retraction after it, a description of the image after that, and no guess from the absence on.
 */
function takenBack(clauses: readonly Clause[], at: number): boolean {
  const after = clauses.slice(at + 1);
  const retracted = after.findIndex(({ clause }) => RETRACT.test(clause));
  return retracted >= 0 && after.slice(retracted).some(({ sentence }) => describesImage(sentence)) && !clauses.slice(at).some(({ clause }) => guessIn(clause));
}

/**
 * What in a model's reasoning makes a clean right colour a possible guess, or undefined. Read line by line too: a
 * reasoning's pieces and paragraphs are separate thoughts, often unpunctuated.
 */
export function reasoningDoubt(reasoning: string): ReasoningDoubt | undefined {
  // The patterns take time that grows faster than a line's length: an endpoint that ignores the 16-token budget and
  // sends pages of reasoning is not read, so judging stays quick. Nor is it clean: what was cut off may say "there's
  // no image attached, so I'll guess", as an answer past MAX_ANSWER may (images.ts).
  if (reasoning.length > MAX_REASONING) return { clause: `${reasoning.length} characters, more than the ${MAX_REASONING} a reasoning is read to`, says: 'unread' };
  const longest = reasoning.split(/\n+/).reduce((most, line) => Math.max(most, line.length), 0);
  if (longest > MAX_LINE) return { clause: `a line of ${longest} characters, more than the ${MAX_LINE} a line is read to`, says: 'unread' };
  const plain = reasoning.replace(QUOTED, ' ').replace(/[\u2018\u2019]/g, "'");
  const sentences = plain.split(/\n+/).flatMap((line) => withoutQuestions(line).replace(CONDITION, ' ').split(/(?<=[.!?])\s+/));
  const clauses = sentences.flatMap(clausesOf).filter(({ clause }) => clause);
  const read = clauses.filter(({ clause }) => !EXCEPT.test(clause));
  const absent = read.filter(({ clause }) => saysNoImage(asAnswer(clause)));
  if (absent.length && !takenBack(clauses, clauses.indexOf(absent[absent.length - 1]!))) return { clause: absent[0]!.whole, says: 'no-image' };
  if (sentences.some(describesImage)) return undefined;
  const loose = read.find((clause) => LOOSE.some((pattern) => pattern.test(asAnswer(clause.clause))) || (pronounIsImage(clause) && PRONOUN.some((pattern) => pattern.test(asAnswer(clause.clause)))));
  if (loose) return { clause: loose.whole, says: 'no-image' };
  const guess = clauses.find(({ clause }) => guessIn(clause));
  return guess ? { clause: guess.whole, says: 'guess' } : undefined;
}

/** The clause in which a model's reasoning says no image reached it, or undefined (reasoningDoubt's absences alone). */
export function reasoningNoImage(reasoning: string): string | undefined {
  const doubt = reasoningDoubt(reasoning);
  return doubt?.says === 'no-image' ? doubt.clause : undefined;
}
