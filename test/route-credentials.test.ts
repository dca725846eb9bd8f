/**
 * A gateway that accepts the key on its OpenAI routes and relays a 401 on /anthropic/* (LiteLLM's pass-through with no
 * Anthropic credential of its own): the route's answer, an `error` for the checks there, never a stop of the whole
 * run nor "check the key". A refusal on a route that accepted the key (expired mid-run) or before any 2xx still stops.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchRouteCredentials, RouteCredentialsTarget } from '../src/run/route-credentials.ts';
import type { AuthConfig } from '../src/run/run-config.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const MODEL = 'xai.grok-4.3';
/** Anthropic's answer to a key it does not know, relayed by the gateway; it echoes the key it was given. */
const anthropic401 = (key: string) => JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key}` } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'route-credentials-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Rule = (req: IncomingMessage, seen: number) => { status: 401; body: string } | { delayMs: number } | undefined;

/** A gateway on 127.0.0.1 in front of `upstreamUrl`: `rule` answers a request itself (a 401), delays it, or forwards it. */
async function gateway(upstreamUrl: string, rule: Rule): Promise<{ url: string; close(): Promise<void> }> {
  let seen = 0;
  const { port } = new URL(upstreamUrl);
  const server: Server = createServer((req, res) => {
    const decided = rule(req, ++seen);
    if (decided && 'status' in decided) {
      req.resume();
      return void res.writeHead(decided.status, { 'content-type': 'application/json' }).end(decided.body);
    }
    const forward = () => {
      const out = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(out);
    };
    if (decided) setTimeout(forward, decided.delayMs);
    else forward();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((closed) => (server.closeAllConnections(), server.close(() => closed()))),
  };
}

const anthropicRefused: Rule = (req) => (req.url?.startsWith('/anthropic/') ? { status: 401, body: anthropic401(KEY) } : undefined);

async function runThrough(rule: Rule, name: string, checks: string) {
  const upstream = await catalogEmulator({}, { apiKey: KEY });
  const proxy = await gateway(upstream.url, rule);
  try {
    const reports = join(dir, name);
    const run = await cli(['run', '--mode', 'live', '--endpoint', proxy.url, '--api-key-env', 'GWKEY', '--models', MODEL, '--checks', checks, '--retries', '0', '--report-dir', reports, '--plain'], { GWKEY: KEY });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: { check: string; status: string; reason: string }[] };
    return { run, matrix, reports };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

describe('a 401 on /anthropic/v1 from a gateway that accepted the key on /v1', () => {
  it('is an error for the Messages checks only, with the way forward; the run carries on and never shows the key', async () => {
    const { run, matrix, reports } = await runThrough(anthropicRefused, 'gateway', 'api.chat-completions,api.messages,stream.messages,stream.chat-completions');
    expect(run.code, run.stderr).not.toBe(2);
    expect(run.stderr).not.toContain('HARNESS_AUTH_REJECTED: ');
    expect(run.stderr).not.toMatch(/The run stopped|check the key/);
    expect(run.stdout).not.toMatch(/credentials were rejected mid-run/);
    // Said once on the console, naming the route, what was accepted and the flag that would send the key another way.
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: ') && l.includes('/anthropic/v1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/answered 401 \(invalid x-api-key: .*\) though the same credentials were accepted on \/(openai\/)?v1( and \/(openai\/)?v1)? in this run/);
    expect(warnings[0]).toContain('--header-env x-api-key=GWKEY');
    expect(warnings[0]).toMatch(/--checks/);
    const cell = (check: string) => matrix.results.find((r) => r.check === check)!;
    // Neither "not served" nor a verdict: the route's answer to these credentials says nothing about the model.
    for (const check of ['api.messages', 'stream.messages']) {
      expect(cell(check).status, check).toBe('error');
      expect(cell(check).reason, check).toMatch(/HARNESS_ROUTE_AUTH: POST \/anthropic\/v1\/messages answered 401 .*accepted on \/(openai\/)?v1( and \/(openai\/)?v1)? in this run: whether \/anthropic\/v1 serves the model is not known/);
    }
    expect(cell('api.chat-completions').status).toBe('pass');
    expect(cell('stream.chat-completions').status).not.toBe('error');
    // The 401 echoed the key: it reaches no report and no console line.
    expect(`${run.stdout}\n${run.stderr}\n${await allText(reports)}`).not.toContain(KEY);
  }, 60_000);

  it('a 401 on /anthropic/v1 that beats every /v1 answer waits for them: a 2xx there makes it the route\'s, and the run carries on', async () => {
    // Every in-run OpenAI request waits, so the Messages probe's 401 is the first in-run answer.
    let models = 0;
    const slowOpenAi: Rule = (req, seen) => {
      if (req.url?.startsWith('/anthropic/')) return { status: 401, body: anthropic401(KEY) };
      if (req.method === 'GET' && req.url === '/v1/models' && ++models === 1 && seen === 1) return undefined;
      return { delayMs: 400 };
    };
    const { run, matrix } = await runThrough(slowOpenAi, 'order', 'api.chat-completions,api.messages');
    expect(run.code, run.stderr).not.toBe(2);
    expect(matrix.results.find((r) => r.check === 'api.messages')?.status).toBe('error');
    expect(matrix.results.find((r) => r.check === 'api.chat-completions')?.status).toBe('pass');
  }, 60_000);

  it('a wrong key behind a public model list still stops the run: the list proves nothing, and every route refuses it', async () => {
    // The gateway lists its models to anyone (as OpenRouter does) and refuses the key everywhere else.
    const publicList: Rule = (req) => (req.method === 'GET' && req.url === '/v1/models' ? undefined : { status: 401, body: anthropic401(KEY) });
    const { run } = await runThrough(publicList, 'public-list', 'api.chat-completions,api.messages');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED: .* answered 401: .*The run stopped; check the key in GWKEY/);
    expect(run.stderr).not.toMatch(/though the same credentials were accepted/);
  }, 60_000);

  it('still stops the run (exit 2, check the key) when a route that accepted the key refuses it later', async () => {
    // The key "expires" after the credentials check and two more requests: /v1 refuses it then.
    const expiring: Rule = (req, seen) => (req.url?.startsWith('/anthropic/') || seen > 3 ? { status: 401, body: anthropic401(KEY) } : undefined);
    const { run } = await runThrough(expiring, 'expired', 'api.chat-completions,api.messages,stream.chat-completions,params.max-tokens,params.temperature');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED: POST \/(openai\/)?v1\/.* answered 401: .*The run stopped; check the key in GWKEY/);
    expect(run.stdout).toMatch(/credentials were rejected mid-run/);
    expect(`${run.stdout}\n${run.stderr}`).not.toContain(KEY);
  }, 60_000);
});

/** A target that answers each request with the status `answer` gives it: a 401 as the gateway relays it, or a 2xx. */
function fakeTarget(answer: (request: ExchangeRequest) => number): Target {
  return {
    id: 'fake',
    mode: 'live',
    caseFinished: async () => undefined,
    close: async () => undefined,
    async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
      const status = answer(request);
      const body = status === 401 ? anthropic401(KEY) : '{"id":"x","object":"chat.completion","choices":[]}';
      return { step: context.step, prefix: context.prefix, request, response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 1, attempts: 1 };
    },
  };
}

/** A target that refuses every route with a 401, except /v1, whose requests wait for `release` and then time out. */
function silentV1(): { target: Target; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const inner = fakeTarget(() => 401);
  const target: Target = {
    ...inner,
    send: async (request, context) => {
      if (!request.path.startsWith('/v1')) return inner.send(request, context);
      await gate;
      return { step: context.step, prefix: context.prefix, request, response: null, error: { code: 'HARNESS_TIMEOUT', message: 'no answer' }, durationMs: 1, attempts: 1 };
    },
  };
  return { target, release };
}

const auth: AuthConfig = { kind: 'bearer', apiKeyEnv: 'GWKEY' };
const redact = (text: string) => text.split(KEY).join('[REDACTED]');
const post = (prefix: string, path = '/messages'): [ExchangeRequest, SendContext] => [
  { method: 'POST', path: `${prefix}${path}`, headers: {}, body: '{}' },
  { model: MODEL, caseId: 'c', step: 's', prefix },
];

describe('RouteCredentialsTarget', () => {
  it('leaves a 401 on a second route, with nothing accepted anywhere, to the run (a wrong key stops it)', async () => {
    const target = new RouteCredentialsTarget(fakeTarget(() => 401), { auth, redact });
    // Alone, the first refusal is undecided: nothing else was asked yet.
    expect((await target.send(...post('/anthropic/v1'))).error?.code).toBe('HARNESS_ROUTE_AUTH');
    let stopped = '';
    const watched = watchedTarget(target, { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions', onAuthRejected: (_e, m) => (stopped = m) });
    expect((await watched.send(...post('/v1', '/chat/completions'))).error?.code).toBe('HARNESS_AUTH_REJECTED');
    expect(stopped).toMatch(/answered 401/);
  });

  it('makes a 401 on a prefix never accepted, after another accepted, that route\'s error, told once, redacted; the run is not stopped', async () => {
    const told: string[] = [];
    const target = new RouteCredentialsTarget(fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : 200)), { auth, redact, onRefused: (m) => told.push(m) });
    await target.send(...post('/v1', '/chat/completions'));
    let stopped = false;
    const watched = watchedTarget(target, { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'messages', onAuthRejected: () => (stopped = true) });
    const first = await watched.send(...post('/anthropic/v1'));
    await watched.send(...post('/anthropic/v1', '/messages/count_tokens'));
    expect(stopped).toBe(false);
    expect(first.error?.code).toBe('HARNESS_ROUTE_AUTH');
    expect(first.error?.message).toMatch(/^POST \/anthropic\/v1\/messages answered 401 \(invalid x-api-key: \[REDACTED\]\) though the same credentials were accepted on \/(openai\/)?v1( and \/(openai\/)?v1)? in this run/);
    expect(first.error?.message).toContain('--header-env x-api-key=GWKEY');
    expect(told).toHaveLength(1);
    expect(told.join('')).not.toContain(KEY);
  });

  it('leaves a 401 on a prefix that answered 2xx before to the run (a key revoked mid-run)', async () => {
    let calls = 0;
    const target = new RouteCredentialsTarget(fakeTarget(() => (++calls === 1 ? 200 : 401)), { auth, redact });
    await target.send(...post('/anthropic/v1'));
    expect((await target.send(...post('/anthropic/v1'))).error).toBeNull();
  });

  it('a public model list is no acceptance: a 401 with nothing answered elsewhere is undecided, and a 401 on a second route stops the run', async () => {
    const target = new RouteCredentialsTarget(fakeTarget((r) => (r.method === 'GET' ? 200 : 401)), { auth, redact });
    expect((await target.send({ method: 'GET', path: '/v1/models', headers: {} }, { model: MODEL, caseId: 'models.list', step: 's', prefix: '/v1' })).error).toBeNull();
    const undecided = await target.send(...post('/anthropic/v1'));
    expect(undecided.error?.code).toBe('HARNESS_ROUTE_AUTH');
    expect(undecided.error?.message).toMatch(/and no other route has answered a request for a model with 2xx yet in this run: whether the credentials are wrong \(check the key in GWKEY\) or \/anthropic\/v1 wants them another way is not known/);
    // The same key refused on /v1 too: a wrong key, left for the run to stop on.
    expect((await target.send(...post('/v1', '/chat/completions'))).error).toBeNull();
  });

  it('a refusal on the credentials check\'s own prefix, with nothing answered elsewhere, is the key: no undecided first one', async () => {
    // OpenRouter-shaped: a public model list, a 401 on /v1, a 404 (before any key is looked at) everywhere else.
    const target = new RouteCredentialsTarget(fakeTarget((r) => (r.path.startsWith('/v1') ? 401 : 404)), { auth, redact, primaryPrefix: '/v1' });
    expect((await target.send(...post('/openai/v1', '/chat/completions'))).error).toBeNull();
    expect((await target.send(...post('/v1', '/chat/completions'))).error).toBeNull();
  });

  it('refusals on another prefix stay undecided when the others answer without a 2xx: only /v1 tells the key (a valid key and a route that wants it as x-api-key look the same)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : 404));
    const slow: Target = { ...inner, send: async (request, context) => (request.path.startsWith('/openai') ? (await gate, inner.send(request, context)) : inner.send(request, context)) };
    const target = new RouteCredentialsTarget(slow, { auth, redact, primaryPrefix: '/v1' });
    expect((await target.send(...post('/anthropic/v1'))).error?.code).toBe('HARNESS_ROUTE_AUTH');
    const openai = target.send(...post('/openai/v1', '/chat/completions'));
    const again = target.send(...post('/anthropic/v1'));
    release();
    await openai;
    expect((await again).error?.code).toBe('HARNESS_ROUTE_AUTH');
  });

  it('a second refusal whose other routes end with no answer at all (a dead upstream) stays undecided', async () => {
    const { target: dead, release } = silentV1();
    const target = new RouteCredentialsTarget(dead, { auth, redact, primaryPrefix: '/v1' });
    const openai = target.send(...post('/v1', '/chat/completions'));
    const first = target.send(...post('/anthropic/v1'));
    const second = target.send(...post('/anthropic/v1'));
    release();
    await openai;
    expect([(await first).error?.code, (await second).error?.code]).toEqual(['HARNESS_ROUTE_AUTH', 'HARNESS_ROUTE_AUTH']);
  });

  it('a refusal waiting while its own prefix is then accepted is settled (the route\'s), never left waiting for ever', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    // The last request in flight is itself a refusal (on /anthropic): nothing after it would settle the waiter.
    const inner = fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : ++calls === 1 ? 401 : 200));
    const slow: Target = { ...inner, send: async (request, context) => (request.path.endsWith('/chat/completions') ? (await gate, inner.send(request, context)) : inner.send(request, context)) };
    const target = new RouteCredentialsTarget(slow, { auth, redact, primaryPrefix: '/v1' });
    const accepted = target.send(...post('/openai/v1', '/chat/completions'));
    const other = target.send(...post('/anthropic/v1', '/chat/completions'));
    const refused = target.send(...post('/openai/v1', '/responses'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([accepted, other]);
    expect((await refused).error?.code).toBe('HARNESS_ROUTE_AUTH');
  });

  it('a wrong key asked on /v1 only stops the run at its first refusal (nothing accepted anywhere)', async () => {
    const target = new RouteCredentialsTarget(fakeTarget(() => 401), { auth, redact });
    expect((await target.send(...post('/v1', '/chat/completions'))).error).toBeNull();
  });

  it('a valid key whose /v1 upstream is dead or answers 500, and whose /anthropic wants x-api-key, is never told to check the key', async () => {
    for (const v1 of ['timeout', 500, 404] as const) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const inner = fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : typeof v1 === 'number' ? v1 : 200));
      const upstream: Target = {
        ...inner,
        send: async (request, context) => {
          if (!request.path.startsWith('/v1')) return inner.send(request, context);
          await gate;
          if (v1 !== 'timeout') return inner.send(request, context);
          return { step: context.step, prefix: context.prefix, request, response: null, error: { code: 'HARNESS_TIMEOUT', message: 'no answer' }, durationMs: 1, attempts: 1 };
        },
      };
      const target = new RouteCredentialsTarget(upstream, { auth, redact, primaryPrefix: '/v1' });
      const openai = target.send(...post('/v1', '/chat/completions'));
      const refusals = [target.send(...post('/anthropic/v1')), target.send(...post('/anthropic/v1', '/messages/count_tokens'))];
      release();
      await openai;
      for (const refusal of await Promise.all(refusals)) expect(refusal.error?.code, String(v1)).toBe('HARNESS_ROUTE_AUTH');
    }
  });

  it('a refusal whose other routes ended without an answer (a timeout) is undecided, not a stop that blames the key', async () => {
    const { target: timedOut, release } = silentV1();
    const target = new RouteCredentialsTarget(timedOut, { auth, redact });
    const openai = target.send(...post('/v1', '/chat/completions'));
    const refused = target.send(...post('/anthropic/v1'));
    release();
    await openai;
    expect((await refused).error?.code).toBe('HARNESS_ROUTE_AUTH');
  });

  it('a refusal waits for another prefix in flight: its 2xx makes the refusal the route\'s, its 401 leaves both to stop the run', async () => {
    const gated = (statusOf: (r: ExchangeRequest) => number) => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const inner = fakeTarget(statusOf);
      const slow: Target = { ...inner, send: async (request, context) => (request.path.startsWith('/v1') ? (await gate, inner.send(request, context)) : inner.send(request, context)) };
      return { target: new RouteCredentialsTarget(slow, { auth, redact }), release };
    };
    const accepting = gated((r) => (r.path.startsWith('/anthropic') ? 401 : 200));
    const openai = accepting.target.send(...post('/v1', '/chat/completions'));
    const refused = accepting.target.send(...post('/anthropic/v1'));
    accepting.release();
    await openai;
    expect((await refused).error?.code).toBe('HARNESS_ROUTE_AUTH');
    const wrongKey = gated(() => 401);
    const both = [wrongKey.target.send(...post('/v1', '/chat/completions')), wrongKey.target.send(...post('/anthropic/v1'))];
    wrongKey.release();
    for (const exchange of await Promise.all(both)) expect(exchange.error).toBeNull();
  });

  it('a refusal waiting when the run is stopped (Ctrl-C) is interrupted, never a stop that blames the key', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : 200));
    const slow: Target = { ...inner, send: async (request, context) => (request.path.startsWith('/v1') ? (await gate, inner.send(request, context)) : inner.send(request, context)) };
    let stopped = false;
    const watched = watchedTarget(new RouteCredentialsTarget(slow, { auth, redact }), { usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'messages', onAuthRejected: () => (stopped = true) });
    const abort = new AbortController();
    const [openaiRequest, openaiContext] = post('/v1', '/chat/completions');
    const openai = watched.send(openaiRequest, { ...openaiContext, signal: abort.signal });
    const [refusedRequest, refusedContext] = post('/anthropic/v1');
    const refused = watched.send(refusedRequest, { ...refusedContext, signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    expect((await refused).error?.code).toBe('HARNESS_INTERRUPTED');
    expect(stopped).toBe(false);
    release();
    await openai;
  });

  it('words the way forward for the run\'s kind of credentials: none sent, or SigV4 (nothing to put in a header)', async () => {
    const reasonWith = async (kind: AuthConfig) => {
      const target = new RouteCredentialsTarget(fakeTarget((r) => (r.path.startsWith('/anthropic') ? 401 : 200)), { auth: kind, redact });
      await target.send(...post('/v1', '/chat/completions'));
      return (await target.send(...post('/anthropic/v1'))).error!.message;
    };
    const none = await reasonWith({ kind: 'none' } as AuthConfig);
    expect(none).toContain('though requests without credentials (--auth none) were answered on /v1');
    expect(none).toContain('this route may want a key: --api-key-env NAME');
    const signed = await reasonWith({ kind: 'sigv4' } as AuthConfig);
    expect(signed).toContain('another service than the one these credentials are for (--surface)');
    expect(signed).not.toContain('--header-env x-api-key');
  });

  it('judges only custom live and record targets: Mantle and bedrock-runtime keep the stop on every prefix', () => {
    const inner = fakeTarget(() => 401);
    for (const surface of ['mantle', 'runtime'] as const) expect(watchRouteCredentials({ surface, mode: 'live' }, inner, { auth, redact })).toBe(inner);
    expect(watchRouteCredentials({ surface: 'custom', mode: 'replay' }, inner, { auth, redact })).toBe(inner);
    expect(watchRouteCredentials({ surface: 'custom', mode: 'record' }, inner, { auth, redact })).toBeInstanceOf(RouteCredentialsTarget);
  });
});
