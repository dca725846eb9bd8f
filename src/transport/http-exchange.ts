/**
 * @module transport/http-exchange
 * Sends one request with undici and records what came back, read by read, with arrival times. Failures of the
 * network or the endpoint become an `ExchangeError` with a stable code; they are never a verdict.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import type { AuthProvider } from './auth/auth.ts';
import type { Exchange, ExchangeRequest, ExchangeResponse, ResponseChunk } from './exchange.ts';
import { storableHeaders } from './headers.ts';

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
  /**
   * The most body bytes the harness keeps; the rest is not read and the exchange says so.
   * @default 8 MiB
   */
  maxBodyBytes?: number;
  /** The undici dispatcher to send through (tests and benchmarks inject one). Default: a shared keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Extra headers on every request (e.g. OpenAI-Project). */
  headers?: Record<string, string>;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

let sharedAgent: Agent | undefined;
function agent(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  return sharedAgent;
}

export function joinUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const [pathname, search] = path.split('?');
  base.pathname = `${basePath}${pathname}`;
  base.search = search ? `?${search}` : '';
  return base;
}

export async function sendHttp(
  request: ExchangeRequest,
  meta: { step: string; prefix: string; signal?: AbortSignal },
  options: HttpOptions,
): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const started = performance.now();
  const url = joinUrl(options.baseUrl, request.path);
  const base: Omit<Exchange, 'response' | 'error' | 'durationMs'> = { step: meta.step, prefix: meta.prefix, request, attempts: 1 };
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = meta.signal ? AbortSignal.any([meta.signal, timeout]) : timeout;
  let response: ExchangeResponse | null = null;
  try {
    const outgoing = { ...(options.headers ?? {}), ...request.headers };
    const authHeaders = await options.auth.headers({ method: request.method, url, headers: outgoing, ...(request.body !== undefined ? { body: request.body } : {}) });
    const answer = await undiciRequest(url, {
      method: request.method,
      headers: { ...outgoing, ...authHeaders },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
      dispatcher: options.dispatcher ?? agent(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const headersAt = performance.now();
    response = { status: answer.statusCode, headers: storableHeaders(answer.headers as Record<string, string | string[]>), chunks: [] };
    const decoder = new TextDecoder();
    let bytes = 0;
    for await (const buffer of answer.body as AsyncIterable<Buffer>) {
      bytes += buffer.length;
      if (bytes > maxBytes) {
        response.truncatedAtBytes = maxBytes;
        answer.body.destroy();
        return {
          ...base,
          response,
          error: { code: 'HARNESS_BODY_TOO_LARGE', message: `the response body exceeded ${maxBytes} bytes; the harness kept the first reads and stopped (raise the cap if this is expected)` },
          durationMs: Math.round(performance.now() - started),
        };
      }
      pushChunk(response.chunks, Math.round(performance.now() - headersAt), decoder.decode(buffer, { stream: true }));
    }
    const tail = decoder.decode();
    if (tail) pushChunk(response.chunks, Math.round(performance.now() - headersAt), tail);
    return { ...base, response, error: null, durationMs: Math.round(performance.now() - started), headersMs: Math.round(headersAt - started) };
  } catch (cause) {
    const code = errorCode(cause, { headersArrived: response !== null, timedOut: timeout.aborted, cancelled: meta.signal?.aborted ?? false });
    const message = describeFailure(code, cause, url, timeoutMs);
    return { ...base, response, error: { code, message }, durationMs: Math.round(performance.now() - started) };
  }
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

function describeFailure(code: HarnessErrorCode, cause: unknown, url: URL, timeoutMs: number): string {
  const detail = cause instanceof Error ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}` : String(cause);
  const where = `${url.host}${url.pathname}`;
  switch (code) {
    case 'HARNESS_TIMEOUT':
      return `no complete answer from ${where} within ${timeoutMs} ms (raise --timeout for cold starts)`;
    case 'HARNESS_STREAM_CUT':
      return `the response from ${where} stopped before it ended (${detail})`;
    case 'HARNESS_CONNECTION':
      return `could not reach ${where} (${detail})`;
    case 'HARNESS_INTERRUPTED':
      return `the request to ${where} was abandoned because the run was interrupted`;
    default:
      return `${where}: ${detail}`;
  }
}
