/**
 * A proxy that never answers: an HTTP proxy that takes the connection and never answers CONNECT, and a "SOCKS5 proxy"
 * that accepts TCP and says nothing. --timeout bounds the tunnel's set-up (a cell is a HARNESS_TIMEOUT naming the
 * proxy, not a wait of undici's 300 s), SIGTERM abandons a request still opening its tunnel (exit 130), and the
 * executable exits with its gate once the reports are written, whatever socket undici left open. Each runs the built
 * package in a child process, killed at 25 s: a hang fails the test instead of holding it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { connectProxy } from './helpers/connect-proxy.ts';
import { catalogEmulator, cli, cliEnv, packageBin } from './helpers/harness.ts';

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'proxy-hang-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  /** Milliseconds from the start (or from `onStart`'s signal) to the exit. */
  ms: number;
}

/** A live run of one check on the emulator under a made-up name, through `proxy`; killed (SIGKILL) after 25 s. */
function run(name: string, proxy: string, extra: string[], onStart?: (child: ReturnType<typeof execFile>, mark: () => void) => void): Promise<Ended> {
  const endpoint = `http://mantle.internal.test:${new URL(emulator.url).port}`;
  const args = ['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--checks', 'api.chat-completions', '--retries', '0', '--plain', '--report-dir', join(dir, name), ...extra];
  let from = performance.now();
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [packageBin(), ...args], { env: cliEnv({ HTTP_PROXY: proxy, HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '' }), timeout: 25_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr, ms: performance.now() - from });
      void error;
    });
    onStart?.(child, () => (from = performance.now()));
  });
}

/** A TCP server that accepts and never says a word (a SOCKS5 proxy that hangs its handshake). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((closed) => (sockets.forEach((s) => s.destroy()), server.close(() => closed()))),
  };
}

describe('a proxy that never answers', () => {
  it('an unanswered CONNECT at the credentials check stops the run (exit 2) naming the proxy, in bounded time', async () => {
    const proxy = await connectProxy({ silentAfter: 0 });
    try {
      const ended = await run('connect', proxy.url, ['--timeout', '1500']);
      expect(ended.signal).toBeNull();
      expect(ended.code).toBe(2);
      expect(ended.ms).toBeLessThan(20_000);
      expect(ended.stderr).toContain(`HARNESS_TIMEOUT: Cannot reach mantle.internal.test:${new URL(emulator.url).port}: the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY) did not answer CONNECT within 1500 ms`);
      expect(ended.stderr).toContain('check the proxy. Nothing else was sent.');
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('SIGTERM abandons a request still waiting for its CONNECT: exit 130 at once, not at the deadline', async () => {
    // The preflight's CONNECT is answered; the check's never is.
    const proxy = await connectProxy({ silentAfter: 1 });
    try {
      const ended = await run('term', proxy.url, ['--timeout', '60000'], (child, mark) => {
        const poll = setInterval(() => {
          if (proxy.connects.length < 2) return;
          clearInterval(poll);
          setTimeout(() => (mark(), child.kill('SIGTERM')), 300);
        }, 50);
        child.on('exit', () => clearInterval(poll));
      });
      expect(proxy.connects.length).toBeGreaterThanOrEqual(2);
      expect(ended.signal).toBeNull();
      expect(ended.code).toBe(130);
      expect(ended.ms).toBeLessThan(15_000);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('a slow endpoint behind a proxy that opened its tunnel is no proxy failure: the run goes on (exit 1 on the timeouts, not 2)', async () => {
    const slow = await catalogEmulator({}, { latencyMs: 2500 });
    const proxy = await connectProxy();
    try {
      const endpoint = `http://mantle.internal.test:${new URL(slow.url).port}`;
      const result = await cli(['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--checks', 'api.chat-completions', '--retries', '0', '--timeout', '1500', '--plain', '--report-dir', join(dir, 'slow-endpoint')], { HTTP_PROXY: proxy.url, HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '' });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).not.toContain('did not answer CONNECT');
      expect(proxy.connects.length).toBeGreaterThan(0);
      // Its model list, too slow to read: the endpoint's slowness, not the proxy's first.
      const listed = await cli(['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'listed', '--retries', '0', '--timeout', '1500', '--plain', '--report-dir', join(dir, 'slow-listed')], { HTTP_PROXY: proxy.url, HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '' });
      expect(listed.code).toBe(2);
      expect(listed.stderr).toContain('has no model list to read');
      expect(listed.stderr).not.toContain('check the proxy first');
    } finally {
      await proxy.close();
      await slow.close();
    }
  }, 30_000);

  it('a SOCKS5 proxy that accepts and never answers: the cells time out and the process exits 1 after the gate line', async () => {
    const silent = await silentServer();
    try {
      const ended = await run('socks', `socks5://127.0.0.1:${silent.port}`, ['--timeout', '1500']);
      expect(ended.stdout + ended.stderr).toContain('gate: fail (exit 1)');
      expect(ended.signal).toBeNull();
      expect(ended.code).toBe(1);
      expect(ended.ms).toBeLessThan(20_000);
    } finally {
      await silent.close();
    }
  }, 30_000);

  it('a proxy that hangs its tunnels trips the breaker, which names the proxy and says to check it too', async () => {
    const proxy = await connectProxy({ silentAfter: 1 });
    try {
      const endpoint = `http://mantle.internal.test:${new URL(emulator.url).port}`;
      const result = await cli(['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--checks', 'api.*', '--retries', '0', '--timeout', '1500', '--give-up-after', '1', '--plain', '--report-dir', join(dir, 'breaker')], { HTTP_PROXY: proxy.url, HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '' });
      expect(result.code).toBe(1);
      const text = result.stdout + result.stderr;
      expect(text).toContain(`stopped answering through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY):`);
      expect(text).toContain('check the endpoint and the proxy too');
    } finally {
      await proxy.close();
    }
  }, 30_000);
});
