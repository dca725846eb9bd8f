/**
 * @module cli/send-retried
 * The requests the CLI sends before the run (the preflight's, the model lists' of `--models listed` and `catalog
 * diff`) under the run's retry policy (--retries, --retry-delay, Retry-After): sent once, one reset or one body cut
 * short stopped the whole run with "cannot reach" or "name the models", where the run's own requests are retried.
 */
import type { RunConfig } from '../run/run-config.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import { sendHttp, type HttpOptions } from '../transport/http-exchange.ts';
import { proxyLoginRefused } from '../transport/proxy-refusals.ts';
import { MAX_RETRY_WAIT_MS, retryWait } from '../transport/retrying-target.ts';

/**
 * `request`, sent again while it fails in a way another attempt may cure: a failed or reset connection, a body cut
 * short, a 5xx, a 429. What still fails after the last retry is the caller's to judge, with `attempts` said. A
 * timeout is not retried: waiting --timeout again per retry delays every run for nothing. Nor is a proxy's refusal of
 * the login: another try is one more failed login.
 */
export async function sendRetried(policy: Pick<RunConfig, 'retries' | 'retryDelayMs'>, request: ExchangeRequest, context: { step: string; prefix: string }, options: HttpOptions): Promise<Exchange> {
  for (let attempt = 1; ; attempt++) {
    const exchange = await sendHttp(request, context, options);
    const status = exchange.response?.status ?? 0;
    const transient = exchange.error ? (exchange.error.code === 'HARNESS_CONNECTION' && !proxyLoginRefused(exchange.error)) || exchange.error.code === 'HARNESS_STREAM_CUT' : status >= 500 || status === 429;
    if (!transient || attempt > policy.retries) return { ...exchange, attempts: attempt };
    // A Retry-After past the run's longest wait is not cut short to it (a retry the endpoint said not to send yet).
    const wait = retryWait(exchange, attempt, { baseDelayMs: policy.retryDelayMs, maxDelayMs: MAX_RETRY_WAIT_MS, maxRetryAfterMs: MAX_RETRY_WAIT_MS }, Math.random);
    if ('askedMs' in wait) return { ...exchange, attempts: attempt };
    await new Promise((resolve) => setTimeout(resolve, wait.delayMs));
  }
}
