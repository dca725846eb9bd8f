/**
 * A stream that stalls on the way (a proxy that forwards the head and half the body, then goes silent) never
 * overwrites a good recording: the record run keeps it (HARNESS_RECORDING_KEPT naming the stall) and replay still
 * judges what the earlier run saw. Live, the same stall is still `stalled`.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';

/** Forwards everything; a streamed request gets the upstream's head and half its body, then nothing. */
async function stallingProxy(upstream: string): Promise<Server> {
  const target = new URL(upstream);
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = Buffer.concat(parts);
    const { host: _host, 'accept-encoding': _encoding, ...headers } = req.headers;
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const got: Buffer[] = [];
      answer.on('data', (d: Buffer) => got.push(d));
      answer.on('end', () => {
        const whole = Buffer.concat(got);
        res.writeHead(answer.statusCode ?? 502, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
        if (/"stream"\s*:\s*true/.test(body.toString('utf8'))) res.write(whole.subarray(0, whole.length >> 1));
        else res.end(whole);
      });
    });
    out.end(body);
  });
  // Port 0: a fixed port collided with other processes on the machine (EADDRINUSE failed the whole file).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('a record run whose streams stall on the way', () => {
  let dir: string;
  let emulator: RunningEmulator;
  let proxy: Server;
  const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const run = (url: string, mode: string, reports: string) =>
    cli(['run', '--mode', mode, ...(url ? ['--endpoint', url] : []), '--target-name', 'stall', '--auth', 'none', '--models', MODEL, '--checks', 'stream.*', '--fixtures', join(dir, 'fixtures'), '--report-dir', join(dir, reports), '--retries', '0', '--timeout', '4000', '--idle-timeout', '300', '--plain']);
  const streamFixtures = async () => {
    const folder = join(dir, 'fixtures', 'stall', MODEL);
    const names = (await readdir(folder)).filter((f) => f.startsWith('stream.'));
    return new Map(await Promise.all(names.map(async (f) => [f, await readFile(join(folder, f), 'utf8')] as const)));
  };
  const cells = async (reports: string) => (JSON.parse(await readFile(join(dir, reports, 'matrix.json'), 'utf8')) as Matrix).results.filter((r) => r.check === 'stream.chat-completions' || r.check === 'stream.responses');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-stall-'));
    emulator = await catalogEmulator();
    proxy = await stallingProxy(emulator.url);
  }, 60_000);
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the earlier recordings, says why per cell, and replay judges what the earlier run saw', async () => {
    const good = await run(emulator.url, 'record', 'good');
    expect(good.code, good.stderr).toBe(0);
    const before = await streamFixtures();
    expect(before.size).toBeGreaterThan(0);

    const stalled = await run(proxyUrl(), 'record', 'stalled');
    expect(stalled.code, stalled.stderr).toBe(1);
    // The cases that did not stream were recorded again (their times changed); the streamed ones were kept.
    expect(await streamFixtures()).toEqual(before);
    const streamed = new Set((await cells('good')).filter((c) => c.observed === 'conformant').map((c) => c.check));
    expect(streamed.size).toBeGreaterThan(0);
    for (const cell of (await cells('stalled')).filter((c) => streamed.has(c.check))) {
      expect(cell.status, cell.check).toBe('error');
      expect(cell.reason).toMatch(/HARNESS_RECORDING_KEPT: .*stream stalled after \d+ event\(s\) \(no data for \d+ ms\).*; kept the previous recording .*pass --overwrite-failures to record the stall\)/);
    }

    const replay = await run('', 'replay', 'replay');
    expect(replay.code, replay.stderr).toBe(0);
    expect((await cells('replay')).filter((c) => streamed.has(c.check)).map((c) => c.observed)).toEqual([...streamed].map(() => 'conformant'));

    // Live, a stall is a verdict.
    const live = await run(proxyUrl(), 'live', 'live');
    expect((await cells('live')).map((c) => c.observed)).toContain('stalled');
  }, 120_000);
});
