/**
 * @module transport/decoded-views
 * What a text says once its escapes are read, with the way back to the text's own offsets: the redactor looks for
 * secrets in every layer, so a key an endpoint echoed as `\u003d`, `%2f`, `&#43;` or `&sol;` (or escaped twice, as
 * JSON inside JSON is) is found, and the escaped characters themselves are what gets replaced. A layer reads every
 * escape of a character a credential can hold that a reader downstream might (JSON.parse, a URL decoder, an HTML
 * renderer), and more, so no later decoding of redacted text can put a secret back together.
 */

/**
 * Escapes of a printable ASCII character (all a credential, or the label before one, is made of): JSON's `\uXXXX`
 * and `\/` behind any number of backslashes (JSON inside JSON doubles them), `\xHH`, URL percent-encoding in either
 * case, HTML numeric references (decimal or hex, the `;` optional as browsers read them) and named references. The
 * escapes ordinary JSON is dense with (`\"`, `\n`, `\\`, a non-ASCII `\u4e2d`) are not read: a layer would cost a
 * callback for each, and they stand for nothing a credential holds (a value with `"` or `\` has a needle of its
 * own, its JSON-escaped form). A run of backslashes is only tried from its first one (the lookbehind): tried from
 * each of them, `\\+` gave back the whole rest of the run every time: quadratic, 40,000 backslashes an endpoint sent
 * took 1.5 s, a million a quarter of an hour. Nothing else changes: an escape behind a run only ever matched from
 * the run's start, since a shorter run is followed by another backslash.
 */
const ESCAPE = /(?<!\\)\\+(?:u(00[2-7][0-9a-fA-F])|x([2-7][0-9a-fA-F])|(\/))|%([2-7][0-9a-fA-F])|&#(?:[xX]0*([2-7][0-9a-fA-F])|0*(3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6]));?|&([A-Za-z]{2,12});/g;
/** JSON inside JSON inside a URL is three layers; an escape nested deeper than this is not read. */
export const MAX_LAYERS = 4;

/** HTML's named references to ASCII characters (the names are case-sensitive, as HTML reads them). */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', AMP: '&', lt: '<', LT: '<', gt: '>', GT: '>', quot: '"', QUOT: '"', apos: "'", plus: '+', sol: '/', bsol: '\\',
  equals: '=', percnt: '%', colon: ':', semi: ';', comma: ',', period: '.', lowbar: '_', UnderBar: '_', excl: '!', quest: '?',
  num: '#', dollar: '$', ast: '*', midast: '*', lpar: '(', rpar: ')', lsqb: '[', lbrack: '[', rsqb: ']', rbrack: ']',
  lcub: '{', lbrace: '{', rcub: '}', rbrace: '}', verbar: '|', vert: '|', VerticalLine: '|', Hat: '^', grave: '`',
  DiacriticalGrave: '`', commat: '@',
};

function unescape(u?: string, x?: string, slash?: string, percent?: string, hexRef?: string, decRef?: string, name?: string): string | undefined {
  const hex = u ?? x ?? percent ?? hexRef;
  if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
  if (slash !== undefined) return slash;
  if (decRef !== undefined) return String.fromCharCode(Number(decRef));
  return Object.hasOwn(NAMED, name!) ? NAMED[name!] : undefined;
}

/** Text without `\`, `%` or `&` has a single layer, itself (`includes` is far quicker than a character class). */
function mayEscape(text: string): boolean {
  return text.includes('\\') || text.includes('%') || text.includes('&');
}

/** Per escape read, four numbers: where its character starts and ends in the layer, where the escape starts and ends below. */
type Escapes = number[];

/** `text` with each escape read once, or undefined when it holds none. */
function decodeOnce(text: string): { text: string; escapes: Escapes } | undefined {
  const escapes: Escapes = [];
  // How much shorter the decoded text is so far: an escape's offset in it is its offset below less this.
  let shrunk = 0;
    const decoded = text.replace(ESCAPE, (m: string, u?: string, x?: string, slash?: string, percent?: string, hexRef?: string, decRef?: string, name?: string, at?: number) => {
    const char = unescape(u, x, slash, percent, hexRef, decRef, name);
    if (char === undefined) return m;
    const start = at! - shrunk;
    escapes.push(start, start + char.length, at!, at! + m.length);
    shrunk += m.length - char.length;
    return char;
  });
  return escapes.length === 0 ? undefined : { text: decoded, escapes };
}

/** Where the character at `pos` of a layer came from in the layer below: `[start, end)`. */
function charBelow(escapes: Escapes, pos: number): [number, number] {
  let lo = 0;
  let hi = escapes.length / 4 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (escapes[mid * 4]! <= pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return [pos, pos + 1];
  const i = found * 4;
  if (pos < escapes[i + 1]!) return [escapes[i + 2]!, escapes[i + 3]!];
  const below = escapes[i + 3]! + (pos - escapes[i + 1]!);
  return [below, below + 1];
}

/** One reading of a text: the text itself (`depth` 0) or it with escapes read `depth` times. */
export interface DecodedView {
  text: string;
  depth: number;
  /** `[start, end)` of this view as offsets into the original text: every escape a match touches, whole. */
  original(start: number, end: number): [number, number];
}

/** The text and each further reading of its escapes, until nothing is left to read (at most MAX_LAYERS). */
export function decodedViews(text: string): DecodedView[] {
  const views: DecodedView[] = [{ text, depth: 0, original: (start, end) => [start, end] }];
  let layers: Escapes[] = [];
  let current = text;
  while (views.length <= MAX_LAYERS && mayEscape(current)) {
    const decoded = decodeOnce(current);
    if (!decoded) break;
    layers = [decoded.escapes, ...layers];
    current = decoded.text;
    const down = layers;
    views.push({
      text: current,
      depth: views.length,
      original(start, end) {
        let s = start;
        let e = end;
        for (const escapes of down) {
          s = charBelow(escapes, s)[0];
          e = charBelow(escapes, e - 1)[1];
        }
        return [s, e];
      },
    });
  }
  return views;
}

/** `text` fully decoded (every layer read), for a secret's own value: one that holds `%41` matches `A` too. */
export function decodedFully(text: string): string {
  return decodedViews(text).at(-1)!.text;
}
