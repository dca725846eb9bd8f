/**
 * Redaction at the boundary: every credential that comes back over the wire (echoed in a JSON body, an error
 * message, a header, a request id, an SSE frame split across reads, a redirect URL) is `[REDACTED:<kind>]` before
 * any check, fixture, report or console line sees it. Live, record and replay of such an endpoint write and print
 * none of it, and replay gives the live run's verdicts. Canaries that look like credentials and ones that do not.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { bearer } from '../src/transport/auth/bearer.ts';
import { sigv4 } from '../src/transport/auth/sigv4.ts';
import { shortTermToken } from '../src/transport/auth/token.ts';
import { redactExchange } from '../src/transport/redact-exchange.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { secretsOfAuthHeaders } from '../src/transport/request-secrets.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';
import { startProxy, type ProxiedRequest } from './helpers/wire-proxy.ts';

const own = (value: string, kind = 'api-key') => new Redactor(() => [{ kind, value }]);

describe('the redactor', () => {
  it('replaces the run\'s own values as they are, JSON-escaped, slash-escaped and URL-encoded', () => {
    const key = 'k3y/with+"quote"-0123';
    const json = JSON.stringify({ a: key }).slice(6, -2);
    const text = `raw ${key} json ${json} slash ${json.replace(/\//g, '\\/')} url ${encodeURIComponent(key)}`;
    const { value, count } = own(key).text(text);
    expect(value).toBe('raw [REDACTED:api-key] json [REDACTED:api-key] slash [REDACTED:api-key] url [REDACTED:api-key]');
    expect(count).toBe(4);
  });

  // A Bedrock API key's shape: base64 with `+`, `/` and `=` padding, the characters encoders escape.
  const KEY = 'ABSKQmVkcm9ja0FQSUtleS1hYmNkZWZnaGlqa2xtbm9w+/Rr==';
  const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');
  /** How endpoints and gateways echo a value back, escaped or encoded. */
  const ECHOES: [string, (v: string) => string][] = [
    ['Gson (= as \\u003d)', (v) => v.replace(/=/g, '\\u003d')],
    ['fully \\uXXXX-escaped, upper-case hex', (v) => [...v].map((c) => `\\u00${hex(c).toUpperCase()}`).join('')],
    ['JSON inside JSON (\\\\u003d)', (v) => v.replace(/=/g, '\\\\u003d')],
    ['percent-encoded, lower case', (v) => encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['percent-encoded, every character', (v) => [...v].map((c) => `%${hex(c)}`).join('')],
    ['percent-encoded twice', (v) => encodeURIComponent(encodeURIComponent(v))],
    ['HTML decimal references', (v) => v.replace(/[+/=]/g, (c) => `&#${c.charCodeAt(0)};`)],
    ['HTML hex references, no semicolon', (v) => v.replace(/[+/=]/g, (c) => `&#x${hex(c)}`)],
    ['HTML named references', (v) => v.replace(/\+/g, '&plus;').replace(/\//g, '&sol;').replace(/=/g, '&equals;')],
    ['base64', (v) => Buffer.from(v).toString('base64')],
    ['base64 after a prefix (Basic user:key)', (v) => Buffer.from(`user:${v}`).toString('base64')],
    ['base64url, two bytes in', (v) => Buffer.from(`xy${v}`).toString('base64url')],
    ['upper case', (v) => v.toUpperCase()],
    ['lower case, then percent-encoded', (v) => encodeURIComponent(v.toLowerCase())],
    ['form-encoded space as +', (v) => v.replace(/ /g, '+')],
  ];
  /** Every way a reader downstream could decode the text: none of them may give the value back. */
  const readings = (text: string) => [text, text.toUpperCase(), text.replace(/\\+u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25')), text.replace(/&#x?([0-9a-f]+);?/gi, (m) => String.fromCharCode(m.includes('x') ? parseInt(m.slice(3), 16) : parseInt(m.slice(2), 10))), text.replace(/&plus;/g, '+').replace(/&sol;/g, '/').replace(/&equals;/g, '=')];

  it.each(ECHOES)('replaces the run\'s own value echoed %s, and the fixture scan agrees', (_name, encode) => {
    const value = _name.startsWith('form') ? 'gateway key with spaces 0123' : KEY;
    const text = `{"error":{"message":"API key ${encode(value)} is not valid"}}`;
    expect(scanForSecrets(text, [value])).toEqual(['a credential this run is using']);
    const { value: redacted, count } = own(value).text(text);
    expect(count).toBe(1);
    expect(redacted).toMatch(/^\{"error":\{"message":"API key (\w*)\[REDACTED:api-key\] is not valid"\}\}$/);
    // The redacted text parses, and no decoding of it (JSON.parse included) puts the value back.
    const message = (JSON.parse(redacted) as { error: { message: string } }).error.message;
    for (const reading of [...readings(redacted), ...readings(message)]) {
      expect(reading.toLowerCase()).not.toContain(value.toLowerCase());
      expect(reading).not.toContain(Buffer.from(value).toString('base64').slice(4, -4));
    }
    expect(scanForSecrets(redacted, [value])).toEqual([]);
    expect(own(value).text(redacted).value).toBe(redacted);
  });

  /** KEY with every `every`th character changed, from `from` on: it shares no run longer than `every - 1` with KEY. */
  const unlike = (every: number, from: number) => [...KEY].map((c, i) => (i % every === from % every ? (c.toLowerCase() === 'x' ? 'q' : 'x') : c)).join('');

  it.each(ECHOES)('leaves text that merely resembles the value alone: another value echoed %s', (_name, encode) => {
    // Eleven characters of the value in a row at most: not the value, nor a piece of it, in any of its forms.
    for (const other of [unlike(12, 11), unlike(12, 3)]) {
      const text = `{"error":{"message":"API key ${encode(other)} is not valid"} 100% &amp; &#xyz; &nope; \\u00zz %zz"}`;
      expect(own(KEY).text(text)).toEqual({ value: text, count: 0 });
      expect(scanForSecrets(text, [KEY])).toEqual([]);
    }
  });

  it('finds a session token echoed in a JSON-inside-JSON header dump, whatever the labels\' escaping', () => {
    const token = 'IQoJb3JpZ2luX2VjECANARYSESSION+abc/def==';
    const headers = JSON.stringify({ 'x-amz-security-token': token }).replace(/=/g, '\\u003d');
    const text = JSON.stringify({ error: { message: `denied. headers=${headers}` } });
    // Not the run's own value (a shape): the label, escaped twice, still says what follows.
    expect(new Redactor().text(text).value).toBe('{"error":{"message":"denied. headers={\\"x-amz-security-token\\":\\"[REDACTED:aws-session-token]\\"}"}}');
    expect(scanForSecrets(text)).toEqual(['an AWS session token']);
  });

  it('leaves values too short to be credentials alone', () => {
    expect(own('abc123').text('abc123 is a word').value).toBe('abc123 is a word');
  });

  it.each([
    ['an AWS access key id', 'id AKIAIOSFODNN7EXAMPLE!', 'id [REDACTED:aws-access-key-id]!'],
    ['a temporary key id', '"ASIAIOSFODNN7EXAMPLE"', '"[REDACTED:aws-access-key-id]"'],
    ['a Bedrock API key', 'key bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t', 'key [REDACTED:bedrock-api-key]'],
    ['a bearer token, keeping the word', '"Authorization": "Bearer sk-proj-abcdef0123456789"', '"Authorization": "Bearer [REDACTED:bearer-token]"'],
    ['a SigV4 signature', `Signature=${'ab12'.repeat(16)}, x`, 'Signature=[REDACTED:sigv4-signature], x'],
    ['a presigned URL signature', 'u?X-Amz-Signature=deadbeef&b=1', 'u?X-Amz-Signature=[REDACTED:sigv4-signature]&b=1'],
    ['a session token, JSON intact', '{"x-amz-security-token": "FwoGZXIvYXdzEJr//////////wEaDK"}', '{"x-amz-security-token": "[REDACTED:aws-session-token]"}'],
    ['a secret key in a config excerpt', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED:aws-secret-access-key]'],
  ])('replaces credential shapes that are not the run\'s own: %s', (_name, text, redacted) => {
    const result = new Redactor().text(text);
    expect(result.value).toBe(redacted);
    expect(result.count).toBe(1);
    // A redacted text is clean for the scan before a fixture is written, and redacting again changes nothing.
    expect(scanForSecrets(result.value)).toEqual([]);
    expect(new Redactor().text(result.value).value).toBe(result.value);
  });

  it('gives an overlap of the run\'s own key and a shape one placeholder, of the run\'s kind', () => {
    const key = 'bedrock-api-key-CANARY0123456789';
    expect(own(key).text(`Bearer ${key}`).value).toBe('Bearer [REDACTED:api-key]');
  });

  it('catches a value split across two reads and keeps the reads where they were', () => {
    const key = 'split-canary-0123456789';
    const reads = ['data: {"a":"split-can', 'ary-0123456789","b":1}\n\n', 'data: [DONE]\n\n'];
    const { value, count } = own(key).parts(reads);
    expect(value).toEqual(['data: {"a":"[REDACTED:api-key]', '","b":1}\n\n', 'data: [DONE]\n\n']);
    expect(count).toBe(1);
  });

  it('drops a read that held only the tail of a credential, and keeps every other read\'s time', () => {
    const key = 'tail-canary-0123456789';
    const exchange = redactExchange(
      {
        step: 'main',
        prefix: '/v1',
        request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' },
        response: { status: 200, headers: { 'content-type': 'text/event-stream', 'x-request-id': `req_${key}` }, chunks: [{ t: 1, data: ': tail-can' }, { t: 5, data: 'ary-0123' }, { t: 9, data: '456789\n\ndata: {}\n\n' }] },
        error: { code: 'HARNESS_STREAM_CUT', message: `cut after ${key}` },
        durationMs: 10,
        attempts: 1,
      },
      own(key),
    );
    expect(exchange.response!.chunks).toEqual([{ t: 1, data: ': [REDACTED:api-key]' }, { t: 9, data: '\n\ndata: {}\n\n' }]);
    expect(exchange.response!.headers['x-request-id']).toBe('req_[REDACTED:api-key]');
    expect(exchange.error!.message).toBe('cut after [REDACTED:api-key]');
    expect(exchange.redactions).toBe(3);
  });

  it('cuts a secret streamed in pieces, one per event, out of each piece: joined as clients join the field, it is gone', () => {
    const key = 'sk-test-ABCDEFGHIJ1234567890';
    const chunk = (args: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: args } }] } }] })}\n\n`;
    const streamed = (reads: string[], headers: Record<string, string> = {}) => redactExchange(
      {
        step: 'main',
        prefix: '/v1',
        request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' },
        response: { status: 200, headers: { 'content-type': 'text/event-stream', ...headers }, chunks: reads.map((data, t) => ({ t, data })) },
        error: null,
        durationMs: 10,
        attempts: 1,
      },
      own(key),
    );
    const joinedArguments = (exchange: ReturnType<typeof streamed>) =>
      exchange.response!.chunks.map((c) => c.data).join('').split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)).choices[0].delta.tool_calls[0].function.arguments as string).join('');
    // Pieces shorter than the 12 characters of a key the redactor finds on their own: only joined is it the key.
    const split = streamed([chunk('{"city":"sk-test-ABC'), chunk('DEFGHIJ1234'), chunk('567890"}'), 'data: [DONE]\n\n']);
    expect(joinedArguments(split)).toBe('{"city":"[REDACTED:api-key][REDACTED:api-key][REDACTED:api-key]"}');
    expect(split.redactions).toBe(1);
    // Escaped as JSON allows (\u0041 for A), in three pieces: the escapes are cut with the characters they stand for.
    const escaped = streamed([chunk('{"city":"sk-te'), chunk('st-\u0041BCDEFG').replace('\\\\u0041', '\\u0041'), chunk('HIJ1234567'), chunk('890"}')]);
    expect(escaped.response!.chunks.map((c) => c.data).join('')).not.toMatch(/BCDEFG|1234567|u0041BC/);
    expect(joinedArguments(escaped)).toMatch(/^\{"city":"(\[REDACTED:api-key\]){4}"\}$/);
    // Pieces that join to something else are left as they came; so is a stream with the key nowhere.
    const other = [chunk('{"city":"sk-test-ABC'), chunk('XXXXX"}')];
    expect(streamed(other).response!.chunks.map((c) => c.data)).toEqual(other);
    expect(streamed(other).redactions).toBeUndefined();
    // Pieces of other calls in between, as clients join by a call's index: still found.
    const call = (index: number, args: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args } }] } }] })}\n\n`;
    const interleaved = streamed([call(0, '{"city":"sk-test-ABC'), call(1, '{"city":"Rome"}'), call(0, 'DEFGHIJ1234'), call(0, '567890"}')]);
    expect(interleaved.response!.chunks.map((c) => c.data).join('')).not.toMatch(/ABC"|DEFGHIJ1234|567890/);
    expect(interleaved.redactions).toBeGreaterThanOrEqual(1);
    // One event's JSON written over several data: lines (legal SSE: the parser joins them).
    const lines = streamed([chunk('{"city":"sk-test-ABC'), `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'DEFGHIJ1234' } }] } }] }).replace('"arguments":', '"arguments":\ndata: ')}\n\n`, chunk('567890"}')]);
    expect(lines.response!.chunks.map((c) => c.data).join('')).not.toContain('DEFGHIJ1234');
    // A header's name is redacted as its value is, to a name that is still one (`[REDACTED:<kind>]` holds no token characters).
    expect(Object.keys(streamed(other, { [`x-echo-${key.toLowerCase()}`]: '1' }).response!.headers)).toEqual(['content-type', 'x-echo-redacted-api-key']);
  });

  // Speed is the bench's to measure: these ask only that it finishes. Work that grows with the square of the events
  // or of the nesting takes minutes on these (a hostile endpoint's 8 MB of one-character events, deep JSON).
  // Hex runs are found by the same hand-made scan (windowsIn); a run of hex is not needed to show it.
  it('reads a 6 MB run of a key\'s characters, beside the run\'s signatures, without overflowing the stack', { timeout: 30_000 }, () => {
    const run = 'k'.repeat(6_000_000);
    const redactor = new Redactor(() => [{ kind: 'api-key', value: 'sk-test-ABCDEFGHIJ1234567890' }, { kind: 'sigv4-signature', value: 'b'.repeat(64), hexValues: new Set(['c'.repeat(64)]) }]);
    expect(redactor.text(`${run} sk-test-ABCDEFGHIJ12 ${run}`).value).toContain(' [REDACTED:api-key] ');
  });

  it('reads joined fields of 8 MB of tiny events, and of deeply nested JSON, in linear time', { timeout: 30_000 }, () => {
    const exchange = (text: string) => ({ step: 'main', prefix: '/v1', request: { method: 'POST' as const, path: '/v1/chat/completions', headers: {}, body: '{}' }, response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: [{ t: 0, data: text }] }, error: null, durationMs: 1, attempts: 1 });
    const tiny = 'data: {"d":"x"}\n\n'.repeat(500_000);
    expect(redactExchange(exchange(tiny), own('sk-test-ABCDEFGHIJ1234567890')).response!.chunks[0]!.data.length).toBe(tiny.length);
    const deep = `data: ${'{"a":"x","b":'.repeat(50_000)}1${'}'.repeat(50_000)}\n\n`;
    expect(redactExchange(exchange(deep + deep), own('sk-test-ABCDEFGHIJ1234567890')).redactions).toBeUndefined();
  });

  // Speed is the bench's to measure; this asks only that it finishes: a pattern that backtracks on these runs takes
  // minutes (quadratic in millions of characters), far past the timeout.
  it('finishes on text built to make lookbehinds backtrack', { timeout: 30_000 }, () => {
    const text = `Bearer ${' '.repeat(2_000_000)} x-amz-security-token: ${' '.repeat(1_000_000)} aws_secret_access_key=${'\t'.repeat(1_000_000)} key=never-present-0123456789`;
    const redacted = new Redactor(() => [{ kind: 'api-key', value: 'never-present-0123456789' }]).text(text);
    expect(redacted.value).not.toContain('never-present-0123456789');
    expect(redacted.count).toBeGreaterThanOrEqual(1);
  });

  it('finds the per-request secrets in the credential headers: the SigV4 signature, not its date', () => {
    const signature = 'f'.repeat(64);
    expect(secretsOfAuthHeaders({ authorization: `AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host, Signature=${signature}`, 'x-amz-date': '20260101T000000Z', 'x-amz-security-token': 'tok-0123456789' })).toEqual([
      { kind: 'sigv4-signature', value: signature },
      { kind: 'aws-session-token', value: 'tok-0123456789' },
    ]);
  });
});

describe('each auth mode\'s secrets, echoed back by the server', () => {
  let url: string;
  let server: ReturnType<typeof createServer>;
  beforeAll(async () => {
    // Echoes every request header in its body, as a debugging gateway would.
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': String(req.headers.authorization) });
      res.end(JSON.stringify({ headers: req.headers }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const CREDENTIALS = { accessKeyId: 'AKIAECHO000000000001', secretAccessKey: 'echoSecret/0123456789abcdefghij', sessionToken: 'echoSession0123456789abcdefghijklmnop' };

  it.each([
    { name: 'bearer', auth: () => bearer('echo-bearer-0123456789'), kinds: ['api-key'] },
    { name: 'sigv4', auth: () => sigv4({ region: 'us-east-1', credentials: async () => CREDENTIALS }), kinds: ['aws-access-key-id', 'sigv4-signature', 'aws-session-token'] },
    { name: 'token', auth: () => shortTermToken({ region: 'us-east-1', credentials: async () => CREDENTIALS }), kinds: ['bedrock-token'] },
  ])('$name: nothing it sent comes back unredacted', async ({ auth, kinds }) => {
    const provider = auth();
    const exchange = await sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: '{}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: provider });
    const text = JSON.stringify(exchange);
    for (const { value } of provider.secrets()) expect(text).not.toContain(value);
    for (const kind of kinds) expect(text).toContain(`[REDACTED:${kind}]`);
    expect(scanForSecrets(text, provider.secrets().map((s) => s.value))).toEqual([]);
    expect(exchange.redactions).toBeGreaterThan(0);
  });
});

/** Echoes what it is sent, everywhere an endpoint or gateway might. */
function echoRules(redirectTo: string) {
  const secrets = (r: ProxiedRequest) => ({ key: String(r.headers.authorization ?? '').replace(/^Bearer /, ''), gateway: String(r.headers['x-gateway-key'] ?? '') });
  let last: ProxiedRequest | undefined;
  return {
    answer(request: ProxiedRequest) {
      last = request;
      const { key, gateway } = secrets(request);
      if (request.method === 'GET' && request.path.endsWith('/v1/models')) return { status: 307, headers: { location: `${redirectTo}/models?key=${encodeURIComponent(key)}&gw=${gateway}` } };
      return undefined;
    },
    headers(request: ProxiedRequest) {
      const { key, gateway } = secrets(request);
      return { 'x-echo-key': key, 'x-request-id': `req_${gateway}` };
    },
    body(text: string, status: number, request: ProxiedRequest) {
      const { key, gateway } = secrets(request);
      try {
        const value = JSON.parse(text) as Record<string, unknown> & { error?: { message?: string } };
        if (status >= 400 && value.error?.message) value.error.message += ` (invalid key: ${key}; gateway ${gateway})`;
        else Object.assign(value, { echo: key, gateway });
        return JSON.stringify(value);
      } catch {
        return `${text} ${key} ${gateway}`;
      }
    },
    chunk(text: string, index: number) {
      if (index > 0 || !last) return [text];
      const { key, gateway } = secrets(last);
      // A comment frame with the key split across two reads, then the gateway key in a frame of its own.
      return [`: echo ${key.slice(0, 9)}`, `${key.slice(9)}\n\n: gateway ${gateway}\n\n${text}`];
    },
  };
}

describe('an endpoint that echoes the credentials: live, record, replay', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'echo-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    { name: 'a Bedrock-shaped key and a gateway key shaped like nothing', key: 'bedrock-api-key-CANARYecho0123456789abcdef', gateway: 'plain-gateway-canary-7f3a9c21' },
    { name: 'a key shaped like nothing and a gateway key shaped like an AWS key id', key: 'ordinary-canary-bearer-55aa66bb', gateway: 'AKIACANARYGATEWAY001' },
  ])('$name: nothing written or printed holds either, and replay judges as live did', async ({ name, key, gateway }) => {
    const emulator = await catalogEmulator({}, { apiKey: key });
    const proxy = await startProxy(emulator.url, echoRules('http://127.0.0.1:9'));
    const run = join(dir, name.replace(/\W+/g, '-'));
    const env = { AWS_BEARER_TOKEN_BEDROCK: key, GATEWAY_KEY: gateway, GITHUB_STEP_SUMMARY: join(run, 'step-summary.md') };
    const common = ['--endpoint', proxy.url, '--target-name', 'echo', '--models', 'qwen.qwen3-32b', '--header-env', 'x-gateway-key=GATEWAY_KEY', '--plain', '--retries', '0'];
    try {
      const live = await cli(['run', '--mode', 'live', '--report-dir', join(run, 'live'), ...common, '--', '--reporter=verbose'], env);
      const record = await cli(['run', '--mode', 'record', '--fixtures', join(run, 'fixtures'), '--report-dir', join(run, 'record'), ...common], env);
      const replay = await cli(['run', '--fixtures', join(run, 'fixtures'), '--target-name', 'echo', '--models', 'qwen.qwen3-32b', '--report-dir', join(run, 'replay'), '--plain'], env);
      // The endpoint got the credentials and echoed them.
      expect(proxy.requests.some((r) => r.headers.authorization === `Bearer ${key}` && r.headers['x-gateway-key'] === gateway)).toBe(true);
      const written = await allText(run);
      const printed = [live, record, replay].map((r) => r.stdout + r.stderr).join('\n');
      for (const canary of [key, gateway]) {
        for (const form of new Set([canary, encodeURIComponent(canary), JSON.stringify(canary).slice(1, -1)])) {
          expect(written, `${form} written`).not.toContain(form);
          expect(printed, `${form} printed`).not.toContain(form);
        }
      }
      expect(scanForSecrets(written)).toEqual([]);
      expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('Mantle conformance');
      // The fixtures were written, redacted, and say how much was redacted.
      const files = await readdir(join(run, 'fixtures', 'echo', 'qwen.qwen3-32b'));
      expect(files.length).toBeGreaterThan(5);
      const fixtures = await allText(join(run, 'fixtures'));
      expect(fixtures).toContain('[REDACTED:api-key]');
      expect(fixtures).toContain('[REDACTED:header-env]');
      const stream = JSON.parse(await readFile(join(run, 'fixtures', 'echo', 'qwen.qwen3-32b', 'stream.chat.json'), 'utf8'));
      expect(stream.provenance.redactions).toBeGreaterThan(0);
      // The key was written in two reads 100 ms apart; the placeholder sits in the read where the key began.
      expect(stream.exchanges[0].response.chunks[0].data).toMatch(/^: echo \[REDACTED:api-key\]/);
      // Replay of the recording judges every cell as the live run and the record run did.
      const matrices = await Promise.all(['live', 'record', 'replay'].map(async (m) => JSON.parse(await readFile(join(run, m, 'matrix.json'), 'utf8')) as Matrix));
      const cells = (m: Matrix) => Object.fromEntries(m.results.map((r) => [r.check, `${r.status} ${JSON.stringify(r.observed)}`]));
      expect(cells(matrices[2]!)).toEqual(cells(matrices[0]!));
      expect(cells(matrices[1]!)).toEqual(cells(matrices[0]!));
      expect(new Set([live.code, record.code, replay.code]).size, printed).toBe(1);
      // The redirect (with both keys in its URL) is an error, not a verdict on the model.
      const listed = matrices[0]!.results.find((r) => r.check === 'models.listed')!;
      expect(listed.status).toBe('error');
      expect(listed.reason).toMatch(/HARNESS_NOT_AN_ANSWER: the endpoint answered a redirect \(307 to http:\/\/127\.0\.0\.1:9\/models\?key=\[REDACTED:/);
      expect(cells(matrices[0]!)['created-at.chat']).toBe('pass "integer"');
    } finally {
      await proxy.close();
      await emulator.close();
    }
  }, 240_000);
});
