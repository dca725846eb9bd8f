/**
 * Mantle's 401 "Berm is not enabled for this account" on every route, the model list included, is the account's
 * answer (not enabled for Mantle), not a bad key and not "each model serves no API": the credentials check stops the
 * run (exit 2) saying so, a model every route of which answered it is not observed (HARNESS_ACCESS_DENIED, never an
 * `unsupported` that passes), and a record run keeps the recordings it had. On one route while another serves the
 * model it stays that route's refusal: path-prefix `/openai/v1`, the APIs `supported`, the fixture recorded.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFinding, resolveApiRoute } from '../src/checks/route.ts';
import type { CaseOutcome } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { HarnessError } from '../src/errors.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { fixturePath, readFixture } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { startEmulatorProxy, type EmulatorProxy, type ProxiedRequest } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

/** Verbatim (MANTLE.md, "What a wrong route returns"; BerriAI/litellm #30657). */
const BERM = { error: { code: 'access_denied', message: 'Berm is not enabled for this account', param: null, type: 'permission_denied_error' } };
const INFERENCE = /\/(chat\/completions|responses|messages)/;

function berm(res: ServerResponse): true {
  res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(BERM));
  return true;
}

let emulator: RunningEmulator;
let dir: string;
const proxies: EmulatorProxy[] = [];
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mantle-not-enabled-'));
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A proxy in front of the emulator that answers the Berm 401 where `where` says, and notes every request. */
async function bermProxy(where: (request: ProxiedRequest) => boolean): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const proxy = await startEmulatorProxy(emulator.url, { intercept: (request, res) => (seen.push(`${request.method} ${request.url}`), where(request) && berm(res)) });
  proxies.push(proxy);
  return { url: proxy.url, seen };
}

async function liveRun(url: string, name: string, models: string, checks: string) {
  const reports = join(dir, name);
  const result = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', models, '--checks', checks, '--retries', '0', '--report-dir', reports, '--plain']);
  const matrix = await readFile(join(reports, 'matrix.json'), 'utf8').then((t) => JSON.parse(t) as { results: { model: string; check: string; status: string; observed: unknown; reason: string }[]; gate: { problems: { kind: string; model: string; message: string }[] } }, () => undefined);
  return { ...result, matrix };
}

describe('the Berm 401 on every route, the model list included', () => {
  it('stops the run at the credentials check with exit 2: the account is not enabled for Mantle, not a bad key; nothing else is sent', async () => {
    const endpoint = await bermProxy(() => true);
    const r = await liveRun(endpoint.url, 'all', 'openai.gpt-oss-20b,xai.grok-4.3', 'api.*,path-prefix');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/HARNESS_ACCESS_DENIED: 127\.0\.0\.1:\d+: the account is not enabled for Mantle \(bedrock-mantle\): GET \/v1\/models answered 401 \(Berm is not enabled for this account\), Mantle's answer to an account without access, not a rejected key\. To fix: enable Amazon Bedrock Mantle \(bedrock-mantle\) for this account/);
    expect(r.stderr).toMatch(/--region meant, or test the bedrock-runtime surface instead \(--surface runtime\); nothing else was sent\./);
    expect(r.stderr).not.toMatch(/rejected the credentials|HARNESS_AUTH_REJECTED/);
    expect(r.matrix).toBeUndefined();
    expect(endpoint.seen).toEqual(['GET /v1/models']);
  });
});

describe('the Berm 401 on every inference route of a model (the model list answered)', () => {
  it('observes nothing of the model (HARNESS_ACCESS_DENIED): no api.* cell reads `unsupported`, none passes, path-prefix is no `none`', async () => {
    const endpoint = await bermProxy((request) => INFERENCE.test(request.url));
    const models = ['openai.gpt-oss-20b', 'xai.grok-4.3', 'anthropic.claude-opus-4-7'];
    const r = await liveRun(endpoint.url, 'inference', models.join(','), 'api.*,path-prefix');
    expect(r.code, r.stderr).toBe(1);
    const cells = r.matrix!.results;
    // api.chat-completions, api.responses, api.messages, api.count-tokens, api.responses-compact and path-prefix.
    expect(cells.length).toBe(models.length * 6);
    for (const cell of cells) {
      expect(cell.status, `${cell.model} ${cell.check}`).toBe('error');
      expect(cell.observed).toBeNull();
      expect(cell.reason).toMatch(/^HARNESS_ACCESS_DENIED: every request for \S+ was answered 401 \("Berm is not enabled for this account"\) on every route asked \(.*\): the account is not enabled for Mantle, which says nothing about the model and is no bad key; enable Amazon Bedrock Mantle/);
    }
    // /anthropic/v1 answered it too: the one route of Messages, where it cannot be "the wrong route".
    expect(cells.find((c) => c.model === 'anthropic.claude-opus-4-7' && c.check === 'api.messages')!.reason).toContain('/anthropic/v1');
    for (const model of models) {
      expect(r.matrix!.gate.problems).toContainEqual(expect.objectContaining({ kind: 'unobserved-model', model, message: expect.stringMatching(/nothing observed \(HARNESS_ACCESS_DENIED\), every request for .* the account is not enabled for Mantle/) }));
    }
    expect(r.stdout).not.toMatch(/coverage: \d+ of \d+ cells observed \(100%\)/);
    // Nothing but the probes was sent: the model's cases are not.
    expect(endpoint.seen.filter((s) => s.startsWith('POST')).length).toBe(models.length * 6);
  });
});

describe('the Berm 401 on the unprefixed route only (a prefixed model, served on /openai/v1)', () => {
  it('stays the wrong route: path-prefix /openai/v1, both APIs supported', async () => {
    const endpoint = await bermProxy((request) => request.url.startsWith('/v1/') && INFERENCE.test(request.url));
    const r = await liveRun(endpoint.url, 'one-route', 'xai.grok-4.3', 'api.chat-completions,api.responses,path-prefix');
    const cell = (check: string) => r.matrix!.results.find((c) => c.check === check)!;
    expect(cell('path-prefix')).toMatchObject({ status: 'pass', observed: '/openai/v1' });
    expect(cell('path-prefix').reason).toContain('/v1/chat/completions: 401 route-unsupported');
    expect(cell('api.chat-completions')).toMatchObject({ status: 'pass', observed: 'supported' });
    expect(cell('api.responses')).toMatchObject({ status: 'pass', observed: 'supported' });
    expect(r.code, r.stdout).toBe(0);
  });
});

describe('a record run answered the Berm 401 on every route', () => {
  const fixtures = () => join(dir, 'fixtures');
  const record = (url: string, reports: string) =>
    cli(['run', '--mode', 'record', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--target-name', 'site', '--fixtures', fixtures(), '--models', 'xai.grok-4.3', '--checks', 'api.*,path-prefix', '--retries', '0', '--report-dir', join(dir, reports), '--plain']);
  const folder = () => join(fixtures(), 'site', 'xai.grok-4.3');
  const contents = async () => Object.fromEntries(await Promise.all((await readdir(folder())).sort().map(async (f) => [f, await readFile(join(folder(), f), 'utf8')] as const)));

  it('keeps the recordings it had (the Berm on one route of several is recorded)', async () => {
    const good = await record(emulator.url, 'rec-good');
    expect(good.code, good.stdout).toBe(0);
    const before = await contents();
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const all = await bermProxy((request) => INFERENCE.test(request.url));
    const kept = await record(all.url, 'rec-berm');
    expect(kept.code).toBe(1);
    expect(await contents()).toEqual(before);
    expect(kept.stdout).toMatch(/rest on previous recordings/);
    const matrix = JSON.parse(await readFile(join(dir, 'rec-berm', 'matrix.json'), 'utf8')) as { results: { status: string; observed: unknown; reason: string }[] };
    for (const cell of matrix.results) expect(cell.status).toBe('error');
    expect(matrix.results.map((c) => c.reason).join('\n')).toMatch(/answered 401 \(Berm is not enabled for this account\) as every request of the case did: the account is not enabled for Mantle.*kept the previous recording .*record it again once the account is enabled for Mantle \(bedrock-mantle\)/);

    // One route of several: the unprefixed route's answer to a prefixed model, recorded as it came.
    const one = await bermProxy((request) => request.url.startsWith('/v1/') && INFERENCE.test(request.url));
    const recorded = await record(one.url, 'rec-one-route');
    expect(recorded.code, recorded.stdout).toBe(0);
    const after = await contents();
    expect(after['probe.chat.json']).toContain('Berm is not enabled for this account');
    expect(after['probe.chat.json']).not.toEqual(before['probe.chat.json']);
  });
});

describe('reading the probes', () => {
  const exchange = (prefix: string, path: string, status: number, body: unknown): Exchange => ({
    step: 'main',
    prefix,
    request: { method: 'POST', path: `${prefix}${path}`, headers: {}, body: JSON.stringify({ model: 'm' }) },
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  });
  const completed = (caseId: string, api: CaseOutcome['api'], ...exchanges: Exchange[]): CaseOutcome => ({ kind: 'completed', caseId, api, exchanges }) as CaseOutcome;
  const OK = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'OK' }, finish_reason: 'stop' }] };

  it('an API every route of which answered the Berm 401 is not "unsupported", though another probe broke', () => {
    const messages = completed('probe.messages', 'messages', exchange('/anthropic/v1', '/messages', 401, BERM));
    const broken: CaseOutcome = { kind: 'error', caseId: 'probe.chat', api: 'chat-completions', exchanges: [], error: { code: 'HARNESS_TIMEOUT', message: 't' } };
    expect(resolveApiRoute([messages, broken], 'messages')).toMatchObject({ state: 'unknown', reason: expect.stringContaining('"Berm is not enabled for this account" on every route asked') });
    // A probe broke: that may be the route that serves the model, so the model as a whole is not settled.
    expect(modelFinding([messages, broken], 'm')).toBeUndefined();
    expect(modelFinding([messages], 'm')).toMatchObject({ code: 'HARNESS_ACCESS_DENIED' });
  });

  it('the Berm 401 on one route while the other serves the model is that route\'s refusal', () => {
    const chat = completed('probe.chat', 'chat-completions', exchange('/v1', '/chat/completions', 401, BERM), exchange('/openai/v1', '/chat/completions', 200, OK));
    expect(resolveApiRoute([chat], 'chat-completions')).toEqual({ state: 'supported', prefix: '/openai/v1', probed: true });
    expect(modelFinding([chat], 'm')).toBeUndefined();
  });
});

describe('RecordTarget and the Berm 401', () => {
  const answer = (prefix: string, status: number, body: unknown): Exchange => ({
    step: 'main',
    prefix,
    request: { method: 'POST', path: `${prefix}/chat/completions`, headers: {}, body: '{"model":"m"}' },
    response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: JSON.stringify(body) }] },
    error: null,
    durationMs: 1,
    attempts: 1,
  });
  const served = () => answer('/openai/v1', 200, { id: 'chatcmpl-1', object: 'chat.completion', choices: [] });
  const record = () =>
    new RecordTarget(
      { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} },
      { fixturesDir: join(dir, 'unit-fixtures'), provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } },
      () => [],
    );
  const statuses = async (id: string) => (await readFixture(fixturePath(join(dir, 'unit-fixtures'), 'unit', 'm', id)))!.exchanges.map((ex) => ex.response!.status);

  it('keeps the recording when every request of the case answered it, and says why', async () => {
    await record().caseFinished('m', 'all', [answer('/v1', 200, {}), served()]);
    const error = await record().caseFinished('m', 'all', [answer('/v1', 401, BERM), answer('/openai/v1', 401, BERM)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^POST \/v1\/chat\/completions answered 401 \(Berm is not enabled for this account\) as every request of the case did: the account is not enabled for Mantle, which says nothing about the model; kept the previous recording .* \(record it again once the account is enabled for Mantle \(bedrock-mantle\), or pass --overwrite-failures to record the refusal\)$/);
    expect(await statuses('all')).toEqual([200, 200]);
  });

  it('records it on one route of several, and where the recording had it alike', async () => {
    await record().caseFinished('m', 'one', [answer('/v1', 200, {}), served()]);
    await record().caseFinished('m', 'one', [answer('/v1', 401, BERM), served()]);
    expect(await statuses('one')).toEqual([401, 200]);
    await record().caseFinished('m', 'again', [answer('/v1', 401, BERM), answer('/openai/v1', 401, BERM)]);
    await record().caseFinished('m', 'again', [answer('/v1', 401, BERM), answer('/openai/v1', 401, BERM)]);
    expect(await statuses('again')).toEqual([401, 401]);
  });
});
