/**
 * @module emulator/wire
 * What the emulator writes: JSON bodies whose timestamps can take any lexical form (`1790000000`,
 * `1790000000.25`, `1.79e+09`, a string, absent), Mantle's error envelopes verbatim, and SSE with its legal
 * variations (CRLF, events split across writes) and its deviations.
 */
import type { ServerResponse } from 'node:http';
import type { LexemeKind } from '../checks/lexeme.ts';
import type { StreamQuirks } from './profile.ts';

const LEXEME_MARK = '\u0000lexeme:';

/** A placeholder that `toJson` replaces with the raw lexeme of `seconds` in the given form. */
export function timestamp(seconds: number, kind: LexemeKind): string | undefined {
  if (kind === 'missing') return undefined;
  return `${LEXEME_MARK}${kind}:${seconds}`;
}

function lexeme(kind: LexemeKind, seconds: number): string {
  switch (kind) {
    case 'integer':
      return String(Math.trunc(seconds));
    case 'float':
      return `${Math.trunc(seconds)}.25`;
    case 'exponent': {
      // Python's repr of a float timestamp, as Mantle sends it: 1.772195752e+09
      const [mantissa, exp] = seconds.toExponential(9).split('e');
      const power = Number(exp);
      return `${mantissa}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
    }
    case 'string':
      return JSON.stringify(new Date(seconds * 1000).toISOString());
    case 'other':
      return 'true';
    default:
      return 'null';
  }
}

/** JSON.stringify, then timestamp placeholders become their raw lexemes. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000lexeme:([a-z]+):([0-9.]+)"/g, (_m, kind: string, seconds: string) => lexeme(kind as LexemeKind, Number(seconds)));
}

/** Sends a JSON body (a string body goes out as text/plain, as a bare proxy error would). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : toJson(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const openaiError = (status: number, code: string | null, message: string, type: string, param: string | null = null) => ({
  status,
  body: { error: { code, message, param, type } },
});

export const anthropicError = (status: number, type: string, message: string) => ({ status, body: { type: 'error', error: { type, message } } });

/** Mantle's answers, verbatim from MANTLE.md where a recording exists. */
export const MANTLE_ERRORS = {
  notOnRoute: (model: string) => openaiError(400, 'validation_error', `model \`${model}\` isn't supported on this route`, 'invalid_request_error'),
  berm: () => openaiError(401, 'access_denied', 'Berm is not enabled for this account', 'permission_denied_error'),
  notFound: () => openaiError(404, 'not_found', 'Not Found', 'not_found_error'),
  apiNotOffered: (model: string, path: string) => openaiError(400, 'validation_error', `The model '${model}' does not support the '${path}' API`, 'invalid_request_error'),
  unknownModel: (model: string) => openaiError(404, 'not_found_error', `The model '${model}' does not exist`, 'not_found_error'),
  badKey: () => openaiError(401, 'invalid_api_key', 'Invalid API key provided.', 'authentication_error'),
};

export interface SseEventOut {
  event?: string;
  data: string;
}

/** Writes events one by one, honouring the stream quirks; resolves when the response has ended. */
export async function writeSse(res: ServerResponse, events: readonly SseEventOut[], quirks: StreamQuirks, extraHeaders: Record<string, string> = {}): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...extraHeaders });
  res.socket?.setNoDelay(true);
  const eol = quirks.crlf ? '\r\n' : '\n';
  const texts = events.map((e) => `${e.event !== undefined ? `event: ${e.event}${eol}` : ''}data: ${e.data}${eol}${eol}`);
  for (const [index, text] of texts.entries()) {
    if (res.destroyed) return;
    if (quirks.pings && index === 1) res.write(`: ping${eol}${eol}`);
    const last = index === texts.length - 1;
    const body = quirks.truncate && last ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text;
    if (quirks.splitWrites) {
      for (const piece of splitInThree(body)) {
        res.write(piece);
        await pause(2, res);
      }
    } else {
      res.write(body);
    }
    // A stalled stream: the connection stays open and nothing more comes, until the client gives up.
    if (quirks.stallAfterEvents !== undefined && index + 1 >= quirks.stallAfterEvents) return new Promise((resolve) => res.once('close', () => resolve()));
    if (quirks.eventDelayMs) await pause(quirks.eventDelayMs, res);
    if (quirks.firstTokenDelayMs && index === 0) await pause(quirks.firstTokenDelayMs, res);
  }
  res.end();
}

function splitInThree(text: string): string[] {
  const a = Math.max(1, Math.floor(text.length / 3));
  const b = Math.max(a + 1, Math.floor((2 * text.length) / 3));
  return [text.slice(0, a), text.slice(a, b), text.slice(b)].filter(Boolean);
}

/**
 * Waits `ms` before more of `res` is written, or less: the wait ends when that answer's connection closes (its
 * client gave up, or the emulator is stopping), so no timer of a `--latency` or a stream delay outlives its request
 * and keeps a stopped emulator's process alive for up to ten minutes.
 */
export function pause(ms: number, res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** Roughly one token per word: enough for usage figures that add up. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
