/**
 * Which --endpoint query parameters are named like credentials: a word of the name is one (split at `-`, `_`, `.`
 * and camelCase), not a substring of it. A substring test took `?design=v2` (sig), `?tokenizer=o200k` (token) and
 * `?author=me` (auth) for credentials and refused record runs for their short values. A name that also names plain
 * things (`code`, `verify`, `policy`) is redacted when its value is long enough, but a short value of it is no sign
 * of a secret: neither warned about nor refused.
 */
import { describe, expect, it } from 'vitest';
import { tooShortToRedact } from '../src/transport/auth/short-secrets.ts';
import { credentialQueryParams, secretsOfQuery } from '../src/transport/request-secrets.ts';

const named = (query: string) => credentialQueryParams(new URL(`http://127.0.0.1/?${query}`)).map(([name]) => name);
const shortOnes = (query: string) => tooShortToRedact({ kind: 'none', apiKeyEnv: 'UNUSED', endpoints: [`http://127.0.0.1/?${query}`] }, {}).map((s) => s.name);

describe('query parameters named like credentials', () => {
  it.each(['api-key', 'apikey', 'key', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'client_secret', 'access_token', 'sig', 'subscription-key', 'Key-Pair-Id', 'hdnts', 'pwd', 'authToken', 'code', 'Policy'])('%s is one', (name) => {
    expect(named(`${name}=x`)).toEqual([name]);
  });

  it.each(['design', 'tokenizer', 'author', 'passage', 'hashtag', 'monkey', 'api-version', 'se'])('%s is none', (name) => {
    expect(named(`${name}=x`)).toEqual([]);
  });

  it('a short value of a credential name is too short to redact; of a name that also names plain things, it is not held to that', () => {
    expect(shortOnes('api-key=abc123')).toEqual(['the query parameter "api-key"']);
    expect(shortOnes('code=en&verify=1&policy=v2&design=v2&tokenizer=o200k')).toEqual([]);
  });

  it('a long value of a plain-sounding credential name is still redacted as a credential', () => {
    expect(secretsOfQuery(new URL('http://127.0.0.1/?code=AbCdEfGhIjKlMnOpQrSt12345')).map((s) => s.kind)).toContain('query-credential');
  });
});
