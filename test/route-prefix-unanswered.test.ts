/**
 * path-prefix on a server that is not Mantle (vLLM, Ollama, a gateway): a 404 there says "this API is not here", not
 * "this prefix does not serve the model". So a prefix where one API's probe got no answer (a timeout, a 5xx) is not
 * concluded `refuses` from another API's 404 on it: path-prefix is an `error`, for a catalog model (which used to be a
 * gating fail of "none") and an uncatalogued one (a pass of "none"). Both ways: with every probe answered the verdict
 * is as before, and Mantle's refusal in words that name the route still settles a prefix whatever else broke.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { ModelSession } from '../src/run/model-session.ts';
import type { Surface } from '../src/surfaces.ts';
import { catalogEmulator, checkModel, liveTarget, projectSuites } from './helpers/harness.ts';

const CATALOGUED = 'openai.gpt-oss-20b';
const UNCATALOGUED = 'llama3.2:3b';
const CHECKS = ['path-prefix', 'api.chat-completions', 'api.responses'];

type ChatOnV1 = 'hang' | '503' | 'answer' | '404';

const servers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/**
 * A FastAPI-style server (as /tmp/fx/hang.mjs): /v1/models answers, /v1/chat/completions does what `chat` says, and
 * every other path is `404 {"detail":"Not Found"}`.
 */
async function fastApiLike(chat: ChatOnV1): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => (body += part.toString()));
    req.on('end', () => {
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/v1/models') return json(200, { object: 'list', data: [{ id: UNCATALOGUED, object: 'model', created: 1, owned_by: 'x' }] });
      if (req.url === '/v1/chat/completions' && chat === 'hang') return;
      if (req.url === '/v1/chat/completions' && chat === '503') return json(503, { error: { message: 'overloaded', type: 'server_error', param: null, code: null } });
      if (req.url === '/v1/chat/completions' && chat === 'answer') {
        const model = (JSON.parse(body) as { model: string }).model;
        return json(200, { id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
      }
      json(404, { detail: 'Not Found' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push({ server, sockets });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function run(chat: ChatOnV1, model: string): Promise<Map<string, CheckResult>> {
  return checkModel(liveTarget(await fastApiLike(chat), undefined, 400), model, { checks: CHECKS });
}

const verdict = (result: CheckResult) => `${result.status} ${JSON.stringify(result.observed)}`;

describe('path-prefix when the chat probe got no answer on /v1 and Responses is a 404 everywhere', () => {
  it.each([CATALOGUED, UNCATALOGUED])('%s, a timeout: error (unobserved), naming the unanswered probe, never "none"', async (model) => {
    const results = await run('hang', model);
    const prefix = results.get('path-prefix')!;
    expect(verdict(prefix), prefix.reason).toBe('error null');
    expect(prefix.reason).toMatch(/^could not tell whether \/v1 serves the model \(probe\.chat got no answer there; another API's refusal says only that API is not there\)/);
    expect(prefix.reason).toMatch(/\/v1\/chat\/completions: HARNESS_TIMEOUT/);
    expect(results.get('api.chat-completions')!.status).toBe('error');
    // The Responses 404s are what the endpoint did: judged as before.
    expect(results.get('api.responses')!.observed).toBe('unsupported');
  });

  it.each([CATALOGUED, UNCATALOGUED])('%s, a 503: error too', async (model) => {
    const prefix = (await run('503', model)).get('path-prefix')!;
    expect(verdict(prefix), prefix.reason).toBe('error null');
    expect(prefix.reason).toMatch(/probe\.chat got no answer there/);
  });
});

describe('path-prefix with every probe answered (as before)', () => {
  it('chat served on /v1: "/v1", a pass for the catalog model and for an uncatalogued one', async () => {
    expect(verdict((await run('answer', CATALOGUED)).get('path-prefix')!)).toBe('pass "/v1"');
    expect(verdict((await run('answer', UNCATALOGUED)).get('path-prefix')!)).toBe('pass "/v1"');
  });

  it('every probe a 404: "none" (a fail against the catalog\'s "/v1", a pass with no expectation)', async () => {
    const catalogued = (await run('404', CATALOGUED)).get('path-prefix')!;
    expect(verdict(catalogued)).toBe('fail "none"');
    expect(catalogued.reason).not.toMatch(/got no answer/);
    expect(verdict((await run('404', UNCATALOGUED)).get('path-prefix')!)).toBe('pass "none"');
  });
});

describe('Mantle (the emulator) with the chat probe timing out on the wrong prefix', () => {
  /** The emulator, except that chat on /openai/v1 times out (gemma-3-27b is served on /v1 only). */
  async function mantle(wrongRoute: ProfileOverride['wrongRoute'], surface?: Surface): Promise<CheckResult> {
    const emulator = await catalogEmulator({ 'google.gemma-3-27b-it': { wrongRoute } });
    try {
      const inner = liveTarget(emulator.url);
      const target: Target = {
        id: inner.id,
        mode: inner.mode,
        send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
          if (request.path !== '/openai/v1/chat/completions') return inner.send(request, context);
          return Promise.resolve({ step: context.step, prefix: context.prefix, request, response: null, error: { code: 'HARNESS_TIMEOUT', message: 'timed out (test)' }, durationMs: 1, attempts: 1 });
        },
        caseFinished: () => Promise.resolve(),
        close: () => inner.close(),
      };
      if (!surface) return (await checkModel(target, 'google.gemma-3-27b-it', { checks: ['path-prefix'] })).get('path-prefix')!;
      // As a run of that surface asks it: the session and the check both know it.
      const { suites, catalog } = await projectSuites();
      const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: ['google.gemma-3-27b-it'], checks: ['path-prefix'] });
      const planned = plan.models.find((m) => m.id === 'google.gemma-3-27b-it')!;
      return await new ModelSession(plan, planned, target, { waitBetweenPolls: false, repeat: 1, surface }).runCheck(planned.checks[0]!);
    } finally {
      await emulator.close();
    }
  }

  it('a refusal in words that name the route ("isn\'t supported on this route", Berm) still settles /openai/v1', async () => {
    expect(verdict(await mantle('route-400'))).toBe('pass "/v1"');
    expect(verdict(await mantle('berm-401'))).toBe('pass "/v1"');
  });

  it("Mantle's bare 404 settles it too: it comes in the OpenAI error envelope (a FastAPI or vLLM 404 does not: above)", async () => {
    const prefix = await mantle('not-found-404');
    expect(verdict(prefix), prefix.reason).toBe('pass "/v1"');
    expect(verdict(await mantle('not-found-404', 'mantle'))).toBe('pass "/v1"');
  });

  it('on a custom endpoint the envelope settles nothing: gateways wrap every 404 in it, an API they lack included', async () => {
    const prefix = await mantle('not-found-404', 'custom');
    expect(verdict(prefix), prefix.reason).toBe('error null');
    expect(prefix.reason).toMatch(/could not tell whether \/openai\/v1 serves the model \(probe\.chat got no answer there/);
  });
});
