/**
 * Which proxy a request goes through (src/transport/proxy.ts): the variables and their precedence, NO_PROXY in each
 * form, loopback never proxied, the accepted proxy URLs and the refusal of others without their password; and the
 * transport under it: a request goes through the proxy the environment names at the time of the request, a TLS
 * certificate it cannot trust says how to trust a TLS-inspecting proxy, and an echo of a proxy password is redacted.
 */
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proxyFor, proxySecrets } from '../src/transport/proxy.ts';
import { tlsHint } from '../src/transport/proxy-failure.ts';
import { connectProxy } from './helpers/connect-proxy.ts';
import { liveTarget } from './helpers/harness.ts';
import { usageError } from './helpers/usage-error.ts';

const PASSWORD = 'proxy-secret-pass-0123';
const TOKEN = Buffer.from(`u:${PASSWORD}`).toString('base64');
const chosen = (target: string, env: NodeJS.ProcessEnv) => proxyFor(new URL(target), env)?.shown;

describe('the proxy variables', () => {
  it('take https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY for https, in that order, and never HTTP_PROXY', () => {
    const all = { https_proxy: 'a:1', HTTPS_PROXY: 'b:2', all_proxy: 'c:3', ALL_PROXY: 'd:4', HTTP_PROXY: 'e:5' };
    const https = 'https://api.example.com/v1';
    expect(chosen(https, all)).toBe('a:1 (from https_proxy)');
    expect(chosen(https, { ...all, https_proxy: undefined })).toBe('b:2 (from HTTPS_PROXY)');
    expect(chosen(https, { ...all, https_proxy: '', HTTPS_PROXY: '  ' })).toBe('c:3 (from all_proxy)');
    expect(chosen(https, { ALL_PROXY: 'd:4', HTTP_PROXY: 'e:5' })).toBe('d:4 (from ALL_PROXY)');
    expect(chosen(https, { HTTP_PROXY: 'e:5', http_proxy: 'f:6' })).toBeUndefined();
  });

  it('take http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY for http, and never HTTPS_PROXY', () => {
    const http = 'http://api.example.com:8000';
    expect(chosen(http, { http_proxy: 'a:1', HTTP_PROXY: 'b:2', HTTPS_PROXY: 'c:3' })).toBe('a:1 (from http_proxy)');
    expect(chosen(http, { HTTP_PROXY: 'b:2', ALL_PROXY: 'd:4' })).toBe('b:2 (from HTTP_PROXY)');
    expect(chosen(http, { all_proxy: 'c:3', ALL_PROXY: 'd:4' })).toBe('c:3 (from all_proxy)');
    expect(chosen(http, { HTTPS_PROXY: 'c:3' })).toBeUndefined();
    expect(chosen(http, {})).toBeUndefined();
  });

  it('read the environment of each call, not the first one', () => {
    const target = 'https://api.example.com';
    expect(chosen(target, { HTTPS_PROXY: 'one.corp:3128' })).toBe('one.corp:3128 (from HTTPS_PROXY)');
    expect(chosen(target, { HTTPS_PROXY: 'two.corp:3128' })).toBe('two.corp:3128 (from HTTPS_PROXY)');
    expect(chosen(target, {})).toBeUndefined();
  });

  it('accept http, https, socks5 and socks URLs, and a bare host:port as http', () => {
    const url = (value: string) => proxyFor(new URL('https://api.example.com'), { HTTPS_PROXY: value })?.url;
    expect(url('proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(url('http://proxy.corp')).toBe('http://proxy.corp:80');
    expect(url('https://proxy.corp:8443/')).toBe('https://proxy.corp:8443');
    expect(url('socks5://10.0.0.9')).toBe('socks5://10.0.0.9:1080');
    expect(url('socks://10.0.0.9:9050')).toBe('socks5://10.0.0.9:9050');
    expect(url('http://[fd00::3]:3128')).toBe('http://[fd00::3]:3128');
  });

  it('keep the user and password out of what is shown, and make them secrets (decoded, and the Basic token)', () => {
    const proxy = proxyFor(new URL('https://api.example.com'), { HTTPS_PROXY: `http://u:${PASSWORD}@proxy.corp:3128` })!;
    expect(proxy.url).toBe('http://proxy.corp:3128');
    expect(proxy.shown).toBe('proxy.corp:3128 (from HTTPS_PROXY)');
    expect(proxy.authorization).toBe(`Basic ${TOKEN}`);
    expect(proxy.secrets.map((s) => [s.kind, s.value])).toEqual([['proxy-credential', PASSWORD], ['proxy-credential', TOKEN]]);
    const encoded = proxyFor(new URL('https://api.example.com'), { HTTPS_PROXY: 'http://corp%5Cme:p%40ss%3Aw0rd-long@proxy.corp:3128' })!;
    expect(encoded.credentials).toEqual({ username: 'corp\\me', password: 'p@ss:w0rd-long' });
    expect(encoded.secrets.map((s) => s.value)).toEqual(expect.arrayContaining(['p@ss:w0rd-long', 'p%40ss%3Aw0rd-long']));
    expect(proxySecrets({ HTTPS_PROXY: `http://u:${PASSWORD}@proxy.corp:3128`, HTTP_PROXY: 'http://plain.corp:3128' }).map((s) => s.value)).toEqual([PASSWORD, TOKEN]);
  });

  it('refuse another scheme or a value that is no URL: HARNESS_USAGE naming the variable and the forms, never the password', () => {
    const refused = (env: NodeJS.ProcessEnv) => usageError(() => proxyFor(new URL('https://api.example.com'), env));
    const ftp = refused({ HTTPS_PROXY: `ftp://u:${PASSWORD}@proxy.corp:21` });
    expect(ftp).toContain('HTTPS_PROXY: "SCHEME://***@proxy.corp:21" names a scheme the harness cannot use as a proxy');
    // A word pasted where the scheme goes may be the password itself: never shown.
    const pasted = refused({ HTTPS_PROXY: `${PASSWORD}://proxy.corp:3128` });
    expect(pasted).toContain('HTTPS_PROXY: "SCHEME://proxy.corp:3128" names a scheme the harness cannot use as a proxy');
    expect(pasted.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
    expect(ftp).toContain('http://host:port, https://host:port, socks5://host:port');
    const garbage = refused({ all_proxy: `http://u:${PASSWORD}@proxy corp:3128` });
    expect(garbage).toContain('all_proxy: (its value not shown: it may hold a password; scheme http) holds a space or a line break');
    for (const message of [ftp, garbage]) expect(message).not.toContain(PASSWORD);
    // Even for a host NO_PROXY sends direct: the run's settings are refused as a whole, before anything is sent.
    expect(usageError(() => proxyFor(new URL('http://direct.example.com:4010'), { HTTP_PROXY: 'gopher://proxy.corp', NO_PROXY: 'direct.example.com' }))).toContain('HTTP_PROXY');
    // Not for a loopback host, which no value can carry off the machine (`fixtures` and its own emulator).
    expect(proxyFor(new URL('http://127.0.0.1:4010'), { HTTP_PROXY: 'gopher://proxy.corp' })).toBeUndefined();
  });
});

describe('NO_PROXY and loopback', () => {
  const via = { HTTPS_PROXY: 'proxy.corp:3128', HTTP_PROXY: 'proxy.corp:3128' };
  const proxied = (target: string, noProxy: string, name = 'NO_PROXY') => chosen(target, { ...via, [name]: noProxy }) !== undefined;

  it('never proxies a loopback target, whatever the variables say', () => {
    for (const target of ['http://localhost:4010', 'http://api.localhost:4010', 'http://127.0.0.1:4010', 'http://127.8.9.10', 'http://[::1]:4010', 'https://localhost./v1']) {
      expect(proxied(target, ''), target).toBe(false);
    }
    expect(proxied('http://128.0.0.1', '')).toBe(true);
    expect(proxied('http://localhost.example.com', '')).toBe(true);
  });

  it('matches *, names with their subdomains, .name and *.name, host:port, IPs, IPv6 with or without brackets, CIDR', () => {
    expect(proxied('https://api.example.com', '*')).toBe(false);
    expect(proxied('https://example.com', 'example.com')).toBe(false);
    expect(proxied('https://api.Example.com', 'example.com')).toBe(false);
    expect(proxied('https://badexample.com', 'example.com')).toBe(true);
    expect(proxied('https://example.com', '.example.com')).toBe(false);
    expect(proxied('https://a.b.example.com', '*.example.com')).toBe(false);
    expect(proxied('https://gw.corp:8443', 'gw.corp:8443')).toBe(false);
    expect(proxied('https://gw.corp', 'gw.corp:8443')).toBe(true);
    expect(proxied('http://gw.corp', 'gw.corp:80')).toBe(false);
    expect(proxied('https://10.1.2.3', '10.1.2.3')).toBe(false);
    expect(proxied('https://10.1.2.4', '10.1.2.3')).toBe(true);
    expect(proxied('https://10.200.0.1:8443', '10.0.0.0/8')).toBe(false);
    expect(proxied('https://11.0.0.1', '10.0.0.0/8')).toBe(true);
    expect(proxied('https://[fd00::1]', 'fd00::1')).toBe(false);
    expect(proxied('https://[fd00::1]', '[fd00::1]')).toBe(false);
    expect(proxied('https://[fd00::1]:8443', '[fd00::1]:8443')).toBe(false);
    expect(proxied('https://[fd00::1]', '[fd00::1]:8443')).toBe(true);
    expect(proxied('https://[fd12:3456::9]', 'fd00::/8')).toBe(false);
    expect(proxied('https://[fe80::1]', 'fd00::/8')).toBe(true);
  });

  it('splits on commas and spaces, reads no_proxy before NO_PROXY, and ignores what it cannot read', () => {
    expect(proxied('https://b.corp', 'a.corp, b.corp')).toBe(false);
    expect(proxied('https://c.corp', 'a.corp b.corp,,c.corp')).toBe(false);
    expect(chosen('https://a.corp', { ...via, no_proxy: 'b.corp', NO_PROXY: 'a.corp' })).toBeDefined();
    expect(chosen('https://a.corp', { ...via, no_proxy: '', NO_PROXY: 'a.corp' })).toBeUndefined();
    expect(proxied('https://a.corp', '10.0.0.0/99, [zz]/8')).toBe(true);
  });
});

describe('the transport under the variables', () => {
  const withEnv = async <T>(env: NodeJS.ProcessEnv, run: () => Promise<T>): Promise<T> => {
    const saved = process.env;
    process.env = { ...saved, ...env };
    try {
      return await run();
    } finally {
      process.env = saved;
    }
  };
  const get = (url: string) => liveTarget(url, undefined, 5_000).send({ method: 'GET', path: '/v1/models', headers: {} }, { step: 'main', prefix: '/v1' } as never);

  it('goes direct to a host NO_PROXY lists (the proxy sees nothing) and through the proxy otherwise', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}'));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const proxy = await connectProxy();
    // 0.0.0.0 reaches this machine without being loopback by name: proxied unless NO_PROXY lists it.
    const target = `http://0.0.0.0:${(server.address() as AddressInfo).port}`;
    try {
      const direct = await withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '0.0.0.0' }, () => get(target));
      expect(direct.response?.status, direct.error?.message).toBe(200);
      expect(proxy.connects).toEqual([]);
      const tunnelled = await withEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'other.corp' }, () => get(target));
      expect(tunnelled.response?.status, tunnelled.error?.message).toBe(200);
      expect(proxy.connects.map((c) => c.authority)).toEqual([new URL(target).host]);
    } finally {
      await proxy.close();
      server.close();
    }
  });

  it('redacts a proxy password and its Basic token that an endpoint echoes, as [REDACTED:proxy-credential]', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [], note: `saw ${PASSWORD} and Basic ${TOKEN}` })));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const exchange = await withEnv({ HTTPS_PROXY: `http://u:${PASSWORD}@proxy.corp:3128` }, () => get(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      const body = exchange.response!.chunks.map((c) => c.data).join('');
      expect(body).toContain('[REDACTED:proxy-credential]');
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(TOKEN);
    } finally {
      server.close();
    }
  });

  it('adds the NODE_EXTRA_CA_CERTS hint to a certificate it cannot trust, direct and through HTTPS_PROXY', async () => {
    expect(tlsHint({ code: 'SELF_SIGNED_CERT_IN_CHAIN' })).toContain('NODE_EXTRA_CA_CERTS=<your CA file (PEM)>');
    expect(tlsHint({ code: 'ECONNREFUSED' })).toBe('');
    let openssl = true;
    const dir = await mkdtemp(join(tmpdir(), 'proxy-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=mantle.internal.test', '-addext', 'subjectAltName=DNS:mantle.internal.test,IP:127.0.0.1'], { stdio: 'ignore' });
    } catch {
      openssl = false;
    }
    if (!openssl) return void (await rm(dir, { recursive: true, force: true }));
    const server = createTlsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const port = (server.address() as AddressInfo).port;
    const proxy = await connectProxy({ login: { user: 'u', password: PASSWORD } });
    try {
      const direct = await get(`https://127.0.0.1:${port}`);
      expect(direct.error?.code).toBe('HARNESS_CONNECTION');
      expect(direct.error?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(direct.error?.message).toContain('a TLS-inspecting proxy on the way presents its own certificate: set NODE_EXTRA_CA_CERTS=');
      const proxied = await withEnv({ HTTPS_PROXY: `http://u:${PASSWORD}@127.0.0.1:${proxy.port}` }, () => get(`https://mantle.internal.test:${port}`));
      expect(proxy.connects).toEqual([{ authority: `mantle.internal.test:${port}`, authorization: `Basic ${TOKEN}` }]);
      expect(proxied.error?.code).toBe('HARNESS_CONNECTION');
      expect(proxied.error?.message).toContain(`could not reach mantle.internal.test:${port}/v1/models through the proxy 127.0.0.1:${proxy.port} (from HTTPS_PROXY)`);
      expect(proxied.error?.message).toContain('NODE_EXTRA_CA_CERTS=');
      expect(JSON.stringify(proxied)).not.toContain(PASSWORD);
    } finally {
      await proxy.close();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
