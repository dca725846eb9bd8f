/**
 * AWS authentication for live and record runs: SigV4 (service bedrock-mantle, the target's region) verified by a
 * local server that recomputes the signature, a short-term token from AWS's Bedrock token generator, and
 * canaries (access key, secret, session token) that never reach a fixture, a report or the console.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAVOURS } from '../src/emulator/surface.ts';
import { shortTermToken } from '../src/transport/auth/token.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';
import { sigv4Verifier, type VerifiedRequest } from './helpers/sigv4-verifier.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIACANARY0000000001',
  secretAccessKey: 'canarySecretKey/0123456789abcdefghijklmnopqrst',
  sessionToken: 'canarySessionToken0123456789abcdefghijklmnopqrstuvwxyz',
};

/** Env for the child: canary credentials, no shared config files, no instance metadata (no outside address). */
const ENV = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_BEARER_TOKEN_BEDROCK: '',
};


describe('--auth sigv4', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigv4-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('signs every request with service bedrock-mantle and the target region; nothing secret is stored or printed', async () => {
    const verified: VerifiedRequest[] = [];
    const emulator = await catalogEmulator({}, { verifyRequest: sigv4Verifier(CREDENTIALS, verified) });
    try {
      const fixtures = join(dir, 'fixtures');
      const reports = join(dir, 'reports');
      const run = await cli(
        ['run', '--mode', 'record', '--auth', 'sigv4', '--endpoint', emulator.url, '--region', 'eu-central-1', '--models', 'qwen.qwen3-32b,openai.gpt-oss-20b', '--fixtures', fixtures, '--report-dir', reports, '--plain'],
        ENV,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(verified.length).toBe(emulator.stats.requests);
      expect(new Set(verified.map((v) => `${v.service}/${v.region}`))).toEqual(new Set(['bedrock-mantle/eu-central-1']));
      expect(verified[0]!.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
      const written = (await allText(fixtures)) + (await allText(reports));
      for (const canary of Object.values(CREDENTIALS)) {
        expect(written).not.toContain(canary);
        expect(run.stdout + run.stderr).not.toContain(canary);
      }
      expect(scanForSecrets(written)).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it('signs requests to a bedrock-runtime target for service bedrock (the model list preflight on /openai/v1 too)', async () => {
    const verified: VerifiedRequest[] = [];
    const emulator = await catalogEmulator({}, { verifyRequest: sigv4Verifier(CREDENTIALS, verified), surface: FLAVOURS.runtime });
    try {
      const run = await cli(
        ['run', '--mode', 'live', '--auth', 'sigv4', '--targets', `runtime:us-east-1=${emulator.url}`, '--models', 'openai.gpt-oss-20b', '--checks', 'api.*,path-prefix', '--report-dir', join(dir, 'runtime'), '--plain'],
        ENV,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(verified.length).toBe(emulator.stats.requests);
      expect(new Set(verified.map((v) => `${v.service}/${v.region}`))).toEqual(new Set(['bedrock/us-east-1']));
      expect(emulator.stats.log[0]!.path).toBe('/openai/v1/models');
    } finally {
      await emulator.close();
    }
  });

  it('a signature the server rejects stops the run with exit 2, as a bad key does', async () => {
    const emulator = await catalogEmulator({}, { verifyRequest: sigv4Verifier({ ...CREDENTIALS, secretAccessKey: 'another-secret-entirely-0123456789' }) });
    try {
      const run = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--endpoint', emulator.url, '--region', 'us-west-2', '--models', 'qwen.qwen3-32b', '--report-dir', join(dir, 'refused'), '--plain'], ENV);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/HARNESS_AUTH_REJECTED: .* rejected the credentials: GET \/v1\/models answered 403 signature does not match\. Check the sigv4 credentials/);
      expect(emulator.stats.requests).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it('without credentials, stops with exit 2 and says what to set', async () => {
    const run = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--endpoint', 'http://127.0.0.1:9', '--region', 'us-west-2', '--report-dir', join(dir, 'none')], {
      ...ENV,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_AUTH_MISSING: (?:\S+: )?No AWS credentials.*AWS_ACCESS_KEY_ID/);
  });

  it('needs a region', async () => {
    const run = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--endpoint', 'http://127.0.0.1:9', '--report-dir', join(tmpdir(), 'aws-auth-no-region')], ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--auth sigv4 signs for a region: add --region');
  });
});

describe('--auth token', () => {
  it('makes a bedrock-api-key- token for the region locally and sends it as a bearer token', async () => {
    const auth = shortTermToken({ region: 'us-east-2', credentials: async () => CREDENTIALS });
    const headers = await auth.headers({ method: 'GET', url: new URL('https://bedrock-mantle.us-east-2.api.aws/v1/models'), headers: {} });
    const token = headers.authorization!.replace(/^Bearer /, '');
    expect(token).toMatch(/^bedrock-api-key-/);
    const presigned = Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString('utf8');
    expect(presigned).toContain('Action=CallWithBearerToken');
    expect(decodeURIComponent(presigned)).toContain(`${CREDENTIALS.accessKeyId}/`);
    expect(decodeURIComponent(presigned)).toContain('/us-east-2/bedrock/aws4_request');
    expect(auth.secrets().map((s) => s.value)).toEqual(expect.arrayContaining([token, CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]));
    expect(scanForSecrets(token)).toContain('a Bedrock API key');
  });
});
