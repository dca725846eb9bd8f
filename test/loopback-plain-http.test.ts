/**
 * "This machine" is one rule, proxy.ts's address check: `[::ffff:127.0.0.1]` (which the URL parser spells
 * `[::ffff:7f00:1]`) is loopback; 0.0.0.0 and `::` are not (a listening address, which reaches this machine on some
 * systems only), and a refusal says so. A refused IPv6 host is named whole, with no `::` for the console's inert
 * printer to break, so it can be copied back. Every command that sends credentials warns of plain http to another
 * machine: `catalog diff` as `run`. The other machine is a made-up name reached through a CONNECT proxy on 127.0.0.1
 * tunnelling to a local listing server: nothing leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, plainHttpWarning, refuseDefaultKeyElsewhere } from '../src/cli/credential-domains.ts';
import { DEFAULTS, type TargetConfig } from '../src/run/run-config.ts';
import { connectProxy, type ConnectProxy } from './helpers/connect-proxy.ts';
import { cli } from './helpers/harness.ts';

const KEY = 'ABSKQmVkcm9ja0FQSUtleS1GQUtFLWZ4cjJjLTExMTE6RkFLRVNFQ1JFVA';
let dir: string;
let endpoint: Server;
let proxy: ConnectProxy;
let proxyUrl: string;
let endpointPort = 0;
const got: { authority: string; authorization: string | undefined }[] = [];

const listen = (server: Server) => new Promise<number>((ready) => server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-loopback-'));
  endpoint = createServer((req, res) => {
    got.push({ authority: proxy.connects.at(-1)?.authority ?? '', authorization: req.headers.authorization });
    // Under /deny every key is refused: a run stops at its first request.
    if (req.url?.startsWith('/deny/')) return res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error' } }));
    if (req.url?.endsWith('/v1/models')) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'openai.gpt-oss-20b', object: 'model' }] }));
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
  });
  endpointPort = await listen(endpoint);
  proxy = await connectProxy({ to: endpointPort });
  proxyUrl = proxy.url;
});
afterAll(async () => {
  endpoint.closeAllConnections();
  await Promise.all([proxy.close(), new Promise((done) => endpoint.close(done))]);
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ AWS_BEARER_TOKEN_BEDROCK: KEY, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' });
const target = (url: string): TargetConfig => ({ id: 'x', mode: 'live', baseUrl: url, region: null, endpointHost: new URL(url).host, surface: 'custom', site: 'x' });
const bearer = { kind: 'bearer' as const, apiKeyEnv: DEFAULTS.apiKeyEnv };
const refusal = (url: string): string | undefined => {
  try {
    refuseDefaultKeyElsewhere([target(url)], bearer, false, { AWS_BEARER_TOKEN_BEDROCK: KEY });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('this machine, by address', () => {
  it('the IPv4-mapped loopback is this machine, in every spelling; other mapped addresses and listening addresses are not', () => {
    expect(new URL('http://[::ffff:127.0.0.1]:4010').hostname).toBe('[::ffff:7f00:1]');
    for (const host of ['[::ffff:7f00:1]', '[::FFFF:127.0.0.1]', '[::ffff:7f12:3456]', '127.1.2.3', '[::1]', 'localhost.', 'api.localhost']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['[::ffff:a00:1]', '0.0.0.0', '[::]', '[0:0:0:0:0:0:0:0]', '10.0.0.1', '127.example.com']) expect(isLoopback(host), host).toBe(false);
    expect(refusal('http://[::ffff:127.0.0.1]:4010')).toBeUndefined();
    expect(plainHttpWarning([target('http://[::ffff:127.0.0.1]:4010')], bearer)).toBeUndefined();
  });

  it('0.0.0.0 and [::] are refused for the default key, saying why and what reaches this machine', () => {
    for (const [url, shown] of [['http://0.0.0.0:8000', '0.0.0.0:8000'], ['http://[::]:8000', '[0:0:0:0:0:0:0:0]:8000']] as const) {
      const said = refusal(url);
      expect(said, url).toContain(`would go to ${shown}, which is not one of Bedrock's own https hosts (${shown} is the address a server listens on, not one that reaches this machine on every system: give http://127.0.0.1:PORT or http://localhost:PORT for a server here)`);
    }
    expect(plainHttpWarning([target('http://0.0.0.0:8000')], bearer)).toContain('over plain http to 0.0.0.0:8000, not this machine (0.0.0.0:8000 is the address a server listens on');
  });

  it('a refused IPv6 host is printed whole: copyable, no zero-width character, still no "::"', async () => {
    const result = await cli(['run', '--mode', 'live', '--endpoint', 'http://[2001:db8::1]:8080', '--models', 'm1', '--checks', 'models.listed', '--report-dir', join(dir, 'r6')], env());
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('would go to [2001:db8:0:0:0:0:0:1]:8080, which is not one of');
    expect(result.stderr).not.toContain('\u200b');
    expect(result.stderr).not.toContain('::');
    expect(new URL('http://[2001:db8:0:0:0:0:0:1]:8080').host).toBe('[2001:db8::1]:8080');
  });
});

describe('plain http is warned of by every command that sends credentials', () => {
  it('catalog diff with the key named over plain http to another host: one warning, and the list is read', async () => {
    const before = got.length;
    const result = await cli(['catalog', 'diff', '--endpoint', 'http://gw.example.com', '--surface', 'mantle', '--api-key-env', 'AWS_BEARER_TOKEN_BEDROCK'], env());
    expect(got.length).toBeGreaterThan(before);
    expect(got.at(-1)).toEqual({ authority: 'gw.example.com:80', authorization: `Bearer ${KEY}` });
    const warnings = result.stderr.split('\n').filter((line) => line.includes('over plain http'));
    expect(warnings).toEqual(['warning: the key in AWS_BEARER_TOKEN_BEDROCK (--auth bearer, --api-key-env) goes over plain http to gw.example.com, not this machine: anyone on the way can read it; use an https URL if the endpoint has one']);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('catalog diff to this machine or with no credentials warns of nothing', async () => {
    const local = await cli(['catalog', 'diff', '--endpoint', `http://127.0.0.1:${endpointPort}`, '--surface', 'mantle'], env());
    expect(local.stdout, local.stderr).toContain('listed');
    expect(local.stderr).not.toContain('over plain http');
    const none = await cli(['catalog', 'diff', '--endpoint', 'http://gw.example.com', '--surface', 'mantle', '--auth', 'none'], env());
    expect(none.stdout, none.stderr).toContain('listed');
    expect(none.stderr).not.toContain('over plain http');
  });

  it('run --models listed warns before it reads the lists: a list read that fails has been warned of', async () => {
    const before = got.length;
    const result = await cli(['run', '--mode', 'live', '--endpoint', 'http://gw.example.com/deny', '--surface', 'mantle', '--api-key-env', 'AWS_BEARER_TOKEN_BEDROCK', '--models', 'listed', '--checks', 'models.listed', '--report-dir', join(dir, 'r7')], env());
    expect(got.length).toBeGreaterThan(before);
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.includes('over plain http'))).toHaveLength(1);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });
});
