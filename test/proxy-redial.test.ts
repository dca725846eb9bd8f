/**
 * A proxy that closes or resets a connection before the tunnel opens sent nothing to the endpoint: the tunnel is
 * dialled again at once a few times, so `--retries 0` passes through a proxy that drops one CONNECT now and then. A
 * reset says the proxy reset it (it is up), an https target's TLS handshake cut inside an open tunnel says the tunnel
 * was open, and a SOCKS5 proxy given by an IPv6 literal is reached.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { closingProxy, type ClosingProxyOptions, runThroughProxy } from './helpers/closing-proxy.ts';
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

const port = () => new URL(emulator.url).port;
/** A live run of one check against `endpoint` (a made-up name: only a proxy can reach it) through `proxy`. */
const live = (name: string, proxy: string, endpoint: string, extra: string[]): Promise<CliResult> =>
  runThroughProxy(join(dir, name), proxy, endpoint, ['--timeout', '3000', ...extra], true);

async function through<T>(kind: 'http' | 'socks5', options: ClosingProxyOptions, run: (url: string, connections: () => number) => Promise<T>): Promise<T> {
  const proxy = await closingProxy(kind, Number(port()), options);
  try {
    const host = options.host === '::1' ? '[::1]' : '127.0.0.1';
    return await run(`${kind}://${host}:${proxy.port}`, proxy.connections);
  } finally {
    await proxy.close();
  }
}

describe('a tunnel the proxy dropped before it opened is dialled again at once, a few times', () => {
  for (const kind of ['http', 'socks5'] as const) {
    for (const drop of ['close', 'reset'] as const) {
      it(`${kind}, one ${drop} before the tunnel opens: --retries 0 still passes`, async () => {
        // The credentials check's first dial is dropped, and one of the run's.
        // Tunnels kept open: a request on a tunnel the proxy closes as it is reused would be another failure than this.
        await through(kind, { fate: (n) => (n === 0 || n === 2 ? drop : 'tunnel'), keepTunnels: true }, async (url, connections) => {
          const result = await live(`redial-${kind}-${drop}`, url, `http://mantle.internal.test:${port()}`, ['--retries', '0']);
          expect(result.code, result.stderr + result.stdout).toBe(0);
          expect(connections()).toBeGreaterThanOrEqual(4);
        });
      });
    }
  }
});

describe('a proxy that resets the connection before the tunnel opens', () => {
  it('at CONNECT and in the SOCKS5 handshake: says it reset it, not to check that the proxy is up; a few dials per attempt', async () => {
    for (const [kind, at, names] of [['http', 'at CONNECT', 'an HTTP proxy'], ['socks5', 'during the SOCKS5 handshake', 'a SOCKS5 proxy']] as const) {
      await through(kind, { fate: () => 'reset' }, async (url, connections) => {
        const result = await live(`reset-${kind}`, url, `http://mantle.internal.test:${port()}`, ['--retries', '1']);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(`(from HTTP_PROXY): the proxy accepted the connection and reset it ${at}, without an answer; check that HTTP_PROXY names ${names} (host and port) and that the proxy's access rules let this machine through. Nothing else was sent.`);
        expect(result.stderr).not.toContain('check that the proxy is up');
        expect(connections()).toBeLessThanOrEqual(6);
      });
    }
  });
});

describe("an https target's TLS handshake cut inside a tunnel the proxy opened", () => {
  for (const kind of ['http', 'socks5'] as const) {
    it(`${kind}: says the tunnel was open, not to check that the proxy is up`, async () => {
      const endpoint = `https://mantle.internal.test:${port()}`;
      await through(kind, { fate: () => 'close-in-tunnel' }, async (url) => {
        const result = await live(`tls-cut-${kind}`, url, endpoint, ['--retries', '0']);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain(`no answer from mantle.internal.test:${port()}/v1/models through the proxy ${new URL(url).host} (from HTTPS_PROXY): the proxy opened the tunnel, and the connection was cut inside it before an answer (ECONNRESET: `);
        expect(result.stderr).not.toContain('check that the proxy is up');
      });
    });
  }
});

describe('a SOCKS5 proxy given by an IPv6 literal', () => {
  it('is reached at its address, not looked up as a name with its brackets', async () => {
    await through('socks5', { fate: () => 'tunnel', host: '::1' }, async (url, connections) => {
      const result = await live('socks-ipv6', url, `http://mantle.internal.test:${port()}`, []);
      expect(result.code, result.stderr).toBe(0);
      expect(connections()).toBeGreaterThan(0);
      const matrix = JSON.parse(await readFile(join(dir, 'socks-ipv6', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.map((r) => r.status)).toEqual(['pass']);
    });
  });
});
