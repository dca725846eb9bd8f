/**
 * A proxy that accepts the connection and closes it before the tunnel opens (at CONNECT, or in the SOCKS5 handshake)
 * answered: the request fails at once with HARNESS_CONNECTION saying so (exit 2 at the credentials check, `error`
 * cells mid-run), after a few connections, never undici's tight loop of re-dials until --timeout. A cut inside a
 * tunnel the proxy opened says so, not "check that the proxy is up"; a proxy value with a bad port says the port.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { HarnessError } from '../src/errors.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { parseProxy } from '../src/transport/proxy.ts';
import { closingProxy, type ClosingProxy, runThroughProxy } from './helpers/closing-proxy.ts';
import { catalogEmulator, type CliResult } from './helpers/harness.ts';

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A proxy that tunnels its first `serve` connections to the emulator and closes every later one at its first byte. */
const servingFirst = (kind: 'http' | 'socks5', serve: number, cut = false): Promise<ClosingProxy> =>
  closingProxy(kind, Number(new URL(emulator.url).port), { fate: (n) => (n >= serve ? 'close' : cut ? 'cut' : 'tunnel') });

/** The emulator under a name that is not loopback: only a proxy can reach it. */
const madeUp = () => `http://mantle.internal.test:${new URL(emulator.url).port}`;
const live = (name: string, proxy: string, extra: string[]): Promise<CliResult> => runThroughProxy(join(dir, name), proxy, madeUp(), extra);

describe('a proxy that closes the connection before the tunnel opens', () => {
  it('at CONNECT, at the credentials check: exit 2 at once, a few connections, saying what the proxy did', async () => {
    const proxy = await servingFirst('http', 0);
    try {
      const result = await live('http-preflight', `http://127.0.0.1:${proxy.port}`, ['--timeout', '3000', '--retries', '2']);
      expect(result.code, result.stderr).toBe(2);
      // Three dials per attempt (the first and 2 retries: 9), never undici's re-dials until --timeout.
      expect(proxy.connections()).toBeLessThanOrEqual(9);
      expect(result.stderr).toContain(`HARNESS_CONNECTION: Cannot reach mantle.internal.test:${new URL(emulator.url).port}: could not reach mantle.internal.test:${new URL(emulator.url).port}/v1/models through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy accepted the connection and closed it at CONNECT, without an answer; check that HTTP_PROXY names an HTTP proxy (host and port) and that the proxy's access rules let this machine through. Nothing else was sent.`);
      expect(result.stderr).not.toContain('raise --timeout');
    } finally {
      await proxy.close();
    }
  });

  it('at CONNECT, mid-run: error cells saying so, each request retried after its backoff, not re-dialled in a loop', async () => {
    const proxy = await servingFirst('http', 1);
    try {
      const result = await live('http-mid-run', `http://127.0.0.1:${proxy.port}`, ['--timeout', '3000', '--retries', '1']);
      expect(result.code, result.stderr).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, 'http-mid-run', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.map((r) => r.status)).toEqual(['error']);
      expect(matrix.results[0]!.reason).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy accepted the connection and closed it at CONNECT, without an answer`);
      expect(matrix.results[0]!.reason).toContain('(after 2 attempts)');
      // The credentials check's tunnel, then 2 requests (the route probe and the case) x 2 attempts x 3 dials.
      expect(proxy.connections()).toBeLessThanOrEqual(13);
    } finally {
      await proxy.close();
    }
  });

  it('in the SOCKS5 handshake, at the credentials check: exit 2 saying the proxy closed the handshake', async () => {
    const proxy = await servingFirst('socks5', 0);
    try {
      const result = await live('socks-preflight', `socks5://u:Pr0xyS3cretPass99@127.0.0.1:${proxy.port}`, ['--timeout', '3000', '--retries', '2']);
      expect(result.code, result.stderr).toBe(2);
      expect(proxy.connections()).toBeLessThanOrEqual(9);
      expect(result.stderr).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy accepted the connection and closed it during the SOCKS5 handshake, without an answer; check that HTTP_PROXY names a SOCKS5 proxy (host and port) and that the proxy's access rules let this machine through. Nothing else was sent.`);
      expect(result.stderr).not.toContain('Pr0xyS3cretPass99');
      expect(result.stderr).not.toContain('raise --timeout');
    } finally {
      await proxy.close();
    }
  });

  it('in the SOCKS5 handshake, mid-run: error cells saying so, not a timeout blaming a cold start', async () => {
    const proxy = await servingFirst('socks5', 1);
    try {
      const result = await live('socks-mid-run', `socks5://127.0.0.1:${proxy.port}`, ['--timeout', '3000', '--retries', '1']);
      expect(result.code, result.stderr).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, 'socks-mid-run', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.map((r) => r.status)).toEqual(['error']);
      expect(matrix.results[0]!.reason).toContain('the proxy accepted the connection and closed it during the SOCKS5 handshake, without an answer');
      expect(proxy.connections()).toBeLessThanOrEqual(13);
    } finally {
      await proxy.close();
    }
  });

  it('a proxy that tunnels passes (the control)', async () => {
    for (const kind of ['http', 'socks5'] as const) {
      const proxy = await servingFirst(kind, 100);
      try {
        const result = await live(`pass-${kind}`, `${kind}://127.0.0.1:${proxy.port}`, ['--timeout', '3000']);
        expect(result.code, result.stderr).toBe(0);
      } finally {
        await proxy.close();
      }
    }
  });
});

describe('an answer cut inside a tunnel the proxy opened, at the credentials check', () => {
  it('says the answer was cut inside the tunnel, not to check that the proxy is up', async () => {
    const proxy = await servingFirst('http', 100, true);
    try {
      const result = await live('cut', `http://127.0.0.1:${proxy.port}`, ['--timeout', '3000', '--retries', '0']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`/v1/models through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy opened the tunnel, and the answer was cut inside it (UND_ERR_SOCKET: other side closed): the endpoint or the proxy closed the connection. Nothing else was sent.`);
      expect(result.stderr).not.toContain('check that the proxy is up');
    } finally {
      await proxy.close();
    }
  });
});

describe('a proxy value with a bad port', () => {
  const refusal = (value: string): string => {
    try {
      parseProxy('HTTP_PROXY', value);
    } catch (error) {
      expect((error as HarnessError).code).toBe('HARNESS_USAGE');
      return (error as HarnessError).message;
    }
    throw new Error(`${value} was accepted`);
  };

  it('says the port is out of range, and shows a value without a scheme as written', () => {
    expect(refusal('http://127.0.0.1:99999')).toContain('HTTP_PROXY: "http://127.0.0.1:99999" has port 99999, out of range 1-65535; give http://host:port');
    expect(refusal('127.0.0.1:99999')).toContain('HTTP_PROXY: "127.0.0.1:99999" has port 99999, out of range 1-65535');
    expect(refusal('socks5://u:Sup3rS3cretPW@proxy.corp:70000')).toContain('"socks5://***@proxy.corp:70000" has port 70000, out of range 1-65535');
    expect(refusal('127.0.0.1:0')).toContain('HTTP_PROXY: "127.0.0.1:0" names port 0');
    expect(refusal('127.0.0.1:0')).not.toContain('SCHEME');
  });

  it('says a port is not a number, or too long, without quoting it (a password without its @host reads as a port)', () => {
    expect(refusal('http://127.0.0.1:abc')).toContain('HTTP_PROXY: (its value not shown: it may hold a password; scheme http) has a port that is not a number; write the port in digits, 1-65535');
    const word = refusal('alice:Sup3rS3cretPW');
    expect(word).toContain('has a port that is not a number');
    expect(word).not.toContain('Sup3rS3cretPW');
    const pin = refusal('alice:123456789');
    expect(pin).toContain('has a port of 9 digits, out of range 1-65535');
    expect(pin).not.toContain('123456789');
    // Not a port's fault when the rest is no URL either.
    expect(refusal('corpuser:Sup3rS3cretPW:proxy.corp:3128')).toContain('is not a proxy URL');
    expect(refusal('ftp://proxy.corp:99999')).toContain('names a scheme the harness cannot use as a proxy');
  });
});
