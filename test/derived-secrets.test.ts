/**
 * Secrets inside secrets (derived-secrets.ts): a short-term `bedrock-api-key-` token's presigned signature, session
 * token and access key id, and the password inside `Basic base64(user:pass)`, echoed alone by an endpoint that
 * decoded what it got, reach no fixture, report or console line. Ordinary keys carry nothing: no junk secrets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getToken } from '@aws/bedrock-token-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../src/transport/auth/bearer.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { shortTermToken } from '../src/transport/auth/token.ts';
import { derivedSecrets } from '../src/transport/derived-secrets.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { secretsOfAuthHeaders } from '../src/transport/request-secrets.ts';
import { allText, cli } from './helpers/harness.ts';

const CREDENTIALS = {
  accessKeyId: 'ASIADERIVED000000001',
  secretAccessKey: 'derivedSecret/0123456789abcdefghijklmn',
  sessionToken: 'IQoJb3JpZ2luX2VjDERIVEDsessionTOKEN/abc+def0123456789xyz==',
};
const PASSWORD = 's3cretPassw0rd!';
const BASIC = `Basic ${Buffer.from(`gw_user:${PASSWORD}`).toString('base64')}`;

/** The presigned URL's query values of a `bedrock-api-key-` token, decoded. */
function partsOf(token: string): URLSearchParams {
  return new URLSearchParams(Buffer.from(token.slice('bedrock-api-key-'.length), 'base64').toString('utf8').split('?')[1]);
}

let token: string;
let signature: string;
beforeAll(async () => {
  token = await getToken({ credentials: CREDENTIALS, region: 'us-east-1', expiresInSeconds: 3600 });
  signature = partsOf(token).get('X-Amz-Signature')!;
});

describe('derivedSecrets', () => {
  it('a bedrock-api-key- token: its signature (as the run signatures are looked up), session token and access key id', () => {
    const derived = derivedSecrets(token, 'api-key');
    expect(derived).toContainEqual({ kind: 'sigv4-signature', value: signature, hexValues: new Set([signature]) });
    expect(derived).toContainEqual({ kind: 'aws-session-token', value: CREDENTIALS.sessionToken });
    expect(derived).toContainEqual({ kind: 'aws-session-token', value: encodeURIComponent(CREDENTIALS.sessionToken) });
    expect(derived).toContainEqual({ kind: 'aws-access-key-id', value: CREDENTIALS.accessKeyId });
    // Either alphabet, padded or not; behind `Bearer ` in a header value.
    const urlSafe = `bedrock-api-key-${Buffer.from(token.slice(16), 'base64').toString('base64url')}`;
    expect(derivedSecrets(urlSafe, 'api-key')).toEqual(derived);
    expect(derivedSecrets(`Bearer ${token}`, 'header-env').map((s) => s.value)).toEqual(derived.map((s) => s.value));
  });

  it('Basic base64(user:pass), a bare base64 value and a long-term ABSK key: the password, or the decoded text with no user part', () => {
    expect(derivedSecrets(BASIC, 'header-env')).toEqual([{ kind: 'header-env', value: PASSWORD }]);
    expect(derivedSecrets(Buffer.from('service-account-secret-42').toString('base64url'), 'api-key')).toEqual([{ kind: 'api-key', value: 'service-account-secret-42' }]);
    const absk = `ABSK${Buffer.from('BedrockAPIKey-abcd-at-123456789012:LongTermSecretPart0123').toString('base64')}`;
    expect(derivedSecrets(absk, 'api-key').map((s) => s.value)).toEqual(['LongTermSecretPart0123']);
    // The user part is public: the account id in an ARN, a user name, stay (12 characters of a secret in a row are cut).
    const redactor = new Redactor(() => bearer(absk).secrets());
    for (const text of ['make a BedrockAPIKey-style key', 'arn:aws:iam::123456789012:user/ci is not authorized', 'your account 123456789012 has no access']) expect(redactor.text(text).value).toBe(text);
    expect(new Redactor().text('request by gw_user accepted', secretsOfAuthHeaders({ 'x-upstream-auth': BASIC })).value).toBe('request by gw_user accepted');
  });

  it('ordinary keys carry nothing: not base64, not printable once decoded, or too short to redact', () => {
    // The last: its password is below MIN_SECRET_LENGTH, and its user part is no secret.
    for (const plain of ['sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789', 'canary-header-value-9876543210fedcba', 'a'.repeat(64), 'f3a9c1d2e4b5a6978877665544332211aabbccddeeff00112233445566778899', 'Tk9QRQ', `Basic ${Buffer.from('u:short').toString('base64')}`, `Basic ${Buffer.from('a-long-user-name:short').toString('base64')}`]) {
      expect(derivedSecrets(plain, 'api-key'), plain).toEqual([]);
    }
  });
});

describe('every path that registers a secret registers what it carries', () => {
  const echo = () => `expired token ${CREDENTIALS.sessionToken}, signature ${signature}, SIG ${signature.toUpperCase()}, user ${CREDENTIALS.accessKeyId}`;
  const clean = (text: string) => {
    for (const part of [CREDENTIALS.sessionToken, signature, CREDENTIALS.accessKeyId]) expect(text.toLowerCase()).not.toContain(part.toLowerCase());
  };

  it('--api-key-env (bearer) and the request headers', () => {
    clean(new Redactor(() => bearer(token).secrets()).text(echo()).value);
    clean(new Redactor().text(echo(), secretsOfAuthHeaders({ authorization: `Bearer ${token}` })).value);
    expect(new Redactor().text(`got ${PASSWORD}`, secretsOfAuthHeaders({ 'x-upstream-auth': BASIC })).value).toBe('got [REDACTED:header-env]');
  });

  it('--auth token: the signature of the token it made', async () => {
    const auth = shortTermToken({ region: 'us-east-1', credentials: async () => CREDENTIALS });
    const made = (await auth.headers({ method: 'GET', url: new URL('https://example.invalid/v1/models'), headers: {} })).authorization!.slice('Bearer '.length);
    const madeSignature = partsOf(made).get('X-Amz-Signature')!;
    expect(new Redactor(() => auth.secrets()).text(`bad signature ${madeSignature}`).value).toBe('bad signature [REDACTED:sigv4-signature]');
  });

  it('--header-env: the password of a Basic value; a plain value redacts as before', () => {
    const auth = createAuth({ kind: 'none', apiKeyEnv: 'UNUSED', headerEnv: [{ header: 'X-Upstream-Auth', env: 'GWAUTH' }, { header: 'x-gateway-key', env: 'GWKEY' }] }, { GWAUTH: BASIC, GWKEY: 'canary-header-value-9876543210fedcba' });
    const redactor = new Redactor(() => auth.secrets());
    expect(redactor.text(`decoded credentials: gw_user:${PASSWORD}`).value).toBe('decoded credentials: gw_user:[REDACTED:header-env]');
    expect(redactor.text(`password ${PASSWORD} rejected`).value).toBe('password [REDACTED:header-env] rejected');
    expect(redactor.text('key canary-header-value-9876543210fedcba').value).toBe('key [REDACTED:header-env]');
    expect(auth.secrets()).toHaveLength(3);
  });
});

/** A gateway that decodes the credentials it got and echoes their parts: in a 401 to the model list, or in the answer. */
function decodingGateway(reject: boolean): Promise<{ url: string; server: Server }> {
  const said = (req: IncomingMessage) => {
    const parts = partsOf(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const basic = Buffer.from(String(req.headers['x-upstream-auth'] ?? '').replace(/^Basic /, ''), 'base64').toString();
    return `security token expired: ${parts.get('X-Amz-Security-Token')} bad signature ${parts.get('X-Amz-Signature')} for ${basic}`;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      const text = said(req);
      if (reject) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: text, type: 'authentication_error' } }));
      if (req.url?.endsWith('/models')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
      const model = (JSON.parse(body || '{}') as { model?: string }).model;
      const answer = { id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('end to end: a gateway that echoes the derived parts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'derived-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const env = () => ({ MYKEY: token, GWAUTH: BASIC });
  const leaks = () => [CREDENTIALS.sessionToken, encodeURIComponent(CREDENTIALS.sessionToken), signature, PASSWORD];

  it('record: no fixture or report holds the token\'s signature, its session token or the Basic password', async () => {
    const { url, server } = await decodingGateway(false);
    try {
      const run = join(dir, 'record');
      const result = await cli(['run', '--mode', 'record', '--endpoint', url, '--models', 'openai.gpt-oss-20b', '--checks', 'api.chat-completions', '--api-key-env', 'MYKEY', '--header-env', 'X-Upstream-Auth=GWAUTH', '--fixtures', join(run, 'fixtures'), '--report-dir', join(run, 'reports'), '--retries', '0', '--plain'], env());
      expect(result.stderr).not.toContain('HARNESS_SECRET_IN_FIXTURE');
      const written = await allText(run);
      expect(written).toContain('security token expired: [REDACTED:aws-session-token] bad signature [REDACTED:sigv4-signature] for gw_user:[REDACTED:header-env]');
      for (const leak of leaks()) expect(written + result.stdout + result.stderr, leak).not.toContain(leak);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a 401 to the preflight: the console line holds placeholders and names what to check', async () => {
    const { url, server } = await decodingGateway(true);
    try {
      const keyed = await cli(['run', '--mode', 'live', '--endpoint', url, '--models', 'openai.gpt-oss-20b', '--api-key-env', 'MYKEY', '--report-dir', join(dir, 'keyed'), '--plain'], env());
      expect(keyed.code).toBe(2);
      expect(keyed.stderr).toContain('answered 401 security token expired: [REDACTED:aws-session-token] bad signature [REDACTED:sigv4-signature]');
      const none = await cli(['run', '--mode', 'live', '--auth', 'none', '--header-env', 'X-Upstream-Auth=GWAUTH', '--endpoint', url, '--models', 'openai.gpt-oss-20b', '--report-dir', join(dir, 'none'), '--plain'], env());
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('for gw_user:[REDACTED:header-env]. Check the --header-env values (X-Upstream-Auth from GWAUTH); nothing else was sent.');
      expect(none.stderr).not.toContain('none credentials');
      for (const leak of leaks()) expect(keyed.stderr + none.stderr, leak).not.toContain(leak);
    } finally {
      server.close();
    }
  }, 60_000);
});
