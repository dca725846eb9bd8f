/**
 * A gateway key's model scope is read from its 401's words only ("key not allowed to access model", LiteLLM's virtual
 * keys): a revoked or expired key refused for a model not yet answered stops the run (exit 2), whatever was accepted
 * before; a wordless 401 for a model never accepted stops it with the way out for a scoped key that does not say so;
 * a scope refusal on one route of a model another route serves is that route's error whatever the order; and the
 * scope's refusal of an id the harness makes up is the gateway's answer about it, read by the checks, live and in
 * replay alike.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteCredentialsTarget } from '../src/run/route-credentials.ts';
import type { AuthConfig } from '../src/run/run-config.ts';
import { watchedTarget } from '../src/run/session-target.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { allText, cli } from './helpers/harness.ts';
import { keyGateway, runThroughGateway } from './helpers/key-gateway.ts';

const KEY = 'sk-gw-valid-0123456789abcdef';
const auth: AuthConfig = { kind: 'bearer', apiKeyEnv: 'GWKEY' };
const redact = (text: string) => text.split(KEY).join('[REDACTED]');
const envelope = (message: string) => JSON.stringify({ error: { message, type: 'auth_error', param: 'None', code: '401' } });
const scopeWords = (asked: string) => envelope(`Authentication Error, key not allowed to access model. This key can only access models=['a']. Tried to access ${asked}`);
const EXPIRED = envelope('Authentication Error - Expired Key. Key Expiry time 2026-01-01 00:00:00 and current time 2026-01-02 00:00:00');
const INVALID = envelope('Authentication Error, Invalid proxy server token passed.');

const usage = () => ({ usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 }, latency: [], apiOf: () => 'chat-completions' });

/** A request for `model` on `prefix` from the session of `session`. */
const chat = (model: string, session = model, prefix = '/v1'): [ExchangeRequest, SendContext] => [
  { method: 'POST', path: `${prefix}/chat/completions`, headers: {}, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) },
  { model: session, caseId: 'c', step: 's', prefix },
];

type Answer = { status: number; body?: string; gate?: Promise<void> };

function fakeTarget(answer: (model: string | undefined, prefix: string) => Answer): Target {
  return {
    id: 'fake',
    mode: 'live',
    // A gateway: Mantle and bedrock-runtime read no scope words (any 401 stops there).
    surface: 'custom',
    caseFinished: async () => undefined,
    close: async () => undefined,
    async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
      const model = request.body ? (JSON.parse(request.body) as { model?: string }).model : undefined;
      const { status, body, gate } = answer(model, context.prefix);
      await gate;
      const text = body ?? '{"id":"x","object":"chat.completion","choices":[]}';
      return { step: context.step, prefix: context.prefix, request, response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: text }] }, error: null, durationMs: 1, attempts: 1 };
    },
  };
}

/** The route-credentials decorator under the session's watch, with the stops and console lines it led to. */
function watched(answer: (model: string | undefined, prefix: string) => Answer) {
  const stops: string[] = [];
  const told: string[] = [];
  const target = new RouteCredentialsTarget(fakeTarget(answer), { auth, redact, onRefused: (m) => told.push(m) });
  return { stops, told, target: watchedTarget(target, { ...usage(), onAuthRejected: (_e, m) => stops.push(m) }) };
}

describe('scope from words only', () => {
  it('a revoked or expired key refused for a model not answered yet stops the run, never a scope error', async () => {
    for (const revoked of [EXPIRED, INVALID]) {
      let gone = false;
      const { stops, told, target } = watched(() => (gone ? { status: 401, body: revoked } : { status: 200 }));
      for (const model of ['m01', 'm02', 'm03']) expect((await target.send(...chat(model))).error).toBeNull();
      gone = true;
      const refused = await target.send(...chat('m05'));
      expect(refused.error?.code).toBe('HARNESS_AUTH_REJECTED');
      expect(stops).toHaveLength(1);
      expect(told).toEqual([]);
      expect(stops[0]).not.toMatch(/scoped to other models|HARNESS_MODEL_SCOPE/);
    }
  });

  it('a wordless 401 for a model never accepted while others were stops the run and says the way out for a scoped key', async () => {
    const { stops, target } = watched((m) => (m === 'a' || m === 'b' ? { status: 200 } : { status: 401, body: envelope(`Unauthorized: ${KEY}`) }));
    await target.send(...chat('a'));
    await target.send(...chat('b'));
    expect((await target.send(...chat('c'))).error?.code).toBe('HARNESS_AUTH_REJECTED');
    expect(stops).toEqual([
      "POST /v1/chat/completions answered 401: Unauthorized: [REDACTED]; these credentials were accepted for a, b in this run but never for c: the gateway's 401 did not say why; if the key is scoped to some models, c may be outside it (--models can leave it out)",
    ]);
  });

  it('a wordless 401 for a model that was accepted (revoked) stops without the clause', async () => {
    let gone = false;
    const { stops, target } = watched(() => (gone ? { status: 401, body: INVALID } : { status: 200 }));
    await target.send(...chat('a'));
    gone = true;
    await target.send(...chat('a'));
    expect(stops).toEqual(['POST /v1/chat/completions answered 401: Authentication Error, Invalid proxy server token passed.']);
  });

  it('scope words on /openai/v1 for a model /v1 serves: that route\'s scope error whichever answers first, never a stop, never "nothing observed"', async () => {
    for (const v1First of [true, false]) {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const { stops, told, target } = watched((m, prefix) => (prefix === '/openai/v1' ? { status: 401, body: scopeWords(m ?? '') } : { status: 200, ...(v1First ? {} : { gate }) }));
      if (v1First) open();
      const onV1 = target.send(...chat('m02'));
      if (v1First) await onV1;
      const onOpenai = await target.send(...chat('m02', 'm02', '/openai/v1'));
      open();
      expect((await onV1).error, String(v1First)).toBeNull();
      expect(onOpenai.error?.code, String(v1First)).toBe('HARNESS_MODEL_SCOPE');
      expect(onOpenai.error?.message).toContain('may not use m02 on /openai/v1');
      expect(onOpenai.error?.message).not.toMatch(/nothing of m02 was observed/);
      if (v1First) expect(onOpenai.error?.message).toContain('though /v1 answered it in this run: its checks on /openai/v1 are errors');
      expect(stops).toEqual([]);
      expect(told).toHaveLength(1);
    }
  });

  it('scope words for a model while the model in scope hangs: its error at once, no waiting', async () => {
    const { stops, target } = watched((m) => (m === 'a' ? { status: 200, gate: new Promise<void>(() => undefined) } : { status: 401, body: scopeWords(m ?? '') }));
    void target.send(...chat('a'));
    expect((await target.send(...chat('b'))).error?.code).toBe('HARNESS_MODEL_SCOPE');
    expect(stops).toEqual([]);
  });

  it('the scope refusing an id the harness made up is left as it came: no error, no stop, no console line', async () => {
    const { stops, told, target } = watched((m) => (m === 'a' ? { status: 200 } : { status: 401, body: scopeWords(m ?? '') }));
    for (const first of [false, true]) {
      if (first) await target.send(...chat('a'));
      for (const id of ['mantle-conformance.no-such-model', 'us.a']) expect((await target.send(...chat(id, 'a'))).error).toBeNull();
    }
    expect(stops).toEqual([]);
    expect(told).toEqual([]);
  });

  it('replay decides the same from the exchange alone: the watch never stops on the scope refusing a made-up id', async () => {
    const stops: string[] = [];
    const target = watchedTarget(fakeTarget((m) => ({ status: 401, body: scopeWords(m ?? '') })), { ...usage(), onAuthRejected: (_e, m) => stops.push(m) });
    expect((await target.send(...chat('us.a', 'a'))).error).toBeNull();
    expect(stops).toEqual([]);
    // The session's own model refused with no route-credentials verdict on it: a stop, as before.
    expect((await target.send(...chat('a'))).error?.code).toBe('HARNESS_AUTH_REJECTED');
  });
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scope-words-scope-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Rule = (model: string | undefined, path: string, seen: number) => { status: number; body: string } | { delayMs: number } | undefined;

const gateway = (upstreamUrl: string, rule: Rule) => keyGateway(upstreamUrl, KEY, INVALID, rule);

type Cell = { model: string; check: string; status: string; observed: unknown; reason: string };
const MODELS = ['openai.gpt-oss-20b', 'openai.gpt-oss-120b', 'xai.grok-4.3'];

async function through(rule: Rule, name: string, args: string[]) {
  const reports = join(dir, name);
  const { run, matrix } = await runThroughGateway<Cell>((url) => gateway(url, rule), KEY, reports, args);
  const cell = (model: string, check: string) => matrix.results.find((r) => r.model === model && r.check === check)!;
  return { run, cell, matrix, reports };
}

describe('runs through a gateway', () => {
  it('a key scoped to the models under test: errors.unknown-model and models.profile-id are inconclusive on the scope\'s 401, the gate passes; a replay of its recording gives the same cells', async () => {
    const inScope: Rule = (model) => (model === undefined || MODELS.includes(model) ? undefined : { status: 401, body: scopeWords(model) });
    const fixtures = join(dir, 'fixtures');
    const args = ['--models', MODELS.join(','), '--checks', 'api.chat-completions,errors.unknown-model,models.profile-id,schema.error', '--target-name', 'gw'];
    const live = await through(inScope, 'scoped-record', ['--mode', 'record', '--fixtures', fixtures, ...args]);
    expect(live.run.code, live.run.stderr + live.run.stdout).toBe(0);
    expect(live.run.stdout).toMatch(/^gate: pass/m);
    expect(live.run.stderr).not.toMatch(/warning: |HARNESS_MODEL_SCOPE|HARNESS_AUTH_REJECTED/);
    for (const model of MODELS) {
      expect(live.cell(model, 'api.chat-completions').status).toBe('pass');
      // Words of a key's scope for a made-up id: about a key, not the id (fxg: never a pass, never a fail).
      expect(live.cell(model, 'errors.unknown-model')).toMatchObject({ status: 'inconclusive', observed: null });
      expect(live.cell(model, 'errors.unknown-model').reason).toMatch(/^mantle-conformance\.no-such-model was answered 401 in words of a key's model scope .*: how the endpoint answers an unknown model id was not observed$/);
      expect(live.cell(model, 'models.profile-id').status).toBe('inconclusive');
      expect(live.cell(model, 'models.profile-id').reason).toMatch(new RegExp(`^us\\.${model.replace(/\./g, '\\.')} was answered 401 in words of a key's model scope .*: whether the endpoint serves the profile id was not observed$`));
      expect(live.cell(model, 'schema.error').status).not.toBe('error');
    }
    const replayReports = join(dir, 'scoped-replay');
    const replay = await cli(['run', '--mode', 'replay', '--fixtures', fixtures, '--report-dir', replayReports, '--quiet', ...args]);
    expect(replay.code, replay.stderr + replay.stdout).toBe(0);
    const replayed = (JSON.parse(await readFile(join(replayReports, 'matrix.json'), 'utf8')) as { results: Cell[] }).results;
    const cells = (results: Cell[]) => results.map(({ model, check, status, observed }) => ({ model, check, status, observed })).sort((x, y) => `${x.model} ${x.check}`.localeCompare(`${y.model} ${y.check}`));
    expect(cells(replayed)).toEqual(cells(live.matrix.results));
    expect(await allText(fixtures)).not.toContain(KEY);
  }, 120_000);

  for (const [name, body] of [['expired', EXPIRED], ['invalid-token', INVALID]] as const) {
    it(`a key revoked between models (${name}) at --concurrency 1 stops the run: exit 2, no scope warnings`, async () => {
      let first: string | undefined;
      let after = 0;
      // Revoked once a second model is asked for: the first one was answered whole.
      const revoke: Rule = (model) => {
        if (model === undefined) return undefined;
        first ??= model;
        if (model === first) return undefined;
        after++;
        return { status: 401, body };
      };
      const { run } = await through(revoke, `revoked-${name}`, ['--mode', 'live', '--models', MODELS.join(','), '--checks', 'api.chat-completions', '--concurrency', '1']);
      expect(run.code, run.stderr + run.stdout).toBe(2);
      expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED/);
      expect(run.stderr).toMatch(/check the key/);
      expect(run.stderr).not.toMatch(/HARNESS_MODEL_SCOPE|scoped to other models/);
      expect(after).toBeLessThanOrEqual(3);
    }, 60_000);
  }

  it('scope words on /openai/v1 only, for a model /v1 serves: the same verdicts with /v1 fast or slow, and no claim that nothing was observed', async () => {
    const model = 'openai.gpt-oss-20b';
    const outcomes: { code: number; cells: string[] }[] = [];
    for (const slow of [false, true]) {
      const rule: Rule = (asked, path) => {
        if (asked === model && path.startsWith('/openai/')) return { status: 401, body: scopeWords(asked) };
        return slow && asked === model && path.startsWith('/v1/') ? { delayMs: 300 } : undefined;
      };
      const { run, matrix } = await through(rule, `openai-only-${slow}`, ['--mode', 'live', '--models', model, '--checks', 'api.chat-completions,api.responses,path-prefix,errors.wrong-route']);
      expect(run.stderr).not.toMatch(/HARNESS_AUTH_REJECTED|check the key/);
      expect(`${run.stderr}\n${JSON.stringify(matrix)}`).not.toMatch(/nothing of .* was observed/);
      outcomes.push({ code: run.code, cells: matrix.results.map((r) => `${r.check} ${r.status}`).sort() });
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]!.code).not.toBe(2);
  }, 90_000);
});
