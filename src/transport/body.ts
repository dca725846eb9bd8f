/**
 * @module transport/body
 * Parsed views of a response body: the raw text, a plain JSON value, and a lossless JSON value whose numbers keep
 * their lexemes (`1.7635E9` stays `1.7635E9`; JSON.parse would make it 1763500000).
 */
import { isLosslessNumber, parse as parseLossless, type LosslessNumber } from 'lossless-json';
import type { ExchangeResponse } from './exchange.ts';
import { losslessViewOf, readsLosslessly } from './plain-json.ts';

const textCache = new WeakMap<ExchangeResponse, string>();

export function bodyText(response: ExchangeResponse): string {
  let text = textCache.get(response);
  if (text === undefined) {
    // One read (every whole answer that is not a stream) is its own text: no copy.
    text = response.chunks.length === 1 ? response.chunks[0]!.data : response.chunks.map((chunk) => chunk.data).join('');
    textCache.set(response, text);
  }
  return text;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * A body whose JSON was already read (a replayed fixture stores it as JSON): the plain value, and the lossless one
 * when the fixture needed lossless-json; without it, every number in the body reads back as written.
 */
interface ReadBody {
  plain: unknown;
  lossless?: unknown;
}

const readBodies = new WeakMap<ExchangeResponse, ReadBody>();

/**
 * Records what the body's text parses to, so that checks do not parse it again. `plain` must be JSON.parse of the
 * body's text; `lossless` lossless-json's parse of it, or absent when `readsLosslessly` held for it.
 */
export function rememberReadBody(response: ExchangeResponse, plain: unknown, lossless?: unknown): void {
  readBodies.set(response, lossless === undefined ? { plain } : { plain, lossless });
}

/** Parses each response once, whatever the number of checks that read it. */
function perResponse(parse: (response: ExchangeResponse, text: string, read: ReadBody | undefined) => JsonResult): (response: ExchangeResponse) => JsonResult {
  const cache = new WeakMap<ExchangeResponse, JsonResult>();
  return (response) => {
    let result = cache.get(response);
    if (!result) {
      result = parse(response, bodyText(response), readBodies.get(response));
      cache.set(response, result);
    }
    return result;
  };
}

/** The body as plain JSON (numbers become JS numbers). */
export const jsonBody = perResponse((_response, text, read) => (read ? { ok: true, value: read.plain } : parseJsonText(text)));

/**
 * The body with every number as a LosslessNumber that keeps its source text. Made from the plain parse when that
 * loses nothing (lossless-json, written in JavaScript, is several times slower than JSON.parse and builds every
 * string a character at a time: a megabyte message is megabytes of garbage); lossless-json reads the rest.
 */
export const losslessBody = perResponse((response, text, read) => {
  if (read?.lossless !== undefined) return { ok: true, value: read.lossless };
  let plain: unknown = read?.plain;
  if (!read) {
    const parsed = jsonBody(response);
    if (!parsed.ok || !readsLosslessly(text, parsed.value)) return parseLosslessText(text);
    plain = parsed.value;
  }
  try {
    return { ok: true, value: losslessViewOf(plain) };
  } catch {
    // Nested deeper than the stack allows: the parser says so the same way.
    return parseLosslessText(text);
  }
});

export function parseJsonText(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export function parseLosslessText(text: string): JsonResult {
  try {
    return { ok: true, value: parseLossless(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export { isLosslessNumber, type LosslessNumber };

/** A plain JSON object body, or undefined when the body is not a JSON object. */
export function jsonObject(response: ExchangeResponse | null): Record<string, unknown> | undefined {
  if (!response) return undefined;
  const parsed = jsonBody(response);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** First `max` characters of the body on one line, for evidence. */
export function excerpt(text: string, max = 240): string {
  // Only the start can show: a prefix whose own one-line form is longer than `max` starts the whole one's (a
  // megabyte body is not rewritten to keep 240 characters of it).
  const head = text.length > 8 * max + 64 ? text.slice(0, 8 * max + 64).replace(/\s+/g, ' ').trim() : undefined;
  const oneLine = head !== undefined && head.length > max ? head : text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
