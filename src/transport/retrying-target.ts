/**
 * @module transport/retrying-target
 * Retries what says nothing about conformance: 429 (and a 4xx whose error says throttled, classify-response.ts), 5xx, timeouts (a 408 included), refused or reset connections,
 * streams cut mid-way (and JSON bodies cut short with their framing whole, stand-in-answer.ts), an event stream that ended before it began (no byte, or only keep-alive comments: an outage when every attempt says so),
 * and a 2xx that carries no answer (empty, an HTML page, a gateway's error: an outage behind a
 * 2xx, HARNESS_SERVER_ERROR from the wire, see stand-in-answer.ts). Exponential backoff with jitter, or the server's Retry-After. A 4xx that is the endpoint's answer is
 * never retried. What still fails after the last retry is an exchange error (THROTTLED, SERVER_ERROR, ...), so the
 * cell is `error`, never `fail`. A 5xx API error (JSON) that came back the same on every attempt (status and body, ids
 * aside) says "deterministic" in its message: likely an endpoint that fails this request, not a blip (obra/lace #355);
 * a page (HTML, text) never does, since a gateway's error page is the same in every outage.
 */
import type { HarnessErrorCode } from '../errors.ts';
import { bodyText, excerpt, jsonBody } from './body.ts';
import { classifyAnswer } from './classify-response.ts';
import { isStreamResponse, type Exchange, type ExchangeRequest } from './exchange.ts';
import { emptyStreamError, isEmptyStream } from './empty-stream.ts';
import { ENDPOINT_DOWN } from './endpoint-breaker.ts';
import { proxyLoginRefused } from './proxy-refusals.ts';
import type { SendContext, Target } from './target.ts';
import { TargetDecorator } from './target-decorator.ts';

export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries: number;
  /** First backoff; doubles each retry. @default 500 @unit milliseconds */
  baseDelayMs: number;
  /** Longest wait before a retry, a Retry-After's included (MAX_RETRY_WAIT_MS in a run). @unit milliseconds */
  maxDelayMs: number;
  /**
   * The longest Retry-After honoured (MAX_RETRY_WAIT_MS in a run): one that asks for more is not waited, and the
   * request ends with its error, saying so. Absent: any Retry-After is waited, cut to `maxDelayMs`. @unit milliseconds
   */
  maxRetryAfterMs?: number;
  /** For tests: where waits go. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  random?(): number;
  /**
   * Told once per request how it ended after its retries, and whether any attempt got an answer (a status line):
   * the endpoint breaker (endpoint-breaker.ts) counts requests the endpoint never answered, not attempts.
   */
  settled?(exchange: Exchange, answered: boolean): void;
}

/**
 * The longest a run waits before one retry, a Retry-After's included: --retry-delay's largest value, so that a first
 * backoff of any --retry-delay it takes is waited whole. A Retry-After asking for more is not waited (nor cut short
 * to this: a retry sent before the endpoint said to meets the throttle again and spends the retries early).
 */
export const MAX_RETRY_WAIT_MS = 60_000;

/**
 * Errors an exchange came back with that another attempt may cure. HARNESS_NOT_AN_ANSWER is not one: a redirect, a
 * WAF's block or a proxy's size limit answers the same again. Nor is a proxy's refusal of the login (a
 * HARNESS_CONNECTION): each try is one more failed login, and proxy accounts lock after a few.
 */
const RETRYABLE_ERRORS: ReadonlySet<HarnessErrorCode> = new Set(['HARNESS_TIMEOUT', 'HARNESS_CONNECTION', 'HARNESS_STREAM_CUT', 'HARNESS_SERVER_ERROR']);

export function isRetryable(exchange: Exchange): boolean {
  if (exchange.error) return RETRYABLE_ERRORS.has(exchange.error.code) && !proxyLoginRefused(exchange.error);
  const status = exchange.response?.status ?? 0;
  return throttled(exchange) || status >= 500 || isEmptyStream(exchange);
}

/**
 * A 429, or another 4xx whose error names a throttle (`ThrottlingException` or `rate_limit_exceeded` with a 400): read
 * as a rejection, such an answer was judged `fail` and recorded over good fixtures.
 */
function throttled(exchange: Exchange): boolean {
  const response = exchange.response;
  if (!response || response.status < 400 || response.status >= 500) return false;
  // Every 429 is classified `throttled` but a spent budget's (budget-exceeded.ts): no retry outlives that.
  return classifyAnswer(response).kind === 'throttled';
}

/** A 2xx stream that began and then went silent past --idle-timeout (http-exchange.ts marks it). */
function stalledStream(exchange: Exchange): boolean {
  const response = exchange.response;
  return !exchange.error && response !== null && response.stalledAfterMs !== undefined && response.status >= 200 && response.status < 300 && isStreamResponse(response);
}

/**
 * The HTTP-date forms RFC 9110 allows: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). Date.parse alone reads "-1" (year -1)
 * and "3600, 10" as dates in the past: no wait at all.
 */
const HTTP_DATE = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d\d-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d \d\d:\d\d:\d\d GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/,
];


/**
 * Delta-seconds or an HTTP-date, in milliseconds; undefined when absent or anything else (the harness's own backoff
 * then applies).
 */
export function retryAfterMs(exchange: Exchange, now = Date.now()): number | undefined {
  const raw = exchange.response?.headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  if (!HTTP_DATE.some((form) => form.test(raw))) return undefined;
  // asctime carries no zone: it is GMT.
  const date = Date.parse(/GMT$/.test(raw) ? raw : `${raw} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before the retry that follows attempt `attempt`: the endpoint's Retry-After, or exponential backoff with
 * jitter, cut to `maxDelayMs`. A Retry-After past `maxRetryAfterMs` is not cut short (a retry sent before the endpoint
 * said to meets the throttle again): `askedMs` says what it asked, `capMs` the cap, and no retry follows. One rule
 * for the run's requests (RetryingTarget) and the CLI's before the run (send-retried.ts).
 */
export function retryWait(exchange: Exchange, attempt: number, delays: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>, random: () => number): { delayMs: number } | { askedMs: number; capMs: number } {
  const hinted = retryAfterMs(exchange);
  const cap = delays.maxRetryAfterMs;
  if (hinted !== undefined && cap !== undefined && hinted > cap) return { askedMs: hinted, capMs: cap };
  const backoff = delays.baseDelayMs * 2 ** (attempt - 1) * (0.5 + random() / 2);
  return { delayMs: Math.min(delays.maxDelayMs, hinted ?? backoff) };
}

/**
 * A DELETE whose status arrived reached the server: sent again, it meets a resource already gone (a 404) and the
 * case reads that instead of what the first one did. Its failure (a body that did not decode, a 5xx) is reported. A
 * throttle refused it before it was handled: tried again.
 */
function deleted(request: ExchangeRequest, exchange: Exchange): boolean {
  return request.method.toUpperCase() === 'DELETE' && exchange.response !== null && !throttled(exchange);
}

export class RetryingTarget extends TargetDecorator {
  readonly #options: RetryOptions;

  constructor(inner: Target, options: RetryOptions) {
    super(inner);
    this.#options = options;
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const { retries } = this.#options;
    const sleep = this.#options.sleep ?? defaultSleep;
    const random = this.#options.random ?? Math.random;
    let attempts = 0;
    let waited = 0;
    let stalls = 0;
    let answered = false;
    let last: Exchange | undefined;
    const answers = new Set<string>();
    for (;;) {
      const sent = await this.inner.send(request, last ? { ...context, retry: true } : context);
      // A retry denied (the target stopped answering, endpoint-breaker.ts, or a spend cap) was not sent, but the
      // request was: what its last attempt met (a timeout, a 503) is what happened to it, and the denial is why it
      // went no further.
      const denied = last && sent.attempts === 0 && sent.error && RETRY_DENIALS.has(sent.error.code) ? sent.error : undefined;
      const exchange = denied ? last! : sent;
      last = exchange;
      attempts += sent.attempts;
      answered ||= exchange.response !== null;
      answers.add(answerSignature(exchange));
      // A stream that began and went silent is a verdict (`stalled`), but one network hiccup should not decide it:
      // tried once more, and judged stalled only when that stalls too.
      // Its own try, whatever the 5xx before it used of --retries (only --retries 0 turns it off).
      const stalledOnce = stalledStream(exchange) && stalls++ === 0 && retries > 0;
      const spent = attempts > retries && !stalledOnce;
      if (denied || (!isRetryable(exchange) && !stalledOnce) || spent || context.signal?.aborted || deleted(request, exchange)) {
        const finished = finalize(exchange, attempts, waited, answers.size === 1);
        const result = denied ? notRetried(finished, denied) : finished;
        this.#options.settled?.(result, answered);
        return result;
      }
      const wait = retryWait(exchange, attempts, this.#options, random);
      if ('askedMs' in wait) {
        const result = finalize(exchange, attempts, waited, answers.size === 1, wait);
        this.#options.settled?.(result, answered);
        return result;
      }
      waited += wait.delayMs;
      await sleep(wait.delayMs, context.signal);
    }
  }
}

/** Denials of a retry that leave the request with what its last attempt met (Ctrl-C's leaves it not reached). */
const RETRY_DENIALS: ReadonlySet<HarnessErrorCode> = new Set([ENDPOINT_DOWN, 'HARNESS_BUDGET']);

/**
 * A request whose retry was denied, as it finished: its own error (a timeout, a 503), and why it was not tried again.
 * A stream that stalled has no error: its one more try decides whether the stall is a verdict, so unconfirmed it
 * carries the denial's (the outage's error; a spend cap's "not run").
 */
function notRetried(finished: Exchange, denial: { code: HarnessErrorCode; message: string }): Exchange {
  const why = `not retried: ${denial.message.replace(/^not sent: /, '')}`;
  if (finished.error) return { ...finished, error: { ...finished.error, message: `${finished.error.message}; ${why}` } };
  if (stalledStream(finished)) return { ...finished, error: { code: denial.code, message: `the stream stalled, and ${why}` } };
  return finished;
}

/** Status and body of an answer, with what differs between identical answers (ids, timestamps) left out. */
function answerSignature(exchange: Exchange): string {
  if (!exchange.response) return `error ${exchange.error?.code ?? ''}`;
  // The first 64 KiB and the length say whether two answers are the same; a regex over a huge body overflows the stack.
  const text = bodyText(exchange.response);
  const body = `${text.length} ${text.slice(0, 65_536)}`.replace(/\b(req|msg|resp|chatcmpl)[-_][A-Za-z0-9]+|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{16,}\b|\d{4}-\d\d-\d\dT[0-9:.]+Z?/gi, '<id>');
  return `${exchange.response.status} ${body}`;
}

/**
 * The last attempt, labelled: a 429 or 5xx that outlived the retries becomes an error with its cause. `same`: every
 * attempt got the same answer.
 */
function finalize(exchange: Exchange, attempts: number, waitedMs: number, same: boolean, wait?: { askedMs: number; capMs: number }): Exchange {
  const result = { ...exchange, attempts };
  const status = exchange.response?.status ?? 0;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  // A Retry-After past the longest wait (MAX_RETRY_WAIT_MS): what it asked, and that no retry followed.
  const asked = wait ? `; the endpoint asked to wait ${Math.ceil(wait.askedMs / 1000)} s before another try (Retry-After), more than the ${Math.round(wait.capMs / 1000)} s the harness waits for one, so it was not tried again` : '';
  if (!exchange.error && throttled(exchange)) {
    const said = status === 429 ? '429' : `${status}: ${excerpt(classifyAnswer(exchange.response!).message ?? '', 120)}`;
    const advice = asked ? `${asked}: run again once its limit resets, or lower --concurrency or set --tpm to stay under it` : '; lower --concurrency or set --tpm';
    result.error = { code: 'HARNESS_THROTTLED', message: `still throttled (${said}) after ${tries} and ${Math.round(waitedMs)} ms of backoff${advice}` };
    return result;
  } else if (!exchange.error && status >= 500) {
    const body = excerpt(bodyText(exchange.response!), 160);
    // Only an API's own error (JSON) can say "this request": a gateway's error page is byte-identical in every outage.
    const apiError = jsonBody(exchange.response!).ok;
    result.error =
      same && attempts > 1 && apiError
        ? { code: 'HARNESS_SERVER_ERROR', message: `the endpoint answered ${status} with the same API error on all ${tries}: likely deterministic for this request rather than a blip (${body || 'empty body'})` }
        : same && attempts > 1
          ? { code: 'HARNESS_SERVER_ERROR', message: `the endpoint answered ${status} with the same page on all ${tries}, not an API error: a gateway's page is the same in every outage, so this says nothing about the request (${body || 'empty body'})` }
          : { code: 'HARNESS_SERVER_ERROR', message: attempts > 1 ? `the endpoint answered a 5xx on all ${tries} (the last ${status}); the answers differed: an outage or a blip, not this request` : `the endpoint answered ${status} on all ${tries}` };
  } else if (isEmptyStream(exchange)) {
    result.error = emptyStreamError(exchange, attempts);
  } else if (exchange.error && attempts > 1 && RETRYABLE_ERRORS.has(exchange.error.code)) {
    result.error = { ...exchange.error, message: `${exchange.error.message} (after ${tries})` };
  }
  if (asked && result.error) result.error = { ...result.error, message: `${result.error.message}${asked}: run again later` };
  return result;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
