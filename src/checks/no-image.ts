/**
 * @module checks/no-image
 * Whether an answer to "what is the one colour of this image" says the model has no image to look at: it cannot see
 * images at all, or none reached it ("I don't see any image attached to your message", "the image didn't come
 * through", "you haven't provided an image"). images.seen.* reads it only in an answer that names no colour, or only a
 * wrong one (one naming the image's colour is never not-seen): `not-seen` blames the endpoint for dropping the image,
 * so only wording that says so plainly counts. A hedge about an image the model did see says
 * nothing of the kind ("I can't see the image well enough to name the shade", "I can't read the image metadata",
 * "the exact hex code of the image isn't available to me"): it names no colour, and is inconclusive.
 *
 * Each pattern is read within one clause (split at sentence ends, semicolons, colons and "but"/"though"/"however";
 * not at dashes or parentheses, which set a qualifier beside the clause it belongs to: "I can't view the picture
 * (it's only 64x64 pixels) in more detail"), and what follows the image must say where it is missing from, or
 * nothing: a hedge qualifies the image ("in detail", "at full resolution", "data"), an absence does not. When a
 * wording could come from a model that saw the image, it is left out: the answer is then inconclusive, which is
 * honest, where a wrong match blames the endpoint.
 *
 * The model's reasoning is read by the same patterns, and more (reasoning-no-image.ts): images.seen.* reads it only to
 * keep a clean answer naming the right colour from `seen` (the colour was a guess), never to blame the endpoint.
 */

/**
 * What was sent instead of an image, said after the absence ("..., it's a plain PNG", "...; you sent a colour
 * swatch"): the image arrived as something the model names otherwise. Not "you sent only text": that is the absence.
 */
const INSTEAD = String.raw`(?:it(?:'s| is| was)|this is|that's|instead|rather|(?:what )?you(?:'ve| have)? (?:sent|attached|shared|provided|uploaded|gave)(?!\s+(?:(?:me|us|just|only|merely|plain)\s+)*text\b))\b`;
/** A semicolon or colon before what was sent instead: read as one clause with the absence (saysNoImage). */
const INSTEAD_AFTER_BREAK = new RegExp(String.raw`\s*[;:]\s+(?=${INSTEAD}(?!\s+(?:(?:just|only|merely|plain)\s+)*text\b))`, 'gi');

/** A determiner or a plain adjective before the image's own name: "the PNG image", "any attached files". */
export const BEFORE = String.raw`(?:(?:the\s+)?contents?\s+of\s+)?(?:(?:an?|any|the|your|this|that|these|those|such|attached|uploaded|provided|shared|actual|png|jpe?g|1x1|one|single)\s+){0,3}`;
/** The image's own name (not "the image's colour", not "image data"). */
export const IMAGE = String.raw`(?:images?|pictures?|photos?|attachments?|files?|visual (?:information|content|input)|image inputs?)\b(?!'s)`;
/**
 * What may follow it in a clause that says it is missing: nothing, or where from (WHERE), then the clause's end. A
 * comma ends it only before a courtesy or a request ("I can't see images, sorry", "no image, could you resend it"),
 * "only text", a guess announced ("I don't have the image, so I'll guess") or the colour left untold ("since I can't
 * see the image, I can't tell you"). Before anything else the comma may lead to what was seen ("no image, just a
 * green square", "no picture, so it's plain green"): an answer that reads both ways is left inconclusive, where a
 * wrong match would blame the endpoint.
 */
const WHERE = String.raw`(?:\s+(?:(?:that |which )?I can (?:see|find|view|detect)|you(?:'re| are|'ve| have)? (?:sent|attached|shared|provided|uploaded|mentioned|referenced|referred to|referring to|tried to (?:send|share|attach|upload)|meant to (?:send|share|attach))|(?:that )?you (?:intended|wanted) to (?:send|share)|(?:in|within|with|from|to) (?:your|the|this|our|my) (?:message|conversation|chat|prompt|request|input|question)|here|on my (?:end|side)|yet|at all|directly|(?:to|for|with) me|attached|so far|from you|properly|successfully|correctly))*`;
export const MISSING_TAIL = String.raw`${WHERE}\s*(?:$|,\s*(?:sorry|please|could you|can you|would you|(?:only|just) (?:your )?text|(?:so |and )?I(?:'ll| will|'d| would| can only| have to)? guess|(?:so |and )?I(?: can't| cannot| can not| am unable to|'m unable to) (?:tell|say|determine|identify|name))\b)`;
/** After "without seeing the image", which opens the clause it qualifies, a comma ends the phrase: "..., green". */
const FRONTED_TAIL = String.raw`${WHERE}\s*(?:$|,)`;
/**
 * After "you haven't attached an image", what shows the image is itself what is missing, not a noun it modifies ("you
 * didn't provide an image caption / description / file name", "any files besides this image": the image is there):
 * the clause's end or a mark ("(only text came through)", "- only text", ", unfortunately", an emoji), or a word that
 * begins no noun phrase of the image's own: "you're asking about", "that I can see", "for me to review", "over", "in
 * this thread", "along with your message", "unfortunately". Not "with more detail" or "in higher resolution": hedges;
 * nor a comma or a dash before what was sent instead ("you didn't send a photo, it's a generated PNG", "you didn't
 * send an image - you sent a colour swatch"; saysNoImage joins a semicolon's case to these).
 */
const NOT_MODIFIER = String.raw`(?!\s*(?:,\s*just\b|[,\u2013\u2014-]\s*${INSTEAD}))(?=\s*$|[^\w\s-]|\s+[^\w\s]|\s+(?:you|that|which|I|it|this|yet|here|over|either|again|so|or|and|but|because|since|as|though|although|please|at (?:all|this point|the moment)|so far|for (?:me|us)|to (?:me|look|see|view|describe|analy[sz]e|identify|review|check|examine|work)|along with|with (?:your|the|this) (?:message|request|question|prompt)|(?:in|on) (?:this|the|your|our|my) (?:thread|message|conversation|chat|request|prompt|question|end|side)|\w+ly)\b)`;
/**
 * After "I can only process text": not "and images", "or pictures", ", images", "and this one image": then images are
 * read too (a few words between, none a negation: "and no image" is still text alone).
 */
const NOT_WITH_IMAGES = String.raw`(?!\s*(?:,|/|&|\band\b|\bor\b|\bplus\b|\bas well as\b)\s*(?:(?!(?:no|not|never|without)\b)[\w-]+\s+){0,3}(?:images?|pictures?|photos?|visuals?|vision)\b)`;
/** After "I am a text model": not "with vision (support)", "that can see images", "with image input": it has sight. */
const WITH_SIGHT = String.raw`(?![^.;:!?]*\b(?:with|having|plus|supporting|support for|capable of|that|which)\s+(?:[\w-]+\s+){0,3}?(?:vision|visual|images?|pictures?|multimodal|multi-modal|see|seeing|sight)\b)`;
/** A negation that governs the verb after it, within a few words. */
export const NOT = String.raw`(?:not|cannot|can't|can not|couldn't|could not|unable to|don't|do not|doesn't|does not|didn't|did not|wasn't|was not|won't|will not|haven't|have not|no way to|no way of|incapable of|lack the (?:ability|capability|capacity) to|(?:do not|don't) (?:actually |really |currently )?have (?:the|any) (?:ability|capability|capacity) (?:to|of))`;
/** Seeing an image, in any of the forms models use. */
export const SEE = String.raw`(?:see|seeing|view|viewing|access|accessing|process|processing|open|opening|load|loading|perceive|perceiving|visually perceive|receive|received|receiving|interpret|interpreting|analy[sz]e|analy[sz]ing|read|reading|look at|looking at|find|found|detect|detected)`;

const PATTERNS: readonly RegExp[] = [
  // "I can't see any image in your message", "I'm not seeing an image", "I wasn't able to see the image you sent",
  // "I am unable to see images", "I don't have the ability to visually perceive images".
  new RegExp(String.raw`\b${NOT}\b(?:\s+\w+){0,3}?\s+${SEE}\s+(?:or \w+\s+)?${BEFORE}${IMAGE}${MISSING_TAIL}`, 'i'),
  // "I don't have access to the image", "I don't have any image to look at".
  new RegExp(String.raw`\b(?:don't|do not|no)\s+(?:have\s+)?(?:access to|any)\s+${BEFORE}${IMAGE}(?:\s+to (?:look at|see|view|describe))?${MISSING_TAIL}`, 'i'),
  // "I don't have the image, so I'll guess": the image itself, not something of it ("the image data", "the image in
  // higher resolution" are hedges; the tail allows only where it is missing from).
  new RegExp(String.raw`\b(?:don't|do not|doesn't|does not|didn't|did not)\s+have\s+${BEFORE}${IMAGE}(?:\s+to (?:look at|see|view|describe))?${MISSING_TAIL}`, 'i'),
  // "Without being able to view the picture, I'd guess": the ability is what is missing, not a closer look.
  new RegExp(String.raw`\bwithout\s+(?:being able to|the (?:ability|capability) to|(?:any )?access to)\s+(?:${SEE}\s+(?:or \w+\s+)?)?${BEFORE}${IMAGE}${FRONTED_TAIL}`, 'i'),
  // "Without seeing the image, green": the sight itself is missing, not a closer look ("without zooming into the image"
  // is not sight; "without seeing it at full size" qualifies the image seen). A bare "it" is not read: in "any texture?
  // hard to say without seeing it" it is the texture.
  new RegExp(String.raw`\bwithout\s+(?:actually\s+)?(?:seeing|viewing|looking at)\s+${BEFORE}${IMAGE}${FRONTED_TAIL}`, 'i'),
  // "I can't see what you attached", "I don't see anything you sent".
  new RegExp(String.raw`\b${NOT}\b(?:\s+\w+){0,3}?\s+${SEE}\s+(?:what|whatever|anything)\s+you(?:'ve| have)?\s+(?:sent|attached|shared|uploaded|provided|included)${MISSING_TAIL}`, 'i'),
  // "No image was provided", "there is no image in your message", "no image came through with your message".
  new RegExp(String.raw`\bno\s+${IMAGE}(?:\s+(?:is|was|has been|were|have been))?(?:\s+(?:attached|provided|included|uploaded|shared|sent|received|given|came through))?(?:\s+here)?(?:\s+for me)?(?:\s+to (?:look at|see|describe|view|analy[sz]e))?${MISSING_TAIL}`, 'i'),
  // "There isn't an image attached", "there doesn't appear to be an image", "your message doesn't contain an image";
  // not "there isn't any picture in it" or "it doesn't contain any image of objects", said of the image seen.
  new RegExp(String.raw`\b(?:there (?:isn't|is not|wasn't|was not|doesn't (?:appear|seem) to be|does not (?:appear|seem) to be)|(?:doesn't|does not|didn't|did not) (?:contain|include|have))\s+(?:an?|any)\s+${IMAGE}${MISSING_TAIL}`, 'i'),
  // "You haven't attached an image", "I haven't received an image", "you forgot to attach the image"; not "you didn't
  // provide an image caption" or "you haven't attached any files besides this image" (the image is there).
  new RegExp(String.raw`\b(?:haven't|have not|hasn't|has not|didn't|did not|forgot to|forget to)\s+(?:attach|attached|share|shared|upload|uploaded|send|sent|provide|provided|include|included|receive|received)\s+${BEFORE}(?:(?:image|picture|photo)\s+)?${IMAGE}${NOT_MODIFIER}`, 'i'),
  // "The image didn't come through", "the image appears to be missing", "the image is missing", "the image couldn't be
  // loaded", "the image didn't make it through", "the image you mentioned is not visible to me"; not "the exact hex
  // code of the image isn't available to me". "Empty" only of an attachment or file, and only where it is said to be
  // so: "the image isn't empty" is an image there, and "the image is empty" may be a plain square described.
  new RegExp(String.raw`(?<!\bof\s+(?:the\s+|this\s+|that\s+|your\s+)?)\b(?:images?|pictures?|photos?|attachments?)\b(?!'s)(?:\s+you(?:'ve| have)? (?:sent|attached|shared|provided|uploaded|mentioned))?\s+(?:isn't|wasn't|is not|was not|aren't|are not|weren't|were not|didn't|did not|failed to|appears to be|seems to be|hasn't|has not|may not have|might not have|doesn't (?:seem|appear) to(?: have)?|does not (?:seem|appear) to(?: have)?|(?:doesn't|does not) seem to have been|(?:couldn't|could not|can't|cannot) be)\s+(?:been\s+)?(?:attached|included|provided|visible|available|come through|came through|load|loaded|opened|displayed|uploaded|upload|sent|received|showing up|attach|make it(?: through)?)${MISSING_TAIL}`, 'i'),
  new RegExp(String.raw`(?<!\bof\s+(?:the\s+|this\s+|that\s+|your\s+)?)\b(?:images?|pictures?|photos?|attachments?)\b(?!'s)(?:\s+you(?:'ve| have)? (?:sent|attached|shared|provided|uploaded|mentioned))?\s+(?:is|was|are|were|appears to be|seems to be)\s+missing${MISSING_TAIL}`, 'i'),
  /\b(?:attachments?|(?:attached |uploaded )?files?)\s+(?:appears? to be|seems? to be|is|was)\s+empty\b/i,
  // "It doesn't look like an image was attached", "I don't think the image was attached"; not "the image was attached".
  new RegExp(String.raw`\b(?:doesn't|does not|don't|do not)\s+(?:(?:look|seem|appear)\s+(?:like|as if|that)|think(?:\s+that)?)\s+(?:an?|any|the|your)\s+${IMAGE}\s+(?:was|were|has been)\s+(?:attached|included|provided|uploaded|received)\b`, 'i'),
  // "Nothing came through on my end", "there's nothing attached to your message".
  /\bnothing (?:was |is |has been )?(?:attached|came through|uploaded)\b/i,
  /\b(?:don't|do not|can't|cannot) see anything (?:attached|uploaded)\b/i,
  /\b(?:images?|pictures?|attachments?)\s+not\s+found\b/i,
  /\b(?:the |image |an? )?upload (?:failed|didn't work|did not work)\b|\b(?:issue|problem|error) with (?:the |your )?(?:image |file )?upload\b/i,
  new RegExp(String.raw`\b(?:please|need you to)\s+(?:provide|share|upload|attach|send|resend|re-send)\s+(?:the|an|your)\s+(?:image|picture|photo)s?(?:\s+(?:first|again))?${MISSING_TAIL}`, 'i'),
  // No vision at all, said of itself and unnegated: "I am a text-based AI", "as a text-only model", "I'm just a text
  // model" (not "I am not a text-only model", "unlike a text-based model", "a text-only model would have to guess"),
  // "I don't have visual capabilities", "I have no eyes", "I can only process text input", "I only see text in your
  // message" (not "I can only process text and images at low resolution", "I only see text and an image").
  new RegExp(String.raw`\b(?:i'm|i am|as|being)\s+(?:(?:just|only|simply|merely|purely|an?)\s+){0,3}(?:(?:ai|large|plain)\s+)?text(?:[- ](?:based|only))?\s+(?:ai|model|assistant|language model|llm)\b${WITH_SIGHT}|\b(?:have|has) no eyes\b|\b(?:don't|do not) have (?:any )?eyes\b|\bonly (?:see|received?|got|have) (?:the |your )?text\b${NOT_WITH_IMAGES}|\b(?:don't|do not|doesn't|does not) have (?:visual|vision|image)[- ](?:capabilities|capability|abilities|input)\b|\bno vision\b|\bonly (?:able to )?(?:process|read|understand|handle) text\b${NOT_WITH_IMAGES}|\bimage (?:input|inputs|understanding) (?:isn't|is not|are not|aren't) supported\b`, 'i'),
];

/**
 * Where a clause ends: a sentence (a full stop inside a parenthesis too: "(I can't see images.) Green"), a semicolon or
 * colon, or a "but", "though" or "however" that turns it. Not a dash or a parenthesis: what they set apart often
 * qualifies the clause before ("I can't see the image — at least not in detail — but it's green"), and cut off, the
 * clause would read as an absence.
 */
export const CLAUSES = /[.!?;:]+(?:\s+|$|(?=[)\]]))|,?\s+\b(?:but|though|although|however|yet)\b\s*/i;

/** Whether an answer says the model has no image to look at (see the module's comment). */
export function saysNoImage(text: string): boolean {
  // A run of spaces is one gap to every pattern; left long, each pattern's \s+ retries it from every start, and an
  // answer of pages of blanks takes minutes (images.ts reads an answer only to a bound as well).
  // "You didn't send a picture; it's a plain PNG" says what was sent, as the comma's form does: not read apart.
  const plain = text.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').replace(INSTEAD_AFTER_BREAK, ' - ');
  const clauses = plain.split(CLAUSES).map((clause) => clause.trim()).filter(Boolean);
  return clauses.some((clause) => PATTERNS.some((pattern) => pattern.test(clause)));
}

