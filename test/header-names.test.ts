/**
 * Header names an endpoint built from what it was sent. Base64 of the key in a name is redacted although the HTTP
 * client lower-cased the name (a review recovered the key's first 21 characters, to 16 candidates, from
 * `x-b64-c2stchjvai1acthum3hxdjlmbu4yyl`). And a redacted name never takes the place of another header: a name that
 * redaction turned into one already there (the endpoint's own `x-redacted-api-key`, or a second echo of the key) gets
 * the first free suffix, `x-redacted-api-key-2`, in live and record, and when a fixture of the older
 * `x-[REDACTED:api-key]` names is read. The review saw the endpoint's `x-redacted-api-key: real-header-value` lost.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from '../src/transport/exchange.ts';
import { redactedHeaderNames, redactExchange } from '../src/transport/redact-exchange.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { echoGateway, type EchoGateway } from './helpers/echo-gateway.ts';
import { allText, cli } from './helpers/harness.ts';

const KEY = 'sk-proj-Zq8T3xWv9LmN2bQ7yRk4HsPd6FgJc1Aa';
const redactor = new Redactor(() => [{ kind: 'api-key', value: KEY }]);
const exchange = (requestHeaders: Record<string, string>, responseHeaders: Record<string, string>): Exchange => ({ step: 'main', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: requestHeaders }, response: { status: 200, headers: responseHeaders, chunks: [{ t: 0, data: '{}' }] }, error: null, durationMs: 1, attempts: 1 });
const b64 = (text: string, cut: number) => Buffer.from(text).toString('base64url').slice(0, cut).toLowerCase();

describe('base64 of the key in a lower-cased header name', () => {
  it.each([20, 24, 30, 40, 54])('cut at %i characters is redacted, and nothing of it is left', (cut) => {
    const redacted = redactExchange(exchange({}, { [`x-b64-${b64(KEY, cut)}`]: 'b64name' }), redactor);
    // The whole value's base64 (54 characters) is widened by the character before it, as in a value.
    expect(redacted.response!.headers).toEqual({ [cut === 54 ? 'x-b64redacted-api-key' : 'x-b64-redacted-api-key']: 'b64name' });
  });

  it('inside a longer base64 text (`apikey:` + key), at another byte alignment', () => {
    const name = `x-${Buffer.from(`apikey:${KEY}`).toString('base64').slice(0, 40).toLowerCase()}-end`;
    const [redacted] = Object.keys(redactExchange(exchange({}, { [name]: '1' }), redactor).response!.headers);
    expect(redacted).toMatch(/^x-[a-z0-9]*redacted-api-key-end$/);
    expect(redacted!.length).toBeLessThan(`x-yxbpa2v5-redacted-api-key-end`.length + 2);
  });

  it('leaves base64 of other bytes alone, and a value keeps its letter case (it tells base64 characters apart)', () => {
    const other = `x-trace-${Buffer.from('not the key, something else entirely').toString('base64url').toLowerCase()}`;
    expect(Object.keys(redactExchange(exchange({}, { [other]: '1' }), redactor).response!.headers)).toEqual([other]);
    expect(redactor.text(`v ${b64(KEY, 40)}`).value).toBe(`v ${b64(KEY, 40)}`);
  });
});

describe('a redacted header name that another header has', () => {
  it('in an answer, gets a suffix: the endpoint\'s own header keeps its name and value, each echo its own', () => {
    const headers = { [`x-${KEY.toLowerCase()}`]: 'echo-in-name', 'x-redacted-api-key': 'real-header-value', [`x-${KEY}`]: 'echo-as-sent', 'x-redacted-api-key-2': 'another-real-one' };
    const redacted = redactExchange(exchange({}, headers), redactor);
    expect(redacted.response!.headers).toEqual({ 'x-redacted-api-key-3': 'echo-in-name', 'x-redacted-api-key': 'real-header-value', 'x-redacted-api-key-4': 'echo-as-sent', 'x-redacted-api-key-2': 'another-real-one' });
    expect(redacted.redactions).toBe(2);
  });

  it('in a request, the same', () => {
    const redacted = redactExchange(exchange({ 'X-Redacted-Api-Key': 'mine', [`x-${KEY}`]: 'echo' }, {}), redactor);
    expect(redacted.request.headers).toEqual({ 'X-Redacted-Api-Key': 'mine', 'x-redacted-api-key-2': 'echo' });
  });

  it('in a fixture of the older names, read: the name the placeholder becomes is taken, so it gets a suffix', () => {
    expect(redactedHeaderNames({ 'x-[REDACTED:api-key]': 'old-echo', 'x-redacted-api-key': 'real-header-value', 'x-echo-[REDACTED:api-key]': '2' })).toEqual({ 'x-redacted-api-key-2': 'old-echo', 'x-redacted-api-key': 'real-header-value', 'x-echo-redacted-api-key': '2' });
    expect(redactedHeaderNames({ 'x-[REDACTED:api-key]': 'a', 'x-[REDACTED:api-key]-2': 'b', 'x-redacted-api-key-2': 'c' })).toEqual({ 'x-redacted-api-key': 'a', 'x-redacted-api-key-2-2': 'b', 'x-redacted-api-key-2': 'c' });
  });
});

describe('a record run against an endpoint that echoes the key into header names', () => {
  let dir: string;
  let gateway: EchoGateway;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'header-names-'));
    // The review's endpoint (/tmp/r4/hdr.mjs): its own `x-redacted-api-key`, the key as a name, and base64 of it as one.
    gateway = await echoGateway((req) => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return { headers: { 'x-redacted-api-key': 'real-header-value', [`x-${key}`]: 'echo-in-name', [`x-b64-${Buffer.from(key).toString('base64url').slice(0, 30)}`]: 'b64name' } };
    });
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every header, the endpoint\'s own under its name, and no base64 of the key; replay agrees', async () => {
    const fixtures = join(dir, 'fx');
    const run = (mode: string) => cli(['run', '--mode', mode, '--fixtures', fixtures, '--report-dir', join(dir, mode), '--endpoint', url, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty,sdk.openai.chat', '--quiet'], { AWS_BEARER_TOKEN_BEDROCK: KEY });
    const record = await run('record');
    expect(record.code, record.stderr + record.stdout).toBe(0);
    const stored = await allText(fixtures);
    expect(stored.includes(b64(KEY, 20))).toBe(false);
    expect(stored).toContain('"x-b64-redacted-api-key": "b64name"');
    expect(stored).toContain('"x-redacted-api-key": "real-header-value"');
    expect(stored).toContain('"x-redacted-api-key-2": "echo-in-name"');
    const replay = await run('replay');
    expect(replay.code, replay.stderr + replay.stdout).toBe(0);
    const cells = async (name: string) => (JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as { results: { check: string; status: string }[] }).results.map((r) => `${r.check} ${r.status}`);
    expect(await cells('replay')).toEqual(await cells('record'));
  }, 60_000);
});
