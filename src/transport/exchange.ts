/**
 * @module transport/exchange
 * What one request and its answer look like once observed, live or replayed. Bodies stay raw text (as chunks,
 * with arrival times) so that checks can read lexemes and event boundaries; parsed views live in `body.ts`/`sse.ts`.
 */
import type { HarnessErrorCode } from '../errors.ts';

export interface ExchangeRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Full path including the route prefix, e.g. `/openai/v1/responses`. */
  path: string;
  /**
   * Headers as built, without what the transport adds at the last moment and never stores: credentials,
   * User-Agent and Accept-Encoding.
   */
  headers: Record<string, string>;
  /** Raw JSON text of the body, if any. */
  body?: string;
}

export interface ResponseChunk {
  /** Milliseconds since the response headers arrived. */
  t: number;
  /** The bytes of one read, as UTF-8 text. */
  data: string;
}

export interface ExchangeResponse {
  status: number;
  /** Lower-cased header names; credentials and cookies removed. */
  headers: Record<string, string>;
  /** The body as it arrived, one entry per read: keeps SSE event boundaries and timing. */
  chunks: ResponseChunk[];
  /** Set when the harness stopped reading because the (decoded) body exceeded its buffer cap. */
  truncatedAtBytes?: number;
  /**
   * The `Content-Encoding` the body arrived in (`gzip`, `br`, `deflate`), when it was compressed: `chunks` hold
   * the decoded text, and the header itself is not kept.
   */
  contentEncoding?: string;
  /**
   * Set when the body stopped arriving after it began: no read for this many milliseconds (the idle limit,
   * `--idle-timeout`), so the harness stopped waiting. `chunks` hold what arrived. A stall is the endpoint's answer
   * (a stream that began and went silent), not an infrastructure failure: it is judged, and never retried.
   */
  stalledAfterMs?: number;
}

export interface ExchangeError {
  code: HarnessErrorCode;
  message: string;
}

export interface Exchange {
  /** The step of the case this exchange belongs to. */
  step: string;
  /** The route prefix used, e.g. `/v1`. */
  prefix: string;
  request: ExchangeRequest;
  /** Null when no response head arrived (timeout, refused, reset). */
  response: ExchangeResponse | null;
  /** An infrastructure or harness failure; when set the exchange says nothing about conformance. */
  error: ExchangeError | null;
  durationMs: number;
  /** Milliseconds from sending the request to the response headers (of the last attempt), when it went over the network. */
  headersMs?: number;
  /** How many times the request was sent (retries included). */
  attempts: number;
  /** Which trial of a repeated case this exchange belongs to (from 1); absent for the first. */
  trial?: number;
  /** What the harness changed in the case's request before sending it, and why (shown in the evidence). */
  note?: string;
  /** How many credentials the redactor replaced with `[REDACTED:<kind>]` in this exchange; absent when none. */
  redactions?: number;
}

/** `POST /v1/chat/completions`: how evidence and errors name a request. */
export function describeRequest(request: Pick<ExchangeRequest, 'method' | 'path'>): string {
  return `${request.method} ${request.path}`;
}

export function isStreamResponse(response: ExchangeResponse): boolean {
  return (response.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

/** Whether the response's Content-Type says JSON (`application/json`, `application/...+json`). */
export function isJsonResponse(response: ExchangeResponse): boolean {
  return /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i.test(response.headers['content-type'] ?? '');
}

/** The x-request-id / x-amzn-requestid an endpoint sent, for evidence. */
export function requestIdOf(response: ExchangeResponse | null): string | undefined {
  if (!response) return undefined;
  return response.headers['x-request-id'] ?? response.headers['x-amzn-requestid'] ?? response.headers['request-id'];
}
