/**
 * @module transport/unread-head
 * Answers whose head arrived and could not be taken as the final answer: headers over undici's size limit, an
 * unsolicited 100 Continue (undici, and so Node's fetch and the SDKs on it, refuse one), a 1xx with no final answer
 * after it. undici fails these as it fails a connection, and they read as "could not reach ... check the network",
 * stopped the run at the preflight, and counted towards --give-up-after as requests nothing answered. The endpoint
 * answered: HARNESS_NOT_AN_ANSWER, naming what came. Not retried (the same request gets the same head), and an error,
 * never a verdict: the harness could not read the answer, which says nothing about the model.
 */
import { maxHeaderSize } from 'node:http';
import { notAnAnswer } from './classify-response.ts';
import type { ExchangeError } from './exchange.ts';

/**
 * Why a request that failed before a final head failed on what the endpoint sent, or undefined when it is another
 * failure (a refused connection, a reset, a timeout). `informational`: the last 1xx head skipped (decode.ts).
 */
export function unreadHead(cause: unknown, informational: number | undefined): ExchangeError | undefined {
  const { code, message } = cause as { code?: string; message?: string };
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    // undici's limit is Node's (http.maxHeaderSize, 16 KiB unless --max-http-header-size says otherwise).
    return {
      code: 'HARNESS_NOT_AN_ANSWER',
      message: `the endpoint answered with response headers larger than ${maxHeaderSize} bytes, the most undici (and Node's fetch) reads: an answer the harness cannot read, not an unreachable endpoint (NODE_OPTIONS=--max-http-header-size=BYTES raises the limit)`,
    };
  }
  // undici's parser refuses a 100 before it reaches any handler, with this error (lib/dispatcher/client-h1.js); the
  // other case of it, a response while no request is in flight, fails no request.
  if (code === 'UND_ERR_SOCKET' && message === 'bad response') {
    return {
      code: 'HARNESS_NOT_AN_ANSWER',
      message: `the endpoint answered a head undici refuses (UND_ERR_SOCKET: bad response): a 100 Continue the request did not ask for, which Node's fetch, and so the SDKs built on it, refuse too`,
    };
  }
  if (informational !== undefined) {
    const detail = `${code ?? (cause instanceof Error ? cause.name : 'Error')}: ${message ?? String(cause)}`;
    return { code: 'HARNESS_NOT_AN_ANSWER', message: `the endpoint answered ${notAnAnswer(informational)}, and the connection ended (${detail}) before one came` };
  }
  return undefined;
}
