/**
 * --max-tokens-total when the endpoint reports no usage (usage null, a stream without a usage event, an answer cut,
 * stalled or timed out): each such request counts at its estimate (what --tpm counts: prompt characters/4 plus its
 * max tokens, or the model's maximum or 4096 when it states none), and the run says how many were. Before, they
 * counted 0: a run against an endpoint that reports no usage sent every request under a cap of 50 tokens, and said
 * "0 tokens".
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ProgressReporter } from '../src/run/progress-reporter.ts';
import type { Exchange, ExchangeResponse } from '../src/transport/exchange.ts';
import { ScheduledTarget } from '../src/transport/scheduled-target.ts';
import { LocalScheduler, type Figures } from '../src/transport/scheduler.ts';
import type { SendContext, Target } from '../src/transport/target.ts';
import { countedUsage, usageOf } from '../src/transport/usage.ts';
import { passAnswer, startEmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const request = { method: 'POST' as const, path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[],"max_tokens":16}' };
const json = (status: number, body: unknown): ExchangeResponse => ({ status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 1, data: JSON.stringify(body) }] });
const sse = (...events: unknown[]): ExchangeResponse => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events.map((e, i) => ({ t: i, data: `data: ${JSON.stringify(e)}\n\n` })) });
const exchange = (over: Partial<Exchange>): Exchange => ({ step: 'main', prefix: '/v1', request, response: null, error: null, durationMs: 1, attempts: 1, ...over });
const chunk = { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'OK' }, finish_reason: null }] };
const usage = { prompt_tokens: 7, completion_tokens: 3 };

describe('what a request counts toward --max-tokens-total', () => {
  it.each([
    ['a 200 with usage null', exchange({ response: json(200, { id: 'x', choices: [], usage: null }) }), { input: 0, output: 0, estimated: 100 }],
    ['a 200 with no usage at all', exchange({ response: json(200, { id: 'x', choices: [] }) }), { input: 0, output: 0, estimated: 100 }],
    ['a stream without a usage event (no stream_options.include_usage)', exchange({ response: sse(chunk, chunk) }), { input: 0, output: 0, estimated: 100 }],
    ['a stream whose chunks say usage null', exchange({ response: sse({ ...chunk, usage: null }) }), { input: 0, output: 0, estimated: 100 }],
    ['a stream cut after its text', exchange({ response: sse(chunk), error: { code: 'HARNESS_STREAM_CUT', message: 'cut' } }), { input: 0, output: 0, estimated: 100 }],
    ['a stream that stalled after its text', exchange({ response: { ...sse(chunk), stalledAfterMs: 300 } }), { input: 0, output: 0, estimated: 100 }],
    ['no answer before --timeout', exchange({ error: { code: 'HARNESS_TIMEOUT', message: 'no complete answer within 300 ms' } }), { input: 0, output: 0, estimated: 100 }],
    // What it reported, and the estimate's rest: the answer did not say all it spent.
    ['a stream cut after it reported some usage', exchange({ response: sse({ ...chunk, usage: { prompt_tokens: 40, completion_tokens: 0 } }), error: { code: 'HARNESS_STREAM_CUT', message: 'cut' } }), { input: 40, output: 0, estimated: 60 }],
    ['a whole answer with its usage', exchange({ response: json(200, { id: 'x', choices: [], usage }) }), { input: 7, output: 3, estimated: 0 }],
    ['a whole stream with a usage event', exchange({ response: sse(chunk, { ...chunk, choices: [], usage }) }), { input: 7, output: 3, estimated: 0 }],
    ['an error status (the endpoint ran nothing)', exchange({ response: json(400, { error: { message: 'bad' } }) }), { input: 0, output: 0, estimated: 0 }],
    ['a connection that failed before any answer', exchange({ error: { code: 'HARNESS_CONNECTION', message: 'could not reach (ECONNREFUSED)' } }), { input: 0, output: 0, estimated: 0 }],
    ['a token count (nothing generated)', exchange({ request: { ...request, path: '/anthropic/v1/messages/count_tokens' }, response: json(200, { input_tokens: 12 }) }), { input: 0, output: 0, estimated: 0 }],
    ['a background response still queued (its poll reports the usage)', exchange({ response: json(200, { id: 'r', object: 'response', status: 'queued', usage: null }) }), { input: 0, output: 0, estimated: 0 }],
  ])('%s', (_name, ex, counted) => {
    expect(countedUsage(ex, 100)).toEqual(counted);
  });

  it('leaves what a cell reports as the endpoint reported it (usageOf)', () => {
    expect(usageOf(exchange({ response: json(200, { usage: null }) }))).toEqual({ input: 0, output: 0 });
    expect(usageOf(exchange({ response: json(200, { usage }) }))).toEqual({ input: 7, output: 3 });
  });
});

/** A target whose every answer is a 200 with usage null. */
const noUsage: Target = {
  id: 'site',
  mode: 'live',
  send: (req, context: SendContext) => Promise.resolve({ step: context.step, prefix: context.prefix, request: req, response: json(200, { id: 'x', choices: [], usage: null }), error: null, durationMs: 1, attempts: 1 }),
  caseFinished: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

describe('the scheduler under --max-tokens-total', () => {
  it('reaches the cap on estimates when no answer reports usage, and says so', async () => {
    const scheduler = new LocalScheduler({ concurrency: 1, perModel: 1, tpm: 0, maxRequests: 0, maxTokensTotal: 54 });
    const target = new ScheduledTarget(noUsage, scheduler);
    const context: SendContext = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1', maxTokens: 16 };
    const first = await target.send(request, context);
    expect(first.error).toBeNull();
    const estimate = Math.ceil(request.body.length / 4) + 16;
    expect(scheduler.figures).toMatchObject({ inputTokens: 0, outputTokens: 0, estimatedTokens: estimate, estimatedRequests: 1 });
    await target.send(request, context);
    // 2 x (11 + 16) = 54: the cap is reached, the third is not sent.
    const third = await target.send(request, context);
    expect(third.error).toMatchObject({ code: 'HARNESS_BUDGET', message: `not sent: the run reached --max-tokens-total 54 (counting 2 request(s) that reported no usage at an estimate, ${2 * estimate} tokens)` });
    expect(scheduler.figures.requests).toBe(2);
  });

  it('the progress line says the tokens counted at an estimate, and how many requests reported no usage', () => {
    let text = '';
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e: string, done: () => void) => ((text += String(c)), done()) }), { isTTY: false });
    const figures: Figures = { requests: 5, inputTokens: 0, outputTokens: 0, estimatedTokens: 4200, estimatedRequests: 3, waitingOnTpm: 0, inFlight: 0, peakInFlight: 1 };
    const reporter = new ProgressReporter({ total: 1, stream });
    reporter.start({ figures });
    reporter.end();
    expect(text).toContain('0 tokens + 4200 estimated (3 request(s) reported no usage)');
  });
});

describe('a live run against an endpoint that reports no usage', () => {
  it('stops at --max-tokens-total, partial, and every report says the cap counted estimates', async () => {
    const emulator = await catalogEmulator();
    /** POSTs the emulator answered with a 2xx (what spends tokens; a probe's 404 on another route does not). */
    let posts = 0;
    // Every usage object becomes null, in JSON bodies and in stream events alike (the reviewer's MODE=nousage).
    const proxy = await startEmulatorProxy(emulator.url, {
      answer: (req, answer, res) => {
        if (req.method === 'POST' && answer.status < 300) posts += 1;
        passAnswer(answer, res, {}, Buffer.from(answer.body.toString('utf8').replace(/"usage":\{"[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, '"usage":null')));
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'mantle-token-cap-'));
    try {
      const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', proxy.url, '--surface', 'mantle', '--models', 'openai.gpt-oss-20b', '--max-tokens-total', '50', '--concurrency', '1', '--report-dir', dir, '--plain']);
      expect(run.code).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.run.partial).toBe(true);
      expect(matrix.run.partialReason).toMatch(/spend cap: some requests' estimates were more than what was left under --max-tokens-total 50 \(counting 1 request\(s\) that reported no usage at an estimate, \d+ tokens\)/);
      expect(run.stdout).toContain("partial run: spend cap: some requests' estimates were more than what was left under --max-tokens-total 50 (counting 1 request(s) that reported no usage");
      expect(run.stderr).toMatch(/done: .* · 0 tokens \+ \d+ estimated \(1 request\(s\) reported no usage\)/);
      // The one generating request whose estimate fits under 50 went; counted at that estimate, it left no room for another.
      expect(posts).toBe(1);
      expect((await readFile(join(dir, 'matrix.md'), 'utf8')).replace(/\\/g, '')).toContain('reported no usage at an estimate');
    } finally {
      await proxy.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
