/**
 * An event stream that answered 200 and sent no event on every attempt is an outage (a load balancer that closes at
 * once), not the endpoint's answer: the stream checks say `error`, and a record run keeps the earlier recording.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';
import type { Target } from '../src/transport/target.ts';
import { startFaultProxy, type Fault } from './helpers/fault-proxy.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"stream":true}' };
const context = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' };

function answering(bodies: string[]): Target & { sent: number } {
  const target = {
    id: 't',
    mode: 'live' as const,
    sent: 0,
    send(): Promise<Exchange> {
      const data = bodies[Math.min(target.sent++, bodies.length - 1)]!;
      return Promise.resolve({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: data ? [{ t: 0, data }] : [] }, error: null, durationMs: 1, attempts: 1 });
    },
    caseFinished: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return target;
}

const noWait = { baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() };

describe('an empty event stream', () => {
  it('on every attempt is HARNESS_SERVER_ERROR that says so', async () => {
    const inner = answering(['']);
    const exchange = await new RetryingTarget(inner, { retries: 1, ...noWait }).send(request, context);
    expect(inner.sent).toBe(2);
    expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(exchange.error?.message).toMatch(/answered 200 to a streamed request and sent no event on all 2 attempts/);
    const comments = await new RetryingTarget(answering([': ping\n\n']), { retries: 0, ...noWait }).send(request, context);
    expect(comments.error?.message).toMatch(/no event on the only attempt \(keep-alive comments only\)/);
  });

  it('once, then a stream, is the stream (no error)', async () => {
    const exchange = await new RetryingTarget(answering(['', 'data: {"id":"x"}\n\ndata: [DONE]\n\n']), { retries: 2, ...noWait }).send(request, context);
    expect(exchange.error).toBeNull();
    expect(exchange.attempts).toBe(2);
  });
});

describe('a record run while every stream comes back empty', () => {
  let dir: string;
  let emulatorClose: () => Promise<void>;
  let emulatorUrl: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'empty-stream-'));
    const emulator = await catalogEmulator();
    emulatorUrl = emulator.url;
    emulatorClose = () => emulator.close();
  });
  afterAll(async () => {
    await emulatorClose();
    await rm(dir, { recursive: true, force: true });
  });

  const args = (url: string, reports: string, mode = 'record') => ['run', '--mode', mode, '--endpoint', url, '--target-name', 'emulator', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'stream.*', '--fixtures', join(dir, 'fixtures'), '--report-dir', join(dir, reports), '--retries', '1', '--retry-delay', '1', '--plain'];
  const empty: Fault = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end();
  };

  it('keeps the earlier recordings, and the live stream checks say error, not fail', async () => {
    const good = await cli(args(emulatorUrl, 'good'));
    expect(good.code, good.stderr).toBe(0);
    const file = join(dir, 'fixtures', 'emulator', 'openai.gpt-oss-20b', 'stream.chat.json');
    const before = await readFile(file, 'utf8');
    const proxy = await startFaultProxy(emulatorUrl, empty, (_path, body) => body.includes('"stream":true'));
    try {
      const bad = await cli(args(proxy.url, 'bad'));
      expect(proxy.faulted).toBeGreaterThan(0);
      expect(bad.code).not.toBe(0);
      expect(await readFile(file, 'utf8')).toBe(before);
      const matrix = JSON.parse(await readFile(join(dir, 'bad', 'matrix.json'), 'utf8')) as Matrix;
      const text = JSON.stringify(matrix);
      expect(text).toMatch(/HARNESS_RECORDING_KEPT/);
      const live = await cli(args(proxy.url, 'live', 'live'));
      const cells = (JSON.parse(await readFile(join(dir, 'live', 'matrix.json'), 'utf8')) as Matrix).results.filter((c) => c.check.startsWith('stream.') && c.status !== 'unsupported' && c.status !== 'skipped');
      expect(live.code).not.toBe(0);
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells) {
        expect(cell.status, cell.check).toBe('error');
        expect(cell.reason, cell.check).toMatch(/sent no event on all 2 attempts/);
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('a recording an older harness made of an empty stream', () => {
  it('replays as the outage it was (error), not as a stream that failed its checks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'empty-stream-replay-'));
    try {
      const model = 'openai.gpt-oss-20b';
      await cp(join(ROOT, 'fixtures', 'emulator', model), join(root, 'emulator', model), { recursive: true });
      const file = join(root, 'emulator', model, 'stream.chat.json');
      const fixture = JSON.parse(await readFile(file, 'utf8')) as { exchanges: { response: { chunks: unknown[] } }[] };
      fixture.exchanges[0]!.response.chunks = [];
      await writeFile(file, `${JSON.stringify(fixture, null, 2)}\n`);
      const run = await cli(['run', '--models', model, '--checks', 'stream.chat-completions', '--fixtures', root, '--targets', 'mantle:emulator', '--report-dir', join(root, 'reports'), '--quiet']);
      const matrix = JSON.parse(await readFile(join(root, 'reports', 'matrix.json'), 'utf8')) as { results: { target: string; check: string; status: string; reason: string }[] };
      const cell = matrix.results.find((r) => r.target === 'emulator' && r.check === 'stream.chat-completions')!;
      expect(cell.status, cell.reason).toBe('error');
      expect(cell.reason).toMatch(/sent no event on the only attempt/);
      expect(run.code).toBe(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
