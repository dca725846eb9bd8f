/**
 * @module transport/error-fault
 * Whose fault an error says it is: the client's (a request the endpoint refused, which is its answer and is judged)
 * or a server's, a gateway's or a throttle's (an outage: retried, never judged). The vocabulary is the types, codes
 * and statuses OpenAI, Anthropic, Mantle and AWS name, and what proxies and gateways say; stand-in-answer.ts reads it
 * for errors in a 2xx and in a stream's error frames, the stream checks for the error events they judge.
 */
import { isRecord, parseJsonText } from './body.ts';
import { refusesByWords } from './classify-response.ts';

/**
 * Error types and codes that say the request was at fault (OpenAI, Anthropic, Mantle, AWS): only such an error in a
 * 2xx is the endpoint's answer (a bad request answered with the wrong status). Anything else, a throttle or a
 * server failure said as "OK", an unknown class, is an outage behind a 2xx: retried, never judged.
 */
const CLIENT_FAULT = /invalid|validation|unsupported|not_?found|bad_?request|missing_?(required_?)?(parameter|param|field|argument|value)|unknown_?(parameter|param|field|argument|model|url)|too_?large|too_?long|above_max|below_min|_length|empty_array|context_length|authentication|permission|access_?denied|forbidden|unauthori[sz]ed|not_?allowed|unprocessable|billing|content_?(filter|policy)|moderation|safety/i;

/** Error types and codes that say the server or what is behind it failed, or throttled, whatever else they say. */
export const SERVER_FAILURE = /server_error|api_error|overloaded|internal|unavailable|timeout|deadline|upstream|gateway|rate_?limit|throttl|too_?many|quota|capacity|exhausted|not_?ready|model_?error|unknown_?error|(^|\s)unknown(\s|$)|invalid[_-]?response|stream_?error/i;

/** What proxies and gateways (Envoy, nginx, load balancers) say for an upstream they could not get an answer from, or to slow down. */
export const GATEWAY_WORDS = /upstream|disconnect\/reset|connect(ion)? (error|refused|reset|failure)|no healthy|bad gateway|gateway time-?out|service (temporarily )?unavailable|internal (server )?error|overloaded|timed out|request timeout|rate limit|throttl|too many (requests|tokens)|slow down|quota|try again later|not ready/i;

/** Whose fault an error object says it is: the client's (a request the endpoint refused), or a server's or a throttle. */
export function readError(error: Record<string, unknown>): { message: string | undefined; clientFault: boolean; failure: boolean } {
  const message = typeof error.message === 'string' ? error.message : undefined;
  // A code of digits is a status however it is written (`400`, `"400"` from LiteLLM); `"None"` names nothing.
  // A frame's own type `error` names no class (the Responses error event carries its class in `code`).
  const named = [error.type, error.code].filter((value): value is string => typeof value === 'string' && value !== '' && value !== 'None' && value !== 'error' && !/^\d+$/.test(value)).join(' ');
  const numbers = [error.code, error.status].map(Number).filter((n) => Number.isInteger(n) && n >= 100 && n < 600);
  // Only the message's start is read: a gateway's words are short, an endpoint's message can be long.
  const failure = SERVER_FAILURE.test(named) || numbers.some((n) => n === 408 || n === 429 || n >= 500) || GATEWAY_WORDS.test((message ?? '').slice(0, 1000));
  // Mantle's bare refusals carry no type or code; a named class that is not a client fault is not made one by words.
  const clientFault = !failure && (CLIENT_FAULT.test(named) || (named === '' && (numbers.some((n) => n >= 400 && n < 500) || refusesByWords((message ?? '').slice(0, 1000)))));
  return { message, clientFault, failure };
}

/** The error's message when it says a server failed or throttled. */
export function failureOf(error: Record<string, unknown>): string | undefined {
  const { message, failure } = readError(error);
  return failure ? message || JSON.stringify(error) : undefined;
}

/**
 * The error an error member holds, unwrapped as an error body's envelope is (classify-response.ts envelopeOf reads
 * `value.error`). Mantle sends a stream's error as a string of JSON (`{"type":"error","error":"<json>"}`, MANTLE.md
 * "Streams"), and that JSON is the error itself (`{"code","message"}`) or its whole envelope
 * (`{"error":{"code":"throttling_error","message":...}}`); read as it came, the envelope named no class and no
 * message, so a throttle in it was judged as the stream's fault and recorded over good fixtures. One level is
 * unwrapped, in a string or in an object, so the envelope says what the flat error says. A string that is not JSON of
 * an object stays a string: its words are all it says.
 */
export function heldError(error: unknown): Record<string, unknown> | string | undefined {
  let held = error;
  if (typeof held === 'string') {
    const parsed = parseJsonText(held);
    if (!parsed.ok || !isRecord(parsed.value)) return held;
    held = parsed.value;
  }
  if (!isRecord(held)) return undefined;
  const inner = held.error;
  if (isRecord(inner)) return inner;
  // `{"error":"Too many tokens"}`: the words are the error, unless the object names its own class or message.
  const ownClass = ['code', 'type', 'message'].some((member) => held[member] !== undefined && held[member] !== null);
  return typeof inner === 'string' && inner !== '' && !ownClass ? inner : held;
}

/**
 * The error's message (or words) when what an error member holds (`heldError`) says a server failed or throttled: a
 * string that is not JSON says so by a gateway's words or a failure's class near its start.
 */
export function heldFailure(error: unknown): string | undefined {
  const held = heldError(error);
  if (typeof held === 'string') return GATEWAY_WORDS.test(held.slice(0, 1000)) || SERVER_FAILURE.test(held.slice(0, 200)) ? held : undefined;
  return held === undefined ? undefined : failureOf(held);
}
