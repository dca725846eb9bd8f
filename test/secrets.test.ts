/**
 * Canaries: credentials planted as the bearer key and in a custom header are sent (the server sees them) but
 * never appear in a fixture, a report, or anything the CLI prints. A fixture about to be written that holds
 * something credential-shaped is refused.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { FIXTURE_FORMAT, writeFixture, type FixtureFile } from '../src/transport/fixture-file.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

const BEARER = 'bedrock-api-key-CANARYbearer0123456789abcdef';
const HEADER = 'canary-header-value-9876543210fedcba';


describe('canaries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'canary-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('bearer key and custom header: sent, never stored or printed', async () => {
    const emulator = await catalogEmulator({}, { apiKey: BEARER, unknownModels: 'generic' });
    try {
      const fixtures = join(dir, 'fixtures');
      const reports = join(dir, 'reports');
      const env = { AWS_BEARER_TOKEN_BEDROCK: BEARER, GATEWAY_KEY: HEADER };
      const common = ['--endpoint', emulator.url, '--target-name', 'canary', '--models', 'qwen.qwen3-32b,acme.canary-1', '--header-env', 'x-gateway-key=GATEWAY_KEY', '--plain'];
      const record = await cli(['run', '--mode', 'record', '--fixtures', fixtures, '--report-dir', reports, ...common], env);
      const live = await cli(['run', '--mode', 'live', '--report-dir', reports, ...common, '--', '--reporter=verbose'], env);
      expect(record.code, record.stderr).toBe(0);
      expect(live.code, live.stderr).toBe(0);
      expect(emulator.stats.log.some((entry) => entry.headers['x-gateway-key'] === HEADER)).toBe(true);
      expect(emulator.stats.log.some((entry) => entry.headers.authorization === `Bearer ${BEARER}`)).toBe(true);
      const written = (await allText(fixtures)) + (await allText(reports));
      const printed = record.stdout + record.stderr + live.stdout + live.stderr;
      for (const canary of [BEARER, HEADER]) {
        expect(written).not.toContain(canary);
        expect(printed).not.toContain(canary);
      }
      expect(scanForSecrets(written)).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it('refuses to write a fixture that holds a credential, naming what it found but not the value', async () => {
    const file = join(dir, 'refused', 'x.json');
    const exchange = {
      step: 'main',
      prefix: '/v1',
      request: { method: 'POST' as const, path: '/v1/chat/completions', headers: {} },
      response: { status: 401, headers: {}, chunks: [{ t: 0, data: `{"error":{"message":"bad key ${BEARER}"}}` }] },
      error: null,
      durationMs: 1,
      attempts: 1,
    };
    const fixture: FixtureFile = { format: FIXTURE_FORMAT, model: 'm', case: 'c', provenance: { source: 'live' as const, target: 't', endpointHost: 'h', region: null, recordedAt: 'now', harnessVersion: 'v' }, exchanges: [exchange] };
    const error = await writeFixture(file, fixture, []).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_SECRET_IN_FIXTURE');
    expect((error as HarnessError).message).toContain('a Bedrock API key');
    expect((error as HarnessError).message).not.toContain(BEARER);
    await expect(readdir(join(dir, 'refused'))).rejects.toThrow();
  });

  it('spots AWS-shaped credentials', () => {
    expect(scanForSecrets('key AKIAABCDEFGHIJKLMNOP here')).toEqual(['an AWS access key id']);
    expect(scanForSecrets('Authorization: Bearer abcdefghijklmnop')).toEqual(['a bearer token']);
    expect(scanForSecrets('X-Amz-Signature=abc')).toEqual(['a SigV4 signature']);
    expect(scanForSecrets('{"x-amz-security-token": "FwoGZXIvYXdzEJr//////////wEaDK"}')).toEqual(['an AWS session token']);
    expect(scanForSecrets('an ordinary fixture body')).toEqual([]);
  });
});

/** Answers every request (the credentials check too) with `answer(request)`'s status and raw body. */
function echoServer(answer: (req: IncomingMessage) => { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const { status, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('secrets echoed escaped or encoded', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'echoed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const forms = (value: string) => [value, value.toUpperCase(), value.replace(/=/g, '\\u003d'), encodeURIComponent(value).toLowerCase(), Buffer.from(value).toString('base64').slice(0, -4)];

  it('a Gson-style 401 (= as \\u003d): the decoded message on the console holds the placeholder, not the key', async () => {
    const key = 'ABSKQmVkcm9ja0FQSUtleS1hYmNkZWZnaGlqa2xtbm9w+/Rr==';
    const { url, server } = await echoServer((req) => ({ status: 401, body: `{"error":{"message":"API key ${String(req.headers.authorization).slice(7).replace(/=/g, '\\u003d')} is not valid","type":"authentication_error"}}` }));
    try {
      const result = await cli(['run', '--mode', 'live', '--endpoint', url, '--models', 'xai.grok-4.3', '--report-dir', join(dir, 'gson'), '--plain'], { AWS_BEARER_TOKEN_BEDROCK: key });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('answered 401 API key [REDACTED:api-key] is not valid');
      for (const form of forms(key)) expect(result.stdout + result.stderr).not.toContain(form);
    } finally {
      server.close();
    }
  }, 60_000);

  it('--auth sigv4: a session token echoed in a header dump (= escaped, lower-case %XX) reaches no console, fixture or report', async () => {
    const token = 'IQoJb3JpZ2luX2VjECANARYSESSION+abc/def==';
    const { url, server } = await echoServer((req) => {
      if (req.url?.endsWith('/models')) return { status: 200, body: '{"object":"list","data":[]}' };
      const st = String(req.headers['x-amz-security-token']);
      const message = `denied. headers=${JSON.stringify(req.headers)} st_lower=${encodeURIComponent(st).toLowerCase()} st_b64=${Buffer.from(st).toString('base64')}`;
      return { status: 400, body: JSON.stringify({ error: { message, type: 'invalid_request_error' } }).replace(/=/g, '\\u003d') };
    });
    const env = { AWS_ACCESS_KEY_ID: 'AKIAECHO000000000001', AWS_SECRET_ACCESS_KEY: 'echoSecret/0123456789abcdefghij', AWS_SESSION_TOKEN: token, AWS_PROFILE: '', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    const run = join(dir, 'sigv4');
    try {
      const result = await cli(['run', '--mode', 'record', '--auth', 'sigv4', '--region', 'us-east-1', '--endpoint', url, '--target-name', 'sv', '--models', 'xai.grok-4.3', '--checks', 'api.*,messages.error-shape', '--fixtures', join(run, 'fixtures'), '--report-dir', join(run, 'reports'), '--plain'], env);
      expect(result.stderr).not.toContain('HARNESS_SECRET_IN_FIXTURE');
      const written = await allText(run);
      expect(written).toContain('[REDACTED:aws-session-token]');
      for (const form of [...forms(token), ...forms(env.AWS_SECRET_ACCESS_KEY)]) {
        expect(written, form).not.toContain(form);
        expect(result.stdout + result.stderr, form).not.toContain(form);
      }
      expect(scanForSecrets(written, [token, env.AWS_SECRET_ACCESS_KEY])).toEqual([]);
    } finally {
      server.close();
    }
  }, 120_000);
});

