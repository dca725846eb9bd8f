/**
 * @module transport/unread-head
 * Answers whose head arrived and could not be taken as the final answer: headers over undici's size limit, an
 * unsolicited 100 Continue or 101 Switching Protocols (undici, and so Node's fetch and the SDKs on it, refuse both).
 * undici fails these as it fails a connection, and they read as "could not reach ... check the network", stopped the
 * run at the preflight, and counted towards --give-up-after as requests nothing answered. The endpoint answered:
 * HARNESS_NOT_AN_ANSWER, naming what came. Not retried (the same request gets the same head), and an error, never a
 * verdict: the harness could not read the answer, which says nothing about the model. A connection that ends after
 * a 102 or 103 is not one of these: those heads announce an answer, they are none, and the end is the reset it is.
 */
import { maxHeaderSize } from 'node:http';
import type { ExchangeError } from './exchange.ts';

/**
 * Why a request that failed before a final head failed on what the endpoint sent, or undefined when it is another
 * failure (a refused connection, a reset, a timeout). `informational`: the last 1xx head skipped (decode.ts); `where`:
 * the host and path asked, for a connection that ended after one.
 */
export function unreadHead(cause: unknown, informational: number | undefined, where: string): ExchangeError | undefined {
  const { code, message } = cause as { code?: string; message?: string };
  const detail = `${code ?? (cause instanceof Error ? cause.name : 'Error')}: ${message ?? String(cause)}`;
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
  // A 101 with Upgrade and Connection: upgrade is refused as "bad upgrade" before any handler sees it; a bare 101
  // reaches the handlers (decode.ts notes it) and then fails undici's own assertion. Either way the connection now
  // speaks another protocol, and no final answer can come on it.
  const badUpgrade = code === 'UND_ERR_SOCKET' && message === 'bad upgrade';
  if (badUpgrade || informational === 101) {
    // The assertion's message spans lines and quotes undici's source: named, not quoted.
    const said = badUpgrade ? 'UND_ERR_SOCKET: bad upgrade' : `undici failed its own assertion on it, ${code ?? 'an error'}`;
    return {
      code: 'HARNESS_NOT_AN_ANSWER',
      message: `the endpoint answered 101 Switching Protocols, a switch to another protocol the request did not ask for (${said}): no final answer comes after it, and Node's fetch, and so the SDKs built on it, refuse it too`,
    };
  }
  // A 102 Processing or 103 Early Hints says an answer is coming; a connection that ends before it is a reset like
  // any other (HARNESS_CONNECTION: retried, and counted towards --give-up-after), said with the head that came.
  if (informational !== undefined) {
    return { code: 'HARNESS_CONNECTION', message: `the connection to ${where} ended after an informational ${informational} head and before the final answer (${detail})` };
  }
  return undefined;
}
