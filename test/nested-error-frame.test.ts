/**
 * Mantle's stream error frame `{"type":"error","error":"<a string of JSON>"}` whose string holds the whole error
 * envelope (`{"error":{"code":"throttling_error","message":...}}`) is read as the same frame with the error flat in
 * the string: a throttle or a server failure in it is an outage (HARNESS_SERVER_ERROR, retried, never recorded over a
 * good answer), a client fault is the stream checks' to judge, and a string that is not JSON keeps its reading by
 * words. The stream checks that read error events (tools.messages.stream-call, messages.thinking-stream) read it the
 * same way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { ExchangeRequest } from '../src/transport/exchange.ts';
import { heldError } from '../src/transport/error-fault.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import { standInAnswer } from '../src/transport/stand-in-answer.ts';
import { startCaseJudge, type CaseJudge, type ScriptedEvents } from './helpers/case-judge.ts';
import { passAnswer, startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli, liveTarget } from './helpers/harness.ts';

const THROTTLE = { code: 'throttling_error', message: 'Too many tokens, please wait before trying again.', type: 'throttling_error' };
/** The throttle as the reviewer's mimic sent it: the envelope inside the frame's string. */
const nested = (error: Record<string, unknown>) => JSON.stringify({ type: 'error', error: JSON.stringify({ error }) });
/** The same error flat in the string, as the emulator's errorFrame quirk sends it. */
const flat = (error: Record<string, unknown>) => JSON.stringify({ type: 'error', error: JSON.stringify(error) });
/** The envelope nested one level in an object rather than a string. */
const inObject = (error: Record<string, unknown>) => JSON.stringify({ type: 'error', error: { error } });

const HI = 'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n';
const streamed = { method: 'POST', body: '{"model":"m","stream":true,"messages":[]}' } as const;
const sse = (body: string) => standInAnswer(streamed, { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 0, data: body }] });

describe('an error envelope inside a stream\'s error frame', () => {
  it('a throttle in it is an outage, first or after the stream began, as the flat frame is', () => {
    for (const frame of [nested, flat, inObject]) {
      const first = sse(`data: ${frame(THROTTLE)}\n\n`);
      expect(first?.code, frame.name).toBe('HARNESS_SERVER_ERROR');
      expect(first?.message, frame.name).toMatch(/whose first event is a throttle or a server failure \(Too many tokens, please wait before trying again\.\)/);
      const later = sse(`${HI}${HI}data: ${frame(THROTTLE)}\n\n`);
      expect(later?.message, frame.name).toMatch(/broke off after 2 event\(s\) with a throttle or a server failure \(Too many tokens, please wait/);
    }
    // A server failure named only by its code, and a status said in the code.
    expect(sse(`${HI}data: ${nested({ code: 'model_error', message: 'upstream model error' })}\n\n`)?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse(`${HI}data: ${nested({ code: 503, message: 'Stream removed' })}\n\n`)?.code).toBe('HARNESS_SERVER_ERROR');
  });

  it('a client fault or an error of no known kind in it is read as the flat one: the stream checks judge it', () => {
    const faults = [
      { code: 'validation_error', message: 'temperature must be at most 2', type: 'invalid_request_error' },
      { message: 'boom' },
      { code: 'content_filter', message: 'the output was filtered', type: 'invalid_request_error' },
    ];
    for (const fault of faults) {
      for (const frame of [nested, flat, inObject]) {
        expect(sse(`data: ${frame(fault)}\n\n`), `${frame.name} ${fault.message}`).toBeUndefined();
        expect(sse(`${HI}data: ${frame(fault)}\n\n`), `${frame.name} ${fault.message}`).toBeUndefined();
      }
    }
  });

  it('a string that is not JSON keeps its reading by words; words in an envelope are read the same', () => {
    const words = (text: string) => `data: ${JSON.stringify({ type: 'error', error: text })}\n\n`;
    expect(sse(`${HI}${words('Too many requests, please slow down')}`)?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse(`${HI}${words('the prompt is not allowed')}`)).toBeUndefined();
    expect(sse(`${HI}${words('{not json')}`)).toBeUndefined();
    const enveloped = (text: string) => `data: ${JSON.stringify({ type: 'error', error: JSON.stringify({ error: text }) })}\n\n`;
    expect(sse(`${HI}${enveloped('Too many requests, please slow down')}`)?.code).toBe('HARNESS_SERVER_ERROR');
    expect(sse(`${HI}${enveloped('the prompt is not allowed')}`)).toBeUndefined();
  });

  it('heldError unwraps one level, in a string or an object, and leaves words and a named error alone', () => {
    expect(heldError(JSON.stringify({ error: THROTTLE }))).toEqual(THROTTLE);
    expect(heldError({ error: THROTTLE })).toEqual(THROTTLE);
    expect(heldError(JSON.stringify(THROTTLE))).toEqual(THROTTLE);
    expect(heldError(THROTTLE)).toBe(THROTTLE);
    expect(heldError('Too many tokens')).toBe('Too many tokens');
    expect(heldError('[1,2]')).toBe('[1,2]');
    expect(heldError('{"error":"Too many tokens"}')).toBe('Too many tokens');
    // An object that names its own class keeps it: its `error` string is not the whole error.
    expect(heldError({ code: 'throttling_error', error: 'details' })).toEqual({ code: 'throttling_error', error: 'details' });
    expect(heldError(null)).toBeUndefined();
  });
});

/** A server on 127.0.0.1 port 0 that answers a stream: the throttle in its envelope `throttles` times, then a good one. */
async function throttlingStream(throttles: number): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(hits <= throttles ? `${HI}${HI}data: ${nested(THROTTLE)}\n\n` : `${HI}data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the throttle in its envelope, on the wire', () => {
  const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model":"m","stream":true,"messages":[]}' };
  const context = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' };
  const noWait = { baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() };

  it('is retried like the flat form, and is HARNESS_SERVER_ERROR when every attempt throttles', async () => {
    const server = await throttlingStream(Number.POSITIVE_INFINITY);
    try {
      const exchange = await new RetryingTarget(liveTarget(server.url), { retries: 2, ...noWait }).send(request, context);
      expect(server.hits()).toBe(3);
      expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
      expect(exchange.error?.message).toMatch(/broke off after 2 event\(s\) with a throttle or a server failure \(Too many tokens/);
    } finally {
      await server.close();
    }
  });

  it('once, then a stream, is the stream', async () => {
    const server = await throttlingStream(1);
    try {
      const exchange = await new RetryingTarget(liveTarget(server.url), { retries: 2, ...noWait }).send(request, context);
      expect(server.hits()).toBe(2);
      expect(exchange.error).toBeNull();
      expect(exchange.attempts).toBe(2);
    } finally {
      await server.close();
    }
  });
});

/** The emulator's streams cut after two events by the throttle in its envelope, as the reviewer's mimic does. */
function throttledStreams(upstream: string): Promise<EmulatorProxy> {
  return startEmulatorProxy(upstream, {
    answer(_request, answer, res) {
      if (!String(answer.headers['content-type'] ?? '').includes('event-stream')) return passAnswer(answer, res);
      const events = answer.body.toString('utf8').split('\n\n').filter((e) => e.trim() !== '');
      passAnswer(answer, res, {}, Buffer.from(`${events.slice(0, 2).map((e) => `${e}\n\n`).join('')}data: ${nested(THROTTLE)}\n\n`));
    },
  });
}

describe('a run against an endpoint whose streams throttle in the envelope form', () => {
  let dir: string;
  let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
  let proxy: EmulatorProxy;
  const MODEL = 'openai.gpt-oss-20b';
  /** The stream checks of the APIs the model serves (it serves no Messages: stream.messages is unsupported). */
  const STREAMED = ['stream.chat-completions', 'stream.responses'];
  const args = (mode: string, url: string, reports: string, more: string[] = []) => ['run', '--mode', mode, '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--models', MODEL, '--checks', 'stream.*', '--report-dir', reports, '--plain', ...more];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-nested-frame-'));
    emulator = await catalogEmulator();
    proxy = await throttledStreams(emulator.url);
  }, 60_000);
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the stream checks an error (an outage, after the retries), never a fail', async () => {
    const reports = join(dir, 'live');
    const run = await cli(args('live', proxy.url, reports, ['--retries', '1']));
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const streams = matrix.results.filter((r) => STREAMED.includes(r.check));
    expect(streams.map((r) => r.check).sort(), run.stdout).toEqual(STREAMED);
    for (const cell of streams) {
      expect(cell.status, `${cell.check}: ${cell.reason}`).toBe('error');
      expect(cell.reason).toMatch(/HARNESS_SERVER_ERROR: .*broke off after 2 event\(s\) with a throttle or a server failure \(Too many tokens.*\(after 2 attempts\)/);
    }
    expect(run.stdout).not.toMatch(/nonconformant/);
  }, 120_000);

  it('keeps good recordings byte for byte in a record run', async () => {
    const fixtures = join(dir, 'fixtures');
    const record = (url: string, reports: string) => cli(args('record', url, join(dir, reports), ['--fixtures', fixtures, '--target-name', 'site', '--retries', '0']));
    // Only the streams throttle: the other cases the run needs (the route probes) answer and are recorded again.
    const streams = async () => {
      const folder = join(fixtures, 'site', MODEL);
      const names = (await readdir(folder)).filter((name) => name.startsWith('stream.')).sort();
      return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(folder, name), 'utf8') })));
    };
    const good = await record(emulator.url, 'good');
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const before = await streams();
    expect(before.length).toBeGreaterThan(0);
    for (const { text } of before) expect(text).not.toMatch(/throttling_error/);
    const throttled = await record(proxy.url, 'throttled');
    expect(throttled.code, throttled.stdout).toBe(1);
    expect(await streams()).toEqual(before);
    expect(throttled.stdout).toMatch(/result\(s\) rest on previous recordings, kept because the endpoint failed/);
    const matrix = JSON.parse(await readFile(join(dir, 'throttled', 'matrix.json'), 'utf8')) as Matrix;
    const kept = matrix.results.filter((r) => STREAMED.includes(r.check));
    expect(kept.map((r) => r.check).sort()).toEqual(STREAMED);
    for (const cell of kept) expect(cell.reason, cell.check).toMatch(/^HARNESS_RECORDING_KEPT: .*Too many tokens/);
  }, 120_000);
});

describe('the stream checks that read an error event', () => {
  let judge: CaseJudge;
  beforeAll(async () => {
    judge = await startCaseJudge();
  });
  afterAll(() => judge.close());

  /** A Messages stream with the throttle in its envelope mid-way, which the stream went on after (so the transport left it to the check). */
  const messages = (error: unknown): ScriptedEvents => [
    { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } },
    { type: 'error', error },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
    { type: 'message_stop' },
  ];
  const overloaded = { type: 'overloaded_error', message: 'Overloaded' };

  it.each([
    { name: 'the object (as Anthropic sends it)', error: overloaded },
    { name: 'the flat string', error: JSON.stringify(overloaded) },
    { name: 'the envelope in a string', error: JSON.stringify({ error: overloaded }) },
    { name: 'Mantle\'s throttle in its envelope', error: JSON.stringify({ error: THROTTLE }) },
  ])('read a server failure in $name as the endpoint breaking (error), not a verdict', async ({ error }) => {
    const tools = await judge.judge('tools.messages-stream', 'tools.messages.stream-call', { events: messages(error) });
    expect(tools.status, tools.reason).toBe('error');
    const thinking = await judge.judge('messages.thinking-stream', 'messages.thinking-stream', { events: messages(error) });
    expect(thinking.status, thinking.reason).toBe('error');
  });

  it('read a client fault in the envelope as the flat one: a rejection', async () => {
    const refused = { type: 'invalid_request_error', message: 'thinking is not supported' };
    for (const error of [refused, JSON.stringify({ error: refused })]) {
      const thinking = await judge.judge('messages.thinking-stream', 'messages.thinking-stream', { events: messages(error) });
      expect(thinking.status, thinking.reason).not.toBe('error');
      expect(thinking.observed).toBe('rejected');
    }
  });
});
