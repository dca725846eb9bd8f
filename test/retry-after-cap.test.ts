/**
 * The longest wait before a retry is stated (MAX_RETRY_WAIT_MS) and at least --retry-delay's maximum, and a
 * Retry-After up to it is waited whole: a `Retry-After: 60` was cut to 30 s, so the retry met the throttle again and
 * the run ended "still throttled ... lower --concurrency". One above it is not waited at all, and the error says what
 * the endpoint asked, the limit, and what to do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_RANGES } from '../src/cli/run-options.ts';
import type { Matrix } from '../src/report/matrix.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { MAX_RETRY_WAIT_MS, RetryingTarget } from '../src/transport/retrying-target.ts';
import type { Target } from '../src/transport/target.ts';
import { cli } from './helpers/harness.ts';

const REQUEST = { method: 'POST' as const, path: '/v1/chat/completions', headers: {}, body: '{"model":"m"}' };
const CONTEXT = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' };

/** A target that answers 429 with `retryAfter` until `throttled` attempts were made, then 200. */
function throttling(retryAfter: string, throttled: number): { target: Target; sent: () => number } {
  let sent = 0;
  const answer = (status: number, headers: Record<string, string>, body: string): Exchange => ({ step: 'main', prefix: '/v1', request: REQUEST, response: { status, headers: { 'content-type': 'application/json', ...headers }, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 1, attempts: 1 });
  const target = {
    id: 't',
    mode: 'live' as const,
    async send(): Promise<Exchange> {
      sent += 1;
      return sent <= throttled ? answer(429, { 'retry-after': retryAfter }, '{"error":{"message":"slow down","type":"rate_limit_exceeded"}}') : answer(200, {}, '{"id":"c","object":"chat.completion","choices":[]}');
    },
    async caseFinished() {},
    async close() {},
  } as unknown as Target;
  return { target, sent: () => sent };
}

/** The retry policy a run gives its targets (run/create-target.ts), its waits recorded instead of slept. */
function runPolicy(inner: Target, waits: number[]): RetryingTarget {
  return new RetryingTarget(inner, { retries: 2, baseDelayMs: 500, maxDelayMs: MAX_RETRY_WAIT_MS, maxRetryAfterMs: MAX_RETRY_WAIT_MS, sleep: async (ms) => void waits.push(ms) });
}

describe('the longest wait before a retry', () => {
  it('is stated, and no shorter than the largest --retry-delay the CLI takes', () => {
    expect(MAX_RETRY_WAIT_MS).toBe(60_000);
    expect(RUN_RANGES['--retry-delay'].max).toBeLessThanOrEqual(MAX_RETRY_WAIT_MS);
  });

  it('waits a Retry-After of 60 s whole, then reads the answer', async () => {
    const waits: number[] = [];
    const { target, sent } = throttling('60', 1);
    const exchange = await runPolicy(target, waits).send(REQUEST, CONTEXT);
    expect(waits).toEqual([60_000]);
    expect(sent()).toBe(2);
    expect(exchange.response?.status).toBe(200);
    expect(exchange.error).toBeNull();
  });

  it('does not wait a Retry-After above it, nor send the retry early: the error says what was asked and what to do', async () => {
    const waits: number[] = [];
    const { target, sent } = throttling('999999', 5);
    const exchange = await runPolicy(target, waits).send(REQUEST, CONTEXT);
    expect(waits).toEqual([]);
    expect(sent()).toBe(1);
    expect(exchange.error?.code).toBe('HARNESS_THROTTLED');
    expect(exchange.error?.message).toBe('still throttled (429) after 1 attempt and 0 ms of backoff; the endpoint asked to wait 999999 s before another try (Retry-After), more than the 60 s the harness waits for one, so it was not tried again: run again once its limit resets, or lower --concurrency or set --tpm to stay under it');
  });
});

describe('a run against an endpoint whose Retry-After is past the limit', () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
    server = undefined;
    dir = undefined;
  });

  it('ends each throttled request at once, an error saying so (it waited 30 s per retry, then advised --concurrency)', async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.method === 'GET' && req.url === '/v1/models') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"openai.gpt-oss-20b","object":"model"}]}');
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '999999' }).end('{"error":{"message":"slow down","type":"rate_limit_exceeded"}}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), 'mantle-retry-after-'));
    const started = Date.now();
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--retries', '1', '--report-dir', dir, '--quiet']);
    expect(Date.now() - started).toBeLessThan(15_000);
    const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
    const cell = matrix.results.find((r) => r.check === 'path-prefix')!;
    expect(cell.status, run.stdout + run.stderr).toBe('error');
    expect(cell.reason).toContain('the endpoint asked to wait 999999 s before another try (Retry-After), more than the 60 s the harness waits for one, so it was not tried again');
  }, 25_000);
});
