/**
 * @module transport/redactor
 * Replaces credentials with `[REDACTED:<kind>]` in text that came over the wire, before anything else sees it. Two
 * nets: the exact values the run holds (API key, short-term token, AWS keys, every SigV4 signature the run made,
 * every --header-env value: in any letter case, in hex, in base64, behind any mix of JSON, URL and HTML escapes, and
 * any 12 characters of them in a row, plain or base64- or hex-encoded: encoded-pieces.ts; hex also as a byte dump
 * writes it, `42:65:61`: separated-hex.ts; the hex of a value matched whole only, or of a signature's text, whole:
 * whole-hex.ts), and shapes that look like
 * credentials whatever their origin (AWS key ids, `bedrock-api-key-` tokens and long-term `ABSK` keys, Anthropic and
 * OpenAI keys, bearer tokens, signatures, session tokens). Both nets search every decoded view of the
 * text (decoded-views.ts) and replace the text's own characters, escapes included: what a reader decodes later from
 * redacted text holds no secret.
 *
 * Text split into parts (the reads of a stream) is redacted as one string and the result mapped back onto the
 * parts, so a value split across two reads is caught and read boundaries and times stay where they were.
 */
import { decodedFully, decodedViews } from './decoded-views.ts';
import { base64PiecesIn, base64PiecesInName, encodedPiecesOf } from './encoded-pieces.ts';
import { HexIndex, hexIndexOf, hexPiecesIn, MIN_PIECE_LENGTH, piecesOf, piecesOfValue, windowsIn } from './secret-pieces.ts';
import { separatedHexPiecesIn } from './separated-hex.ts';
import { valueMatches, valueNeedle, type ValueNeedle } from './value-needles.ts';
import { wholeHexIndexOf } from './whole-hex.ts';

/** A secret value and what it is; the kind is all that remains of it in stored text. */
export interface Secret {
  kind: string;
  value: string;
  /**
   * More values of the same kind, each 64 lower-case hex digits: the SigV4 signatures the run made, thousands of
   * them. One hex scan of each view and a lookup finds them all, and any 12 of their digits in a row
   * (secret-pieces.ts HexIndex); a needle each would cost a search each.
   */
  hexValues?: ReadonlySet<string>;
  /**
   * Matched whole only, never by its pieces: a value no name says is a credential (a long query value of another
   * name, request-secrets.ts), which may hold plain words that answers repeat.
   */
  whole?: boolean;
}

/** Values shorter than this are not matched: they would redact ordinary words. Real credentials are longer. */
export const MIN_SECRET_LENGTH = 8;

export interface CredentialShape {
  /** Goes into `[REDACTED:<kind>]`. */
  kind: string;
  /** For the secret scan's messages: "a bearer token". */
  description: string;
  /**
   * Matches a credential; the group named `secret`, when there is one, is the part replaced (labels like `Bearer `
   * and JSON quotes stay; a label's quotes may be escaped, as in JSON inside JSON). Every pattern starts with a literal, never a lookbehind: a lookbehind with `\s+` is
   * tried at every position and turns a megabyte of whitespace into minutes.
   */
  pattern: RegExp;
}

/**
 * Credential-shaped strings. A redacted value never matches again: no value class admits `[`, so
 * `Bearer [REDACTED:api-key]` is clean for the scan that runs before a fixture is written.
 */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  { kind: 'aws-access-key-id', description: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/dg },
  { kind: 'bedrock-api-key', description: 'a Bedrock API key', pattern: /bedrock-api-key-[A-Za-z0-9+/=_%-]{8,}/dg },
  // A long-term Bedrock API key: `ABSK` and base64 of `BedrockAPIKey-<id>:<secret>`, whose start is always this.
  { kind: 'bedrock-api-key', description: 'a Bedrock API key', pattern: /\bABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{8,}={0,2}/dg },
  // Prefixes the vendors fixed (Anthropic's `sk-ant-api03-`, `sk-ant-admin01-`; OpenAI's project, service account and
  // admin keys, and the older `T3BlbkFJ`, base64 of `OpenAI`, inside): no model text or id is written so.
  { kind: 'anthropic-api-key', description: 'an Anthropic API key', pattern: /\bsk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{16,}/dg },
  { kind: 'openai-api-key', description: 'an OpenAI API key', pattern: /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})/dg },
  { kind: 'bearer-token', description: 'a bearer token', pattern: /\b[Bb]earer\s+(?<secret>[A-Za-z0-9._~+/=-]{12,})/dg },
  // From 16 digits: a gateway that echoes the Authorization header may cut it short.
  { kind: 'sigv4-signature', description: 'a SigV4 signature', pattern: /\bSignature=(?<secret>[0-9a-f]{16,64})/dg },
  { kind: 'sigv4-signature', description: 'a SigV4 signature', pattern: /X-Amz-Signature=(?<secret>[^&\s"'\\[]+)/dgi },
  { kind: 'aws-session-token', description: 'an AWS session token', pattern: /x-amz-security-token\\*"?\s*[:=]\s*\\*"?(?<secret>[A-Za-z0-9/+=%]{16,})/dgi },
  { kind: 'aws-secret-access-key', description: 'an AWS secret access key', pattern: /aws_secret_access_key\\*"?\s*[:=]\s*\\*"?(?<secret>[A-Za-z0-9/+=]{16,})/dgi },
];

export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Offsets into a text to replace with the placeholder of `kind`. */
export interface RedactRange {
  start: number;
  end: number;
  kind: string;
}
type Range = RedactRange;

export interface Redacted<T> {
  value: T;
  /** How many credentials were replaced. */
  count: number;
}

/**
 * One per run (per auth provider): it asks `secrets` each time, because credentials resolve lazily (SigV4 keys
 * on the first request, the short-term token when it is made).
 */
export class Redactor {
  readonly #secrets: () => readonly Secret[];

  constructor(secrets: () => readonly Secret[] = () => []) {
    this.#secrets = secrets;
  }

  /** `text` with every credential replaced; `extra` are secrets of this request only (its signature). */
  text(text: string, extra: readonly Secret[] = [], options: FindOptions = {}): Redacted<string> {
    const { value, count } = this.parts([text], extra, options);
    return { value: value[0] ?? '', count };
  }

  /** The run's secrets as they are now, with `extra` (a request's own). */
  secrets(extra: readonly Secret[] = []): Secret[] {
    return [...this.#secrets(), ...extra];
  }

  /** The parts of one text (stream reads), redacted as one string and cut again at the same boundaries. */
  parts(parts: readonly string[], extra: readonly Secret[] = [], options: FindOptions = {}): Redacted<string[]> {
    const joined = parts.join('');
    const ranges = findRanges(joined, [...this.#secrets(), ...extra], options);
    if (ranges.length === 0) return { value: [...parts], count: 0 };
    return { value: cutRanges(parts, ranges), count: ranges.length };
  }
}

/** A credential found in a text: offsets into it, its kind, and whether it is one of the run's own values. */
export interface FoundCredential {
  start: number;
  end: number;
  kind: string;
  own: boolean;
  /** For a shape: what it is ("a bearer token"). */
  description?: string;
}

/**
 * Whether `text` holds, in any decoded view, one of the run's signatures (the `hexValues` of `secrets`), looked up as
 * the redactor looks them up. Only the signatures are sought: the secrets' own values are not.
 */
export function holdsSignature(text: string, secrets: readonly Secret[]): boolean {
  const signatures = secrets.filter((s) => s.hexValues?.size).map((s) => ({ ...s, value: '' }));
  return signatures.length > 0 && findCredentials(text, signatures).some((found) => found.own);
}

/**
 * Every credential in `text`, in each of its decoded views (decoded-views.ts), as offsets into `text`, unmerged.
 * The run's own values are matched without letter case, in hex and base64 too, and by any piece of MIN_PIECE_LENGTH
 * characters, plain or base64- or hex-encoded (not a `whole` value's: names no list foresees may hold plain words); shapes as
 * they are written. A signature's pieces are digits in a hex run (secret-pieces.ts HexIndex), looked up, not searched
 * one by one.
 */
export function findCredentials(text: string, secrets: readonly Secret[], options: FindOptions = {}): FoundCredential[] {
  const found: FoundCredential[] = [];
  const caseless = options.headerName === true;
  const own = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  // The run's signatures (hexValues; the scan's unnamed hex values; a request's own) are looked up in hex runs.
  const loose = new Map<string, HexIndex>();
  const hexIndexes = secrets.flatMap((s) => (s.hexValues?.size ? [hexIndexOf(s.hexValues, s.kind)] : []));
  const searched: { kind: string; value: string; whole: boolean; needles: Needles }[] = [];
  for (const s of own) {
    // A signature the run made is in its set already (sigv4.ts): indexed once, not on every call.
    if ((s.kind === 'own' || s.kind === 'sigv4-signature') && !hexIndexes.some((index) => index.has(s.value)) && HEX64.test(s.value)) {
      const index = loose.get(s.kind) ?? loose.set(s.kind, new HexIndex(s.kind)).get(s.kind)!;
      index.add(s.value);
    }
    if (s.kind !== 'own' || !HEX64.test(s.value)) searched.push({ kind: s.kind, value: s.value, whole: s.whole === true, needles: needlesOf(s.value) });
  }
  // Loose values first: the scan's own kind wins an overlap's kind.
  hexIndexes.unshift(...loose.values());
  // Matched whole only: a value no name says is a credential, a signature (its hex pieces are indexed apart), a
  // proxy's user (proxy.ts). A query value named like a credential (`?api-key=`) is pieced as a header's is.
  const inPieces = searched.filter(({ kind, whole }) => !whole && kind !== 'sigv4-signature' && kind !== 'proxy-user');
  const pieces = piecesOf(inPieces.map(({ kind, value, needles }) => ({ kind, value, pieces: needles.pieces })));
  // The same pieces base64- or hex-encoded (encoded-pieces.ts); the hex ones are found by the signatures' scan.
  const encoded = encodedPiecesOf(inPieces);
  if (encoded) hexIndexes.push(encoded.hex);
  // The hex of every value's characters, a signature's too, matched whole: a byte dump of what a request carried.
  hexIndexes.push(...secrets.flatMap((s) => (s.hexValues?.size ? [hexIndexOf(s.hexValues, s.kind, true)] : [])), ...wholeHexIndexOf(own));
  for (const view of decodedViews(text)) {
    const add = (start: number, end: number, kind: string, shape?: CredentialShape) => {
      const [s, e] = view.original(start, end);
      found.push({ start: s, end: e, kind, own: !shape, ...(shape ? { description: shape.description } : {}) });
    };
    for (const { kind, needles } of searched) {
      for (const needle of needles.values) for (const [start, end] of valueMatches(needle, view.text)) add(start, end, kind);
      // plainOnly: a base64 form is widened to the letters around it, which in text joined from parts run into the next.
      if (!options.plainOnly) for (const needle of needles.base64) for (const at of caseless ? indexesOf(view.text.toLowerCase(), needle.toLowerCase()) : indexesOf(view.text, needle)) add(...widenBase64(view.text, at, at + needle.length), kind);
    }
    if (hexIndexes.length > 0) for (const [start, end, kind] of [...hexPiecesIn(view.text, hexIndexes), ...separatedHexPiecesIn(view.text, hexIndexes)]) add(start, end, kind);
    if (encoded && !options.plainOnly) for (const [start, end, kind] of (caseless ? base64PiecesInName : base64PiecesIn)(view.text, encoded)) add(start, end, kind);
    if (pieces) for (const [start, end, kind] of windowsIn(view.text, pieces.chars, MIN_PIECE_LENGTH, pieces.find)) add(start, end, kind);
    for (const shape of CREDENTIAL_SHAPES) for (const match of view.text.matchAll(shape.pattern)) add(...(match.indices?.groups?.secret ?? [match.index, match.index + match[0].length]), shape.kind, shape);
  }
  return found;
}

/**
 * plainOnly: no base64 forms (text joined from parts). headerName: the text is a header name, which the HTTP client
 * lower-cased, so base64 is compared without letter case there (in a value, case tells base64 characters apart).
 */
export interface FindOptions {
  plainOnly?: boolean;
  headerName?: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/i;
/** Every credential in `text`, merged where they overlap; the run's own values win the kind of an overlap. */
function findRanges(text: string, secrets: readonly Secret[], options: FindOptions = {}): Range[] {
  return mergedRanges(findCredentials(text, secrets, options));
}

/**
 * `found` (findCredentials) as ranges to cut, merged where they overlap (the run's own values win the kind); two
 * that only touch stay two, each placeholder naming its kind.
 */
export function mergedRanges(found: FoundCredential[]): Range[] {
  found.sort((a, b) => a.start - b.start || Number(b.own) - Number(a.own) || b.end - a.end);
  const merged: Range[] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end, kind: range.kind });
  }
  return merged;
}

function* indexesOf(text: string, needle: string): Generator<number> {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) yield at;
}

interface Needles {
  /**
   * The value as it is and fully decoded, for every view: ASCII letter case ignored, and a space and `+` the same
   * (a form-encoded space): value-needles.ts.
   */
  values: ValueNeedle[];
  /** The base64 and base64url characters that only the value decides, at each of the three alignments. */
  base64: string[];
  /** Its pieces of MIN_PIECE_LENGTH characters, lower-cased, but those wholly within a public prefix. */
  pieces: string[];
}

/** Needles per value, kept; emptied when it grows (a run with many --header-env values, or many runs in one process). */
const needleCache = new Map<string, Needles>();

/**
 * How a value is looked for. Escaped forms (JSON `\uXXXX` and `\/`, percent-, HTML-encoded, any mix) need no needle
 * of their own: every decoded view of the text is searched. Letter case is ignored (an endpoint that upper-cases what it
 * echoes); base64 is matched as written, at every byte alignment, so the value inside `base64("user:" + value)`
 * is found too.
 */
function needlesOf(value: string): Needles {
  let needles = needleCache.get(value);
  if (needles) return needles;
  // JSON's `\"` and `\\` are not read by the views (decoded-views.ts): a value holding `"` or `\` is looked for
  // JSON-escaped as well.
  // Hex too: an endpoint that dumps the bytes it got.
  const forms = [...new Set([value, decodedFully(value), JSON.stringify(value).slice(1, -1), Buffer.from(value, 'utf8').toString('hex')])].filter((v) => v.length >= MIN_SECRET_LENGTH);
  const values = forms.map(valueNeedle);
  const bytes = Buffer.from(value, 'utf8');
  const base64 = new Set<string>();
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // Characters whose six bits all come from the value.
    const core = encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    if (core.length >= MIN_SECRET_LENGTH) base64.add(core).add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  needles = { values, base64: [...base64], pieces: piecesOfValue(value) };
  if (needleCache.size >= 1_000) needleCache.clear();
  needleCache.set(value, needles);
  return needles;
}

/** A base64 match widened by the characters that hold some of the value's bits, and its padding. */
function widenBase64(text: string, start: number, end: number): [number, number] {
  const b64 = /[A-Za-z0-9+/_-]/;
  let s = start;
  let e = end;
  if (s > 0 && b64.test(text[s - 1]!)) s--;
  if (e < text.length && b64.test(text[e]!)) e++;
  while (text[e] === '=' && e - end < 3) e++;
  return [s, e];
}

/**
 * Rebuilds the parts with the ranges (offsets into their concatenation) replaced: the placeholder goes into the
 * part where the credential starts, its other characters are dropped from the parts they were in. A part that
 * held nothing but the tail of a credential comes back empty: one part out for each part in.
 */
export function cutRanges(parts: readonly string[], ranges: readonly Range[]): string[] {
  const out: string[] = [];
  let offset = 0;
  let next = 0;
  for (const part of parts) {
    const start = offset;
    const end = offset + part.length;
    let text = '';
    let pos = start;
    while (pos < end) {
      while (next < ranges.length && ranges[next]!.end <= pos) next++;
      const range = ranges[next];
      if (!range || range.start >= end) {
        text += part.slice(pos - start);
        break;
      }
      if (range.start > pos) {
        text += part.slice(pos - start, range.start - start);
        pos = range.start;
      }
      if (pos === range.start) text += placeholder(range.kind);
      pos = Math.min(range.end, end);
    }
    out.push(text);
    offset = end;
  }
  return out;
}
