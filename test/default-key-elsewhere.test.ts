/**
 * The key `--auth bearer` reads by default, AWS_BEARER_TOKEN_BEDROCK (the Bedrock API key the quick start exports),
 * never goes to a host that is neither Bedrock's own nor this machine unless its variable is named on purpose with
 * --api-key-env; and a credential that goes over plain http to another machine is warned of, once. The "other
 * machine" is a made-up name reached through an HTTP proxy on 127.0.0.1 that tunnels every CONNECT to a local
 * server which records what it got: nothing leaves the machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, plainHttpWarning, refuseDefaultKeyElsewhere } from '../src/cli/credential-domains.ts';
import { DEFAULTS, type AuthConfig, type TargetConfig } from '../src/run/run-config.ts';
import { connectProxy, type ConnectProxy } from './helpers/connect-proxy.ts';
import { cli } from './helpers/harness.ts';

const BEDROCK_KEY = 'ABSKQmVkcm9ja0FQSUtleS1GQUtFLWZ4YXV0aC0xMTExOkZBS0VTRUNSRVQ';
let dir: string;
let endpoint: Server;
let proxy: ConnectProxy;
let proxyUrl: string;
const got: { authority: string; authorization: string | undefined }[] = [];

const listen = (server: Server) => new Promise<number>((ready) => server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-default-key-'));
  // The endpoint refuses every key: a run that reaches it stops at its credentials check, having sent one request.
  endpoint = createServer((req, res) => {
    got.push({ authority: proxy.connects.at(-1)?.authority ?? '', authorization: req.headers.authorization });
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key', type: 'invalid_request_error' } }));
  });
  const endpointPort = await listen(endpoint);
  proxy = await connectProxy({ to: endpointPort });
  proxyUrl = proxy.url;
});
afterAll(async () => {
  endpoint.closeAllConnections();
  await Promise.all([proxy.close(), new Promise((done) => endpoint.close(done))]);
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ AWS_BEARER_TOKEN_BEDROCK: BEDROCK_KEY, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' });
const run = (args: string[]) => cli(['run', '--mode', 'live', '--models', 'm1', '--checks', 'api.*', '--report-dir', join(dir, `r${got.length}`), ...args], env());

describe('the Bedrock key read by default goes to Bedrock and this machine only', () => {
  it('--endpoint http://gw.example.com without --api-key-env is exit 2 before anything is sent, saying how to send it on purpose', async () => {
    const before = got.length;
    const result = await run(['--endpoint', 'http://gw.example.com']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --api-key-env: the key in AWS_BEARER_TOKEN_BEDROCK');
    expect(result.stderr).toContain('gw.example.com');
    expect(result.stderr).toContain('--api-key-env AWS_BEARER_TOKEN_BEDROCK');
    expect(result.stderr).toContain('--auth none');
    expect(got.length).toBe(before);
    expect(result.stdout + result.stderr).not.toContain(BEDROCK_KEY);
  });

  it('named with --api-key-env it is sent, with one warning of plain http', async () => {
    const before = got.length;
    const result = await run(['--endpoint', 'http://gw.example.com', '--api-key-env', 'AWS_BEARER_TOKEN_BEDROCK']);
    expect(got.length).toBeGreaterThan(before);
    expect(got.at(-1)).toEqual({ authority: 'gw.example.com:80', authorization: `Bearer ${BEDROCK_KEY}` });
    expect(result.code, result.stderr).toBe(2);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('over plain http'));
    expect(warnings).toEqual(['warning: the key in AWS_BEARER_TOKEN_BEDROCK (--auth bearer, --api-key-env) goes over plain http to gw.example.com, not this machine: anyone on the way can read it; use an https URL if the endpoint has one']);
    expect(result.stdout + result.stderr).not.toContain(BEDROCK_KEY);
  });

  it('which hosts are refused, and when', () => {
    const targets = (...urls: string[]): TargetConfig[] => urls.map((url, i) => ({ id: `t${i}`, mode: 'live', baseUrl: url, region: null, endpointHost: new URL(url).host, surface: 'custom', site: `t${i}` }));
    const bearer: AuthConfig = { kind: 'bearer', apiKeyEnv: DEFAULTS.apiKeyEnv };
    const set = { AWS_BEARER_TOKEN_BEDROCK: BEDROCK_KEY };
    const refused = (urls: string[], auth = bearer, named = false, environment: NodeJS.ProcessEnv = set) => {
      try {
        refuseDefaultKeyElsewhere(targets(...urls), auth, named, environment);
        return false;
      } catch {
        return true;
      }
    };
    expect(refused(['https://gw.vendor.example'])).toBe(true);
    expect(refused(['https://bedrock-mantle.us-east-1.api.aws', 'https://abc123.execute-api.us-east-1.amazonaws.com'])).toBe(true);
    // Bedrock over http is not how Bedrock is served: not its host.
    expect(refused(['http://bedrock-mantle.us-east-1.api.aws'])).toBe(true);
    expect(refused(['https://bedrock-mantle.us-east-1.api.aws', 'https://bedrock-runtime.eu-west-1.amazonaws.com', 'https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com'])).toBe(false);
    expect(refused(['http://127.0.0.1:4010', 'http://localhost:8000', 'http://[::1]:11434'])).toBe(false);
    expect(refused(['https://gw.vendor.example'], bearer, true)).toBe(false);
    expect(refused(['https://gw.vendor.example'], { kind: 'none', apiKeyEnv: DEFAULTS.apiKeyEnv })).toBe(false);
    expect(refused(['https://gw.vendor.example'], { kind: 'bearer', apiKeyEnv: 'GWKEY' }, true, { ...set, GWKEY: 'gw-key-000000000' })).toBe(false);
    // Unset: bearer.ts says what to set.
    expect(refused(['https://gw.vendor.example'], bearer, false, {})).toBe(false);
    expect([isLoopback('127.0.0.1'), isLoopback('[::1]'), isLoopback('LOCALHOST.'), isLoopback('10.0.0.1'), isLoopback('127.example.com')]).toEqual([true, true, true, false, false]);
  });

  it('plain http is warned of for every credential, never for this machine, https or a run that sends none', () => {
    const t = (url: string): TargetConfig => ({ id: 'x', mode: 'live', baseUrl: url, region: null, endpointHost: new URL(url).host, surface: 'custom', site: 'x' });
    expect(plainHttpWarning([t('http://10.1.2.3:8000')], { kind: 'sigv4', apiKeyEnv: 'X' })).toContain('AWS credentials (--auth sigv4) goes over plain http to 10.1.2.3:8000');
    expect(plainHttpWarning([t('http://gw.lan')], { kind: 'none', apiKeyEnv: 'X', headerEnv: [{ header: 'x-api-key', env: 'GWKEY' }] })).toContain('x-api-key from GWKEY');
    expect(plainHttpWarning([t('http://gw.lan')], { kind: 'none', apiKeyEnv: 'X' })).toBeUndefined();
    expect(plainHttpWarning([t('http://127.0.0.1:4010')], { kind: 'bearer', apiKeyEnv: 'X' })).toBeUndefined();
    expect(plainHttpWarning([t('https://gw.lan')], { kind: 'bearer', apiKeyEnv: 'X' })).toBeUndefined();
    expect(plainHttpWarning([{ ...t('http://gw.lan'), mode: 'replay' }], { kind: 'bearer', apiKeyEnv: 'X' })).toBeUndefined();
  });
});
