/**
 * @module transport/stand-in-answer
 * Answers that something on the way gave in place of the endpoint's: a timeout said as a status, a 2xx that carries
 * no answer, a JSON body cut short with its framing whole, a proxy's or WAF's HTML page. They say nothing about the model, so they are exchange errors, never a
 * verdict: read as answers, a 408 or an empty 200 made `api.*` say "supported" and a record run replace good
 * fixtures with them. What stays an answer, and why, is said at each rule; the status-only non-answers (redirects,
 * 1xx, 304, 407, 421) are `notAnAnswer` in classify-response.ts.
 */
import { bodyText, excerpt, isRecord, jsonBody, parseJsonText } from './body.ts';
import { ANSWER_MEMBERS, errorInSuccess } from './classify-response.ts';
import { endsInsideJson } from './cut-json.ts';
import { GATEWAY_WORDS, failureOf, heldFailure, readError } from './error-fault.ts';
import { isStreamResponse, type ExchangeError, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';
import { parseSseChunks, sseStream } from './sse.ts';
import { statusMessageFailure } from './status-message.ts';

/**
 * 4xx statuses whose HTML body is still read as the endpoint's answer: 401 is a credentials failure whoever says it
 * (the run stops with the fix); 404 and 405 say this path or method is not served where the harness sent it, which
 * is what the probes ask (Mantle's answer to a missing route prefix is a 404 whose body no capture shows); 408 and
 * 429 have their own rules (a timeout, a throttle: retried).
 */
const HTML_ANSWERS = new Set([401, 404, 405, 408, 429]);

/**
 * Why `response` is no answer about the model, as the exchange's error, or undefined when it is one. `request`
 * tells what was expected: a DELETE may answer a bare 2xx (what it did is in its status, and the lifecycle check
 * reads the GET that follows), and its body whether it asked for a stream.
 */
export function standInAnswer(request: Pick<ExchangeRequest, 'method' | 'body'>, response: ExchangeResponse): ExchangeError | undefined {
  const { status } = response;
  // A server or proxy that gave up waiting for the request: a timeout, retried like one (README "Retries").
  if (status === 408) {
    return { code: 'HARNESS_TIMEOUT', message: `the endpoint answered 408 (a server or proxy on the way timed out waiting): a timeout, not an answer about the model` };
  }
  const text = bodyText(response);
  const cut = cutShort(request, response, text);
  if (cut) return cut;
  if (status >= 200 && status < 300) return emptyHandedSuccess(request, response, text);
  // A 4xx is a page only when it is markup: plain text labelled text/html is how Express sends a string, the
  // endpoint's own words.
  if (status >= 400 && status < 500 && !HTML_ANSWERS.has(status) && !isStreamResponse(response) && text.trimStart().startsWith('<')) {
    // Mantle answers every error in a JSON envelope (MANTLE.md): an HTML 400/403/413 comes from a proxy, a WAF or a
    // load balancer in front of it, and says what that box thinks of the request, not what the endpoint does. It
    // is not retried (a block or a size limit answers the same again). A JSON 403 stays the endpoint's answer:
    // AWS's "no access to this model" or a bad signature (classify-response.ts), never a verdict either way.
    return {
      code: 'HARNESS_NOT_AN_ANSWER',
      message: `the endpoint answered ${status} with an HTML page (${pageExcerpt(text)}) instead of an error envelope: a proxy, WAF or load balancer in front of the endpoint refused the request, not the endpoint; check what sits in front of --endpoint`,
    };
  }
  return undefined;
}

/**
 * Statuses that are the answer whatever their body holds: 401 is a credentials failure whoever says it (the run stops
 * with the fix), 408 and 429 have their own rules (a timeout, a throttle: retried).
 */
const STATUS_IS_THE_ANSWER = new Set([401, 408, 429]);

/**
 * A 2xx or 4xx whose body is a strict prefix of a JSON object or array (cut-json.ts): its framing ended cleanly (a
 * Content-Length that matched the cut), so the transport saw no cut, but no client can read it (an SDK throws, a
 * strict client breaks, an error envelope has no members): read as the endpoint's, it turned a proxy's blip into
 * `fail` of sdk.*, errors.* and models.listed, while a record run kept the old fixture over it. An infrastructure
 * error, retried like a reset stream. Where it was cut is not said: a proxy's buffer and an endpoint that counts its
 * Content-Length in characters (it writes more bytes than it declares) look the same here; http-exchange.ts names the
 * second when the connection shows the bytes past the length (writtenPastLength). A body malformed partway
 * (`{"id": 1,, }`, a byte after the value) is what the endpoint wrote: judged. A DELETE's answer is its status (and a
 * retry would delete twice); a stream is the stream checks' to judge; a 5xx is an outage already. Replay applies it to
 * recorded answers too (replay-target.ts): an older record run stored such bodies as the endpoint's.
 */
export function cutShort(request: Pick<ExchangeRequest, 'method'>, response: ExchangeResponse, text = bodyText(response)): ExchangeError | undefined {
  const { status } = response;
  if (status < 200 || status >= 500 || STATUS_IS_THE_ANSWER.has(status) || request.method === 'DELETE' || isStreamResponse(response)) return undefined;
  if (jsonBody(response).ok || !endsInsideJson(text)) return undefined;
  return {
    code: 'HARNESS_STREAM_CUT',
    message: `the endpoint answered ${status} with a body that ends before its JSON does (${text.length} character(s) arrived, ending ${JSON.stringify(text.slice(-40))}) though its framing ended cleanly: an answer cut short on the way or by the endpoint itself (nothing in its framing says which), which no check can read whole, not an answer about the model`,
  };
}

/**
 * A body cut short (cutShort) whose connection then carried bytes past its Content-Length: the endpoint wrote more than
 * it declared (most often a length counted in characters, not UTF-8 bytes), and every HTTP client stops at the
 * declared length, as the harness did. The endpoint's own framing, so no retry or later record run mends it; and not
 * a verdict either, since no check saw the answer it meant to send.
 */
export function writtenPastLength(response: ExchangeResponse): ExchangeError {
  const text = bodyText(response);
  const declared = response.headers['content-length'];
  return {
    code: 'HARNESS_NOT_AN_ANSWER',
    message: `the endpoint answered ${response.status} with a body longer than its Content-Length${/^\d{1,15}$/.test(declared ?? '') ? ` (${declared})` : ''}: bytes followed the declared end on the connection, so the ${text.length} character(s) read end inside the JSON (${JSON.stringify(text.slice(-40))}); the endpoint's framing is wrong (a length counted in characters, not UTF-8 bytes?), and Node's fetch and the SDKs built on it stop at the same byte`,
  };
}

/**
 * A 2xx that carries no answer: an empty body, an HTML page (maintenance, a login, a captive portal), or a gateway's
 * error (`gatewayError`). A gateway says "OK" for an upstream that failed: an outage in a 2xx, so it is a server
 * error and retried as one. What stays the endpoint's answer: an empty event stream to a request that asked for a
 * stream (the stream checks judge it: no events, no [DONE]), a stream's error frames that do not say a server
 * failed or throttled, and an error in the API's own envelope that is not a server failure (errors.* judge a bad
 * request answered 200; the other checks read it as a rejection). A stream cut short by a server failure, and a
 * Responses object that failed with one, are outages.
 */
function emptyHandedSuccess(request: Pick<ExchangeRequest, 'method' | 'body'>, response: ExchangeResponse, text: string): ExchangeError | undefined {
  const { status } = response;
  const outage = (what: string): ExchangeError => ({
    code: 'HARNESS_SERVER_ERROR',
    message: `the endpoint answered ${status} with ${what} where JSON or an event stream was expected: an outage behind a ${status}, not an answer about the model`,
  });
  const stream = isStreamResponse(response);
  if (!text.trim()) {
    // A DELETE says what it did in its status (a 204 included). A 204 or 205 "no body" to a request for a
    // completion is no answer: read as one, it made api.* "supported" and was recorded over good fixtures.
    if (request.method === 'DELETE' || (stream && askedForStream(request))) return undefined;
    return outage(stream ? 'an empty event stream to a request that asked for no stream' : 'an empty body');
  }
  if (isHtml(response, text)) return outage(`an HTML page (${pageExcerpt(text)})`);
  // Every API here answers JSON or an event stream: a 2xx of other text ("upstream connect error", "OK") is what a
  // proxy says, never a model served. JSON malformed partway starts as JSON (one cut short was told apart above), and
  // an event stream under the wrong content type starts as one: both are the endpoint's answers, judged.
  const notJson = !stream && !startsAsJson(text) && !(askedForStream(request) && SSE_FIELD.test(text.trimStart()));
  // A DELETE's body is not what it answers (its status is), unless it is a gateway's words.
  if (notJson && (request.method !== 'DELETE' || GATEWAY_WORDS.test(text.slice(0, 1000)))) return outage(`text that is not JSON (${excerpt(text, 120)})`);
  if (stream) {
    const failed = streamFailure(response, text);
    if (failed === undefined) return undefined;
    const what = failed.after === 0 ? 'whose first event is a throttle or a server failure' : `that broke off after ${failed.after} event(s) with a throttle or a server failure`;
    const so = failed.after === 0 ? 'the stream never began' : 'the answer was cut short';
    return { code: 'HARNESS_SERVER_ERROR', message: `the endpoint answered ${status} with an event stream ${what} (${excerpt(failed.message, 160)}): ${so}, an outage, not an answer about the model` };
  }
  // `{}` or `[]`: no API here answers a request with nothing in it (a DELETE aside): a gateway's stand-in, recorded
  // over good fixtures and read as "accepted" or an empty answer.
  if (request.method !== 'DELETE' && /^\s*(?:\{\s*\}|\[\s*\])\s*$/.test(text)) return outage(`an empty JSON ${text.includes('{') ? 'object ({})' : 'array ([])'}`);
  // A gateway's status message in place of an answer, in a shape of its own (status-message.ts): read whether or not
  // it says "error" (`{"status":"error","message":"upstream connect error ..."}` holds no `error` member).
  const said = typelessFailure(text) ?? statusMessageFailure(text);
  if (said !== undefined) return outage(`a gateway's message and no completion (${excerpt(said, 160)})`);
  if (!text.includes('"error"')) return undefined;
  const parsed = parseJsonText(text);
  const error = parsed.ok ? errorInSuccess(parsed.value) : undefined;
  const failed = error === undefined ? undefined : gatewayError(error);
  if (failed !== undefined) return outage(`an error and no completion (${excerpt(failed, 160)})`);
  const inside = parsed.ok ? failedInside(parsed.value) : undefined;
  return inside === undefined ? undefined : { code: 'HARNESS_SERVER_ERROR', message: `the endpoint answered ${status} with a Responses object that failed with a server error (${excerpt(inside, 160)}): an outage inside a ${status}, not an answer about the model` };
}

/**
 * A Responses object that failed inside a 2xx (`status: "failed"`) because the server failed or throttled, as the
 * error's message; one that failed for the request (`invalid_prompt`) stays the endpoint's answer, and the checks
 * read it.
 */
function failedInside(body: unknown): string | undefined {
  return isRecord(body) && body.status === 'failed' && isRecord(body.error) ? failureOf(body.error) : undefined;
}

/**
 * What a gateway said, when an error in a 2xx with no completion is a gateway's; undefined when it is the endpoint's
 * answer: an `error` object with a `message` and a `type` or `code` that names a client fault
 * (`invalid_request_error`, `validation_error`, `model_not_found`, a 4xx number other than 408 and 429; Anthropic's
 * `{"type":"error","error":{...}}` carries its type inside) that does not also say a server failed or throttled.
 * A bare string, an object without a message, an unknown class, a throttle or a server failure is a gateway saying
 * "OK" for an upstream that failed.
 */
function gatewayError(error: Record<string, unknown> | string): string | undefined {
  if (typeof error === 'string') return error;
  const { message, clientFault } = readError(error);
  return message !== undefined && clientFault ? undefined : (message ?? JSON.stringify(error));
}

/**
 * An event of a stream that is an error saying the server failed or throttled, and how many events came before it,
 * when it is the first event (the stream never began) or the last one before the stream ended (it broke off:
 * Anthropic's `overloaded_error` mid-stream, a gateway's frame): an outage either way, not a verdict on the stream
 * or the model. The frames read as errors: an `error` member (an object, or a string of JSON as Mantle sends it,
 * holding the error or its `{"error":{...}}` envelope: heldError), an event of type `error` with its own `code` and
 * `message` (the Responses API), a typeless `{"message": ...}` (Mantle), and a Responses `response.failed` event.
 * Other error frames (a client fault, an error of no known kind, one the stream went on after) are the stream checks'
 * to judge.
 */
function streamFailure(response: ExchangeResponse, text: string): { message: string; after: number } | undefined {
  // No frame can say a failure without one of these keys (joining data lines adds only line feeds): most chat
  // streams are not parsed here at all.
  if (!ERROR_KEY.test(text)) return undefined;
  let events = 0;
  let last: { message: string; after: number } | undefined;
  // The events as the stream checks read them (an event's data may span several `data:` lines, joined), parsed
  // once per response; a last event the stream ended without terminating still says what cut it short.
  for (const data of [...sseStream(response).events.map((event) => event.data), ...unterminated(response)]) {
    // `[DONE]` after a failure frame does not undo it; an event that ends the answer does (the stream went on), and
    // an error after the answer ended cut nothing short: the stream checks judge either.
    if (data.trim() === '[DONE]') return last;
    if (TERMINAL.test(data)) return undefined;
    const failed = ERROR_KEY.test(data) ? frameFailure(data) : undefined;
    if (failed !== undefined && events === 0) return { message: failed, after: 0 };
    last = failed === undefined ? undefined : { message: failed, after: events };
    events += 1;
  }
  return last;
}

const ERROR_KEY = /"(error|message)"/;

/** The data of the event the stream ended inside (a gateway's frame written without its blank line), if any. */
function unterminated(response: ExchangeResponse): string[] {
  const { trailing } = sseStream(response);
  return trailing ? parseSseChunks([{ t: 0, data: `${trailing}\n\n` }]).events.map((event) => event.data) : [];
}

/**
 * An event that ends the answer: Anthropic's `message_stop`, a Responses `response.completed` or
 * `response.incomplete`. A chat stream ends at `[DONE]`: its usage chunk comes after the finish_reason, and with
 * `n` > 1 one choice finishes while another goes on.
 */
const TERMINAL = /"type":\s*"(?:message_stop|response\.completed|response\.incomplete)"/;

/** What one event's data says, when it is an error that says the server failed or throttled. */
function frameFailure(data: string): string | undefined {
  const parsed = parseJsonText(data);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const frame = parsed.value;
  if (frame.type === 'response.failed') return isRecord(frame.response) && isRecord(frame.response.error) ? failureOf(frame.response.error) : undefined;
  const error = frame.error ?? (frame.type === 'error' || isTypeless(frame) ? frame : undefined);
  // A string (JSON or words) and an object are read alike, the envelope inside either unwrapped (error-fault.ts).
  if (typeof error === 'string') return heldFailure(error);
  return isRecord(error) && !ANSWER_MEMBERS.some((member) => member in frame) ? heldFailure(error) : undefined;
}

/** A typeless `{"message": ...}` (and at most one other member): what Mantle and API Gateway send instead of an error object. */
function isTypeless(value: Record<string, unknown>): boolean {
  return value.type === undefined && value.object === undefined && typeof value.message === 'string' && Object.keys(value).length <= 2;
}

/**
 * A gateway's typeless JSON in a 2xx (API Gateway's `{"message":"Too Many Requests"}`), as its message when it says
 * a throttle or a failure; an answer carries its own members, never only a message.
 */
function typelessFailure(text: string): string | undefined {
  if (text.length > 4096 || !text.includes('"message"')) return undefined;
  const parsed = parseJsonText(text);
  return parsed.ok && isRecord(parsed.value) && isTypeless(parsed.value) ? failureOf(parsed.value) : undefined;
}

/** SSE field names a stream's first line starts with (`data:`, `event:`, a `:` comment). */
const SSE_FIELD = /^(data|event|id|retry)?:/;

/** A body that starts as JSON does (JSON malformed partway included). */
function startsAsJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/** Whether the request's JSON body asked for a stream (`"stream": true`, the same in the three APIs). */
function askedForStream(request: Pick<ExchangeRequest, 'body'>): boolean {
  if (!request.body?.includes('"stream"')) return false;
  const sent = parseJsonText(request.body);
  return sent.ok && isRecord(sent.value) && sent.value.stream === true;
}

/**
 * An HTML page: a body that starts as markup, or one labelled HTML that is not JSON ("Service temporarily
 * unavailable" as text/html). A JSON body labelled text/html is an answer (the checks judge its type). A stream is
 * never a page: the stream checks judge what it holds.
 */
export function isHtml(response: ExchangeResponse, text: string): boolean {
  if (isStreamResponse(response)) return false;
  if (text.trimStart().startsWith('<')) return true;
  return (response.headers['content-type'] ?? '').toLowerCase().includes('html') && !startsAsJson(text);
}

/** The page's title or first words, without its markup, for the reason. */
export function pageExcerpt(text: string): string {
  const head = text.slice(0, 4096);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.trim();
  const words = title || head.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  return excerpt(words, 120) || 'no text';
}
