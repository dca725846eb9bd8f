/**
 * What an answer in a 2xx that is not a completion becomes, end to end (emulator behind a proxy that answers some
 * requests itself): a bad request answered 200 in the API's own error envelope is the endpoint's answer, which
 * errors.* judge nonconformant and a record run records, while a gateway's error in a 200 stays an outage; an
 * error in a 200 never makes api.* say "supported"; an empty event stream to a streamed request is judged by the
 * stream checks (no events), while an empty 200 that is no stream stays an outage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { fixturePath, readFixture } from '../src/transport/fixture-file.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy, type ProxiedRequest } from './helpers/wire-proxy.ts';

const MODEL = 'qwen.qwen3-32b';
const json = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
/** The bad-parameter case's request (temperature as a string) and the unknown-model case's. */
const badParameter = (request: ProxiedRequest) => request.body.includes('"temperature":"hot"');
const unknownModel = (request: ProxiedRequest) => request.body.includes('mantle-conformance.no-such-model');
const OPENAI_200 = json('{"error":{"message":"Invalid type for \'temperature\': expected a number","type":"invalid_request_error","param":"temperature","code":"invalid_type"}}');
const UNKNOWN_200 = json('{"error":{"message":"The model \'mantle-conformance.no-such-model\' does not exist","type":"invalid_request_error","param":"model","code":"model_not_found"}}');
const GATEWAY_200 = json('{"error":{"message":"upstream connect error or disconnect/reset before headers. reset reason: connection termination"}}');

const verdict = (result: CheckResult | undefined) => `${result?.status} ${JSON.stringify(result?.observed)}`;

describe('errors and empty streams in a 2xx', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await catalogEmulator();
  });
  afterAll(() => emulator.close());

  const through = async (answer: (request: ProxiedRequest) => ReturnType<typeof json> | undefined, checks: string[]) => {
    const proxy = await startProxy(emulator.url, { answer });
    try {
      const target = new RetryingTarget(liveTarget(proxy.url), { retries: 1, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} });
      return await checkModel(target, MODEL, { checks });
    } finally {
      await proxy.close();
    }
  };

  it('the emulator\'s 4xx envelopes are conformant (the other way round)', async () => {
    const results = await through(() => undefined, ['errors.bad-parameter', 'errors.unknown-model', 'stream.chat-completions', 'api.chat-completions']);
    expect(verdict(results.get('errors.bad-parameter'))).toBe('pass "conformant"');
    expect(verdict(results.get('errors.unknown-model'))).toBe('pass "conformant"');
    expect(verdict(results.get('stream.chat-completions'))).toBe('pass "conformant"');
    expect(verdict(results.get('api.chat-completions'))).toBe('pass "supported"');
  });

  it('a bad request answered 200 in the OpenAI error envelope: errors.* fail nonconformant, naming the status', async () => {
    const results = await through((request) => (badParameter(request) ? OPENAI_200 : unknownModel(request) ? UNKNOWN_200 : undefined), ['errors.bad-parameter', 'errors.unknown-model']);
    for (const id of ['errors.bad-parameter', 'errors.unknown-model']) {
      expect(verdict(results.get(id)), id).toBe('fail "nonconformant"');
      expect(results.get(id)!.reason).toMatch(/status 200, not a 4xx/);
    }
  });

  it('a gateway\'s error in a 200 to the bad request is an outage (error), never a verdict', async () => {
    const results = await through((request) => (badParameter(request) ? GATEWAY_200 : undefined), ['errors.bad-parameter']);
    expect(verdict(results.get('errors.bad-parameter'))).toBe('error null');
    expect(results.get('errors.bad-parameter')!.reason).toMatch(/HARNESS_SERVER_ERROR: .*an error and no completion \(upstream connect error/);
  });

  it('an error in a 200 to every probe is never "supported": api.* say what was answered', async () => {
    const probe = (request: ProxiedRequest) => request.path.endsWith('/chat/completions');
    const results = await through((request) => (probe(request) ? OPENAI_200 : undefined), ['api.chat-completions', 'path-prefix']);
    expect(verdict(results.get('api.chat-completions'))).toBe('error null');
    expect(results.get('api.chat-completions')!.reason).toMatch(/could not tell whether the model serves chat-completions: .*\/chat\/completions: 200 with an error \(Invalid type for 'temperature'/);
    // Words that say "not on this route" are believed whatever the status.
    const route = json('{"error":{"code":"validation_error","message":"model `qwen.qwen3-32b` isn\'t supported on this route","type":"invalid_request_error"}}');
    const refused = await through((request) => (probe(request) ? route : undefined), ['api.chat-completions']);
    expect(verdict(refused.get('api.chat-completions'))).toMatch(/^(pass|fail) "unsupported"$/);
  });

  it('an empty event stream to a streamed request is tried again, and an outage when every attempt is empty: error, never a verdict on the stream', async () => {
    const empty = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: '' };
    const streamed = (request: ProxiedRequest) => request.path.endsWith('/chat/completions') && request.body.includes('"stream":true');
    const results = await through((request) => (streamed(request) ? empty : undefined), ['stream.chat-completions']);
    expect(verdict(results.get('stream.chat-completions'))).toBe('error null');
    expect(results.get('stream.chat-completions')!.reason).toMatch(/sent no event on all \d+ attempts/);
    // An upstream that died before the first byte looks the same: tried again, and the stream that came is judged.
    let emptied = 0;
    const once = await through((request) => (streamed(request) && emptied++ === 0 ? empty : undefined), ['stream.chat-completions']);
    expect(emptied).toBeGreaterThan(1);
    expect(verdict(once.get('stream.chat-completions'))).toBe('pass "conformant"');
  });
});

describe('on the wire and in a recording', () => {
  const auth = createAuth({ kind: 'none', apiKeyEnv: 'X' });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stand-in-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    { name: 'the OpenAI envelope', answer: OPENAI_200, error: undefined },
    { name: 'Anthropic\'s envelope', answer: json('{"type":"error","error":{"type":"invalid_request_error","message":"temperature: Input should be a valid number"}}'), error: undefined },
    { name: 'a gateway\'s error', answer: GATEWAY_200, error: 'HARNESS_SERVER_ERROR' },
    // Hostile review of recording, 2026-12-05: `200 {}` from a gateway was recorded over good fixtures and read as
    // "accepted" or an empty answer.
    { name: 'an empty JSON object', answer: json('{}'), error: 'HARNESS_SERVER_ERROR' },
    { name: 'an empty JSON array, [ ]', answer: json(' [ ] '), error: 'HARNESS_SERVER_ERROR' },
  ])('a 200 carrying $name: the exchange error is $error, and a record run keeps or replaces the fixture accordingly', async ({ name, answer, error }) => {
    const proxy = await startProxy('http://127.0.0.1:9', { answer: () => answer });
    try {
      const exchange = await sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"temperature":"hot"}' }, { step: 'main', prefix: '/v1' }, { baseUrl: proxy.url, auth });
      expect(exchange.error?.code).toBe(error);
      const record = new RecordTarget(liveTarget(proxy.url), { fixturesDir: dir, overwriteFailures: false, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
      const good = { ...exchange, response: { status: 400, headers: {}, chunks: [{ t: 0, data: '{"error":{"message":"x","type":"invalid_request_error","param":null,"code":null}}' }] }, error: null };
      const caseId = `case-${name.length}`;
      await record.caseFinished('m', caseId, [good]);
      const outcome = await record.caseFinished('m', caseId, [exchange]).then(() => 'replaced', (e: { code?: string }) => e.code);
      expect(outcome).toBe(error ? 'HARNESS_RECORDING_KEPT' : 'replaced');
      expect((await readFixture(fixturePath(dir, record.id, 'm', caseId)))!.exchanges[0]!.response!.status).toBe(error ? 400 : 200);
    } finally {
      await proxy.close();
    }
  });
});
