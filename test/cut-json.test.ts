/**
 * A JSON body that ends early with its framing whole (a Content-Length that matches the cut) is an answer cut on the
 * way, in live mode as in record mode: HARNESS_STREAM_CUT, retried, and `error` in every check that reads it (sdk.*,
 * sdk.strict.*, errors.* on a cut 4xx, models.listed on a cut model list, api.*, schema.*), never a fail nor a pass.
 * "Cut" is a strict prefix of a JSON object or array (the input ends inside the value); a body malformed partway
 * (`{"id": 1,, }`, a stray byte after the value) is what the endpoint wrote, and is judged as before.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { endsInsideJson } from '../src/transport/cut-json.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { isRetryable } from '../src/transport/retrying-target.ts';
import { startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, checkModel, cli, liveTarget } from './helpers/harness.ts';

describe('endsInsideJson: a strict prefix of a JSON object or array', () => {
  it.each([
    '{',
    '[',
    '  {"id":"chatcmpl-1","choices":[{"message":{"content":"He',
    '{"a":',
    '{"a"',
    '{"a": tr',
    '{"a": nul',
    '{"a": -',
    '{"a": 12',
    '{"a": 1.',
    '{"a": 1e',
    '{"a": 1e+',
    '{"a": "\\',
    '{"a": "\\u00',
    '{"a": [1, 2]',
    '{"a": {}, ',
    '[{"id":1},{"id":2}',
    '\uFEFF{"a": 1',
    '{"a": 1\n',
  ])('%j is cut', (text) => expect(endsInsideJson(text)).toBe(true));

  it.each([
    ['whole', '{"a": [1, 2.5e-3, true, null, "x\\u00e9"]}'],
    ['whole, with white space after it', '{"a": 1}\n'],
    ['empty', ''],
    ['not JSON', 'upstream connect error'],
    ['a bare value cut (no container: another whole value, or no JSON)', '"abc'],
    ['a doubled comma', '{"id": 1,, }'],
    ['a trailing garbage byte', '{"id": 1}x'],
    ['a second value after the first', '{"id": 1}\n{"id": 2'],
    ['a bad escape', '{"a": "\\q'],
    ['a bad literal', '{"a": tru}'],
    ['a leading zero', '{"a": 01'],
    ['a bare key', '{a: 1'],
    ['a raw line break in a string', '{"a": "x\ny'],
    ['a mismatched close', '{"a": [1}'],
    ['a dangling dot before an exponent', '{"a": 1.e5'],
  ])('%s is not cut', (_name, text) => expect(endsInsideJson(text)).toBe(false));
});

/** What the one-route server answers next. */
let next = { status: 200, type: 'application/json', body: '{}' };
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (res.writeHead(next.status, { 'content-type': next.type, 'content-length': Buffer.byteLength(next.body) }), res.end(next.body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

async function answered(status: number, body: string, method: 'POST' | 'GET' | 'DELETE' = 'POST', type = 'application/json') {
  next = { status, type, body };
  const path = method === 'GET' ? '/v1/models' : '/v1/chat/completions';
  return sendHttp({ method, path, headers: {}, ...(method === 'POST' ? { body: '{"model":"m","messages":[]}' } : {}) }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }) });
}

const WHOLE = '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}]}';
const ERROR = '{"error":{"message":"The model does-not-exist does not exist","type":"invalid_request_error","param":"model","code":"model_not_found"}}';
const LIST = '{"object":"list","data":[{"id":"m","object":"model","created":1,"owned_by":"x"}]}';

describe('on the wire, a body cut with its framing whole', () => {
  it.each([
    ['a 200 completion', 200, WHOLE, 'POST'],
    ['a 400 error envelope', 400, ERROR, 'POST'],
    ['a 404 error envelope', 404, ERROR, 'POST'],
    ['a 200 model list', 200, LIST, 'GET'],
  ] as const)('%s: HARNESS_STREAM_CUT, retried, its answer kept as evidence', async (_name, status, body, method) => {
    const exchange = await answered(status, body.slice(0, Math.floor(body.length / 2)), method);
    expect(exchange.error?.code, exchange.error?.message).toBe('HARNESS_STREAM_CUT');
    expect(exchange.error?.message).toMatch(new RegExp(`answered ${status} with a body that ends before its JSON does .*cut short on the way`));
    expect(exchange.response?.status).toBe(status);
    expect(isRetryable(exchange)).toBe(true);
  });

  it.each([
    ['a whole 200', 200, WHOLE, 'POST'],
    ['a 200 malformed partway (an endpoint bug, judged)', 200, WHOLE.replace('"created":1,', '"created":1,,'), 'POST'],
    ['a 200 with a trailing garbage byte (judged)', 200, `${WHOLE}x`, 'POST'],
    ['a cut 401 (a credentials failure whoever says it)', 401, ERROR.slice(0, 40), 'POST'],
    ["a cut DELETE's 200 (its status is its answer, and a retry would delete twice)", 200, WHOLE.slice(0, 40), 'DELETE'],
  ] as const)('%s: no exchange error', async (_name, status, body, method) => {
    const exchange = await answered(status, body, method);
    expect(exchange.error, exchange.error?.message).toBeNull();
  });

  it('a cut event stream stays the stream checks\' to judge', async () => {
    const exchange = await answered(200, 'data: {"id":"x","choices":[{"delta":{"content":"He', 'POST', 'text/event-stream');
    expect(exchange.error?.code).not.toBe('HARNESS_STREAM_CUT');
  });
});

/** How the proxy in front of the emulator answers the non-streamed POSTs and GET /models. */
let mode: 'cut' | 'cut-once' | 'garbage' | 'pass' = 'pass';
let hits = 0;
let emulator: RunningEmulator;
let proxy: EmulatorProxy;
let proxyUrl: string;

describe('what the checks say of a cut answer', () => {
  beforeAll(async () => {
    emulator = await catalogEmulator();
    proxy = await startEmulatorProxy(emulator.url, {
      forwardHeaders: (request) => ({ ...request.headers, 'accept-encoding': 'identity' }),
      answer: (request, answer, res) => {
        let whole = answer.body;
        const type = String(answer.headers['content-type'] ?? '');
        const targeted = type.includes('json') && ((request.method === 'POST' && !request.body.toString().includes('"stream":true')) || (request.method === 'GET' && request.url.includes('/models')));
        if (targeted && mode !== 'pass' && (mode !== 'cut-once' || hits++ % 2 === 0)) {
          whole = mode === 'garbage' ? Buffer.concat([whole, Buffer.from('x')]) : whole.subarray(0, Math.floor(whole.length / 2));
        }
        res.writeHead(answer.status, { 'content-type': type, 'content-length': String(whole.length) });
        res.end(whole);
      },
    });
    proxyUrl = proxy.url;
  }, 60_000);
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  const CHECKS = ['sdk.openai.chat', 'sdk.openai.responses', 'sdk.strict.chat', 'sdk.strict.responses', 'errors.unknown-model', 'errors.bad-parameter', 'models.listed', 'schema.chat-completion', 'api.chat-completions'];

  it('every one is error, never fail or pass, when every answer is cut', async () => {
    mode = 'cut';
    const results = await checkModel(liveTarget(proxyUrl), 'openai.gpt-oss-20b', { checks: CHECKS });
    for (const check of CHECKS) {
      const result = results.get(check);
      expect(result?.status, `${check}: ${result?.reason}`).toBe('error');
      expect(result?.reason, check).toMatch(/ends before its JSON does/);
    }
  }, 60_000);

  it('a body malformed partway is still judged: the SDK that throws on it is a finding', async () => {
    mode = 'garbage';
    const results = await checkModel(liveTarget(proxyUrl), 'openai.gpt-oss-20b', { checks: ['sdk.openai.chat', 'sdk.strict.chat'] });
    expect(results.get('sdk.openai.chat')?.status, results.get('sdk.openai.chat')?.reason).toBe('fail');
    expect(results.get('sdk.strict.chat')?.status, results.get('sdk.strict.chat')?.reason).toBe('fail');
  }, 60_000);

  it('a cut that does not come back is retried away: the run passes', async () => {
    mode = 'cut-once';
    hits = 0;
    const dir = await mkdtemp(join(tmpdir(), 'cut-once-'));
    try {
      const run = await cli(['run', '--mode', 'live', '--endpoint', proxyUrl, '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'sdk.openai.chat,sdk.strict.chat,models.listed,errors.unknown-model', '--retry-delay', '1', '--report-dir', dir, '--plain']);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      for (const cell of matrix.results) expect(cell.status, `${cell.check}: ${cell.reason}`).toBe('pass');
      expect(run.code, run.stderr).toBe(0);
      expect(hits).toBeGreaterThan(1);
    } finally {
      mode = 'pass';
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
