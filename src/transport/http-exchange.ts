/**
 * @module transport/http-exchange
 * Sends one request with undici and records what came back, read by read, with arrival times. It talks like the
 * official clients (User-Agent, Accept-Encoding, compressed bodies decoded), never follows a redirect, and hands
 * back an exchange that went through the run's redactor. Failures of the network or the endpoint, and answers
 * that say nothing about the model (a redirect, a 408, an empty or HTML 2xx, a proxy's HTML error page), become an
 * `ExchangeError` with a stable code; they are never a verdict. A body
 * that began (a field line arrived, not only keep-alive comments) and then went silent for longer than the idle
 * limit is kept as it is, marked stalled: that is the endpoint's answer, and the checks judge it. A body that never
 * began (headers, then silence or only keep-alives: queueing, a cold start) is not a stall: only the deadline
 * (`timeoutMs`) bounds it, and it is a timeout.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import type { AuthProvider } from './auth/auth.ts';
import { notAnAnswer } from './classify-response.ts';
import { proxyFor, proxySecrets, type ChosenProxy } from './proxy.ts';
import { throughProxyFailure, tlsHint } from './proxy-failure.ts';
import { POOL, proxyAgentFor, throughProxy } from './proxy-agents.ts';
import { acceptEncodingFor, decodingDispatcher, type EncodingNote } from './decode.ts';
import { isStreamResponse, type Exchange, type ExchangeRequest, type ExchangeResponse, type ResponseChunk } from './exchange.ts';
import { storableHeaders } from './headers.ts';
import { redactExchange } from './redact-exchange.ts';
import { standInAnswer, writtenPastLength } from './stand-in-answer.ts';
import { cutByReset, overranLength, watchingResets, type ResetWatch } from './socket-reset.ts';
import { unreadHead } from './unread-head.ts';
import { refusedRequest } from './refused-request.ts';
import { Redactor, type Secret } from './redactor.ts';
import { rememberSecrets } from './process-secrets.ts';
import { secretsOfAuthHeaders, secretsOfQuery } from './request-secrets.ts';
import { USER_AGENT } from './user-agent.ts';

export interface HttpOptions {
  /** Base URL; its path (if any) is kept, e.g. `https://gateway.example/mantle`. */
  baseUrl: string;
  auth: AuthProvider;
  /**
   * Deadline for the whole exchange, headers and body.
   * @default 60000
   * @unit milliseconds
   */
  timeoutMs?: number;
  /** What a timeout's message advises; a command without --timeout (catalog diff) says its own limit in its place. */
  timeoutAdvice?: string;
  /**
   * Longest silence between two reads of a body once it began (its first field line, not a keep-alive comment);
   * past it the body is said to have stalled (`response.stalledAfterMs`) and the harness stops reading. The wait
   * for the answer to begin is not timed by it (a stall needs data first): `timeoutMs` bounds it, as a timeout.
   * Only a limit below `timeoutMs` can fire.
   * 0 disables it.
   * @default 15000
   * @unit milliseconds
   */
  idleTimeoutMs?: number;
  /**
   * The most body bytes the harness keeps, counted after decoding; the rest is not read and the exchange says so.
   * @default 8 MiB
   */
  maxBodyBytes?: number;
  /**
   * The undici dispatcher to send through (tests and benchmarks inject one). Default: a shared keep-alive Agent, or
   * the shared ProxyAgent of the proxy the environment names for the URL (proxy.ts).
   */
  dispatcher?: Dispatcher;
  /** Extra headers on every request (e.g. OpenAI-Project). */
  headers?: Record<string, string>;
  /** The run's redactor. Default: one per auth provider, knowing every secret it sends. */
  redactor?: Redactor;
  /** @default `mantle-conformance/<version>` */
  userAgent?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** How long a body cut inside its JSON waits for bytes past its Content-Length (the next read of the same write). */
const OVERRUN_GRACE_MS = 100;

let sharedAgent: Agent | undefined;

/** The shared direct Agent, or the proxy's agent for this deadline (proxy-agents.ts). */
function agentFor(proxy: ChosenProxy | undefined, timeoutMs: number): Dispatcher {
  return proxy ? proxyAgentFor(proxy, timeoutMs) : (sharedAgent ??= new Agent(POOL));
}

const redactors = new WeakMap<AuthProvider, Redactor>();

/** The redactor of an auth provider: one per run, asking the provider for its secrets as they resolve. */
export function redactorFor(auth: AuthProvider): Redactor {
  let redactor = redactors.get(auth);
  if (!redactor) {
    // The proxies' passwords too (proxy.ts): a proxy's error page or an endpoint may echo them. Remembered for the
    // message of an error the harness did not expect, too (process-secrets.ts).
    redactor = new Redactor(rememberSecrets(() => [...auth.secrets(), ...proxySecrets()]));
    redactors.set(auth, redactor);
  }
  return redactor;
}

/**
 * The URL of a request path under the base URL: the base's path is kept as a prefix, and so is its query (Azure
 * OpenAI needs `?api-version=...` on every request). A parameter the request names itself replaces the base's of
 * the same name (the request's query is what a check asks for); the others are kept, base first, both as written.
 */
export function joinUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const at = path.indexOf('?');
  const pathname = at < 0 ? path : path.slice(0, at);
  const own = at < 0 ? '' : path.slice(at + 1);
  const named = new Set(new URLSearchParams(own).keys());
  const kept = base.search.slice(1).split('&').filter((pair) => pair !== '' && !named.has(new URLSearchParams(pair).keys().next().value ?? ''));
  const query = [...kept, ...(own ? [own] : [])].join('&');
  base.pathname = `${basePath}${pathname}`;
  base.search = query ? `?${query}` : '';
  base.hash = '';
  return base;
}

type Meta = { step: string; prefix: string; signal?: AbortSignal };

export async function sendHttp(request: ExchangeRequest, meta: Meta, options: HttpOptions): Promise<Exchange> {
  const sent: { secrets: Secret[] } = { secrets: [] };
  const exchange = await exchangeOverHttp(request, meta, options, sent);
  return redactExchange(exchange, options.redactor ?? redactorFor(options.auth), sent.secrets);
}

/** The exchange as it came off the wire: never leaves this module unredacted. */
async function exchangeOverHttp(request: ExchangeRequest, meta: Meta, options: HttpOptions, sent: { secrets: Secret[] }): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const started = performance.now();
  const url = joinUrl(options.baseUrl, request.path);
  const base: Omit<Exchange, 'response' | 'error' | 'durationMs'> = { step: meta.step, prefix: meta.prefix, request, attempts: 1 };
  const timeout = AbortSignal.timeout(timeoutMs);
  // A body that goes silent after it began is the endpoint's answer (a stall), not a timeout: its own signal, armed
  // once the answer began. The wait before (queueing, a cold start) is left to the deadline: a timeout.
  const idle = idleWatch(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const signal = AbortSignal.any([...(meta.signal ? [meta.signal] : []), timeout, idle.signal]);
  const note: EncodingNote = {};
  const wire: ResetWatch = {};
  let response: ExchangeResponse | null = null;
  const finish = (error: Exchange['error'], headersMs?: number): Exchange => ({
    ...base,
    response,
    error,
    durationMs: Math.round(performance.now() - started),
    ...(headersMs !== undefined ? { headersMs } : {}),
  });
  let headersMs: number | undefined;
  let proxy: ChosenProxy | undefined;
  try {
    // Chosen per request, from the environment as it is now; a bad value was refused before the run (run-options.ts).
    proxy = options.dispatcher ? undefined : proxyFor(url);
    const outgoing = { ...(options.headers ?? {}), ...request.headers };
    const authHeaders = await options.auth.headers({ method: request.method, url, headers: outgoing, ...(request.body !== undefined ? { body: request.body } : {}) });
    // A key in the endpoint's query (`?api-key=`, `?code=`) goes out on every request like a header's: redacted alike.
    // Only the endpoint's own: a request's query is the harness's, and holds no secret to find in every answer.
    sent.secrets = [...secretsOfAuthHeaders(authHeaders), ...secretsOfQuery(new URL(options.baseUrl)), ...(proxy?.secrets ?? [])];
    const sentAt = performance.now();
    const sending = undiciRequest(url, {
      method: request.method,
      // What the SDKs send; a case's own headers win, credentials win over everything.
      headers: { 'user-agent': options.userAgent ?? USER_AGENT, 'accept-encoding': acceptEncodingFor(url), ...outgoing, ...authHeaders },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
      dispatcher: decodingDispatcher(watchingResets(options.dispatcher ?? agentFor(proxy, timeoutMs), wire), maxBytes, note),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    // A tunnel being set up does not see the signal: the deadline and an interrupt end the request anyway.
    const answer = await (proxy ? throughProxy(sending, signal) : sending);
    const headersRounded = Math.round(performance.now() - sentAt);
    headersMs = headersRounded;
    // A read's time after the headers, on the same rounded clock: headers + read never exceeds the total (rounded
    // apart, a first token once came 1 ms after the exchange's end).
    const sinceHeaders = () => Math.round(performance.now() - sentAt) - headersRounded;
    const headers = answer.headers as Record<string, string | string[]>;
    response = { status: answer.statusCode, headers: storableHeaders(headers), chunks: [] };
    if (note.encoding) response.contentEncoding = note.encoding;
    const decoder = new TextDecoder();
    let bytes = 0;
    // Until the answer begins (its first field line), where the scan of what came stands; undefined after.
    let waiting: BeginScan | undefined = { lineStart: true, first: true };
    for await (const buffer of answer.body as AsyncIterable<Buffer>) {
      bytes += buffer.length;
      if (bytes > maxBytes) {
        answer.body.destroy();
        return finish(tooLarge(response, maxBytes), headersMs);
      }
      const data = decoder.decode(buffer, { stream: true });
      pushChunk(response.chunks, sinceHeaders(), data);
      if (waiting !== undefined && begins(waiting, data)) waiting = undefined;
      // A keep-alive before the answer began is still the wait for it (a proxy pinging while the request queues):
      // the idle limit starts with the first field line. Once the answer began, any read (a keep-alive included)
      // re-arms it: an endpoint that says it is alive until --timeout is a timeout, not a stall we saw.
      if (waiting === undefined) idle.arm();
    }
    const tail = decoder.decode();
    if (tail) pushChunk(response.chunks, sinceHeaders(), tail);
    const cut = cutByReset(wire, response);
    if (cut) return finish({ code: 'HARNESS_STREAM_CUT', message: `the response from ${url.host}${url.pathname} stopped before it ended (${cut})` }, headersMs);
    // A whole answer that is not a stream is one text, as a fixture stores it and a replay reads it: held once, not
    // as its reads and again as the text the checks read (a model's answers stay in memory until its cell is done).
    if (!isStreamResponse(response) && response.chunks.length > 1) response.chunks = [{ t: response.chunks.at(-1)!.t, data: response.chunks.map((c) => c.data).join('') }];
    const unread = unreadable(request, response, headers);
    // A JSON body cut at its declared length with more bytes after it on the connection: the endpoint's framing.
    if (unread?.code === 'HARNESS_STREAM_CUT' && (await overranLength(wire, OVERRUN_GRACE_MS))) return finish(writtenPastLength(response), headersMs);
    return finish(unread, headersMs);
  } catch (cause) {
    if ((cause as { code?: string }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' && response) return finish(tooLarge(response, maxBytes), headersMs);
    if (idle.fired && response && !timeout.aborted && !meta.signal?.aborted) {
      response.stalledAfterMs = idle.limitMs;
      return finish(null, headersMs);
    }
    const cancelled = meta.signal?.aborted ?? false;
    // The endpoint answered with a head the harness cannot take as its answer: said as such, not "could not reach"
    // (and a connection that ended after a 1xx, said with it: unread-head.ts).
    const head = response || timeout.aborted || cancelled ? undefined : unreadHead(cause, note.informational, `${url.host}${url.pathname}`);
    if (head) return finish(head, headersMs);
    const refused = response || cancelled ? undefined : refusedRequest(cause, `${url.host}${url.pathname}`);
    if (refused) return finish(refused, headersMs);
    const code = errorCode(cause, { headersArrived: response !== null, timedOut: timeout.aborted, cancelled });
    return finish({ code, message: describeFailure(code, cause, url, timeoutMs, proxy, options.timeoutAdvice) }, headersMs);
  } finally {
    idle.stop();
  }
}

/** A timer that aborts its signal after `limitMs` without a call to `arm()`; a limit of 0 never fires. */
function idleWatch(limitMs: number): { signal: AbortSignal; arm(): void; stop(): void; readonly fired: boolean; limitMs: number } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    limitMs,
    get fired() {
      return controller.signal.aborted;
    },
    arm() {
      if (limitMs <= 0) return;
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), limitMs);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

function tooLarge(response: ExchangeResponse, maxBytes: number): NonNullable<Exchange['error']> {
  response.truncatedAtBytes = maxBytes;
  const decoded = response.contentEncoding ? ` once decoded from ${response.contentEncoding}` : '';
  return { code: 'HARNESS_BODY_TOO_LARGE', message: `the response body exceeded ${maxBytes} bytes${decoded}; the harness kept the first reads and stopped (raise --max-body-bytes if this is expected)` };
}

/**
 * A status that is no answer about the model, a body the harness could not decode, or an answer something on the
 * way gave in the endpoint's place (stand-in-answer.ts): an error, never a verdict.
 */
function unreadable(request: ExchangeRequest, response: ExchangeResponse, headers: Record<string, string | string[]>): Exchange['error'] {
  const location = headers.location;
  const why = notAnAnswer(response.status, Array.isArray(location) ? location[0] : location);
  if (why) return { code: 'HARNESS_NOT_AN_ANSWER', message: `the endpoint answered ${why}` };
  const encoding = headers['content-encoding'];
  if (encoding && String(encoding).toLowerCase() !== 'identity' && response.chunks.length > 0) {
    return { code: 'HARNESS_NOT_AN_ANSWER', message: `the body is encoded with "${String(encoding)}", which the harness did not ask for and cannot decode` };
  }
  return standInAnswer(request, response) ?? null;
}

function pushChunk(chunks: ResponseChunk[], t: number, data: string): void {
  if (data) chunks.push({ t, data });
}

function errorCode(cause: unknown, state: { headersArrived: boolean; timedOut: boolean; cancelled: boolean }): HarnessErrorCode {
  if (cause instanceof HarnessError) return cause.code;
  if (state.cancelled) return 'HARNESS_INTERRUPTED';
  const code = (cause as { code?: string }).code ?? '';
  const name = (cause as { name?: string }).name ?? '';
  if (state.timedOut || name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return 'HARNESS_TIMEOUT';
  }
  return state.headersArrived ? 'HARNESS_STREAM_CUT' : 'HARNESS_CONNECTION';
}

/** Why a request got no (whole) answer; through a proxy, the proxy is named (proxy-failure.ts), never its password. */
function describeFailure(code: HarnessErrorCode, cause: unknown, url: URL, timeoutMs: number, proxy: ChosenProxy | undefined, advice = '(raise --timeout for cold starts)'): string {
  const detail = cause instanceof HarnessError ? cause.message : cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
  const where = `${url.host}${url.pathname}`;
  const via = proxy ? ` (through the proxy ${proxy.shown})` : '';
  switch (code) {
    case 'HARNESS_TIMEOUT':
      return `no complete answer from ${where}${via} within ${timeoutMs} ms ${advice}`;
    case 'HARNESS_STREAM_CUT':
      return `the response from ${where}${via} stopped before it ended (${detail})`;
    case 'HARNESS_CONNECTION':
      return proxy ? throughProxyFailure(cause, url, proxy, detail) : `could not reach ${where} (${detail})${tlsHint(cause)}`;
    case 'HARNESS_INTERRUPTED':
      return `the request to ${where} was abandoned because the run was interrupted`;
    default:
      return `${where}: ${detail}`;
  }
}

/** Where a scan for the first field line of a body stands between reads: at a line's start, and at the body's. */
interface BeginScan {
  lineStart: boolean;
  first: boolean;
}

/**
 * Whether `data`, read after what `scan` has seen, starts a field line (not a `:` comment, not a blank line): the
 * answer began. Reads only the new characters, so a comment that never ends costs nothing per read but its own.
 */
function begins(scan: BeginScan, data: string): boolean {
  for (const c of data) {
    const first = scan.first;
    scan.first = false;
    if (c === '\n' || c === '\r') scan.lineStart = true;
    // A byte-order mark opens the body, not a line (WHATWG strips it).
    else if (first && c === '\uFEFF') continue;
    else if (scan.lineStart) {
      if (c !== ':') return true;
      scan.lineStart = false;
    }
  }
  return false;
}
