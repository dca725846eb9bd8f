/**
 * @module transport/plain-json
 * When JSON.parse loses nothing. lossless-json keeps every number's lexeme (`1.0`, `1e5`, `-0`, a 20-digit id) and
 * refuses an object that repeats a key with another value; it is also a parser written in JavaScript, several times
 * slower than JSON.parse. A text in which every number reads back as written (its lexeme is what JSON.stringify
 * writes for its value) and no object repeats a key gives the same value either way, so the slow parser runs only
 * on a text that needs it.
 */
import { LosslessNumber } from 'lossless-json';
import { mapValues } from '../map-values.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const MINUS = 0x2d;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The characters a JSON number is made of, after its first. */
function isNumberPart(code: number): boolean {
  return isDigit(code) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === MINUS;
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let before = at - 1;
  while (text.charCodeAt(before) === BACKSLASH) before--;
  return (at - 1 - before) % 2 === 1;
}

/** Object keys in a value JSON.parse returned, walked without recursion (a deeply nested text must not overflow the stack). */
function keyCount(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
      continue;
    }
    const record = next as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      count += 1;
      pending.push(record[key]);
    }
  }
  return count;
}

/**
 * Whether `value`, what JSON.parse made of `text` (valid JSON), is what lossless-json would read: every number's
 * lexeme is what JSON.stringify writes for its value, no integer is written with an exponent, and the text has as
 * many keys as the value (no object repeats one). False sends the caller to lossless-json, which keeps the lexemes
 * or refuses the repeated key.
 */
export function readsLosslessly(text: string, value: unknown): boolean {
  let keys = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      // The closing quote is the next one after an even run of backslashes (stored streams are strings full of
      // escaped quotes); indexOf finds candidates far faster than a loop over every character.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return false;
      i = end + 1;
      while (i < length && isWhitespace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === COLON) keys += 1;
      continue;
    }
    if (code === MINUS || isDigit(code)) {
      let end = i + 1;
      while (end < length && isDigit(text.charCodeAt(end))) end++;
      const digitsOnly = end === length || !isNumberPart(text.charCodeAt(end));
      // The common case, without making a string: an integer of up to 15 digits with no leading zero reads back as written.
      const first = code === MINUS ? text.charCodeAt(i + 1) : code;
      const short = end - i - (code === MINUS ? 1 : 0) <= 15;
      if (digitsOnly && short && (first !== 0x30 || end - i === 1)) {
        i = end;
        continue;
      }
      while (end < length && isNumberPart(text.charCodeAt(end))) end++;
      const lexeme = text.slice(i, end);
      const number = Number(lexeme);
      if (JSON.stringify(number) !== lexeme) return false;
      // An integer JSON.stringify writes with an exponent (1e+21 up) is left to lossless-json too: strict clients
      // refuse it where an integer is typed, and only its lexeme says so (schema-modes.ts, strictValue).
      if (Number.isInteger(number) && lexeme.includes('e')) return false;
      i = end;
      continue;
    }
    i++;
  }
  return keys === keyCount(value);
}

/**
 * Whether `text` is, character for character, what `JSON.stringify(value, undefined, 2)` writes, and a newline: a
 * fixture as it was written. Then it loses nothing (JSON.stringify writes each number as it reads back, and never
 * repeats a key), and JSON.stringify, native, costs less than the scan of `readsLosslessly`; any other text (edited
 * by hand, other line endings) goes to the scan. So does one with `e+` anywhere: JSON.stringify writes an integer
 * from 1e21 up so, which the scan leaves to lossless-json (see readsLosslessly).
 */
export function isStringifiedWithIndent(text: string, value: unknown): boolean {
  if (text.includes('e+')) return false;
  try {
    return `${JSON.stringify(value, undefined, 2)}\n` === text;
  } catch {
    // Nested deeper than JSON.stringify's stack allows (JSON.parse has no such limit): the scan has none either.
    return false;
  }
}

/**
 * Deeper than this, a plain parse is not offered in place of lossless-json's: the readers of lexemes (lossless-json,
 * `losslessView`) recurse, and past some thousands of levels say the text is not JSON; JSON.parse has no such limit
 * (the schema modes' copies, mapLeaves, have none either). Below it they all read the value, so giving JSON.parse's value there changes no verdict.
 */
const MAX_PLAIN_DEPTH = 2000;

/**
 * Whether `value`, JSON.parse of `text`, nests at most MAX_PLAIN_DEPTH levels deep. A text shorter than twice that
 * cannot nest deeper (each level takes two brackets): nearly every body and event is answered without a walk.
 */
export function nestsShallowly(text: string, value: unknown): boolean {
  if (text.length <= 2 * MAX_PLAIN_DEPTH) return true;
  // Without recursion: a value too deep for the stack is what this looks for.
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= MAX_PLAIN_DEPTH) return false;
    for (const item of Object.values(next.value)) pending.push({ value: item, depth: next.depth + 1 });
  }
  return true;
}

/**
 * The lossless-json view of a plain value that `readsLosslessly` accepted: the same structure with every number a
 * LosslessNumber of the lexeme it was read from (which is what JSON.stringify writes for it), without parsing again.
 */
export function losslessView(value: unknown): unknown {
  if (typeof value === 'number') return new LosslessNumber(JSON.stringify(value));
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(losslessView);
  return mapValues(value as Record<string, unknown>, losslessView);
}
