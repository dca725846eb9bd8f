/**
 * @module transport/refused-request
 * A request the HTTP client refused before sending it: undici's argument errors (a header it may not carry, a body
 * whose length is not the one declared, an `Expect` or `Upgrade` it does not support). The endpoint never saw it, so
 * it is neither a connection failure (retried, counted towards --give-up-after, blamed on the endpoint) nor a
 * verdict: the harness built a request it cannot send, HARNESS_INTERNAL, never retried. A suite's headers that frame
 * the request are refused at load (suite/load-suites.ts), so one left is the harness's own bug.
 */
import type { ExchangeError } from './exchange.ts';

/** undici's codes for a request it will not send as given. */
const REFUSED = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

/** The error for a request undici refused, or undefined for any other failure. `where`: the host and path asked. */
export function refusedRequest(cause: unknown, where: string): ExchangeError | undefined {
  const { code, message } = cause as { code?: string; message?: string };
  // An HTTP proxy's 407 comes as an argument error too: the proxy answered, the way to the endpoint failed.
  if (!code || !REFUSED.has(code) || /\bProxy\b/.test(message ?? '')) return undefined;
  return {
    code: 'HARNESS_INTERNAL',
    message: `the HTTP client refused the harness's own request to ${where} before sending it (${code}: ${message ?? 'no message'}); nothing reached the endpoint. This is a bug in mantle-conformance; please report it with the case`,
  };
}
