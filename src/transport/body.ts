/**
 * @module transport/body
 * Parsed views of a response body: the raw text, a plain JSON value, and a lossless JSON value whose numbers keep
 * their lexemes (`1.7635E9` stays `1.7635E9`; JSON.parse would make it 1763500000).
 */
import { isLosslessNumber, parse as parseLossless, type LosslessNumber } from 'lossless-json';
import type { ExchangeRequest, ExchangeResponse } from './exchange.ts';
import { losslessView, nestsShallowly, readsLosslessly } from './plain-json.ts';

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

/**
 * `tooDeep`: the text nests deeper than lossless-json (which recurses) reaches from where it was asked. JSON.parse
 * reads such a text, so it says nothing of whether it is JSON: the checks that need its lexemes could not observe it.
 */
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string; tooDeep?: true };

/** How a reason says that a text was JSON nested too deep to read with its lexemes (JsonResult `tooDeep`). */
export const NESTED_TOO_DEEP = 'JSON nested deeper than the harness reads with its numbers as written (lossless-json ran out of stack), so not judged';

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
function perResponse<T>(parse: (response: ExchangeResponse, text: string, read: ReadBody | undefined) => T): (response: ExchangeResponse) => T {
  const cache = new WeakMap<ExchangeResponse, T>();
  return (response) => {
    let result = cache.get(response);
    if (result === undefined) {
      result = parse(response, bodyText(response), readBodies.get(response));
      cache.set(response, result);
    }
    return result;
  };
}

/** The body as plain JSON (numbers become JS numbers). */
export const jsonBody = perResponse<JsonResult>((_response, text, read) => (read ? { ok: true, value: read.plain } : parseJsonText(text)));

/**
 * JSON that keeps every number's lexeme, as cheaply as that can be had. `plain`: JSON.parse's value, of a text whose
 * every number is written as JSON.stringify writes it (so its value gives its lexeme: never `1.0`, and no integer
 * with an exponent) and whose objects repeat no key; the checks that read plain values read it as it is. Otherwise
 * lossless-json's value, every number a LosslessNumber of its lexeme (see readsLosslessly).
 */
export type WrittenJson = { ok: true; value: unknown; plain: boolean } | Extract<JsonResult, { ok: false }>;

/** `value` as WrittenJson: plain when it nests shallowly enough for lossless-json to read it too. */
export function writtenJson(text: string, value: unknown): WrittenJson {
  return nestsShallowly(text, value) ? { ok: true, value, plain: true } : losslessJson(text);
}

/** lossless-json's reading of a text the plain parse cannot stand in for. */
export function losslessJson(text: string): WrittenJson {
  const parsed = parseLosslessText(text);
  return parsed.ok ? { ok: true, value: parsed.value, plain: false } : parsed;
}

/**
 * The body as WrittenJson. The plain parse is used when it loses nothing (lossless-json, written in JavaScript, is
 * several times slower than JSON.parse and builds every string a character at a time: a megabyte message is
 * megabytes of garbage); lossless-json reads the rest.
 */
export const writtenBody = perResponse<WrittenJson>((response, text, read) => {
  if (read?.lossless !== undefined) return { ok: true, value: read.lossless, plain: false };
  if (read) return writtenJson(text, read.plain);
  const parsed = jsonBody(response);
  return parsed.ok && readsLosslessly(text, parsed.value) ? writtenJson(text, parsed.value) : losslessJson(text);
});

/** The body with every number as a LosslessNumber that keeps its source text. */
export const losslessBody = perResponse<JsonResult>((response, text) => losslessOf(writtenBody(response), text));

/**
 * WrittenJson of `text` with every number a LosslessNumber: a plain value's view (each number's lexeme is
 * JSON.stringify's). The view recurses: called deep in a stack, a value nested some thousands of levels can exceed
 * it, and lossless-json reads the text instead (or says the same way that it cannot).
 */
export function losslessOf(written: WrittenJson, text: string): JsonResult {
  if (!written.ok) return written;
  if (!written.plain) return { ok: true, value: written.value };
  try {
    return { ok: true, value: losslessView(written.value) };
  } catch {
    return parseLosslessText(text);
  }
}

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
    if (!(error instanceof RangeError)) return { ok: false, error: (error as Error).message };
    // lossless-json recursed out of stack (it throws SyntaxError on what is not JSON): JSON.parse, which does not
    // recurse, tells whether the text is JSON at all.
    const plain = parseJsonText(text);
    return plain.ok ? { ok: false, error: error.message, tooDeep: true } : plain;
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

/** Each request's model, read once: several readers ask (route credentials, scope, record, answered-by). */
const asked = new WeakMap<ExchangeRequest, string | null>();

/** The model a request's JSON body asks for (its top-level `model`), or undefined when it names none. */
export function requestedModel(request: ExchangeRequest): string | undefined {
  let found = asked.get(request);
  if (found === undefined) {
    const parsed = request.body === undefined ? undefined : parseJsonText(request.body);
    const model = parsed?.ok && isRecord(parsed.value) ? parsed.value.model : undefined;
    found = typeof model === 'string' && model ? model : null;
    asked.set(request, found);
  }
  return found ?? undefined;
}
