/**
 * The transport talks like the official clients and keeps credentials with their origin: compressed answers
 * (gzip, deflate, br; JSON, SSE and error bodies) are judged exactly like the same answers sent plain, a
 * compression bomb stops at --max-body-bytes, a redirect is never followed (nothing reaches the other origin) and,
 * like a 304, is an `error` cell, never a verdict; so is what a proxy or gateway says in the endpoint's place (a 408,
 * an empty or HTML 200, an error in a 200, a WAF's HTML 403), retried where a timeout or a 5xx would be.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { sigv4 } from '../src/transport/auth/sigv4.ts';
import type { AuthProvider } from '../src/transport/auth/auth.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import type { Target } from '../src/transport/target.ts';
import { capturing } from './helpers/capturing-target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy, type RunningProxy } from './helpers/wire-proxy.ts';

/** One conforming model and one with a float `created` and a stream without [DONE]: both ways. */
const MODELS = ['qwen.qwen3-32b', 'deepseek.v3.2'];
const CHECKS = ['api.chat-completions', 'created-at.chat', 'stream.chat-completions', 'schema.chat-completion', 'schema.chat-completion-chunk', 'schema.error', 'errors.bad-parameter', 'errors.unknown-model'];


const verdicts = (results: Map<string, CheckResult>) => Object.fromEntries([...results].map(([id, r]) => [id, `${r.status} ${JSON.stringify(r.observed)}`]));

describe('compressed answers', () => {
  let emulator: RunningEmulator;
  const proxies: RunningProxy[] = [];
  beforeAll(async () => {
    emulator = await catalogEmulator({ 'deepseek.v3.2': { createdAt: { chat: 'exponent' }, stream: { omitDone: true } } });
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await emulator.close();
  });

  it.each(['gzip', 'deflate', 'br'] as const)('%s: every check sees what it sees plain, and the exchange notes the encoding', async (encoding) => {
    const plain = await startProxy(emulator.url, {});
    const compressed = await startProxy(emulator.url, { encoding });
    proxies.push(plain, compressed);
    for (const model of MODELS) {
      const seen: Exchange[] = [];
      const expected = verdicts(await checkModel(liveTarget(plain.url), model, { checks: CHECKS }));
      const got = verdicts(await checkModel(capturing(liveTarget(compressed.url), seen), model, { checks: CHECKS }));
      expect(got).toEqual(expected);
      expect(seen.length).toBeGreaterThan(3);
      for (const exchange of seen) expect(exchange.response?.contentEncoding, exchange.request.path).toBe(encoding);
      // Error answers are decoded too: their envelope is evidence.
      expect(seen.some((ex) => ex.response!.status >= 400 && ex.response!.chunks.some((c) => c.data.includes('"error"')))).toBe(true);
    }
    const conforming = await checkModel(liveTarget(compressed.url), 'qwen.qwen3-32b', { checks: ['created-at.chat', 'stream.chat-completions'] });
    expect([...conforming.values()].map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(conforming.get('created-at.chat')!.evidence[0]!.encoding).toBe(encoding);
    const deviating = await checkModel(liveTarget(compressed.url), 'deepseek.v3.2', { checks: ['created-at.chat', 'stream.chat-completions'] });
    expect([...deviating.values()].map((r) => r.status)).toEqual(['fail', 'fail']);
  });

  it('a gzip stream keeps its reads: each flushed write arrives as its own read', async () => {
    // Its events a millisecond apart, each its own write: on Node 24 writes made in one tick leave a chunked
    // response as one chunk (the emulator writes a stream's events in one loop), and the proxy flushes per chunk.
    const spaced = await catalogEmulator({ 'qwen.qwen3-32b': { stream: { eventDelayMs: 1 } } });
    try {
      const compressed = await startProxy(spaced.url, { encoding: 'gzip' });
      proxies.push(compressed);
      const seen: Exchange[] = [];
      await checkModel(capturing(liveTarget(compressed.url), seen), 'qwen.qwen3-32b', { checks: ['stream.chat-completions'] });
      const stream = seen.find((ex) => ex.response?.headers['content-type']?.startsWith('text/event-stream'))!;
      expect(stream.response!.chunks.length).toBeGreaterThan(2);
    } finally {
      await spaced.close();
    }
  });
});

/** A server that streams an endless gzip of zeros: unbounded decoding would never end. */
async function bombServer(): Promise<{ url: string; close(): Promise<void> }> {
  const zeros = Buffer.alloc(64 * 1024);
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    const gzip = createGzip();
    gzip.pipe(res);
    const pump = () => {
      while (gzip.write(zeros)) if (res.destroyed) return;
      if (!res.destroyed) gzip.once('drain', pump);
    };
    res.on('close', () => gzip.destroy());
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('a compression bomb', () => {
  it('is HARNESS_BODY_TOO_LARGE at --max-body-bytes of decoded text, not a hang or an out-of-memory', async () => {
    const bomb = await bombServer();
    try {
      const before = process.memoryUsage().heapUsed;
      const exchange = await sendHttp({ method: 'GET', path: '/v1/models', headers: {} }, { step: 'main', prefix: '/v1' }, { baseUrl: bomb.url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), maxBodyBytes: 1024 * 1024, timeoutMs: 20_000 });
      expect(exchange.error?.code).toBe('HARNESS_BODY_TOO_LARGE');
      expect(exchange.error?.message).toMatch(/exceeded 1048576 bytes once decoded from gzip/);
      expect(exchange.response?.truncatedAtBytes).toBe(1024 * 1024);
      expect(exchange.response!.chunks.reduce((n, c) => n + c.data.length, 0)).toBeLessThanOrEqual(1024 * 1024);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await bomb.close();
    }
  });
});

describe('a whole answer that is not a stream', () => {
  it('is held as one text however many reads it came in (a fixture stores it so, a replay reads it so)', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => `"k${i}":"${'v'.repeat(20_000)}"`);
    const body = `{${parts.join(',')}}`;
    const server: Server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      // Many writes, some after a pause: several reads on the harness's side.
      let i = 0;
      const next = () => {
        if (i >= body.length) return void res.end();
        res.write(body.slice(i, (i += 64 * 1024)));
        setTimeout(next, 2);
      };
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const exchange = await sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }) });
      expect(exchange.response!.chunks).toHaveLength(1);
      expect(exchange.response!.chunks[0]!.data).toBe(body);
    } finally {
      server.close();
    }
  });
});

describe('what the harness sends', () => {
  it('names itself and asks for compression as Node fetch (the SDKs) does; neither is stored; headersMs is measured', async () => {
    const emulator = await catalogEmulator({}, { latencyMs: 120 });
    try {
      const seen: Exchange[] = [];
      await checkModel(capturing(liveTarget(emulator.url), seen), 'qwen.qwen3-32b', { checks: ['created-at.chat'] });
      const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
      for (const entry of emulator.stats.log) {
        expect(entry.headers['user-agent']).toBe(`mantle-conformance/${version}`);
        expect(entry.headers['accept-encoding']).toBe('gzip, deflate');
      }
      for (const exchange of seen) {
        expect(Object.keys(exchange.request.headers)).not.toContain('user-agent');
        expect(Object.keys(exchange.request.headers)).not.toContain('accept-encoding');
        expect(exchange.headersMs).toBeGreaterThanOrEqual(100);
        expect(exchange.headersMs).toBeLessThanOrEqual(exchange.durationMs);
      }
    } finally {
      await emulator.close();
    }
  });
});

describe('redirects and other non-answers', () => {
  let emulator: RunningEmulator;
  let elsewhere: Server;
  let elsewhereUrl: string;
  const reached: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    emulator = await catalogEmulator();
    elsewhere = createServer((req, res) => {
      reached.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[]}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await emulator.close();
    elsewhere.closeAllConnections();
    await new Promise((resolve) => elsewhere.close(resolve));
  });

  const auths: { name: string; auth: () => AuthProvider; carried: string[] }[] = [
    {
      name: 'bearer and --header-env',
      auth: () => createAuth({ kind: 'bearer', apiKeyEnv: 'WIRE_KEY', headerEnv: [{ header: 'x-gateway-key', env: 'WIRE_GATEWAY' }] }, { WIRE_KEY: 'wire-bearer-0123456789', WIRE_GATEWAY: 'wire-gateway-0123456789' }),
      carried: ['authorization', 'x-gateway-key'],
    },
    {
      name: 'SigV4',
      auth: () => sigv4({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIAWIRE000000000001', secretAccessKey: 'wire-secret-0123456789abcdef', sessionToken: 'wire-session-0123456789abcdef' }) }),
      carried: ['authorization', 'x-amz-date', 'x-amz-security-token'],
    },
  ];

  it.each(auths)('a 307 to another origin on every request ($name): nothing reaches it, every cell is error', async ({ auth, carried }) => {
    reached.length = 0;
    const origin = await startProxy(emulator.url, { answer: (request) => ({ status: 307, headers: { location: `${elsewhereUrl}${request.path}` } }) });
    try {
      const results = await checkModel(new LiveTarget('test', { baseUrl: origin.url, auth: auth() }), 'openai.gpt-oss-20b');
      expect(reached).toEqual([]);
      // The credentials went to the origin they were meant for, and only there.
      expect(origin.requests.length).toBeGreaterThan(0);
      for (const request of origin.requests) for (const header of carried) expect(request.headers[header], header).toBeDefined();
      const statuses = new Set([...results.values()].map((r) => r.status));
      expect(statuses).toEqual(new Set(['error']));
      for (const [id, result] of results) expect(result.reason, id).toMatch(/HARNESS_NOT_AN_ANSWER|could not tell|cannot choose/);
      expect(results.get('api.chat-completions')!.reason).toContain('a redirect (307 to http://127.0.0.1:');
    } finally {
      await origin.close();
    }
  });

  it.each([301, 302, 304, 308])('a %d on every request makes every cell error, never fail, rejected or nonconformant', async (status) => {
    const origin = await startProxy(emulator.url, { answer: () => ({ status, headers: status === 304 ? {} : ({ location: '/elsewhere' } as Record<string, string>) }) });
    try {
      const results = await checkModel(liveTarget(origin.url), 'openai.gpt-oss-20b');
      expect(new Set([...results.values()].map((r) => r.status))).toEqual(new Set(['error']));
      expect(results.get('created-at.chat')!.reason).toMatch(status === 304 ? /a 304 Not Modified/ : new RegExp(`a redirect \\(${status} to /elsewhere\\)`));
    } finally {
      await origin.close();
    }
  });

  it('a body in an encoding the harness did not ask for is an error, not garbage to judge', async () => {
    const origin = await startProxy(emulator.url, { headers: () => ({ 'content-encoding': 'zstd-unknown' }) });
    try {
      const results = await checkModel(liveTarget(origin.url), 'qwen.qwen3-32b', { checks: ['created-at.chat'] });
      expect(results.get('created-at.chat')!.status).toBe('error');
      expect(results.get('created-at.chat')!.reason).toMatch(/encoded with "zstd-unknown", which the harness did not ask for/);
    } finally {
      await origin.close();
    }
  });
});

/**
 * What a gateway, proxy or WAF says in the endpoint's place (the hostile test's fault.mjs): models/ passes through,
 * every other request gets the stand-in. Read as answers, a 408 and an empty 200 made api.* "supported".
 */
describe('answers that are no answer about the model', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await catalogEmulator();
  });
  afterAll(() => emulator.close());

  type Stand = { status: number; headers: Record<string, string>; body: string };
  const STANDS: { name: string; stand: Stand; code: string; retried: boolean }[] = [
    { name: '408 Request Timeout', stand: { status: 408, headers: { 'content-type': 'text/plain' }, body: 'Request Timeout' }, code: 'HARNESS_TIMEOUT', retried: true },
    { name: 'an HTML 200', stand: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Down for maintenance</h1></body></html>' }, code: 'HARNESS_SERVER_ERROR', retried: true },
    { name: 'an empty 200', stand: { status: 200, headers: { 'content-type': 'application/json' }, body: '' }, code: 'HARNESS_SERVER_ERROR', retried: true },
    { name: 'an error envelope in a 200', stand: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"upstream connect error or disconnect/reset before headers","type":"server_error"}}' }, code: 'HARNESS_SERVER_ERROR', retried: true },
    { name: 'an HTML 413', stand: { status: 413, headers: { 'content-type': 'text/html' }, body: '<html>413 Request Entity Too Large</html>' }, code: 'HARNESS_NOT_AN_ANSWER', retried: false },
    { name: 'a WAF\'s HTML 403', stand: { status: 403, headers: { 'content-type': 'text/html' }, body: '<html><body>Request blocked by WAF. Reference #18.abc</body></html>' }, code: 'HARNESS_NOT_AN_ANSWER', retried: false },
  ];
  const faulting = (stand: Stand, times = Infinity) => {
    let left = times;
    return startProxy(emulator.url, { answer: (request) => (request.path.endsWith('/models') || left-- <= 0 ? undefined : stand) });
  };
  const retrying = (url: string) => new RetryingTarget(liveTarget(url), { retries: 2, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} });
  const API_CHECKS = ['api.chat-completions', 'api.responses', 'path-prefix', 'created-at.chat'];

  it.each(STANDS)('$name on every request: every cell is error ($code), never supported, never a verdict', async ({ stand, code, retried }) => {
    const proxy = await faulting(stand);
    try {
      const seen: Exchange[] = [];
      const results = await checkModel(capturing(retrying(proxy.url), seen), 'xai.grok-4.3', { checks: API_CHECKS });
      for (const [id, result] of results) expect(`${id} ${result.status}`).toBe(`${id} error`);
      expect(results.get('api.chat-completions')!.reason).toContain(code);
      expect(seen.length).toBeGreaterThan(0);
      for (const exchange of seen) {
        expect(exchange.error?.code, exchange.request.path).toBe(code);
        expect(exchange.attempts).toBe(retried ? 3 : 1);
      }
    } finally {
      await proxy.close();
    }
  });

  it.each(STANDS.filter((s) => s.retried))('$name once: the retry gets the answer and the cells are as a clean run has them', async ({ stand }) => {
    const clean = verdicts(await checkModel(liveTarget(emulator.url), 'xai.grok-4.3', { checks: API_CHECKS }));
    const proxy = await faulting(stand, 1);
    try {
      expect(verdicts(await checkModel(retrying(proxy.url), 'xai.grok-4.3', { checks: API_CHECKS }))).toEqual(clean);
      expect(clean['api.responses']).toBe('pass "supported"');
    } finally {
      await proxy.close();
    }
  });

  it.each([
    // AWS's own answer when the principal has no access to the model: an answer (classified forbidden), which no check
    // can read a value from, so error as before; not a stand-in. Every probe so answered: the model's access denied.
    { name: 'a JSON 403 Forbidden', stand: { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Forbidden"}' }, verdict: 'error null', reason: /HARNESS_ACCESS_DENIED: every request for xai\.grok-4\.3 was refused 403 \("Forbidden"\)/ },
    // A path not served where it was sent: a route answer whatever its body (a missing prefix gives a 404); it fails
    // the catalog's "supported".
    { name: 'an HTML 404', stand: { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>404 Not Found</body></html>' }, verdict: 'fail "unsupported"', reason: /404 route-unsupported/ },
  ])('$name stays the endpoint\'s answer, classified as before', async ({ stand, verdict, reason }) => {
    const proxy = await faulting(stand);
    try {
      const seen: Exchange[] = [];
      const results = await checkModel(capturing(retrying(proxy.url), seen), 'xai.grok-4.3', { checks: API_CHECKS });
      for (const exchange of seen) expect(exchange.error, exchange.request.path).toBeNull();
      expect(verdicts(results)['api.chat-completions']).toBe(verdict);
      expect(results.get('api.chat-completions')!.reason).toMatch(reason);
    } finally {
      await proxy.close();
    }
  });
});
