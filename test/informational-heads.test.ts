/**
 * Heads before (or instead of) the final answer. A 103 Early Hints (what a CDN sends with Early Hints on) is skipped,
 * as fetch skips it, and the final answer is judged: it crashed undici's decompress interceptor and read as "could not
 * reach ... Check --endpoint" (exit 2). An unsolicited 100 Continue (which undici refuses before any handler sees it)
 * is HARNESS_NOT_AN_ANSWER naming it; a connection that ends after a 103 is a connection error naming the 103.
 * Response headers over undici's limit are said as such (not "could not reach"). Only the connection that ended counts
 * towards --give-up-after as a request nothing answered.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { readingOf } from '../src/transport/endpoint-breaker.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { passAnswer, startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const BODY = '{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"x"}]}';
let answer: Answer = (_req, res) => res.end(BODY);
let server: Server;
let url: string;
/** Sends the head of `status` and closes: a 1xx and no final answer. */
let raw: NetServer;
let rawUrl: string;
let rawStatus = 103;

beforeAll(async () => {
  server = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  raw = createNetServer((socket) => socket.once('data', () => socket.end(`HTTP/1.1 ${rawStatus} Informational\r\nlink: </x.css>; rel=preload\r\n\r\n`)));
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  await new Promise<void>((resolve) => raw.close(() => resolve()));
});

const send = (base = url) => sendHttp({ method: 'GET', path: '/v1/models', headers: {} }, { step: 'main', prefix: '/v1' }, { baseUrl: base, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), timeoutMs: 5000 });

describe('an informational head before the final answer is skipped', () => {
  it.each([
    ['103 Early Hints', (res: ServerResponse) => res.writeEarlyHints({ link: '</x.css>; rel=preload; as=style' })],
    ['two 103s', (res: ServerResponse) => (res.writeEarlyHints({ link: '</a.css>; rel=preload' }), res.writeEarlyHints({ link: '</b.css>; rel=preload' }))],
  ])('%s: the final 200 is the answer', async (_name, inform) => {
    answer = (_req, res) => {
      inform(res);
      setTimeout(() => (res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length }), res.end(BODY)), 20);
    };
    const exchange = await send();
    expect(exchange.error, exchange.error?.message).toBeNull();
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.chunks.map((c) => c.data).join('')).toBe(BODY);
  });

  it('a gzip answer after a 103 is still decoded', async () => {
    const zipped = gzipSync(BODY);
    answer = (_req, res) => {
      res.writeEarlyHints({ link: '</x.css>; rel=preload' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': zipped.length });
      res.end(zipped);
    };
    const exchange = await send();
    expect(exchange.error, exchange.error?.message).toBeNull();
    expect(exchange.response?.contentEncoding).toBe('gzip');
    expect(exchange.response?.chunks.map((c) => c.data).join('')).toBe(BODY);
  });

  it('a 103 and then a closed connection is the connection error it is (retried, counted), naming the 103, not "could not reach"', async () => {
    rawStatus = 103;
    const exchange = await send(rawUrl);
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_CONNECTION');
    expect(exchange.error?.message).toContain('an informational 103');
    expect(exchange.error?.message).not.toMatch(/could not reach|instead of a final answer/);
    expect(readingOf(exchange, false)).toBe('silent');
  });
});

describe('an unsolicited 100 Continue', () => {
  // undici's parser (and so Node's fetch, and the SDKs on it) refuses a 100 before any handler sees it: the harness
  // cannot skip it, and says what came instead of "could not reach".
  it.each([
    ['before a final answer', () => (answer = (_req, res) => (res.writeContinue(), res.writeHead(200, { 'content-type': 'application/json' }), res.end(BODY))), () => url],
    ['and then nothing', () => (rawStatus = 100), () => rawUrl],
  ])('%s: HARNESS_NOT_AN_ANSWER naming it, never counted as no answer', async (_name, arrange, where) => {
    arrange();
    const exchange = await send(where());
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_NOT_AN_ANSWER');
    expect(exchange.error?.message).toContain('100 Continue');
    expect(exchange.error?.message).not.toMatch(/could not reach/);
    expect(readingOf(exchange, false)).not.toBe('silent');
  });
});

describe('response headers over the limit', () => {
  it('are said as such, with the limit: the endpoint answered, it was not unreachable', async () => {
    answer = (_req, res) => (res.writeHead(200, { 'content-type': 'application/json', 'x-big': 'a'.repeat(maxHeaderSize + 1000) }), res.end(BODY));
    const exchange = await send();
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_NOT_AN_ANSWER');
    expect(exchange.error?.message).toContain(`response headers larger than ${maxHeaderSize} bytes`);
    expect(exchange.error?.message).not.toMatch(/could not reach|Check --endpoint/);
    // An answer too big to read is no silence: --give-up-after does not count it.
    expect(readingOf(exchange, false)).not.toBe('silent');
  });
});

describe('a run against an endpoint that sends 103 Early Hints before every answer', () => {
  let emulator: RunningEmulator;
  let proxy: EmulatorProxy;
  beforeAll(async () => {
    emulator = await catalogEmulator();
    proxy = await startEmulatorProxy(emulator.url, {
      answer: (_request, answer, res) => {
        res.writeEarlyHints({ link: '</x.css>; rel=preload; as=style' });
        passAnswer(answer, res);
      },
    });
  }, 60_000);
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  it('is judged on its final answers: the preflight passes and so do the checks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'early-hints-'));
    try {
      const endpoint = proxy.url;
      const run = await cli(['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'api.chat-completions,models.listed', '--report-dir', dir, '--plain']);
      expect(run.stderr).not.toMatch(/Cannot reach|ERR_ASSERTION/);
      expect(run.code, run.stderr).toBe(0);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      for (const check of ['api.chat-completions', 'models.listed']) expect(matrix.results.find((r) => r.check === check)?.status, check).toBe('pass');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
