/**
 * Two things a live run must tell apart from a blip: a body that began and went silent (kept, marked stalled after
 * the idle limit, tried once more and judged stalled only when that stalls too; --timeout is not waited out), and a 5xx that comes back the same on every retry
 * (an `error` whose reason says deterministic), unlike one whose answers differ.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noAuth } from '../src/transport/auth/auth.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { getCheck } from '../src/checks/registry.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';

const request = {
  method: 'POST' as const,
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, stream: true }),
};
const context = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' };

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local server; `handle` gets the request's number (from 1). */
async function serve(handle: (res: import('node:http').ServerResponse, n: number) => void): Promise<{ url: string; count: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(res, ++n));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n };
}

const retrying = (url: string, http: { timeoutMs: number; idleTimeoutMs: number }) =>
  new RetryingTarget(new LiveTarget('t', { baseUrl: url, auth: noAuth, ...http }), { retries: 2, baseDelayMs: 1, maxDelayMs: 5 });

/** A stream that sends two events and then nothing, with the connection open. */
const stall = (res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"choices":[]}\n\n');
  res.write('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
};

describe('a body that goes silent', () => {
  it('is kept and marked stalled after the idle limit, well before --timeout, tried once more (not three times)', async () => {
    const { url, count } = await serve(stall);
    const started = performance.now();
    const exchange = await retrying(url, { timeoutMs: 20_000, idleTimeoutMs: 300 }).send(request, context);
    expect(exchange.error).toBeNull();
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.stalledAfterMs).toBe(300);
    expect(exchange.response?.chunks.map((c) => c.data).join('')).toContain('"Hi"');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(exchange.attempts).toBe(2);
    expect(count()).toBe(2);
    const verdict = getCheck('stream.chat-completions')!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'stream.chat', api: 'chat-completions', exchanges: [exchange] }] });
    expect(verdict).toMatchObject({ observed: 'stalled' });
    expect((verdict as { reason: string }).reason).toMatch(/the stream stalled: no data for 300 ms/);
  });

  it('a stall after a 5xx that used up --retries still gets its one more try', async () => {
    const { url, count } = await serve((res, n) => {
      if (n === 1) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"busy"}}');
      stall(res);
      if (n === 3) res.end('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const once = new RetryingTarget(new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs: 20_000, idleTimeoutMs: 300 }), { retries: 1, baseDelayMs: 1, maxDelayMs: 5 });
    const exchange = await once.send(request, context);
    expect(count()).toBe(3);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
  });

  it('a stall once, then a whole stream: the whole stream is judged (one hiccup does not decide)', async () => {
    const { url, count } = await serve((res, n) => {
      stall(res);
      if (n === 2) res.end('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const exchange = await retrying(url, { timeoutMs: 20_000, idleTimeoutMs: 300 }).send(request, context);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(count()).toBe(2);
  });

  it('is not a client that throws: the SDK checks could not observe it, a whole stream still parses', async () => {
    const { url } = await serve((res, n) => {
      stall(res);
      // The second answer ends as a stream should.
      if (n === 2) res.end('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const target = new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs: 20_000, idleTimeoutMs: 300 });
    const judged = async (exchange: Exchange) =>
      getCheck('sdk.openai.chat-stream')!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'stream.chat', api: 'chat-completions', exchanges: [exchange] }] });
    const stalled = await judged(await target.send(request, context));
    expect(stalled).toMatchObject({ status: 'error', observed: null });
    expect(stalled.reason).toMatch(/^could not observe: the answer stalled \(no data for 300 ms\)/);
    expect(await judged(await target.send(request, context))).toMatchObject({ status: 'pass', observed: 'ok' });
  });

  it('that a later step needs makes the case an error, never "skipped: answered without it"', async () => {
    const emulator = await catalogEmulator();
    try {
      const live = liveTarget(emulator.url);
      // The forced call's answer arrives half and goes silent (as a live run keeps it, stalled after 2 s).
      const stalling: Target = {
        id: live.id,
        mode: live.mode,
        caseFinished: () => live.caseFinished(),
        close: () => live.close(),
        send: async (req, ctx) => {
          const exchange = await live.send(req, ctx);
          if (ctx.caseId !== 'tools.chat' || ctx.step !== 'call' || !exchange.response) return exchange;
          const text = exchange.response.chunks.map((c) => c.data).join('');
          return { ...exchange, response: { ...exchange.response, chunks: [{ t: 0, data: text.slice(0, text.length >> 1) }], stalledAfterMs: 2000 } };
        },
      };
      const results = await checkModel(stalling, 'qwen.qwen3-32b', { checks: ['tools.chat.forced-call', 'tools.chat.result-turn'] });
      for (const check of ['tools.chat.forced-call', 'tools.chat.result-turn']) {
        expect(results.get(check), check).toMatchObject({ status: 'error', observed: null });
      }
      expect(results.get('tools.chat.result-turn')!.reason).toMatch(/HARNESS_STALLED: .*step call's answer stalled \(no data for 2000 ms\)/);
      // Whole, the same case reads as usual.
      const whole = await checkModel(live, 'qwen.qwen3-32b', { checks: ['tools.chat.forced-call', 'tools.chat.result-turn'] });
      expect(whole.get('tools.chat.result-turn')?.status).toBe('pass');
    } finally {
      await emulator.close();
    }
  });

  it('before its first byte (headers, then silence: queueing, a cold start) is a timeout under --timeout, retried, never stalled', async () => {
    const { url, count } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
    });
    const exchange = await retrying(url, { timeoutMs: 900, idleTimeoutMs: 200 }).send(request, context);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.error?.code).toBe('HARNESS_TIMEOUT');
    expect(count()).toBe(3);
    const verdict = await getCheck('stream.chat-completions')!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'stream.chat', api: 'chat-completions', exchanges: [exchange] }] });
    expect(verdict).toMatchObject({ status: 'error', observed: null });
  });

  it('after a slow first byte still streams whole: the idle limit times silence between reads, not the wait for the first', async () => {
    const { url } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      setTimeout(() => {
        res.write('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n');
        res.end('data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
      }, 600);
    });
    const exchange = await new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs: 5_000, idleTimeoutMs: 200 }).send(request, context);
    expect(exchange.error).toBeNull();
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.response?.chunks.map((c) => c.data).join('')).toContain('[DONE]');
  });

  it('marked stalled without a byte (an older recording) is no `stalled` verdict: stream.* cannot observe it', async () => {
    const exchange: Exchange = {
      step: 'main', prefix: '/v1', request, attempts: 1, durationMs: 15_100, error: null,
      response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [], stalledAfterMs: 15_000 },
    };
    const verdict = await getCheck('stream.chat-completions')!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'stream.chat', api: 'chat-completions', exchanges: [exchange] }] });
    expect(verdict).toMatchObject({ status: 'error', observed: null });
    expect(verdict.reason).toMatch(/HARNESS_TIMEOUT.*not a stall/);
    // With data before the silence, the same marking is the endpoint's stall.
    const began = { ...exchange, response: { ...exchange.response!, chunks: [{ t: 5, data: 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[]}\n\n' }] } };
    const stalled = await getCheck('stream.chat-completions')!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'stream.chat', api: 'chat-completions', exchanges: [began] }] });
    expect(stalled).toMatchObject({ observed: 'stalled' });
  });

  it('with --idle-timeout 0 waits for --timeout and is a timeout error, not a stall', async () => {
    const { url } = await serve(stall);
    const exchange = await new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs: 600, idleTimeoutMs: 0 }).send(request, context);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.error).not.toBeNull();
  });
});

describe('a 5xx on every retry', () => {
  it('with the same body each time is an error that says deterministic', async () => {
    const { url, count } = await serve((res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"api_error","message":"Internal server error","type":"api_error"}}');
    });
    const exchange = await retrying(url, { timeoutMs: 5_000, idleTimeoutMs: 1_000 }).send({ ...request, body: request.body.replace('"stream":true', '"stream":false') }, context);
    expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(exchange.error?.message).toMatch(/deterministic/);
    expect(count()).toBe(3);
  });

  it('with bodies that differ is an error that does not', async () => {
    const { url } = await serve((res, n) => {
      res.writeHead(n % 2 ? 500 : 503, { 'content-type': 'application/json' });
      res.end(`{"error":{"message":"overloaded, try again (${n % 2 ? 'a' : 'b'})"}}`);
    });
    const exchange = await retrying(url, { timeoutMs: 5_000, idleTimeoutMs: 1_000 }).send(request, context);
    expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(exchange.error?.message).not.toMatch(/deterministic/);
  });
});
