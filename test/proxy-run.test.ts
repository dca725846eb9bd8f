/**
 * A live run behind an egress proxy (HTTP_PROXY), against the emulator under a made-up name the harness never
 * resolves (the proxy maps it to 127.0.0.1): it tunnels with the proxy's credentials, which the endpoint never
 * sees; a proxy that wants credentials, refuses the host, is down, or whose credentials expire mid-run gives an
 * infrastructure error that names the proxy and the fix (exit 2 before the run, `error` cells and exit 1 during it),
 * never a pass or a fail, and never its password or Basic token in the console, the reports or the fixtures. A
 * loopback target never goes through the proxy; a bad proxy variable stops the run before anything is sent.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { connectProxy, deadPort, type ConnectProxy, type ConnectProxyOptions } from './helpers/connect-proxy.ts';
import { allText, catalogEmulator, cli, type CliResult } from './helpers/harness.ts';

const KEY = 'proxy-endpoint-key-0123456789';
const PASSWORD = 'proxy-secret-pass-0123';
const TOKEN = Buffer.from(`u:${PASSWORD}`).toString('base64');
const LOGIN = { user: 'u', password: PASSWORD };

let emulator: RunningEmulator;
let dir: string;
/** The headers of every request the endpoint got. */
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  emulator = await catalogEmulator({}, { apiKey: KEY, verifyRequest: ({ headers }) => (seen.push(headers), null) });
  dir = await mkdtemp(join(tmpdir(), 'proxy-run-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The emulator under a name that is not loopback: only a proxy can reach it. */
const madeUp = () => `http://mantle.internal.test:${new URL(emulator.url).port}`;
// The key's variable is named: the Bedrock key read by default goes to no host but Bedrock's and this machine's
// (credential-domains.ts refuseDefaultKeyElsewhere), and this name is neither.
const live = (name: string, endpoint: string, env: NodeJS.ProcessEnv, extra: string[] = [], mode = 'live'): Promise<CliResult> =>
  cli(['run', '--mode', mode, '--endpoint', endpoint, '--target-name', 'local', '--models', 'openai.gpt-oss-120b', '--retry-delay', '1', '--api-key-env', 'AWS_BEARER_TOKEN_BEDROCK', '--report-dir', join(dir, name), ...extra], { AWS_BEARER_TOKEN_BEDROCK: KEY, ...env });

async function behind<T>(options: ConnectProxyOptions, run: (proxy: ConnectProxy) => Promise<T>): Promise<T> {
  const proxy = await connectProxy(options);
  try {
    return await run(proxy);
  } finally {
    await proxy.close();
  }
}

/** Neither the proxy's password nor its Basic token anywhere the run wrote. */
async function expectNoSecret(result: CliResult, ...folders: string[]): Promise<void> {
  const text = [result.stdout, result.stderr, ...(await Promise.all(folders.map(allText)))].join('\n');
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(TOKEN);
}

describe('a live run through an HTTP proxy', () => {
  it('tunnels every request with the proxy credentials, which the endpoint never sees, and passes', async () => {
    await behind({ login: LOGIN }, async (proxy) => {
      seen.length = 0;
      const result = await live('through', madeUp(), { HTTP_PROXY: `http://u:${PASSWORD}@127.0.0.1:${proxy.port}`, HTTPS_PROXY: '', NO_PROXY: '' }, ['--quiet']);
      expect(result.code, result.stderr).toBe(0);
      expect(proxy.connects.length).toBeGreaterThan(0);
      expect(proxy.connects.every((c) => c.authority === new URL(madeUp()).host && c.authorization === `Basic ${TOKEN}`)).toBe(true);
      expect(proxy.plain).toEqual([]);
      expect(seen.length).toBeGreaterThan(30);
      expect(seen.some((h) => h['proxy-authorization'] !== undefined || h['proxy-connection'] !== undefined)).toBe(false);
      const matrix = JSON.parse(await readFile(join(dir, 'through', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.filter((r) => r.status === 'pass').length).toBeGreaterThan(50);
      await expectNoSecret(result, join(dir, 'through'));
    });
  });

  it('a proxy that wants credentials: exit 2 before the run, naming the proxy, the 407 and the fix', async () => {
    await behind({ login: LOGIN, echo: true }, async (proxy) => {
      const result = await live('no-login', madeUp(), { HTTP_PROXY: `127.0.0.1:${proxy.port}` });
      expect(result.code).toBe(2);
      // After the warning that the key goes over plain http to a host that is not this machine.
      const first = result.stderr.split('\n').find((line) => !line.startsWith('warning: '))!;
      expect(first).toContain(`HARNESS_CONNECTION: Cannot reach ${new URL(madeUp()).host}: could not reach ${new URL(madeUp()).host}/v1/models through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy answered 407 (Proxy Authentication Required): it wants credentials; give them in the variable (HTTP_PROXY=http://user:password@host:port`);
      expect(first).not.toContain('Check --endpoint');
      expect(result.stdout).not.toMatch(/gate: pass/);
    });
  });

  it('a wrong password, a refused host, a dead proxy: each says what the proxy did, never a password', async () => {
    const host = new URL(madeUp()).host;
    await behind({ login: LOGIN, echo: true }, async (proxy) => {
      const result = await live('wrong-login', madeUp(), { HTTP_PROXY: `http://u:not-${PASSWORD}@127.0.0.1:${proxy.port}` });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy answered 407 (Proxy Authentication Required): it refused the user and password in HTTP_PROXY; check them`);
      expect(result.stderr).not.toContain(`not-${PASSWORD}`);
    });
    await behind({ login: LOGIN, refuse: 403, echo: true }, async (proxy) => {
      const result = await live('refused', madeUp(), { HTTP_PROXY: `http://u:${PASSWORD}@127.0.0.1:${proxy.port}` });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy refused to connect to ${host} (it answered CONNECT with 403); ask for mantle.internal.test to be allowed through the proxy, or list it in NO_PROXY if it is reachable directly`);
      await expectNoSecret(result, join(dir, 'refused'));
    });
    const port = await deadPort();
    const dead = await live('dead', madeUp(), { HTTP_PROXY: `http://u:${PASSWORD}@127.0.0.1:${port}` });
    expect(dead.code).toBe(2);
    expect(dead.stderr).toContain(`could not reach ${host}/v1/models through the proxy 127.0.0.1:${port} (from HTTP_PROXY) (ECONNREFUSED`);
    expect(dead.stderr).toContain('check that the proxy is up and that HTTP_PROXY names it');
    await expectNoSecret(dead);
  });

  it('credentials that expire mid-run: every cell an error naming the proxy (none pass or fail), exit 1, nothing leaked', async () => {
    await behind({ login: LOGIN, echo: true, expireAfter: 1 }, async (proxy) => {
      const fixtures = join(dir, 'expire-fixtures');
      const result = await live('expire', madeUp(), { HTTP_PROXY: `http://u:${PASSWORD}@127.0.0.1:${proxy.port}` }, ['--fixtures', fixtures, '--plain'], 'record');
      expect(result.code, result.stderr).toBe(1);
      const matrix = JSON.parse(await readFile(join(dir, 'expire', 'matrix.json'), 'utf8')) as Matrix;
      expect(matrix.results.length).toBeGreaterThan(50);
      expect(matrix.results.every((r) => r.status === 'error')).toBe(true);
      expect(matrix.gate.exitCode).toBe(1);
      const gating = result.stdout.split('\n').find((l) => l.includes('gating:'))!;
      expect(gating).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy answered 407`);
      expect(result.stdout).toMatch(/gate: fail/);
      // The outage is recorded (no earlier recording to keep), as replay will show it.
      expect(await allText(fixtures)).toContain('through the proxy 127.0.0.1');
      await expectNoSecret(result, join(dir, 'expire'), fixtures);
    });
  });

  it('never sends a loopback target through the proxy', async () => {
    await behind({}, async (proxy) => {
      const result = await live('loopback', emulator.url, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, ALL_PROXY: proxy.url }, ['--quiet', '--checks', 'path-prefix']);
      expect(result.code, result.stderr).toBe(0);
      expect(proxy.connects).toEqual([]);
      expect(proxy.plain).toEqual([]);
    });
  });

  it('a proxy variable it cannot use stops the run with exit 2 before anything is sent, without its password', async () => {
    await behind({}, async (proxy) => {
      const requests = seen.length;
      const result = await live('bad-value', madeUp(), { HTTP_PROXY: `ftp://u:${PASSWORD}@127.0.0.1:${proxy.port}` });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: HTTP_PROXY: "SCHEME://***@127.0.0.1:${proxy.port}" names a scheme the harness cannot use as a proxy (not shown: it may be a password); give http://host:port`);
      expect(result.stderr).not.toContain(PASSWORD);
      expect(proxy.connects).toEqual([]);
      expect(seen.length).toBe(requests);
    });
  });
});
