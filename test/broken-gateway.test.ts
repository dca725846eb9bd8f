/**
 * What a broken gateway does to the wire, from the hostile review's proxy (its proxy.mjs faults), both ways: the
 * broken answer is `error` (an infrastructure failure, retried), never a verdict, and the same answer sent whole is
 * judged as a clean run judges it. A close-delimited body cut by a reset, an AWS throttle named only in
 * `x-amzn-ErrorType`, a bodiless 204 to a completion, a stream of keep-alives only, and route probes whose 4xx body
 * could not be read (stalled, compressed twice, UTF-16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import type { Target } from '../src/transport/target.ts';
import { startFaultProxy, FAULTS, type Fault } from './helpers/fault-proxy.ts';
import { capturing } from './helpers/capturing-target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { startProxy } from './helpers/wire-proxy.ts';

const MODEL = 'openai.gpt-oss-20b';
const verdicts = (results: Map<string, CheckResult>) => Object.fromEntries([...results].map(([id, r]) => [id, `${r.status} ${JSON.stringify(r.observed)}`]));
const retrying = (target: Target) => new RetryingTarget(target, { retries: 2, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} });


let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await catalogEmulator();
});
afterAll(() => emulator.close());

async function throughFault(fault: Fault, match: (path: string, body: string) => boolean, checks: string[], options: { times?: number; idleTimeoutMs?: number } = {}) {
  const proxy = await startFaultProxy(emulator.url, fault, match, options.times);
  try {
    const seen: Exchange[] = [];
    const live = new LiveTarget('test', { baseUrl: proxy.url, auth: noAuth, timeoutMs: 5_000, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) });
    const results = await checkModel(capturing(retrying(live), seen), MODEL, { checks });
    return { results, seen, faulted: proxy.faulted };
  } finally {
    await proxy.close();
  }
}

const streamed = (_path: string, body: string) => body.includes('"stream":true');
const chat = (path: string) => path.endsWith('/chat/completions');

describe('a close-delimited body (HTTP/1.0, no length)', () => {
  const CHECKS = ['stream.chat-completions', 'stream.responses', 'created-at.chat'];

  it('cut by a connection reset is HARNESS_STREAM_CUT, retried, never nonconformant nor "missing"', async () => {
    const { results, seen } = await throughFault(FAULTS.closeDelimitedReset, (path, body) => streamed(path, body) || path === '/v1/chat/completions', CHECKS);
    for (const id of CHECKS) expect(`${id} ${results.get(id)!.status}`).toBe(`${id} error`);
    for (const id of CHECKS) expect(results.get(id)!.reason, id).toMatch(/HARNESS_STREAM_CUT/);
    expect(results.get('stream.responses')!.reason).toMatch(/^HARNESS_STREAM_CUT: .*connection was reset \(ECONNRESET\).*\(after 3 attempts\)/);
    const cut = seen.filter((ex) => ex.error?.code === 'HARNESS_STREAM_CUT');
    expect(cut.length).toBeGreaterThan(0);
    for (const exchange of cut) expect(exchange.attempts).toBe(3);
  });

  it('cut by a reset once: the retry gets the answer, and the cells are as a clean run has them', async () => {
    const clean = verdicts(await checkModel(liveTarget(emulator.url), MODEL, { checks: CHECKS }));
    expect(Object.values(clean).every((v) => v.startsWith('pass'))).toBe(true);
    const { results, faulted } = await throughFault(FAULTS.closeDelimitedReset, streamed, CHECKS, { times: 1 });
    expect(faulted).toBe(1);
    expect(verdicts(results)).toEqual(clean);
  });

  it('ended by a FIN halfway (a reset the socket did not report): HARNESS_STREAM_CUT, since only the text can tell', async () => {
    const { results, seen } = await throughFault(FAULTS.closeDelimitedHalfEnd, (path, body) => streamed(path, body) || path === '/v1/chat/completions', CHECKS);
    for (const id of CHECKS) expect(`${id} ${results.get(id)!.status}`).toBe(`${id} error`);
    expect(results.get('stream.responses')!.reason).toMatch(/^HARNESS_STREAM_CUT: .*the connection closed inside an event, and the body has no length/);
    expect(results.get('created-at.chat')!.reason).toMatch(/HARNESS_STREAM_CUT: .*the connection closed inside the JSON/);
    expect(seen.some((ex) => ex.error?.code === 'HARNESS_STREAM_CUT')).toBe(true);
  });

  it('ended by a FIN after the whole body is the endpoint\'s answer, judged as a clean run judges it', async () => {
    const clean = verdicts(await checkModel(liveTarget(emulator.url), MODEL, { checks: CHECKS }));
    const { results, seen, faulted } = await throughFault(FAULTS.closeDelimitedWhole, () => true, CHECKS);
    expect(faulted).toBeGreaterThan(2);
    expect(verdicts(results)).toEqual(clean);
    for (const exchange of seen) expect(exchange.attempts, exchange.request.path).toBe(1);
  });
});

describe('an AWS throttle named only in x-amzn-ErrorType', () => {
  const CHECKS = ['api.chat-completions', 'created-at.chat', 'stream.chat-completions'];
  const QUOTA = { status: 400, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, body: '{"message":"Your request exceeds the service quota for your account. You can resubmit your request later."}' };
  const BARE = { status: 400, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' }, body: '' };
  const throttling = (answer: typeof QUOTA, times = Infinity) => {
    let left = times;
    return startProxy(emulator.url, { answer: (request) => (chat(request.path) && left-- > 0 ? answer : undefined) });
  };

  it.each([
    { name: 'ServiceQuotaExceededException with a message', answer: QUOTA, said: /still throttled \(400: Your request exceeds the service quota/ },
    { name: 'ThrottlingException with an empty body', answer: BARE, said: /still throttled \(400: ThrottlingException\)/ },
  ])('$name: retried, then HARNESS_THROTTLED, never "rejected" nor "supported"', async ({ answer, said }) => {
    const proxy = await throttling(answer);
    try {
      const seen: Exchange[] = [];
      const results = await checkModel(capturing(retrying(liveTarget(proxy.url)), seen), MODEL, { checks: CHECKS });
      for (const id of CHECKS) expect(`${id} ${results.get(id)!.status}`).toBe(`${id} error`);
      expect(results.get('api.chat-completions')!.reason).toMatch(/HARNESS_THROTTLED/);
      expect(results.get('created-at.chat')!.reason).toMatch(said);
      for (const exchange of seen.filter((ex) => chat(ex.request.path))) expect(exchange.attempts).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('once: the retry gets the answer, and the cells are as a clean run has them', async () => {
    const clean = verdicts(await checkModel(liveTarget(emulator.url), MODEL, { checks: CHECKS }));
    const proxy = await throttling(QUOTA, 1);
    try {
      expect(verdicts(await checkModel(retrying(liveTarget(proxy.url)), MODEL, { checks: CHECKS }))).toEqual(clean);
    } finally {
      await proxy.close();
    }
  });

  it('a 400 whose header names a class that is no throttle stays the endpoint\'s rejection', async () => {
    const proxy = await startProxy(emulator.url, { answer: (request) => (request.path === '/v1/chat/completions' ? { ...BARE, headers: { ...BARE.headers, 'x-amzn-errortype': 'ValidationException' }, body: '{"message":"bad"}' } : undefined) });
    try {
      const seen: Exchange[] = [];
      const results = await checkModel(capturing(retrying(liveTarget(proxy.url)), seen), MODEL, { checks: ['created-at.chat'] });
      expect(results.get('created-at.chat')!.reason).not.toMatch(/HARNESS_THROTTLED/);
      for (const exchange of seen) expect(exchange.attempts).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});

describe('a bodiless 204 to a request for a completion', () => {
  it('is an outage (retried, then error), never "supported", a route served or a missing created', async () => {
    const proxy = await startProxy(emulator.url, { answer: (request) => (chat(request.path) ? { status: 204 } : undefined) });
    try {
      const results = await checkModel(retrying(liveTarget(proxy.url)), MODEL, { checks: ['path-prefix', 'api.chat-completions', 'created-at.chat'] });
      expect(results.get('api.chat-completions')!.status).toBe('error');
      expect(results.get('api.chat-completions')!.reason).toMatch(/HARNESS_SERVER_ERROR: the endpoint answered 204 with an empty body/);
      expect(results.get('created-at.chat')!.status).toBe('error');
      expect(results.get('path-prefix')!.observed).not.toBe('both');
    } finally {
      await proxy.close();
    }
  });
});

describe('a 2xx event stream of keep-alive comments only', () => {
  const keepAlives = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: ': keep-alive\n\n: keep-alive\n\n' };

  it('never began: it is tried again like an empty stream, and an outage (error) when every attempt says so', async () => {
    const proxy = await startProxy(emulator.url, { answer: (request) => (request.body.includes('"stream":true') ? keepAlives : undefined) });
    try {
      const seen: Exchange[] = [];
      const results = await checkModel(capturing(retrying(liveTarget(proxy.url)), seen), MODEL, { checks: ['stream.chat-completions'] });
      const streams = seen.filter((ex) => ex.request.body?.includes('"stream":true'));
      expect(streams.length).toBeGreaterThan(0);
      for (const exchange of streams) expect(exchange.attempts).toBe(3);
      expect(results.get('stream.chat-completions')!.status).toBe('error');
      expect(results.get('stream.chat-completions')!.reason).toMatch(/sent no event on all 3 attempts \(keep-alive comments only\)/);
    } finally {
      await proxy.close();
    }
  });

  it('once: the retry gets the stream, and it passes', async () => {
    let left = 1;
    const proxy = await startProxy(emulator.url, { answer: (request) => (request.body.includes('"stream":true') && left-- > 0 ? keepAlives : undefined) });
    try {
      expect(verdicts(await checkModel(retrying(liveTarget(proxy.url)), MODEL, { checks: ['stream.chat-completions'] }))).toEqual({ 'stream.chat-completions': 'pass "conformant"' });
    } finally {
      await proxy.close();
    }
  });
});

describe('a route probe whose 4xx body could not be read', () => {
  const CHECKS = ['path-prefix', 'api.chat-completions'];
  const onOpenAiChat = (path: string) => path === '/openai/v1/chat/completions';

  it('the clean answers: /openai/v1 refuses chat, /v1 serves it', async () => {
    expect(verdicts(await checkModel(liveTarget(emulator.url), MODEL, { checks: CHECKS }))).toEqual({ 'path-prefix': 'pass "/v1"', 'api.chat-completions': 'pass "supported"' });
  });

  it.each([
    { name: 'stalled mid-body', fault: FAULTS.stallMid, said: /\/openai\/v1\/chat\/completions: 400 whose body stalled after \d+ character/ },
    { name: 'gzipped twice, labelled once', fault: FAULTS.doubleGzipOneLabel, said: /\/openai\/v1\/chat\/completions: 400 whose body is not readable text/ },
    { name: 'UTF-16 declared in its charset', fault: FAULTS.utf16, said: /\/openai\/v1\/chat\/completions: 400 whose body is not readable text/ },
  ])('$name: not read as "this route serves the model" (path-prefix was "both")', async ({ fault, said }) => {
    const { results, faulted } = await throughFault(fault, onOpenAiChat, CHECKS, { idleTimeoutMs: 300 });
    expect(faulted).toBeGreaterThan(0);
    const prefix = results.get('path-prefix')!;
    expect(prefix.observed).not.toBe('both');
    expect(prefix.reason).toMatch(said);
    // /openai/v1/responses still refuses the model on that route: the prefix is settled without the unread answer.
    expect(verdicts(results)).toEqual({ 'path-prefix': 'pass "/v1"', 'api.chat-completions': 'pass "supported"' });
  });
});
