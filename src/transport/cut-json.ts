/**
 * @module transport/cut-json
 * Tells a JSON body cut short on the way from one the endpoint wrote wrong. Both fail to parse, and they mean
 * opposite things: a body that is a strict prefix of some JSON value (everything that arrived is valid so far, and
 * the parse fails only because the input ended) is an answer something on the way cut (a proxy's buffer, a
 * connection that ended cleanly with a Content-Length that matched the cut): an infrastructure error, retried. A body
 * that goes wrong before its end (`{"id": 1,, }`, a stray byte after the value, a bad escape) is what the endpoint
 * sent: a conformance finding, judged. The scan is by grammar, not by the parser's message, whose wording and
 * positions change between Node versions.
 */

/** What the scanner expects next. */
const Want = { Value: 0, ValueOrClose: 1, Key: 2, KeyOrClose: 3, Colon: 4, CommaOrClose: 5, End: 6 } as const;

/** A token's scan: the index after it, or one of these. */
const BAD = -1;
const CUT = -2;

/**
 * Whether `text` is a strict prefix of a JSON object or array: it opens as one (after white space and a byte-order
 * mark), every character that arrived fits the grammar, and the input ends inside the value. A whole value, an
 * empty text, one that is not JSON at all and one malformed partway are not.
 */
export function endsInsideJson(text: string): boolean {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const first = text[i];
  // Only a container: a bare number, string or literal that is cut reads as another whole value or as no JSON at all.
  if (first !== '{' && first !== '[') return false;
  const open: string[] = [];
  let want: number = Want.Value;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = text[i]!;
    if (want === Want.End) return false;
    if (want === Want.Colon) {
      if (ch !== ':') return false;
      want = Want.Value;
      i++;
      continue;
    }
    if (want === Want.CommaOrClose) {
      const top = open.at(-1);
      if (ch === ',') want = top === '{' ? Want.Key : Want.Value;
      else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
        open.pop();
        want = open.length ? Want.CommaOrClose : Want.End;
      } else return false;
      i++;
      continue;
    }
    if ((want === Want.KeyOrClose && ch === '}') || (want === Want.ValueOrClose && ch === ']')) {
      open.pop();
      want = open.length ? Want.CommaOrClose : Want.End;
      i++;
      continue;
    }
    if (want === Want.Key || want === Want.KeyOrClose) {
      if (ch !== '"') return false;
      const next = scanString(text, i);
      if (next < 0) return next === CUT;
      i = next;
      want = Want.Colon;
      continue;
    }
    // A value.
    if (ch === '{' || ch === '[') {
      open.push(ch);
      want = ch === '{' ? Want.KeyOrClose : Want.ValueOrClose;
      i++;
      continue;
    }
    const next = ch === '"' ? scanString(text, i) : ch === '-' || (c >= 0x30 && c <= 0x39) ? scanNumber(text, i) : scanLiteral(text, i);
    // A value that runs to the end of the input is cut (a number may go on): the container is still open.
    if (next < 0) return next === CUT;
    i = next;
    want = open.length ? Want.CommaOrClose : Want.End;
  }
  return want !== Want.End;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A string from its opening quote at `at`: the index after its closing quote, BAD, or CUT when the input ends first. */
function scanString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return BAD;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    const escaped = text[i + 1];
    if (escaped === undefined) return CUT;
    if (escaped === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]*$/.test(hex)) return BAD;
      if (hex.length < 4) return CUT;
      i += 6;
    } else if ('"\\/bfnrt'.includes(escaped)) i += 2;
    else return BAD;
  }
  return CUT;
}

/** Every prefix of a JSON number (read from where it starts), and the whole ones. */
const NUMBER_PREFIX = /-?(?:0|[1-9]\d*)?(?:(?<=\d)\.\d*)?(?:(?<=\d)[eE][+-]?\d*)?/y;
const WHOLE_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A number at `at`: the index after it, BAD, or CUT when it runs to the end of the input (it may go on). */
function scanNumber(text: string, at: number): number {
  NUMBER_PREFIX.lastIndex = at;
  const lexeme = NUMBER_PREFIX.exec(text)![0];
  const end = at + lexeme.length;
  if (end >= text.length) return CUT;
  return WHOLE_NUMBER.test(lexeme) ? end : BAD;
}

/** `true`, `false` or `null` at `at`: the index after it, BAD, or CUT when the input ends inside it. */
function scanLiteral(text: string, at: number): number {
  for (const word of ['true', 'false', 'null']) {
    const piece = text.slice(at, at + word.length);
    if (piece === word) return at + word.length;
    if (at + piece.length === text.length && word.startsWith(piece)) return CUT;
  }
  return BAD;
}
