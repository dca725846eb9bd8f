/**
 * A gateway key scoped to some models (a LiteLLM virtual key with `models: [...]`) answers a request for any other
 * model with a 401 ("key not allowed to access model ... Tried to access b"): in those words, that model's cells are
 * errors naming the scope (HARNESS_MODEL_SCOPE), the other models run, and the run never stops with "check the key".
 * A 401 without them stops the run as a rejected key does (a revoked key looks the same), saying the way out for a
 * scoped key. A key wrong from the start, or refused for a model it was accepted for earlier (revoked), still stops it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saysModelScope } from '../src/checks/access-denial.ts';
import { RouteCredentialsTarget } from '../src/run/route-credentials.ts';
import type { AuthConfig } from '../src/run/run-config.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';
import { keyGateway } from './helpers/key-gateway.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
/** Served on /v1 by the emulator (Mantle's route for gpt-oss); the other on /openai/v1. */
const IN_SCOPE = 'openai.gpt-oss-20b';
const OUT_OF_SCOPE = 'xai.grok-4.3';
/** LiteLLM's 401 for a model outside a virtual key's `models`, verbatim but for the ids. */
const litellm401 = (allowed: string, asked: string) =>
  JSON.stringify({ error: { message: `Authentication Error, key not allowed to access model. This key can only access models=['${allowed}']. Tried to access ${asked}`, type: 'auth_error', param: 'None', code: '401' } });
/** A gateway's 401 that says nothing of models (and echoes the key it refused). */
const plain401 = JSON.stringify({ error: { message: `Unauthorized: ${KEY}`, type: 'auth_error', code: '401' } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-scope-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const auth: AuthConfig = { kind: 'bearer', apiKeyEnv: 'GWKEY' };
const redact = (text: string) => text.split(KEY).join('[REDACTED]');
const usage = () => ({ usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions' });

/** A request for `model` (in its body) from the session of `session` (the model under test). */
const chat = (model: string, session = model): [ExchangeRequest, SendContext] => [
  { method: 'POST', path: '/v1/chat/completions', headers: {}, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) },
  { model: session, caseId: 'c', step: 's', prefix: '/v1' },
];

/** A target whose answer to each request `answer` decides: a status and body, optionally after `gate` opens. */
function fakeTarget(answer: (model: string | undefined) => { status: number; body?: string; gate?: Promise<void> }): Target {
  return {
    id: 'fake',
    mode: 'live',
    caseFinished: async () => undefined,
    close: async () => undefined,
    async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
      const model = request.body ? (JSON.parse(request.body) as { model?: string }).model : undefined;
      const { status, body, gate } = answer(model);
      await gate;
      const text = body ?? '{"id":"x","object":"chat.completion","choices":[]}';
      return { step: context.step, prefix: context.prefix, request, response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: text }] }, error: null, durationMs: 1, attempts: 1 };
    },
  };
}

describe('RouteCredentialsTarget and a key scoped to some models', () => {
  it('a 401 without words for a model never accepted, on a prefix that accepted another, stops the run (a revoked key looks the same), with the way out for a scoped key', async () => {
    const target = new RouteCredentialsTarget(fakeTarget((m) => (m === 'a' ? { status: 200 } : { status: 401, body: plain401 })), { auth, redact });
    const stops: string[] = [];
    const watched = watchedTarget(target, { ...usage(), onAuthRejected: (_e, m) => stops.push(m) });
    expect((await watched.send(...chat('a'))).error).toBeNull();
    expect((await watched.send(...chat('b'))).error?.code).toBe('HARNESS_AUTH_REJECTED');
    expect(stops).toEqual(["POST /v1/chat/completions answered 401: Unauthorized: [REDACTED]; these credentials were accepted for a in this run but never for b: the gateway's 401 did not say why; if the key is scoped to some models, b may be outside it (--models can leave it out)"]);
  });

  it('LiteLLM\'s words decide with nothing accepted yet (every model out of scope): an error per model, told once per model, never a stop', async () => {
    const told: string[] = [];
    const target = new RouteCredentialsTarget(fakeTarget((m) => ({ status: 401, body: litellm401('', m ?? '') })), { auth, redact, onRefused: (m) => told.push(m) });
    const stops: string[] = [];
    const watched = watchedTarget(target, { ...usage(), onAuthRejected: (_e, m) => stops.push(m) });
    for (const model of ['a', 'a', 'b']) expect((await watched.send(...chat(model))).error?.code).toBe('HARNESS_MODEL_SCOPE');
    expect(stops).toEqual([]);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(/key not allowed to access model\. .*Tried to access a\): the key in GWKEY may not use a on \/v1/);
    expect(told[0]).toMatch(/its checks on \/v1 are errors; .*; the run carries on$/);
    // No lead that blames a route or the way the key is sent.
    expect(told.join('\n')).not.toMatch(/--header-env|anthropic|check the key/);
  });

  it('the harness\'s own made-up ids (an unknown model, a profile id) refused by the scope are the gateway\'s answer: left as they came, never a stop nor a console line', async () => {
    const told: string[] = [];
    const target = new RouteCredentialsTarget(fakeTarget((m) => (m === 'a' ? { status: 200 } : { status: 401, body: litellm401('a', m ?? '') })), { auth, redact, onRefused: (m) => told.push(m) });
    await target.send(...chat('a'));
    for (const id of ['mantle-conformance.no-such-model', 'us.a']) expect((await target.send(...chat(id, 'a'))).error).toBeNull();
    expect(told).toEqual([]);
  });

  it('words decide each refusal: a model the scope refused in words on /v1, refused without them on a prefix that accepted nothing, is that route\'s answer', async () => {
    const target = new RouteCredentialsTarget(fakeTarget((m) => (m === 'a' ? { status: 200 } : { status: 401, body: m === 'b' ? litellm401('a', 'b') : plain401 })), { auth, redact });
    await target.send(...chat('a'));
    expect((await target.send(...chat('b'))).error?.code).toBe('HARNESS_MODEL_SCOPE');
    const [request, context] = chat('c');
    expect((await target.send({ ...request, path: '/openai/v1/chat/completions' }, { ...context, prefix: '/openai/v1' })).error?.code).toBe('HARNESS_ROUTE_AUTH');
  });

  it('a model accepted earlier and refused later in the scope\'s own words is a revoked key: the run stops', async () => {
    let calls = 0;
    const target = new RouteCredentialsTarget(fakeTarget((m) => (++calls === 1 ? { status: 200 } : { status: 401, body: litellm401('x', m ?? '') })), { auth, redact });
    await target.send(...chat('a'));
    expect((await target.send(...chat('a'))).error).toBeNull();
  });

  it('a 401 without words that beats the other models\' first answers on its prefix is the key\'s: no waiting for them, the run stops', async () => {
    for (const other of [200, 401]) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const target = new RouteCredentialsTarget(fakeTarget((m) => (m === 'a' ? { status: other, body: other === 401 ? plain401 : undefined, gate } : { status: 401, body: plain401 })), { auth, redact, primaryPrefix: '/v1' });
      const a = target.send(...chat('a'));
      const b = target.send(...chat('b'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      const [forA, forB] = await Promise.all([a, b]);
      expect([forA.error, forB.error]).toEqual([null, null]);
    }
  });

  it('reads the scope in the words gateways use, and not in a wrong key\'s or an unknown model\'s', () => {
    expect(saysModelScope("Authentication Error, key not allowed to access model. This key can only access models=['a']. Tried to access b")).toBe(true);
    expect(saysModelScope('Your key is not allowed to use model b')).toBe(true);
    expect(saysModelScope('Authentication Error, Invalid proxy server token passed.')).toBe(false);
    expect(saysModelScope('Authentication Error - Expired Key. Key Expiry time 2026-01-01 00:00:00')).toBe(false);
    expect(saysModelScope('The model `b` does not exist or you do not have access to it.')).toBe(false);
    expect(saysModelScope(undefined)).toBe(false);
  });
});

type Answer = { status: number; body: string } | { delayMs: number } | undefined;

async function gateway(upstreamUrl: string, rule: (model: string | undefined) => Answer): Promise<{ url: string; close(): Promise<void> }> {
  return keyGateway(upstreamUrl, KEY, '{"error":{"message":"Authentication Error, Invalid proxy server token passed.","type":"auth_error","code":"401"}}', (model) => rule(model));
}

type Cell = { model: string; check: string; status: string; reason: string };

async function runThrough(rule: (model: string | undefined) => Answer, name: string, models: string) {
  const upstream = await catalogEmulator({}, { apiKey: KEY });
  const proxy = await gateway(upstream.url, rule);
  try {
    const reports = join(dir, name);
    const run = await cli(['run', '--mode', 'live', '--endpoint', proxy.url, '--api-key-env', 'GWKEY', '--models', models, '--checks', 'api.chat-completions,errors.unknown-model,models.profile-id', '--retries', '0', '--report-dir', reports, '--plain'], { GWKEY: KEY });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: Cell[] };
    const cell = (model: string, check: string) => matrix.results.find((r) => r.model === model && r.check === check)!;
    return { run, cell, reports };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

describe('a run through a gateway whose key may use one model', () => {
  const scoped = (model: string | undefined): Answer => (model === IN_SCOPE ? undefined : { status: 401, body: litellm401(IN_SCOPE, model ?? '') });

  it('tests the model in scope, errors the other (exit 1, the gate fails on it), and never stops with "check the key"', async () => {
    const { run, cell, reports } = await runThrough(scoped, 'two', `${IN_SCOPE},${OUT_OF_SCOPE}`);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/HARNESS_AUTH_REJECTED|The run stopped|check the key/);
    expect(run.stdout).toMatch(/^gate: fail \(exit 1\): .*model\(s\) with nothing observed/m);
    expect(cell(IN_SCOPE, 'api.chat-completions').status).toBe('pass');
    expect(cell(OUT_OF_SCOPE, 'api.chat-completions')).toMatchObject({ status: 'error' });
    expect(cell(OUT_OF_SCOPE, 'api.chat-completions').reason).toMatch(new RegExp(`^HARNESS_MODEL_SCOPE: POST /(openai/)?v1/chat/completions answered 401 .*may not use ${OUT_OF_SCOPE.replace(/\./g, '\\.')} on /(openai/)?v1`));
    // The made-up ids the key may not use either: the gateway's answer, about the key, not the id (never an error of
    // the way, nor a pass: fxg).
    expect(cell(IN_SCOPE, 'errors.unknown-model').status).toBe('inconclusive');
    expect(cell(IN_SCOPE, 'models.profile-id').status).toBe('inconclusive');
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`may not use ${OUT_OF_SCOPE} on /`);
    expect(`${run.stdout}\n${run.stderr}\n${await allText(reports)}`).not.toContain(KEY);
  }, 60_000);

  it('a 401 that says nothing of models stops the run as a rejected key (exit 2): only the gateway\'s words tell a scope', async () => {
    const slow = (model: string | undefined): Answer => (model === IN_SCOPE ? { delayMs: 300 } : { status: 401, body: plain401 });
    const { run, reports } = await runThrough(slow, 'plain', `${IN_SCOPE},${OUT_OF_SCOPE}`);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('HARNESS_AUTH_REJECTED');
    expect(run.stderr).not.toContain('HARNESS_MODEL_SCOPE');
    expect(`${run.stdout}\n${run.stderr}\n${await allText(reports)}`).not.toContain(KEY);
  }, 60_000);
});
