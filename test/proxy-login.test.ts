/**
 * A proxy's refusal of the login (407, a SOCKS5 login refused by RFC 1929's status or by a close right after it) is
 * never tried again, at the credentials check nor mid-run: each try is one more failed login, and proxy accounts
 * (AD, LDAP) lock after a few. A SOCKS5 proxy that closes once it has the login says to check the credentials.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { isRetryable } from '../src/transport/retrying-target.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { closingProxy, runThroughProxy } from './helpers/closing-proxy.ts';
import { connectProxy } from './helpers/connect-proxy.ts';
import { catalogEmulator, type CliResult } from './helpers/harness.ts';

const PASSWORD = 'Rotated0ldPass-4471';
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
const live = (name: string, proxy: string): Promise<CliResult> =>
  runThroughProxy(join(dir, name), proxy, `http://mantle.internal.test:${port()}`, ['--retries', '2', '--timeout', '3000']);

describe('a proxy that refuses the login is asked once', () => {
  it('407 at the credentials check: exit 2 after one CONNECT, with --retries 2', async () => {
    const proxy = await connectProxy({ login: { user: 'svc-ci', password: 'the-new-one-0000' } });
    try {
      const result = await live('407', `http://svc-ci:${PASSWORD}@127.0.0.1:${proxy.port}`);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('the proxy answered 407 (Proxy Authentication Required): it refused the user and password in HTTP_PROXY; check them');
      expect(proxy.connects).toHaveLength(1);
      expect(result.stderr).not.toContain(PASSWORD);
    } finally {
      await proxy.close();
    }
  });

  it('407 mid-run (the credentials expired): each request is one CONNECT, its cell an error not retried', async () => {
    const proxy = await connectProxy({ expireAfter: 1 });
    try {
      const result = await live('407-mid-run', `http://svc-ci:${PASSWORD}@127.0.0.1:${proxy.port}`);
      expect(result.code, result.stderr).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, '407-mid-run', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.map((r) => r.status)).toEqual(['error']);
      expect(matrix.results[0]!.reason).toContain('the proxy answered 407');
      // The case may first go out on the credentials check's tunnel, which the proxy closed: that attempt is retried.
      expect(matrix.results[0]!.reason).not.toContain('after 3 attempts');
      // The credentials check's CONNECT, then one per request (the route probe and the case), none sent again.
      expect(proxy.connects.length).toBeLessThanOrEqual(3);
    } finally {
      await proxy.close();
    }
  });

  for (const wrong of ['fail', 'close'] as const) {
    it(`SOCKS5, a wrong login answered by ${wrong === 'fail' ? "RFC 1929's failure status" : 'a close'}: exit 2 after one login, saying to check it`, async () => {
      const proxy = await closingProxy('socks5', Number(port()), { fate: () => 'tunnel', login: { user: 'alice', password: 'pw1234567890', wrong } });
      try {
        const result = await live(`socks-${wrong}`, `socks5://alice:${PASSWORD}@127.0.0.1:${proxy.port}`);
        expect(result.code, result.stderr).toBe(2);
        expect(proxy.refusedLogins()).toBe(1);
        expect(proxy.connections()).toBe(1);
        expect(result.stderr).toContain(
          wrong === 'fail'
            ? '(from HTTP_PROXY): the proxy refused the login (UND_ERR_SOCKS5_AUTH_FAILED): it refused the user and password in HTTP_PROXY; check them'
            : '(from HTTP_PROXY): the proxy asked for the user and password, and closed the connection once it had them (no answer): it likely refused the user and password in HTTP_PROXY; check them (HTTP_PROXY=socks5://user:password@host:port',
        );
        expect(result.stderr).not.toContain('access rules');
        expect(result.stderr).not.toContain(PASSWORD);
      } finally {
        await proxy.close();
      }
    });
  }

  it('the right SOCKS5 login passes (the control)', async () => {
    const proxy = await closingProxy('socks5', Number(port()), { fate: () => 'tunnel', login: { user: 'alice', password: PASSWORD, wrong: 'close' } });
    try {
      const result = await live('socks-login-ok', `socks5://alice:${PASSWORD}@127.0.0.1:${proxy.port}`);
      expect(result.code, result.stderr).toBe(0);
      expect(proxy.refusedLogins()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('the retry policy: a refused login is not retryable, any other failed connection is', () => {
    const failed = (message: string): Exchange => ({ step: 's', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: {} }, response: null, error: { code: 'HARNESS_CONNECTION', message }, durationMs: 1, attempts: 1 }) as Exchange;
    const via = 'could not reach h:1/v1/models through the proxy 127.0.0.1:3128 (from HTTP_PROXY): ';
    expect(isRetryable(failed(`${via}the proxy answered 407 (Proxy Authentication Required): it wants credentials; give them`))).toBe(false);
    expect(isRetryable(failed(`${via}the proxy refused the login (UND_ERR_SOCKS5_AUTH_FAILED): it refused the user and password`))).toBe(false);
    expect(isRetryable(failed(`${via}the proxy accepted the connection and closed it at CONNECT, without an answer`))).toBe(true);
    expect(isRetryable(failed('could not reach h:1/v1/models (ECONNRESET: read ECONNRESET)'))).toBe(true);
  });
});
