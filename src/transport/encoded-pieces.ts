/**
 * @module transport/encoded-pieces
 * Pieces of the run's own secrets echoed encoded, for the redactor (redactor.ts): base64 (either alphabet) and hex
 * (either case) of any MIN_PIECE_LENGTH bytes of a value in a row, wherever they sit in a longer encoded text and
 * however it was cut short: `Basic base64("apikey:" + key)` cut at 48 characters, a request id that is hex of the
 * key's first 20 bytes, a model id `gw-` + base64 of part of the key. The whole value's forms are the redactor's own
 * needles; these are what is left when only part of it was encoded.
 *
 * Base64 of 12 bytes that start on a quantum (3-byte) boundary of the encoded text is 16 characters the bytes alone
 * decide. A value's bytes can start at any of the 3 alignments, so its 12-byte windows are taken from each: window
 * `s` is 16 characters of the encoding of `value.slice(s % 3)`. An echo of 14 bytes in a row holds such a window
 * whatever its alignment. Each window is filed under its first 5 characters (30 bits, a number); a text is read
 * once, its base64 characters folded into that number as they come, and only a hit is compared further. Twelve
 * bytes of a random secret never occur by chance, so ordinary base64 (an image, a hash) is left alone.
 */
import { HexIndex, MAX_HEX_LENGTH, MIN_PIECE_LENGTH, publicPrefixLength } from './secret-pieces.ts';

/** Base64 characters of MIN_PIECE_LENGTH bytes on a quantum boundary. */
const WINDOW = (MIN_PIECE_LENGTH / 3) * 4;
/** Characters a window is filed under: 5 sextets, 30 bits, one small integer. */
const ANCHOR = 5;

/** A value's windows, looked up by their first characters. */
export interface EncodedPieces {
  /** Anchor to the windows that start with it: pairs of (value number, byte offset). */
  anchors: Map<number, number[]>;
  /** A bit per anchor's first 3 sextets (18 bits): most characters of a text are passed over on it, without a lookup. */
  starts: Uint32Array;
  /** Per value: its kind, bytes and the sextets of the encoding of its bytes from 0, 1 and 2 on. */
  values: { kind: string; bytes: Buffer; sextets: Uint8Array[] }[];
  /** The hex of the values, any 2 * MIN_PIECE_LENGTH digits in a row (secret-pieces.ts HexIndex), each with its kind. */
  hex: HexIndex;
}

const cache = new Map<string, EncodedPieces | undefined>();

/** The encoded pieces of `searched`, kept: every text of a run asks with the same values. */
export function encodedPiecesOf(searched: readonly { kind: string; value: string }[]): EncodedPieces | undefined {
  const key = searched.map(({ kind, value }) => `${kind}\n${value}`).join('\n\n');
  if (cache.has(key)) return cache.get(key);
  // One hex index for all values, each filed with its kind: a text's hex digits are looked up once, not once a kind.
  const pieces: EncodedPieces = { anchors: new Map(), starts: new Uint32Array(1 << 13), values: [], hex: new HexIndex('own', 2 * MIN_PIECE_LENGTH) };
  for (const { kind, value } of searched) {
    const bytes = Buffer.from(value, 'utf8');
    // A window wholly within a public prefix (`sk-proj-`, an ABSK key's `BedrockAPIKey-`) says nothing of the value.
    const from = Math.max(0, publicPrefixLength(value) - MIN_PIECE_LENGTH + 1);
    if (bytes.length - from < MIN_PIECE_LENGTH) continue;
    const number = pieces.values.push({ kind, bytes, sextets: [0, 1, 2].map((a) => sextetsOf(bytes.subarray(a).toString('base64'))) }) - 1;
    for (let s = from; s + MIN_PIECE_LENGTH <= bytes.length; s++) {
      const [sextets, at] = windowAt(pieces.values[number]!.sextets, s);
      let anchor = 0;
      for (let i = 0; i < ANCHOR; i++) anchor = (anchor << 6) | sextets[at + i]!;
      pieces.starts[anchor >>> 17]! |= 1 << ((anchor >>> 12) & 31);
      const held = pieces.anchors.get(anchor);
      if (held) held.push(number, s);
      else pieces.anchors.set(anchor, [number, s]);
    }
    // Hex: chunks the index can hold, overlapping by a piece, so every piece lies whole in one of them.
    const digits = bytes.subarray(from).toString('hex');
    for (let at = 0; at < digits.length; at += MAX_HEX_LENGTH - 2 * MIN_PIECE_LENGTH) {
      pieces.hex.add(digits.slice(at, at + MAX_HEX_LENGTH), kind);
      if (at + MAX_HEX_LENGTH >= digits.length) break;
    }
  }
  const kept = pieces.values.length ? pieces : undefined;
  if (cache.size >= 100) cache.clear();
  cache.set(key, kept);
  return kept;
}

/** Where window `s` of a value lies: the encoding of the value from `s % 3` on, and the sextet it starts at. */
function windowAt(sextets: Uint8Array[], s: number): [Uint8Array, number] {
  return [sextets[s % 3]!, ((s - (s % 3)) / 3) * 4];
}

/**
 * Where base64 of any MIN_PIECE_LENGTH bytes of a value in a row lies in `text`, either alphabet: each range widened
 * by the characters before and after it that still hold the value's bytes (the quantum it shares with the text
 * around it, a cut short tail) and the tail's `=` padding.
 */
export function base64PiecesIn(text: string, pieces: EncodedPieces): [number, number, string][] {
  const found: [number, number, string][] = [];
  let run = 0;
  let key = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? SEXTETS[code]! : -1;
    if (sextet < 0) {
      run = 0;
      continue;
    }
    key = ((key & 0xffffff) << 6) | sextet;
    if (++run < ANCHOR || (pieces.starts[key >>> 17]! & (1 << ((key >>> 12) & 31))) === 0) continue;
    const held = pieces.anchors.get(key);
    if (held === undefined) continue;
    const start = i - ANCHOR + 1;
    for (let h = 0; h < held.length; h += 2) {
      const value = pieces.values[held[h]!]!;
      const s = held[h + 1]!;
      const [sextets, at] = windowAt(value.sextets, s);
      let same = ANCHOR;
      while (same < WINDOW && sextetAt(text, start + same) === sextets[at + same]) same++;
      if (same === WINDOW) found.push([widenLeft(text, start, value.bytes, s), widenRight(text, start + WINDOW, value.bytes, s + MIN_PIECE_LENGTH), value.kind]);
    }
  }
  return found;
}

/**
 * base64PiecesIn for a header name, which the HTTP client lower-cased: a window is found when it is the same but for
 * letter case, and widened as far as some letter case of the characters around it still holds the value's bytes.
 * Names are short: each of their WINDOW-character stretches is looked up among the windows lower-cased.
 */
export function base64PiecesInName(name: string, pieces: EncodedPieces): [number, number, string][] {
  const windows = caselessWindowsOf(pieces);
  const folded = foldedLower(name);
  const found: [number, number, string][] = [];
  for (let start = 0; start + WINDOW <= folded.length; start++) {
    const held = windows.get(folded.slice(start, start + WINDOW));
    for (let h = 0; held && h < held.length; h += 2) {
      const value = pieces.values[held[h]!]!;
      const s = held[h + 1]!;
      found.push([widenLeft(name, start, value.bytes, s, true), widenRight(name, start + WINDOW, value.bytes, s + MIN_PIECE_LENGTH, true), value.kind]);
    }
  }
  return found;
}

const caselessWindows = new WeakMap<EncodedPieces, Map<string, number[]>>();

/** Every window of `pieces` (those its anchors file), lower-cased, to (value number, byte offset) pairs; kept. */
function caselessWindowsOf(pieces: EncodedPieces): Map<string, number[]> {
  let windows = caselessWindows.get(pieces);
  if (windows) return windows;
  windows = new Map();
  for (const held of pieces.anchors.values()) {
    for (let h = 0; h < held.length; h += 2) {
      const [sextets, at] = windowAt(pieces.values[held[h]!]!.sextets, held[h + 1]!);
      const key = foldedLower(Array.from(sextets.subarray(at, at + WINDOW), (sextet) => ALPHABET[sextet]).join(''));
      const pairs = windows.get(key);
      if (pairs) pairs.push(held[h]!, held[h + 1]!);
      else windows.set(key, [held[h]!, held[h + 1]!]);
    }
  }
  caselessWindows.set(pieces, windows);
  return windows;
}

/** Base64 text lower-cased in the standard alphabet (`-` is `+`, `_` is `/`). */
function foldedLower(text: string): string {
  return text.replace(/-/g, '+').replace(/_/g, '/').toLowerCase();
}

/** The quantum before a window, when its last byte is the value's byte before the window's (in some letter case). */
function widenLeft(text: string, start: number, bytes: Buffer, s: number, caseless = false): number {
  if (s === 0 || start < 4) return start;
  if (caseless) {
    // The quantum's last byte is the low 2 bits of its third sextet and all of its fourth.
    if (decoded(text.toLowerCase(), start - 4, 4).length !== 3) return start;
    const third = casesOf(text, start - 2);
    const fourth = casesOf(text, start - 1);
    return third.some((a) => fourth.some((b) => (((a & 3) << 6) | b) === bytes[s - 1])) ? start - 4 : start;
  }
  const quantum = decoded(text, start - 4, 4);
  return quantum.length === 3 && quantum[2] === bytes[s - 1] ? start - 4 : start;
}

/** The sextets the character at `at` is in either letter case. */
function casesOf(text: string, at: number): number[] {
  const c = text[at] ?? '';
  return [...new Set([c.toLowerCase(), c.toUpperCase()])].map((x) => sextetAt(x, 0)).filter((sextet) => sextet >= 0);
}

/**
 * The characters after a window (up to a quantum, fewer where the text was cut) when the first of them holds the
 * value's next bits, and the padding after them.
 */
function widenRight(text: string, end: number, bytes: Buffer, e: number, caseless = false): number {
  if (e >= bytes.length) return padded(text, end);
  let n = 0;
  while (n < 4 && sextetAt(text, end + n) >= 0) n++;
  const next = caseless ? casesOf(text, end) : [sextetAt(text, end)];
  if (n === 0 || !next.includes(bytes[e]! >> 2)) return end;
  return padded(text, end + n);
}

function padded(text: string, end: number): number {
  let e = end;
  while (text[e] === '=' && e - end < 2) e++;
  return e;
}

/** The bytes that `count` base64 characters from `at` hold whole. */
function decoded(text: string, at: number, count: number): number[] {
  const bytes: number[] = [];
  let bits = 0;
  let held = 0;
  for (let i = at; i < at + count; i++) {
    const sextet = sextetAt(text, i);
    if (sextet < 0) return [];
    bits = ((bits << 6) | sextet) & 0xfff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes.push((bits >> held) & 0xff);
    }
  }
  return bytes;
}

function sextetAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? SEXTETS[code]! : -1;
}

function sextetsOf(encoded: string): Uint8Array {
  return Uint8Array.from(encoded.replace(/=+$/, ''), (c) => SEXTETS[c.charCodeAt(0)]!);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each ASCII character's six bits in base64, both alphabets folded together (`-` is `+`, `_` is `/`), or -1. */
const SEXTETS = Int8Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  const at = ALPHABET.indexOf(c);
  return at >= 0 ? at : c === '-' ? 62 : c === '_' ? 63 : -1;
});
