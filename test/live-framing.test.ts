/**
 * What the wire said, said as such (review r1, findings 3, 5 and 6):
 * - an endpoint that writes more bytes than its own Content-Length (a length counted in characters, not UTF-8 bytes)
 *   is its own framing error, named (HARNESS_NOT_AN_ANSWER, not retried), not "cut short on the way" (retried, and a
 *   record run's "record again later" that can never help); a body cut at a length that was met says nothing of
 *   where it was cut, and a record run that keeps the old recording over it says a re-record helps only if it was
 *   cut on the way;
 * - a 101 Switching Protocols (undici's "bad upgrade", or a bare 101 that fails undici's assertion) is
 *   HARNESS_NOT_AN_ANSWER naming the 101, not "could not reach ... check the network", and not retried or counted;
 * - a connection that ends after a 103 Early Hints (or a 102) is the connection error it is: HARNESS_CONNECTION,
 *   retried and counted towards --give-up-after, naming the 1xx, never "instead of a final answer".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { readingOf } from '../src/transport/endpoint-breaker.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { isRetryable } from '../src/transport/retrying-target.ts';

/** What the raw server writes on each request's socket. */
let write: (socket: Socket) => void = () => {};
let server: Server;
let url: string;

/** A server that answers each request's head with `write(socket)` (the calls' `write`, read when it is called). */
async function rawServer(): Promise<{ server: Server; url: string }> {
  const made = createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      head = '';
      write(socket);
    });
  });
  await new Promise<void>((resolve) => made.listen(0, '127.0.0.1', resolve));
  return { server: made, url: `http://127.0.0.1:${(made.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  ({ server, url } = await rawServer());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (base = url) =>
  sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{"model":"m","messages":[]}' }, { step: 'main', prefix: '/v1' }, { baseUrl: base, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), timeoutMs: 5000 });

/** A chat completion with non-ASCII content: its length in characters is less than in UTF-8 bytes. */
const BODY = '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"café naïve"},"finish_reason":"stop"}]}';
const head = (length: number, extra = '') => `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n${extra}\r\n`;

describe('a body longer than its Content-Length (the endpoint counts characters, not bytes)', () => {
  it('is the endpoint\'s framing, named: not retried, not "cut short on the way"', async () => {
    write = (socket) => socket.write(head(BODY.length) + BODY);
    const exchange = await send();
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_NOT_AN_ANSWER');
    expect(exchange.error?.message).toContain(`a body longer than its Content-Length (${BODY.length})`);
    expect(exchange.error?.message).toMatch(/the endpoint's framing is wrong/);
    expect(exchange.error?.message).not.toMatch(/on the way/);
    expect(isRetryable(exchange)).toBe(false);
    expect(exchange.response?.status).toBe(200);
  });

  it('the same when the bytes past the length come in a later read', async () => {
    // Its own origin: undici closes the pool of an origin whose connection it just destroyed (the test before), and
    // a request already on that pool has its connection destroyed as soon as its answer ended.
    const own = await rawServer();
    try {
      write = (socket) => {
        const bytes = Buffer.from(BODY);
        socket.write(head(BODY.length));
        socket.write(bytes.subarray(0, BODY.length));
        // After the client read the declared bytes and the body ended: the harness waits a little for them.
        setTimeout(() => socket.write(bytes.subarray(BODY.length)), 20);
      };
      const exchange = await send(own.url);
      expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_NOT_AN_ANSWER');
      expect(exchange.error?.message).toContain('a body longer than its Content-Length');
    } finally {
      await new Promise<void>((resolve) => own.server.close(() => resolve()));
    }
  });

  it('a body cut at a length that was met says nothing of where it was cut, and is retried', async () => {
    const cut = Buffer.from(BODY).subarray(0, 100);
    write = (socket) => socket.write(head(cut.length) + cut.toString('latin1'), 'latin1');
    const exchange = await send();
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_STREAM_CUT');
    expect(exchange.error?.message).toContain('cut short on the way or by the endpoint itself');
    expect(isRetryable(exchange)).toBe(true);
  });

  it('a record run that keeps the recording over a cut says a re-record helps only if it was cut on the way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'record-cut-'));
    try {
      const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' };
      const ok: Exchange = { step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: BODY }] }, error: null, durationMs: 5, attempts: 1 };
      const cut: Exchange = { ...ok, response: { ...ok.response!, chunks: [{ t: 0, data: BODY.slice(0, 80) }] }, error: { code: 'HARNESS_STREAM_CUT', message: 'the endpoint answered 200 with a body that ends before its JSON does' }, attempts: 3 };
      const record = () => new RecordTarget({ id: 'unit', mode: 'live', send: async () => ok, caseFinished: async () => {}, close: async () => {} }, { fixturesDir: dir, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
      await record().caseFinished('m', 'c', [ok]);
      const error = await record().caseFinished('m', 'c', [cut]).catch((e: unknown) => e);
      expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
      expect((error as HarnessError).message).toMatch(/kept the previous recording .*\(record again later: that helps only if it was cut on the way, not by the endpoint, or pass --overwrite-failures/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a 101 Switching Protocols the request did not ask for', () => {
  it.each([
    ['with Upgrade headers (undici: bad upgrade)', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['bare (undici fails its own assertion)', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('%s: HARNESS_NOT_AN_ANSWER naming the 101, never "could not reach", not retried or counted', async (_name, switching) => {
    write = (socket) => socket.write(`${switching}${head(BODY.length)}${BODY}`);
    const exchange = await send();
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_NOT_AN_ANSWER');
    expect(exchange.error?.message).toContain('101 Switching Protocols');
    // One line: undici's assertion (a bare 101) spans lines and quotes its source.
    expect(exchange.error?.message).not.toContain('\n');
    expect(exchange.error?.message).not.toMatch(/could not reach|Check --endpoint/);
    expect(isRetryable(exchange)).toBe(false);
    expect(readingOf(exchange, false)).not.toBe('silent');
  });
});

describe('a connection that ends after an informational head', () => {
  it.each([
    ['a 103 Early Hints, then a reset', 'HTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n\r\n', 103],
    ['a 102 Processing, then a reset', 'HTTP/1.1 102 Processing\r\n\r\n', 102],
  ])('%s: HARNESS_CONNECTION naming it, retried and counted towards --give-up-after', async (_name, informational, status) => {
    write = (socket) => (socket.write(informational), setTimeout(() => socket.destroy(), 20));
    const exchange = await send();
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_CONNECTION');
    expect(exchange.error?.message).toContain(`after an informational ${status}`);
    expect(exchange.error?.message).not.toMatch(/instead of a final answer/);
    expect(isRetryable(exchange)).toBe(true);
    expect(readingOf(exchange, false)).toBe('silent');
  });
});
