/**
 * What a review saw survive a SigV4 record run against a server that echoes the request's headers back: a
 * signature's first 30 digits in a request id (signatures were left out of the 12-character piece rule), a
 * `Signature=` a gateway cut to 40 digits (the shape wanted 64), and a session token spread over response headers of
 * 11 characters each (no value held a piece). Each is closed, in the fixture, matrix.json's evidence and junit.xml,
 * and ordinary hex and headers are left alone.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { redactExchange } from '../src/transport/redact-exchange.ts';
import { Redactor, type Secret } from '../src/transport/redactor.ts';
import { AddedInOrder, HexIndex, hexIndexOf } from '../src/transport/secret-pieces.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { passAnswer, startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKEN = 'IQoJb3JpZ2luX2VjECanaryFxsigTokenXyZ0123456789abcdefGHIJKLmnopQRSTuvwxYZ9876543210zzTOKEND';
/** A run's signatures: thousands, looked up by their pieces; the last is the one a request carried. */
const SIGNED = new Set(Array.from({ length: 3000 }, (_, i) => hex(`fxsig ${i}`)));
const LAST = hex('fxsig 2999');
const OLD = hex('fxsig 17');
const SECRETS: Secret[] = [
  { kind: 'aws-session-token', value: TOKEN },
  { kind: 'sigv4-signature', value: LAST, hexValues: SIGNED },
];
const redacted = (text: string) => new Redactor(() => SECRETS).text(text).value;
/** A hex digit other than `digit`. */
const unlike = (digit: string) => (digit === 'a' ? 'b' : 'a');

describe('a piece of one of the run\'s signatures', () => {
  it.each([
    ['its first 30 digits and the token\'s first 20 in a request id', `req-${LAST.slice(0, 30)}${TOKEN.slice(0, 20)}`, 'req-[REDACTED:sigv4-signature][REDACTED:aws-session-token]'],
    // Digits around that are not the signature's next ones: a match goes on as long as the signature does.
    ['12 digits of an earlier one, upper-cased, inside a longer hex run', `id 0f0${unlike(OLD[19]!)}${OLD.slice(20, 32).toUpperCase()}${unlike(OLD[32]!)}f0f end`, `id 0f0${unlike(OLD[19]!)}[REDACTED:sigv4-signature]${unlike(OLD[32]!)}f0f end`],
    ['its last 12 digits', `tail=${LAST.slice(-12)}`, 'tail=[REDACTED:sigv4-signature]'],
    ['the whole of it, twice', `${OLD} ${OLD}`, '[REDACTED:sigv4-signature] [REDACTED:sigv4-signature]'],
  ])('is redacted: %s', (_name, text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it.each([
    ['11 digits of it', `req-${LAST.slice(0, 11)}-x`],
    ['a SHA-256 of something else', `sha256 ${hex('an answer')}`],
    ['hex with an anchor of it but fewer than 12 of its digits around', `a ${LAST.slice(6, 13)}ffff b`],
  ])('leaves %s alone', (_name, text) => {
    expect(redacted(text)).toBe(text);
  });

  it('is found by the last scan before a fixture is written', () => {
    expect(scanForSecrets(`{"id":"req-${OLD.slice(3, 33)}"}`, [...SIGNED])).toEqual(['a credential this run is using']);
  });
});

describe('the index of a set of signatures that grows', () => {
  it('knows every signature added, one at a time, several at once, and past a cap that lets the oldest go', () => {
    const set = new Set(Array.from({ length: 20 }, (_, i) => hex(`grow ${i}`)));
    const secret = { kind: 'sigv4-signature', value: hex('grow 19'), hexValues: set };
    const redactor = new Redactor(() => [secret]);
    const echoes = (value: string) => redactor.text(`x ${value.slice(5, 25)} y`).value;
    const sign = (name: string, cap = Infinity) => {
      secret.value = hex(name);
      set.add(secret.value);
      if (set.size > cap) set.delete(set.values().next().value!);
      return secret.value;
    };
    expect(echoes(hex('grow 3'))).toBe('x [REDACTED:sigv4-signature] y');
    const one = sign('one');
    expect(echoes(one)).toBe('x [REDACTED:sigv4-signature] y');
    // Two signed before the next redaction (concurrent requests): the first of them was never the newest.
    const [two] = [sign('two'), sign('three')];
    expect(echoes(two!)).toBe('x [REDACTED:sigv4-signature] y');
    const atCap = sign('four', set.size);
    expect(echoes(atCap)).toBe('x [REDACTED:sigv4-signature] y');
    const [five] = [sign('five', set.size), sign('six', set.size)];
    expect(echoes(five!)).toBe('x [REDACTED:sigv4-signature] y');
    expect(echoes(hex('never signed'))).toBe(`x ${hex('never signed').slice(5, 25)} y`);
  });

  it('catches up with the run\'s signatures (AddedInOrder, as sigv4 keeps them) by what was added since it looked, however many, at a cap too', () => {
    const set = new AddedInOrder();
    for (let i = 0; i < 3000; i++) set.add(hex(`held ${i}`));
    const index = hexIndexOf(set, 'sigv4-signature');
    const adds = vi.spyOn(HexIndex.prototype, 'add');
    try {
      // Two signed at once, then past the cap (the oldest let go): only the new ones are read.
      set.add(hex('new 1')).add(hex('new 2'));
      expect(hexIndexOf(set, 'sigv4-signature')).toBe(index);
      expect(adds).toHaveBeenCalledTimes(2);
      set.add(hex('new 3'));
      set.dropOldest();
      hexIndexOf(set, 'sigv4-signature');
      expect(adds).toHaveBeenCalledTimes(3);
      hexIndexOf(set, 'sigv4-signature');
      expect(adds).toHaveBeenCalledTimes(3);
    } finally {
      adds.mockRestore();
    }
    for (const name of ['held 0', 'held 2999', 'new 1', 'new 2', 'new 3']) expect(index.has(hex(name)), name).toBe(true);
    expect(set.has(hex('held 0'))).toBe(false);
    expect(set.since(set.added - 2)).toEqual([hex('new 2'), hex('new 3')]);
  });
});

describe('a Signature= a gateway cut short', () => {
  it('is redacted from 16 digits on, without the run knowing it', () => {
    const text = `echo Signature=${'9a'.repeat(20)}, Signature=${'b1'.repeat(8)} Signature=${'c2'.repeat(7)}`;
    expect(new Redactor().text(text).value).toBe(`echo Signature=[REDACTED:sigv4-signature], Signature=[REDACTED:sigv4-signature] Signature=${'c2'.repeat(7)}`);
    expect(scanForSecrets(`Signature=${'9a'.repeat(20)}`)).toEqual(['a SigV4 signature']);
  });
});

describe('a session token spread over response headers', () => {
  const exchange = (headers: Record<string, string>): Exchange => ({ step: 'main', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: {} }, response: { status: 200, headers, chunks: [{ t: 0, data: '{}' }] }, error: null, durationMs: 1, attempts: 1 });

  // The token is whole in the joined values: one placeholder where it starts, the headers it ran on into emptied.
  it('is cut out of the values joined in header order, each part too short to be a piece', () => {
    const headers = { 'content-type': 'application/json', 'x-part-a': TOKEN.slice(0, 11), 'x-part-b': TOKEN.slice(11, 22), 'x-part-c': TOKEN.slice(22), 'x-id-frag': LAST.slice(0, 11), server: 'gw' };
    const out = redactExchange(exchange(headers), new Redactor(() => SECRETS)).response!.headers;
    expect(out).toEqual({ 'content-type': 'application/json', 'x-part-a': '[REDACTED:aws-session-token]', 'x-part-b': '', 'x-part-c': '', 'x-id-frag': LAST.slice(0, 11), server: 'gw' });
    // Parts of 11 and 12 characters in turn: a part that is a piece alone must not split the join of its neighbours.
    const parts = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x-p${i}`, TOKEN.slice([0, 11, 23, 34, 46, 57, 69, 80, 92][i], [11, 23, 34, 46, 57, 69, 80, 92, 104][i])]).filter(([, v]) => v !== ''));
    const spread = redactExchange(exchange({ 'content-type': 'application/json', ...parts }), new Redactor(() => SECRETS)).response!.headers;
    const left = Object.entries(spread).filter(([name]) => name.startsWith('x-p')).map(([, v]) => v.replace(/\[REDACTED:[a-z0-9-]+\]/g, '')).join('');
    expect(left).toBe('');
  });

  it('cuts a secret one value holds (a base64 echo too) within that value: its neighbours keep every letter', () => {
    const key = { kind: 'api-key', value: 'mantle-test-key-0123456789abcdef' };
    const headers = { 'content-type': 'text/event-stream', 'x-echo': Buffer.from(key.value).toString('base64'), 'x-amzn-requestid': 'abc123', 'x-echo-2': key.value, server: 'gw' };
    const out = redactExchange(exchange(headers), new Redactor(() => [key])).response!.headers;
    expect(out).toEqual({ 'content-type': 'text/event-stream', 'x-echo': '[REDACTED:api-key]', 'x-amzn-requestid': 'abc123', 'x-echo-2': '[REDACTED:api-key]', server: 'gw' });
  });

  it('leaves a shape within its own value: a bearer token does not run on into the next header', () => {
    const headers = { 'x-echo': 'Bearer abcdefghijklmnop', 'content-type': 'application/json', 'x-key': 'AKIAZQXW3FXSIG987654' };
    const out = redactExchange(exchange(headers), new Redactor()).response!.headers;
    expect(out).toEqual({ 'x-echo': 'Bearer [REDACTED:bearer-token]', 'content-type': 'application/json', 'x-key': '[REDACTED:aws-access-key-id]' });
  });
});

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAFXSIGCANARY00001', AWS_SECRET_ACCESS_KEY: 'fxsigSecretKey/0123456789abcdefghijklmnop', AWS_SESSION_TOKEN: TOKEN };
const ENV = { ...CREDENTIALS, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true', AWS_BEARER_TOKEN_BEDROCK: '' };

describe('a SigV4 record run against a gateway that echoes the request\'s headers', () => {
  let emulator: RunningEmulator;
  let proxy: EmulatorProxy;
  let dir: string;
  const signatures: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fxsig-'));
    // Port 0: a fixed port in the ephemeral range collides with another test's port-0 server now and then.
    emulator = await catalogEmulator();
    const upstream = new URL(emulator.url);
    // Forwards to the emulator and adds the echoes the review's server sent.
    proxy = await startEmulatorProxy(emulator.url, {
      forwardHeaders: (request) => ({ ...request.headers, host: upstream.host }),
      answer: (request, answer, res) => {
        const signature = /Signature=([0-9a-f]+)/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        const token = String(request.headers['x-amz-security-token'] ?? '');
        signatures.push(signature);
        passAnswer(answer, res, { 'x-request-id': `req-${signature.slice(0, 30)}${token.slice(0, 20)}`, 'x-part-a': token.slice(0, 11), 'x-part-b': token.slice(11, 22), 'x-echo-sig': `Signature=${signature.slice(0, 40)}` });
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores and reports no 12 characters in a row of any signature or of the session token', async () => {
    const fixtures = join(dir, 'fixtures');
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--mode', 'record', '--auth', 'sigv4', '--endpoint', proxy.url, '--region', 'us-east-1', '--models', 'openai.gpt-oss-20b', '--checks', 'api.*,path-prefix', '--fixtures', fixtures, '--report-dir', reports, '--plain'], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(signatures.length).toBeGreaterThan(0);
    const written = ((await allText(fixtures)) + (await allText(reports)) + run.stdout + run.stderr).toLowerCase();
    const leaked = [...signatures, TOKEN.toLowerCase()].flatMap((secret) => Array.from({ length: secret.length - 11 }, (_, at) => secret.slice(at, at + 12)).filter((piece) => written.includes(piece)));
    expect(leaked).toEqual([]);
    // The request id evidence is the redacted header, in matrix.json and junit.xml alike.
    expect(await readFile(join(reports, 'matrix.json'), 'utf8')).toContain('"requestId": "req-[REDACTED:sigv4-signature][REDACTED:aws-session-token]"');
    expect(await allText(reports)).not.toMatch(/req-[0-9a-f]{12}/);
    const fixture = await allText(fixtures);
    expect(fixture).toContain('"x-echo-sig": "Signature=[REDACTED:sigv4-signature]"');
    expect(fixture).toContain('"x-part-a": "[REDACTED:aws-session-token]"');
  });
});
