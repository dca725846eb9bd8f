/**
 * What the endpoint breaker counts: requests (not attempts) that ended with no answer at all, in a row per target.
 * Any answer (a 408, a 5xx, a stream that stalled, a status line on an earlier attempt) sets the count back; a
 * request not sent says nothing. The scheduler then denies the target's waiting and later requests, and only its.
 * End to end, an endpoint that answers every other request is never given up on.
 */
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import { EndpointBreaker, readingOf, type TargetDown } from '../src/transport/endpoint-breaker.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { LocalScheduler, type Permit } from '../src/transport/scheduler.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const request = { method: 'POST' as const, path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[]}' };
const exchange = (over: Partial<Exchange>): Exchange => ({ step: 'main', prefix: '/v1', request, response: null, error: null, durationMs: 1, attempts: 1, ...over });
const timeout = exchange({ error: { code: 'HARNESS_TIMEOUT', message: 'no complete answer within 300 ms' } });
const refused = exchange({ error: { code: 'HARNESS_CONNECTION', message: 'could not reach (ECONNREFUSED)' } });
const response = (status: number): NonNullable<Exchange['response']> => ({ status, headers: {}, chunks: [{ t: 1, data: '{}' }] });

describe('what counts as no answer', () => {
  it.each([
    ['a timeout before any status line', timeout, 'silent'],
    ['a refused or reset connection, a name that does not resolve', refused, 'silent'],
    ['a 408 from a proxy (a HARNESS_TIMEOUT that came with a response)', exchange({ response: response(408), error: { code: 'HARNESS_TIMEOUT', message: '408' } }), 'answered'],
    ['a 5xx after every retry', exchange({ response: response(503), error: { code: 'HARNESS_SERVER_ERROR', message: '503' } }), 'answered'],
    ['a 429 after every retry', exchange({ response: response(429), error: { code: 'HARNESS_THROTTLED', message: '429' } }), 'answered'],
    ['a stream cut after its headers', exchange({ response: response(200), error: { code: 'HARNESS_STREAM_CUT', message: 'cut' } }), 'answered'],
    ['a stream that began and stalled', exchange({ response: { ...response(200), stalledAfterMs: 300 } }), 'answered'],
    ['a request a spend cap kept back', exchange({ attempts: 0, error: { code: 'HARNESS_BUDGET', message: 'not sent' } }), 'neither'],
    ['a request Ctrl-C abandoned', exchange({ error: { code: 'HARNESS_INTERRUPTED', message: 'interrupted' } }), 'neither'],
    ['a request the breaker kept back', exchange({ attempts: 0, error: { code: 'HARNESS_ENDPOINT_DOWN', message: 'not sent' } }), 'neither'],
  ] as const)('%s', (_what, ex, reading) => {
    expect(readingOf(ex, false)).toBe(reading);
  });

  it('a request whose earlier attempt got a status line was answered, whatever its last attempt did', () => {
    expect(readingOf(timeout, true)).toBe('answered');
  });
});

describe('EndpointBreaker', () => {
  it('trips at n in a row, once, per target; an answer sets the count back to 0', () => {
    const downs: TargetDown[] = [];
    const breaker = new EndpointBreaker(3, (down) => downs.push(down));
    for (const ex of [timeout, refused, exchange({ response: response(500), error: { code: 'HARNESS_SERVER_ERROR', message: '500' } }), timeout, timeout]) breaker.settled('a', ex, false);
    breaker.settled('b', timeout, false);
    breaker.settled('b', timeout, false);
    expect(downs).toEqual([]);
    breaker.settled('a', timeout, false);
    expect(downs.map((d) => d.target)).toEqual(['a']);
    expect(downs[0]!.message).toBe('not sent: a stopped answering: 3 requests in a row ended without an answer (timeouts, refused or reset connections); check the endpoint, raise --timeout for slow cold starts, or pass --give-up-after 0 to never stop');
    // What was in flight finishes, an answer among it does not undo it; what it kept back is counted.
    breaker.settled('a', exchange({ response: response(200) }), false);
    breaker.settled('a', timeout, false);
    breaker.settled('a', exchange({ attempts: 0, error: { code: 'HARNESS_ENDPOINT_DOWN', message: downs[0]!.message } }), false);
    expect(downs).toHaveLength(1);
    expect(breaker.down).toEqual([{ target: 'a', message: downs[0]!.message, notSent: 1 }]);
    // The other target's count is its own: two in a row, then its third.
    breaker.settled('b', exchange({ attempts: 0, error: { code: 'HARNESS_BUDGET', message: 'cap' } }), false);
    breaker.settled('b', timeout, false);
    expect(breaker.down.map((d) => d.target)).toEqual(['a', 'b']);
  });
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('RetryingTarget tells the breaker how each request ended', () => {
  it('once per request, after its retries, saying whether any attempt was answered', async () => {
    let n = 0;
    // The first attempt gets a 503, the retry is held open until the deadline.
    const url = await listen((req, res) => {
      req.resume();
      if (++n === 1) res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"busy"}}');
    });
    const told: [Exchange, boolean][] = [];
    const target = new RetryingTarget(new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs: 200 }), { retries: 1, baseDelayMs: 1, maxDelayMs: 5, settled: (ex, answered) => told.push([ex, answered]) });
    const ex = await target.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(ex.error?.code).toBe('HARNESS_TIMEOUT');
    expect(ex.attempts).toBe(2);
    expect(told).toHaveLength(1);
    expect(told[0]![1]).toBe(true);
    const breaker = new EndpointBreaker(1, () => undefined);
    breaker.settled('t', ...told[0]!);
    expect(breaker.down).toEqual([]);
  });
});

describe('LocalScheduler.stopTarget', () => {
  it('denies the waiting and later requests of one target, and only its', async () => {
    const scheduler = new LocalScheduler({ concurrency: 1, perModel: 1, tpm: 0, maxRequests: 0, maxTokensTotal: 0 });
    const first = await scheduler.acquire({ target: 'a', model: 'm', tokens: 1 });
    expect(first.granted).toBe(true);
    const waiting: Promise<Permit>[] = [
      scheduler.acquire({ target: 'a', model: 'm', tokens: 1 }),
      scheduler.acquire({ target: 'b', model: 'm', tokens: 1 }),
      scheduler.acquire({ target: 'a', model: 'n', tokens: 1 }),
    ];
    scheduler.stopTarget('a', 'HARNESS_ENDPOINT_DOWN', 'not sent: a stopped answering');
    // Denied at once, though every slot of the run is taken.
    await expect(waiting[0]).resolves.toEqual({ granted: false, code: 'HARNESS_ENDPOINT_DOWN', message: 'not sent: a stopped answering' });
    await expect(waiting[2]).resolves.toMatchObject({ granted: false, code: 'HARNESS_ENDPOINT_DOWN' });
    await expect(scheduler.acquire({ target: 'a', model: 'm', tokens: 1 })).resolves.toMatchObject({ granted: false, code: 'HARNESS_ENDPOINT_DOWN' });
    await scheduler.release((first as { lease: string }).lease, { inputTokens: 0, outputTokens: 0 });
    await expect(waiting[1]).resolves.toMatchObject({ granted: true });
    expect(scheduler.figures.requests).toBe(2);
  });
});

describe('an endpoint that answers every other request', () => {
  it('is never given up on: the count goes back to 0 at each answer, and every request is sent', async () => {
    const emulator = await catalogEmulator();
    let seen = 0;
    let held = 0;
    // Odd requests (the preflight first) go to the emulator; even ones are read and never answered.
    const url = await listen((req, res) => {
      if (++seen % 2 === 0) {
        held += 1;
        req.resume();
        return;
      }
      const upstream = httpRequest(`${emulator.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    const dir = await mkdtemp(join(tmpdir(), 'breaker-alternate-'));
    try {
      // One request at a time, so that answered and unanswered ones alternate as they end; 2 in a row would give up.
      // The deadline leaves the emulator's answers room on a busy machine: one of them timing out would be 2 in a row.
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--target-name', 'flaky', '--models', 'qwen.qwen3-32b', '--checks', 'api.*,path-prefix,created-at.*,content.array.*,stream.*', '--timeout', '1000', '--retries', '0', '--concurrency', '1', '--give-up-after', '2', '--report-dir', dir, '--plain']);
      expect(run.stderr).not.toContain('stopped answering');
      expect(run.stderr).not.toContain('HARNESS_USAGE');
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      expect(held).toBeGreaterThanOrEqual(3);
      // Every request the run made reached the endpoint (the preflight besides): none was kept back.
      expect(seen).toBe(matrix.totals.usage.requests + 1);
      expect(matrix.results.filter((r) => r.reason.includes('HARNESS_ENDPOINT_DOWN'))).toEqual([]);
      expect(matrix.run.partial).toBe(false);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
