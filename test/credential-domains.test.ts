/**
 * A run's credentials go to every target, so a run whose targets sit in more than one trust domain is refused before
 * anything is sent: the Bedrock key never reaches a gateway on another host, nor the gateway's --header-env key AWS.
 * Runs that stay in one domain (one target, one local origin, Bedrock's hosts in several regions and both surfaces),
 * `--auth none` without headers, and replay go on as before.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { trustDomain } from '../src/cli/credential-domains.ts';
import { HarnessError } from '../src/errors.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

const BEDROCK_KEY = 'ABSKQmVkcm9ja0FQSUtleS1mM3Rlc3Q6ZjN0ZXN0c2VjcmV0OTg3NjU0MzIxMA==';
const GATEWAY_KEY = 'gwk_7f3a9c2e1b8d4f6a0c5e9d8b';

/** A loopback forwarder to the emulator that logs the headers of every request it gets. */
interface Logged {
  url: string;
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function logging(upstream: string): Promise<Logged> {
  const headers: IncomingHttpHeaders[] = [];
  const { port } = new URL(upstream);
  const server: Server = createServer((req, res) => {
    headers.push(req.headers);
    const up = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let emulator: RunningEmulator;
let aws: Logged;
let gateway: Logged;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  aws = await logging(emulator.url);
  gateway = await logging(emulator.url);
  dir = await mkdtemp(join(tmpdir(), 'credential-domains-'));
});
afterAll(async () => {
  await Promise.all([aws.close(), gateway.close()]);
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const env = { AWS_BEARER_TOKEN_BEDROCK: BEDROCK_KEY, GWKEY: GATEWAY_KEY };
const quick = ['--models', 'deepseek.v3.2', '--checks', 'path-prefix', '--retries', '0'];

describe('targets in two trust domains, with credentials', () => {
  it('refuses the run before anything is sent, naming the targets, the credentials and the fix', async () => {
    const before = { aws: aws.headers.length, gateway: gateway.headers.length };
    const run = await cli(['run', '--mode', 'live', '--targets', `mantle:aws=${aws.url},custom:litellm=${gateway.url}`, '--header-env', `x-litellm-api-key=GWKEY`, ...quick, '--report-dir', join(dir, 'crossed'), '--plain'], env);
    expect(run.code, run.stderr).toBe(2);
    // Nothing reached either server: no key went anywhere.
    expect(aws.headers.length - before.aws).toBe(0);
    expect(gateway.headers.length - before.gateway).toBe(0);
    expect(run.stderr).toContain('HARNESS_USAGE: --targets: every target of a run gets the same credentials');
    expect(run.stderr).toContain('the key in AWS_BEARER_TOKEN_BEDROCK (--auth bearer, --api-key-env)');
    expect(run.stderr).toContain('x-litellm-api-key from GWKEY (--header-env)');
    expect(run.stderr).toContain(`${aws.url}: aws; ${gateway.url}: custom.litellm`);
    expect(run.stderr).toContain('mantle-conformance merge');
    expect(run.stderr + run.stdout).not.toContain(BEDROCK_KEY.slice(4, 20));
    expect(run.stderr + run.stdout).not.toContain(GATEWAY_KEY);
  });

  it('refuses --auth none with a --header-env, and --auth sigv4, as much as a bearer key', async () => {
    const targets = `mantle:us-east-1=${aws.url},custom:us-west-2=${gateway.url}`;
    for (const flags of [['--auth', 'none', '--header-env', 'x-api-key=GWKEY'], ['--auth', 'sigv4'], ['--auth', 'token']]) {
      const run = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'fx'), '--targets', targets, ...flags, ...quick, '--report-dir', join(dir, 'other'), '--plain'], env);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/HARNESS_USAGE: --targets: every target of a run gets the same credentials, (x-api-key from GWKEY \(--header-env\)|AWS credentials \(--auth (sigv4|token)\)), and these targets are in 2 trust domains/);
    }
    expect(aws.headers.length + gateway.headers.length).toBe(0);
  });

  it('a Bedrock host and a gateway on another host are two domains', async () => {
    const config = resolveRunConfig({ mode: 'live', targets: 'mantle:us-east-1,custom:gw=https://gw.vendor.example', reportDir: join(dir, 'r') }, ROOT, '0.0.0');
    await expect(config).rejects.toThrow(/2 trust domains \(AWS \(Bedrock hosts\): us-east-1; https:\/\/gw\.vendor\.example: custom\.gw\)/);
  });
});

describe('runs that stay in one domain, send no credentials, or send nothing', () => {
  it('one target gets the key and the --header-env value, as before', async () => {
    const from = gateway.headers.length;
    const run = await cli(['run', '--mode', 'live', '--endpoint', gateway.url, '--surface', 'custom', '--header-env', 'x-litellm-api-key=GWKEY', ...quick, '--report-dir', join(dir, 'one'), '--plain'], env);
    expect(run.stderr).not.toContain('HARNESS_USAGE');
    const sent = gateway.headers.slice(from);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => h.authorization === `Bearer ${BEDROCK_KEY}` && h['x-litellm-api-key'] === GATEWAY_KEY)).toBe(true);
  });

  it('two targets of one origin share its credentials', async () => {
    const from = aws.headers.length;
    const run = await cli(['run', '--mode', 'live', '--targets', `mantle:a=${aws.url},runtime:a=${aws.url}`, ...quick, '--report-dir', join(dir, 'same'), '--plain'], env);
    expect(run.stderr).not.toContain('HARNESS_USAGE');
    expect(aws.headers.slice(from).some((h) => h.authorization === `Bearer ${BEDROCK_KEY}`)).toBe(true);
  });

  it('several regions and both surfaces of Bedrock are one domain (nothing is sent to resolve them)', async () => {
    for (const flags of [{ targets: 'mantle:us-east-1,runtime:us-east-1,runtime:us-west-2' }, { region: 'us-east-1,eu-west-1' }, { region: 'us-east-1,us-west-2', surface: 'runtime' }]) {
      const config = await resolveRunConfig({ mode: 'live', ...flags, headerEnv: ['x-team=GWKEY'], reportDir: join(dir, 'r') }, ROOT, '0.0.0');
      expect(config.targets.length).toBeGreaterThan(1);
    }
  });

  it('--auth none without --header-env, and replay, are never refused', async () => {
    const none = await resolveRunConfig({ mode: 'live', auth: 'none', project: 'proj_1', targets: `mantle:a=${aws.url},custom:b=${gateway.url}`, reportDir: join(dir, 'r') }, ROOT, '0.0.0');
    expect(none.targets.map((t) => t.id)).toEqual(['a', 'custom.b']);
    const replay = await resolveRunConfig({ mode: 'replay', targets: 'mantle:emulator,runtime:emulator', headerEnv: ['x-team=GWKEY'], reportDir: join(dir, 'r') }, ROOT, '0.0.0');
    expect(replay.targets.length).toBe(2);
  });
});

describe('trustDomain', () => {
  it('is the partition for Bedrock hosts (every region, FIPS, PrivateLink), else the origin', () => {
    for (const url of ['https://bedrock-mantle.us-east-1.api.aws', 'https://bedrock-runtime.eu-west-1.amazonaws.com/', 'https://vpce-0a1b2c3d-4e5f6a7b.bedrock-runtime.us-east-1.vpce.amazonaws.com']) {
      expect(trustDomain(url), url).toBe('AWS');
    }
    expect(trustDomain('https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com')).toBe('AWS GovCloud');
    expect(trustDomain('https://bedrock-runtime.cn-north-1.amazonaws.com.cn')).toBe('AWS China');
    // Names that put anyone's code on an AWS suffix are their own origin.
    expect(trustDomain('https://abc123.execute-api.us-east-1.amazonaws.com/prod')).toBe('https://abc123.execute-api.us-east-1.amazonaws.com');
    expect(trustDomain('https://ec2-1-2-3-4.compute-1.amazonaws.com')).toBe('https://ec2-1-2-3-4.compute-1.amazonaws.com');
    expect(trustDomain('https://bedrock-mantle.us-east-1.api.aws.evil.example')).toBe('https://bedrock-mantle.us-east-1.api.aws.evil.example');
    // Two ports of one machine are two services; the path and query never matter.
    expect(trustDomain('http://127.0.0.1:4010/gw?api-key=x')).toBe('http://127.0.0.1:4010');
    expect(trustDomain('http://127.0.0.1:4011')).not.toBe(trustDomain('http://127.0.0.1:4010'));
  });

  it('is what the refusal is thrown as: HARNESS_USAGE', async () => {
    const error = await resolveRunConfig({ mode: 'live', targets: `custom:a=${aws.url},custom:b=${gateway.url}`, reportDir: join(dir, 'r') }, ROOT, '0.0.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_USAGE');
  });
});
