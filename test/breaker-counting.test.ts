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
import { partialOf } from '../src/run/run-conformance.ts';
import type { RunEngine } from '../src/run/run-engine.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import { EndpointBreaker, readingOf, type TargetDown } from '../src/transport/endpoint-breaker.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { LocalScheduler, type Permit } from '../src/transport/scheduler.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { CapWatch } from '../src/run/cap-watch.ts';
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
    let now = 0;
    const breaker = new EndpointBreaker({ limit: 3, silentMs: 1000, onDown: (down) => downs.push(down), now: () => now });
    now = 5000;
    for (const ex of [timeout, refused, exchange({ response: response(500), error: { code: 'HARNESS_SERVER_ERROR', message: '500' } }), timeout, timeout]) breaker.settled('a', ex, false);
    breaker.settled('b', timeout, false);
    breaker.settled('b', timeout, false);
    expect(downs).toEqual([]);
    now = 6500;
    breaker.settled('a', timeout, false);
    expect(downs.map((d) => d.target)).toEqual(['a']);
    // Silent since the 500 at 5 s.
    expect(downs[0]!.message).toBe(
      'not sent: a stopped answering: 3 requests in a row ended without an answer (timeouts, refused or reset connections), and nothing answered for 1.5 s; check the endpoint, raise --timeout for slow (reasoning) models or cold starts, or pass --give-up-after 0 to never stop',
    );
    // What was in flight finishes, an answer among it does not undo it.
    breaker.settled('a', exchange({ response: response(200) }), false);
    breaker.settled('a', timeout, false);
    expect(downs).toHaveLength(1);
    expect(breaker.down).toEqual([{ target: 'a', message: downs[0]!.message }]);
    // The other target's count is its own: two in a row, a request not sent (neither), then its third.
    breaker.settled('b', exchange({ attempts: 0, error: { code: 'HARNESS_BUDGET', message: 'cap' } }), false);
    breaker.settled('b', timeout, false);
    expect(breaker.down.map((d) => d.target)).toEqual(['a', 'b']);
  });

  it('a burst of timeouts while the target answered within --timeout is no outage: slow models time out together', () => {
    const downs: TargetDown[] = [];
    let now = 0;
    const breaker = new EndpointBreaker({ limit: 3, silentMs: 2000, onDown: (down) => downs.push(down), now: () => now });
    now = 1000;
    breaker.settled('t', exchange({ response: response(200) }), false);
    // Twenty slow requests end in one burst half a second after a healthy model's answer.
    now = 1500;
    for (let i = 0; i < 20; i++) breaker.settled('t', timeout, false);
    expect(downs).toEqual([]);
    // Still nothing answered, and now for longer than --timeout: the next one without an answer trips it.
    now = 3100;
    breaker.settled('t', timeout, false);
    expect(downs.map((d) => d.target)).toEqual(['t']);
  });

  it('counts from the run\'s start until the target first answers: a dead endpoint trips once --timeout has passed', () => {
    const downs: TargetDown[] = [];
    let now = 0;
    const breaker = new EndpointBreaker({ limit: 2, silentMs: 300, onDown: (down) => downs.push(down), now: () => now });
    now = 100;
    breaker.settled('t', refused, false);
    breaker.settled('t', refused, false);
    expect(downs).toEqual([]);
    now = 300;
    breaker.settled('t', refused, false);
    expect(downs).toHaveLength(1);
  });

  it('a retry the breaker denied keeps what the request met: its last attempt\'s error, not "not sent"', async () => {
    let calls = 0;
    const inner = {
      id: 't',
      mode: 'live' as const,
      async send(): Promise<Exchange> {
        calls += 1;
        return calls === 1 ? { ...timeout, attempts: 1 } : exchange({ attempts: 0, error: { code: 'HARNESS_ENDPOINT_DOWN', message: 'not sent: t stopped answering: ...' } });
      },
      async caseFinished() {},
      async close() {},
    } as unknown as Target;
    const told: [Exchange, boolean][] = [];
    const target = new RetryingTarget(inner, { retries: 2, baseDelayMs: 1, maxDelayMs: 1, settled: (ex, answered) => told.push([ex, answered]) });
    const ex = await target.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(calls).toBe(2);
    expect(ex.error?.code).toBe('HARNESS_TIMEOUT');
    expect(ex.error?.message).toMatch(/; not retried: t stopped answering: \.\.\.$/);
    expect(ex.attempts).toBe(1);
    expect(told).toHaveLength(1);
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
    const breaker = new EndpointBreaker({ limit: 1, silentMs: 0, onDown: () => undefined });
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

describe('a retry the breaker denied', () => {
  const denying = (first: Exchange) => {
    const contexts: SendContext[] = [];
    let calls = 0;
    const inner = {
      id: 't',
      mode: 'live' as const,
      async send(_request: unknown, context: SendContext): Promise<Exchange> {
        contexts.push(context);
        calls += 1;
        return calls === 1 ? first : exchange({ attempts: 0, error: { code: 'HARNESS_ENDPOINT_DOWN', message: 'not sent: t stopped answering: ...' } });
      },
      async caseFinished() {},
      async close() {},
    } as unknown as Target;
    return { target: new RetryingTarget(inner, { retries: 2, baseDelayMs: 1, maxDelayMs: 1 }), contexts };
  };

  it('of a stream that stalled leaves no verdict: the stall was never tried again, so it is the outage\'s error', async () => {
    const stalled = exchange({ response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 1, data: 'data: {}\n\n' }], stalledAfterMs: 1000 } });
    const { target } = denying(stalled);
    const ex = await target.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(ex.error).toEqual({ code: 'HARNESS_ENDPOINT_DOWN', message: 'the stream stalled, and not retried: t stopped answering: ...' });
  });

  it('of a 503 keeps its status and error, and says why it went no further; so does one a spend cap denied', async () => {
    const busy = exchange({ response: { status: 503, headers: { 'content-type': 'application/json' }, chunks: [{ t: 1, data: '{"error":{"message":"busy"}}' }] } });
    const { target } = denying(busy);
    const ex = await target.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(ex.response?.status).toBe(503);
    expect(ex.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(ex.error?.message).toMatch(/; not retried: t stopped answering: \.\.\.$/);
    let calls = 0;
    const capped = new RetryingTarget(
      {
        id: 't',
        mode: 'live',
        async send(): Promise<Exchange> {
          calls += 1;
          return calls === 1 ? { ...timeout, attempts: 1 } : exchange({ attempts: 0, error: { code: 'HARNESS_BUDGET', message: 'not sent: the run reached --max-requests 1' } });
        },
        async caseFinished() {},
        async close() {},
      } as unknown as Target,
      { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    );
    const kept = await capped.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(kept.error?.code).toBe('HARNESS_TIMEOUT');
    expect(kept.error?.message).toMatch(/; not retried: the run reached --max-requests 1$/);
  });

  it('is asked for as a retry, and a retry denied is counted apart from the requests left unsent', async () => {
    const { target, contexts } = denying({ ...timeout, attempts: 1 });
    await target.send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(contexts.map((c) => c.retry ?? false)).toEqual([false, true]);
    const scheduler = new CapWatch(new LocalScheduler({ concurrency: 1, perModel: 1, tpm: 0, maxRequests: 0, maxTokensTotal: 0 }));
    scheduler.stopTarget('t', 'HARNESS_ENDPOINT_DOWN', 'not sent: t stopped answering');
    await scheduler.acquire({ target: 't', model: 'm', tokens: 1, retry: true });
    expect(scheduler.deniedDown.get('t')).toEqual({ requests: 0, retries: 1 });
    await scheduler.acquire({ target: 't', model: 'm', tokens: 1 });
    expect(scheduler.deniedDown.get('t')).toEqual({ requests: 1, retries: 1 });
    // A spend cap's denial of a retry reaches the cap all the same (the run is partial), counted as a retry.
    const capped = new CapWatch(new LocalScheduler({ concurrency: 1, perModel: 1, tpm: 0, maxRequests: 1, maxTokensTotal: 0 }));
    const granted = await capped.acquire({ target: 't', model: 'm', tokens: 1 });
    await capped.release((granted as { lease: string }).lease, { inputTokens: 0, outputTokens: 0 });
    await capped.acquire({ target: 't', model: 'm', tokens: 1, retry: true });
    expect([capped.capReached, capped.denied, capped.deniedRetries]).toEqual(['not sent: the run reached --max-requests 1', 0, 1]);
    await capped.acquire({ target: 't', model: 'm', tokens: 1 });
    expect(capped.denied).toBe(1);
  });
});

describe('partialOf', () => {
  const down = { target: 't', message: 'not sent: t stopped answering: 3 requests in a row ...' };
  const engineWith = (requests: number, retries = 0, cap?: string) =>
    ({ breaker: { down: [down] }, scheduler: { capReached: cap, denied: 0, deniedRetries: retries, deniedDown: new Map(requests + retries ? [['t', { requests, retries }]] : []) }, fatal: undefined }) as unknown as RunEngine;

  it('a target given up on with nothing left to send leaves the run whole', () => {
    expect(partialOf(engineWith(0), undefined)).toBeUndefined();
  });

  it('one that only denied retries makes it partial too, and says no request was left unsent; so does a spend cap', () => {
    expect(partialOf(engineWith(0, 2), undefined)?.reason).toBe('endpoint down: t stopped answering: 3 requests in a row ...; no request was left unsent; 2 retries were not made (each request keeps what its last attempt met: its cell says)');
    expect(partialOf(engineWith(0, 1, 'not sent: the run reached --max-requests 3'), undefined)?.reason).toMatch(/^spend cap: the run reached --max-requests 3; 1 retry was not made \(each request keeps what its last attempt met: its cell says\); endpoint down: /);
  });

  it('one that kept requests back makes the run partial, and an interruption keeps saying it', () => {
    expect(partialOf(engineWith(4), undefined)).toEqual({ reason: 'endpoint down: t stopped answering: 3 requests in a row ...; its later requests were not sent (4 or more) and the checks that needed them are error', interrupted: false });
    expect(partialOf(engineWith(4), 'Ctrl-C')?.reason).toBe('interrupted (Ctrl-C); endpoint down: t stopped answering: 3 requests in a row ...; its later requests were not sent (4 or more) and the checks that needed them are error');
  });
});
