/**
 * @module transport/body
 * Parsed views of a response body: the raw text, a plain JSON value, and a lossless JSON value whose numbers keep
 * their lexemes (`1.7635E9` stays `1.7635E9`; JSON.parse would make it 1763500000).
 */
import { isLosslessNumber, parse as parseLossless, type LosslessNumber } from 'lossless-json';
import type { ExchangeResponse } from './exchange.ts';

const textCache = new WeakMap<ExchangeResponse, string>();

export function bodyText(response: ExchangeResponse): string {
  let text = textCache.get(response);
  if (text === undefined) {
    text = response.chunks.map((chunk) => chunk.data).join('');
    textCache.set(response, text);
  }
  return text;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

const plainCache = new WeakMap<ExchangeResponse, JsonResult>();
const losslessCache = new WeakMap<ExchangeResponse, JsonResult>();

/** The body as plain JSON (numbers become JS numbers). */
export function jsonBody(response: ExchangeResponse): JsonResult {
  let result = plainCache.get(response);
  if (!result) {
    result = parseJsonText(bodyText(response));
    plainCache.set(response, result);
  }
  return result;
}

/** The body with every number as a LosslessNumber that keeps its source text. */
export function losslessBody(response: ExchangeResponse): JsonResult {
  let result = losslessCache.get(response);
  if (!result) {
    result = parseLosslessText(bodyText(response));
    losslessCache.set(response, result);
  }
  return result;
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
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
