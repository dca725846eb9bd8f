/**
 * Legal SSE a real endpoint sends that is no fault of the answer (review of a model played through a rewriting
 * proxy): a keep-alive comment after the last event is no unterminated event; an overload frame whose JSON spans two
 * `data:` lines is the same outage as on one line; keep-alives before the first event are the wait for the answer
 * (a timeout), not an answer that began and stalled. The faults next to them keep their verdicts.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { noAuth } from '../src/transport/auth/auth.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { LiveTarget } from '../src/transport/live-target.ts';
import { parseSseChunks } from '../src/transport/sse.ts';
import { standInAnswer } from '../src/transport/stand-in-answer.ts';
import { answeredWith, caseStep, judgeOn, sseText } from './helpers/suite-answers.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
const usage = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } };
const CHAT = sseText([chunk({ role: 'assistant', content: '' }), chunk({ content: 'OK' }), chunk({}, 'stop'), usage].map((v) => ({ data: JSON.stringify(v) }))) + 'data: [DONE]\n\n';

/** stream.chat-completions on `text` answering stream.chat's own request, with `extra` on the exchange. */
async function chatVerdict(text: string, extra: Partial<Exchange> = {}): Promise<CheckResult> {
  const at = await caseStep('stream.chat');
  return judgeOn('stream.chat-completions', 'stream.chat', 'chat-completions', [answeredWith(at, { sse: text }, extra)]);
}

describe('a keep-alive comment after the last event', () => {
  it('leaves no unterminated event; a field line there still is one', () => {
    for (const tail of [': keep-alive\n', ': keep-alive', ':\r\n: ping\r\n', '\n: keep-alive\n']) expect(parseSseChunks([{ t: 0, data: `${CHAT}${tail}` }]).trailing, tail).toBe('');
    expect(parseSseChunks([{ t: 0, data: `${CHAT}: keep-alive\ndata: {"cut` }]).trailing).toBe(': keep-alive\ndata: {"cut');
    expect(parseSseChunks([{ t: 0, data: `${CHAT}event: ping\n` }]).trailing).toBe('event: ping');
    // A blank line is two line endings in a row, each CRLF, CR or LF: `\n\r` and `\r\n\r` end an event too, a lone CRLF does not.
    for (const ending of ['\n\r', '\r\n\r', '\r\r', '\n\n', '\r\n\r\n']) expect(parseSseChunks([{ t: 0, data: `data: {}${ending}` }]).trailing, JSON.stringify(ending)).toBe('');
    expect(parseSseChunks([{ t: 0, data: 'data: {}\r\n' }]).trailing).toBe('data: {}');
  });

  it('is conformant in stream.chat-completions; a stream that ends inside an event is not', async () => {
    expect(await chatVerdict(CHAT)).toMatchObject({ status: 'pass', observed: 'conformant' });
    expect(await chatVerdict(`${CHAT}: keep-alive\n`)).toMatchObject({ status: 'pass', observed: 'conformant' });
    const cut = await chatVerdict(`${CHAT}: keep-alive\ndata: {"id":"c"`);
    expect(cut.observed).toBe('nonconformant');
    expect(cut.reason).toMatch(/unterminated event: : keep-alive data: \{"id":"c"/);
  });
});

describe('an overload frame whose JSON spans two data: lines', () => {
  const streamed = { method: 'POST', body: '{"model":"m","stream":true,"messages":[]}' } as const;
  const sse = (body: string) => standInAnswer(streamed, { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 0, data: body }] });
  /** `json` as one event whose data is split after its first `","` (legal SSE: the lines are joined with a line feed). */
  const split = (json: unknown, name?: string) => {
    const data = JSON.stringify(json);
    const at = data.indexOf('","') + 2;
    return `${name === undefined ? '' : `event: ${name}\n`}data: ${data.slice(0, at)}\ndata: ${data.slice(at)}\n\n`;
  };
  const hi = `data: ${JSON.stringify(chunk({ content: 'Hi' }))}\n\n`;

  it('is an outage mid-stream, as on one line, in each API', () => {
    const chat = sse(`${hi}${split({ error: { message: 'The server is overloaded', type: 'server_error', code: 'server_overloaded' } })}data: [DONE]\n\n`);
    expect(chat?.message).toMatch(/broke off after 1 event\(s\) with a throttle or a server failure \(The server is overloaded\)/);
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[]}}\n\n';
    expect(sse(`${start}${split({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error')}`)?.code).toBe('HARNESS_SERVER_ERROR');
    const created = 'data: {"type":"response.created","response":{"id":"r","status":"in_progress","error":null}}\n\n';
    const failed = split({ type: 'response.failed', sequence_number: 1, response: { id: 'r', status: 'failed', error: { code: 'server_error', message: 'The server had an error' } } }, 'response.failed');
    expect(sse(`${created}${failed}`)?.message).toMatch(/broke off after 1 event\(s\) .*\(The server had an error\)/);
  });

  it('and as the first event: the stream never began', () => {
    expect(sse(split({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }))?.message).toMatch(/whose first event is a throttle/);
  });

  it('stays the endpoint\'s answer when it is a client fault, the stream went on, or the split event is an answer', () => {
    expect(sse(`${hi}${split({ error: { message: 'content filtered', type: 'invalid_request_error', code: 'content_filter' } })}data: [DONE]\n\n`)).toBeUndefined();
    expect(sse(`${hi}${split({ error: { message: 'Overloaded', type: 'overloaded_error' } })}${hi}data: [DONE]\n\n`)).toBeUndefined();
    expect(sse(`${split({ type: 'message_start', message: { id: 'm', type: 'message' } }, 'message_start')}${split({ type: 'message_stop' }, 'message_stop')}`)).toBeUndefined();
  });

  it('a failure frame the stream ended without terminating still cut the answer short', () => {
    expect(sse(`${hi}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n`)?.code).toBe('HARNESS_SERVER_ERROR');
    // Ended by LF CR, it was terminated: counted once, after the one event before it.
    expect(sse(`${hi}data: {"error":{"message":"Overloaded","type":"overloaded_error"}}\n\r`)?.message).toMatch(/broke off after 1 event\(s\)/);
  });
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local event-stream server that writes `writes` (text, or a pause in ms) in order and then holds or ends. */
async function serve(writes: (string | number)[], end: boolean): Promise<string> {
  server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      for (const write of writes) {
        if (typeof write === 'number') await new Promise((resolve) => setTimeout(resolve, write));
        else res.write(write);
      }
      if (end) res.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const request = { method: 'POST' as const, path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[],"stream":true}' };
/** One request to `url` with the idle limit at `idleTimeoutMs` (200 ms unless a test needs a wide margin under load). */
const send = (url: string, timeoutMs: number, idleTimeoutMs = 200) => new LiveTarget('t', { baseUrl: url, auth: noAuth, timeoutMs, idleTimeoutMs }).send(request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });

describe('keep-alive comments and the idle limit', () => {
  it('before the first event are the wait for the answer: no stall, a timeout when it never comes', async () => {
    const url = await serve([': keep-al', 'ive\n\n', 100, ': ping\n\n'], false);
    const exchange = await send(url, 800);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.error?.code).toBe('HARNESS_TIMEOUT');
    expect((await chatVerdict('', { response: exchange.response, error: exchange.error })).status).toBe('error');
  });

  it('before a first event that comes after the idle limit: the stream is read whole', async () => {
    const url = await serve([': keep-alive\n\n', 500, CHAT], true);
    const exchange = await send(url, 5_000);
    expect(exchange.error).toBeNull();
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.response?.chunks.map((c) => c.data).join('')).toContain('[DONE]');
  });

  it('after the answer began, silence is still a stall, keep-alives or not before it', async () => {
    const first = `data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`;
    const exchange = await send(await serve([': keep-alive\n\n', first, ': keep-alive\n\n'], false), 5_000);
    expect(exchange.response?.stalledAfterMs).toBe(200);
    expect(await chatVerdict('', { response: exchange.response })).toMatchObject({ observed: 'stalled' });
  });

  it('after the answer began, keep-alives until --timeout are the endpoint saying it works: a timeout, not a stall seen', async () => {
    const first = `data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`;
    // A keep-alive every 100 ms against an idle limit of 1 s: a loaded machine delays a timer by far less than 900 ms.
    const exchange = await send(await serve([first, ...Array.from({ length: 80 }, (_, i) => (i % 2 ? ': keep-alive\n\n' : 100))], false), 2_500, 1_000);
    expect(exchange.response?.stalledAfterMs).toBeUndefined();
    expect(exchange.error?.code).toBe('HARNESS_TIMEOUT');
  });

  it('a recording marked stalled with only keep-alives is no stall: stream.* cannot observe it', async () => {
    const verdict = await chatVerdict(': keep-alive\n\n', { response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 1, data: ': keep-alive\n\n' }], stalledAfterMs: 15_000 } });
    expect(verdict).toMatchObject({ status: 'error', observed: null });
    expect(verdict.reason).toMatch(/HARNESS_TIMEOUT: the headers came and then only keep-alive comments, then nothing for 15000 ms/);
    const began = await chatVerdict('', { response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 1, data: ': keep-alive\n\ndata: {"id":"c"' }], stalledAfterMs: 15_000 } });
    expect(began).toMatchObject({ observed: 'stalled' });
  });
});
