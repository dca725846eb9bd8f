/**
 * What the redactor used to let through: a SigV4 signature echoed in a later answer than its own, a credential in an
 * endpoint query parameter whose name no list foresees, part of a key (a prefix, a suffix) or its hex, and a key too
 * short to redact at all (said, never silently stored). Each both ways: the leak is closed, ordinary text is left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { tooShortToRedact } from '../src/transport/auth/short-secrets.ts';
import { sigv4 } from '../src/transport/auth/sigv4.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { secretsOfQuery } from '../src/transport/request-secrets.ts';
import type { Target } from '../src/transport/target.ts';

const CREDENTIALS = { accessKeyId: 'AKIALEFTOVER00000001', secretAccessKey: 'leftoverSecret/0123456789abcdefghij' };
const signatureOf = (headers: Record<string, string>) => /Signature=([0-9a-f]{64})/.exec(headers.authorization ?? '')![1]!;

describe('SigV4 signatures echoed after their own exchange', () => {
  let url: string;
  let server: ReturnType<typeof createServer>;
  beforeAll(async () => {
    // Answers each request with the signature of the one before, as a gateway's "last request" debug field would.
    let previous = 'none';
    server = createServer((req, res) => {
      const echoed = previous;
      previous = /Signature=([0-9a-f]{64})/.exec(req.headers.authorization ?? '')?.[1] ?? 'none';
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ previous: echoed, upper: echoed.toUpperCase() })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('are redacted wherever they come back, in any letter case', async () => {
    const provider = sigv4({ region: 'us-east-1', credentials: async () => CREDENTIALS });
    // Two bodies, two signatures (the same request signed in the same second signs alike).
    const send = (n: number) => sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: `{"n":${n}}` }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: provider });
    await send(1);
    const second = JSON.stringify(await send(2));
    expect(second).not.toMatch(/"previous\\":\\"[0-9a-f]{64}/);
    expect(second).toContain('[REDACTED:sigv4-signature]');
    for (const signature of provider.secrets().flatMap((s) => [...(s.hexValues ?? [])])) expect(second.toLowerCase()).not.toContain(signature);
  });

  it('leave other 64-digit hex alone (a SHA-256 in an answer is no secret)', async () => {
    const provider = sigv4({ region: 'us-east-1', credentials: async () => CREDENTIALS });
    const signature = signatureOf(await provider.headers({ method: 'GET', url: new URL('http://h/v1/models'), headers: {} }));
    const redactor = new Redactor(() => provider.secrets());
    const digest = 'ab'.repeat(32);
    expect(redactor.text(`sha256 ${digest}; earlier x${signature.toUpperCase()}y`).value).toBe(`sha256 ${digest}; earlier x[REDACTED:sigv4-signature]y`);
  });

  it('stop a fixture write when one got past the redactor: the last scan knows every signature of the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leftover-sig-'));
    try {
      const provider = sigv4({ region: 'us-east-1', credentials: async () => CREDENTIALS });
      const old = signatureOf(await provider.headers({ method: 'GET', url: new URL('http://h/v1/models'), headers: {} }));
      await provider.headers({ method: 'GET', url: new URL('http://h/v1/models?x=1'), headers: {} });
      const exchange = (data: string): Exchange => ({ step: 'main', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: {} }, response: { status: 200, headers: {}, chunks: [{ t: 0, data }] }, error: null, durationMs: 1, attempts: 1 });
      const record = new RecordTarget({ id: 'unit' } as Target, { fixturesDir: dir, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => provider.secrets());
      const refused = await record.caseFinished('m', 'c', [exchange(`{"previous":"${old}"}`)]).then(() => undefined, (e: unknown) => e);
      expect((refused as HarnessError).code).toBe('HARNESS_SECRET_IN_FIXTURE');
      await record.caseFinished('m', 'c', [exchange(`{"digest":"${'ab'.repeat(32)}"}`)]);
      expect(record.written).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a credential in the endpoint query', () => {
  it('takes the values of names that say credential, and long values of other names that look like none of an id, a date or a version', () => {
    const url = new URL('http://h/?jwt=eyJhbGciOiJIUzI1NiJ9.e30.sig0&sas=sv2024abcdEFGH&md5=Xk9pQ2mZr7LwT4vB&expires=2147483647&x=9f8e7d6c5b4a3210&api-version=2024-10-21&version=2024-12-01-preview&v=1.2.3.4.5&model=xai.grok-4.3&deployment-id=openai.gpt-oss-20b&route=my-gpt-4o-prod&when=2025-01-02');
    expect(secretsOfQuery(url).map((s) => s.value)).toEqual(['eyJhbGciOiJIUzI1NiJ9.e30.sig0', 'sv2024abcdEFGH', 'Xk9pQ2mZr7LwT4vB', '9f8e7d6c5b4a3210']);
  });

  it('redacts such a value where the endpoint echoes it, and leaves the api-version of every answer', () => {
    const secrets = secretsOfQuery(new URL('http://h/?api-version=2024-10-21&sas=sv2024abcdEFGH'));
    const text = 'url /v1/x?api-version=2024-10-21&sas=sv2024abcdEFGH created 2024-10-21';
    expect(new Redactor().text(text, secrets).value).toBe('url /v1/x?api-version=2024-10-21&sas=[REDACTED:query-credential] created 2024-10-21');
  });
});

describe('part of a key, or its hex', () => {
  const KEY = 'sk-test-Q7vX2mP9kR4tW8zB3nL5'; // 28 characters, `sk-test-` public
  const redacted = (text: string) => new Redactor(() => [{ kind: 'api-key', value: KEY }]).text(text).value;

  it.each([
    ['its first 16 characters', `Your key starts with ${KEY.slice(0, 16)} ok`, 'Your key starts with [REDACTED:api-key] ok'],
    ['its last 14 characters', `Your key ends with ${KEY.slice(-14)} ok`, 'Your key ends with [REDACTED:api-key] ok'],
    ['its middle 12, upper-cased', `key ...${KEY.slice(10, 22).toUpperCase()}...`, 'key ...[REDACTED:api-key]...'],
    ['12 characters inside a longer word', `id=zz${KEY.slice(12, 24)}zz`, 'id=zz[REDACTED:api-key]zz'],
    ['its hex', `hex ${Buffer.from(KEY).toString('hex')} ok`, 'hex [REDACTED:api-key] ok'],
  ])('redacts %s', (_name, text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it.each([
    ['11 characters of it', `Your key starts with ${KEY.slice(0, 11)} ok`],
    ['11 at its end', `ends ${KEY.slice(-11)}`],
    ['only its public prefix, and more that is not it', 'keys look like sk-test-XXXX or bedrock-api-key-...'],
    ['ordinary text', 'The quick brown fox jumps over the lazy dog 0123456789 chatcmpl-abcdefghijklmnop'],
  ])('leaves %s alone', (_name, text) => {
    expect(redacted(text)).toBe(text);
  });

  it('leaves a public prefix longer than a piece alone: bedrock-api-key- in an error text', () => {
    const redactor = new Redactor(() => [{ kind: 'api-key', value: 'bedrock-api-key-Zq81Lm02Xv93Kp47' }]);
    const text = 'expected a bedrock-api-key- token, got none';
    expect(redactor.text(text).value).toBe(text);
    // Seven characters past the prefix: too few for the shape, a piece all the same (from where it leaves the prefix's first 11).
    expect(redactor.text('got bedrock-api-key-Zq81Lm0...').value).toBe('got bedro[REDACTED:api-key]...');
  });
});

describe('a secret too short to redact', () => {
  it('is named by its flag and variable, never its value', () => {
    expect(tooShortToRedact({ kind: 'bearer', apiKeyEnv: 'SHORT_KEY_A' }, { SHORT_KEY_A: 'k3y' })).toEqual([{ flag: '--api-key-env SHORT_KEY_A', name: 'SHORT_KEY_A' }]);
    expect(tooShortToRedact({ kind: 'none', apiKeyEnv: 'X', headerEnv: [{ header: 'x-gw', env: 'SHORT_GW_A' }] }, { X: 'k', SHORT_GW_A: 'gw-1' })).toEqual([{ flag: '--header-env x-gw=SHORT_GW_A', name: 'SHORT_GW_A' }]);
    expect(tooShortToRedact({ kind: 'bearer', apiKeyEnv: 'LONG_KEY', headerEnv: [{ header: 'x-gw', env: 'LONG_GW' }] }, { LONG_KEY: 'k3y-0123', LONG_GW: 'gw-01234' })).toEqual([]);
  });

  it('is refused when recording, naming the variable and the fix', () => {
    const refused = (settings: Parameters<typeof createAuth>[0], env: NodeJS.ProcessEnv) => {
      try {
        createAuth({ ...settings, recording: true }, env);
      } catch (error) {
        return error as HarnessError;
      }
      return undefined;
    };
    const key = refused({ kind: 'bearer', apiKeyEnv: 'SHORT_KEY_B' }, { SHORT_KEY_B: 'k3y' });
    expect(key?.code).toBe('HARNESS_USAGE');
    expect(key?.message).toMatch(/^--api-key-env SHORT_KEY_B: the value of SHORT_KEY_B is shorter than 8 characters.*set SHORT_KEY_B to a value of 8 characters or more/);
    expect(key?.message).not.toContain('k3y');
    expect(refused({ kind: 'none', apiKeyEnv: 'X', headerEnv: [{ header: 'x-gw', env: 'SHORT_GW_B' }] }, { SHORT_GW_B: 'gw-1' })?.message).toMatch(/^--header-env x-gw=SHORT_GW_B: the value of SHORT_GW_B/);
  });

  it('is no concern at 8 characters or more', () => {
    expect(createAuth({ kind: 'bearer', apiKeyEnv: 'LONG_KEY', headerEnv: [{ header: 'x-gw', env: 'LONG_GW' }], recording: true }, { LONG_KEY: 'k3y-0123', LONG_GW: 'gw-01234' }).kind).toBe('bearer');
  });
});
