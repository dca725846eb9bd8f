/**
 * Canaries: credentials planted as the bearer key and in a custom header are sent (the server sees them) but
 * never appear in a fixture, a report, or anything the CLI prints. A fixture about to be written that holds
 * something credential-shaped is refused.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
