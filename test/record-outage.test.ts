/**
 * Recording never makes things worse: a record run during an outage (429, 500 or 408 to everything, an empty, HTML
 * or error-carrying 200, a bodiless 204, a throttle named only in x-amzn-ErrorType, a proxy's or WAF's HTML page, a
 * 403 that denies access, an HTML page of any status, a 2xx JSON body cut mid-string; a body over --max-body-bytes or one that stalled, a 2xx stream's too) leaves the previous fixtures
 * byte-identical, says so per cell, and exits non-zero, also for models with no stated expectation;
 * `--overwrite-failures` records the outage on purpose. A case with no fixture yet is recorded as it went, and an
 * answer that is the endpoint's (not an outage: a route error, a bare 404) replaces the old fixture as always.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Matrix } from '../src/report/matrix.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath, readFixture } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

interface Outage {
  name: string;
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
  /** What the kept cell's reason names as the cause. */
  cause: RegExp;
}

/**
 * Every way an endpoint, or what stands in front of it, answered the hostile test's record runs without answering
 * (a status, an empty or HTML 2xx, an error in a 200, a proxy's HTML page, a 403 that denies access).
 */
const OUTAGES: Outage[] = [
  { name: '429 to everything', status: 429, type: 'application/json', body: '{"error":{"message":"Too many requests","type":"server_error"}}', cause: /HARNESS_THROTTLED/ },
  // A throttle said with a 400: OpenAI's code relayed by a proxy, AWS's ThrottlingException, bare words.
  { name: 'a 400 rate_limit_exceeded', status: 400, type: 'application/json', body: '{"error":{"message":"Rate limit reached for requests","code":"rate_limit_exceeded"}}', cause: /HARNESS_THROTTLED: still throttled \(400: Rate limit reached for requests\)/ },
  { name: 'a 400 ThrottlingException', status: 400, type: 'application/json', body: '{"__type":"ThrottlingException","message":"Rate exceeded"}', cause: /HARNESS_THROTTLED: still throttled \(400: Rate exceeded\)/ },
  { name: 'a 400 Too many requests', status: 400, type: 'text/plain', body: 'Too many requests', cause: /HARNESS_THROTTLED: still throttled \(400: Too many requests\)/ },
  // AWS names the class only in a header: the body says "resubmit later", or nothing.
  { name: 'a 400 ServiceQuotaExceededException in x-amzn-ErrorType', status: 400, type: 'application/json', headers: { 'x-amzn-errortype': 'ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, body: '{"message":"Your request exceeds the service quota for your account. You can resubmit your request later."}', cause: /HARNESS_THROTTLED: still throttled \(400: Your request exceeds the service quota/ },
  { name: 'a bare 400 ThrottlingException in x-amzn-ErrorType', status: 400, type: 'application/json', headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '', cause: /HARNESS_THROTTLED: still throttled \(400: ThrottlingException\)/ },
  { name: 'a bodiless 204 to everything', status: 204, type: 'application/json', body: '', cause: /HARNESS_SERVER_ERROR: the endpoint answered 204 with an empty body/ },
  { name: '500 to everything', status: 500, type: 'application/json', body: '{"error":{"message":"Internal server error","type":"server_error"}}', cause: /HARNESS_SERVER_ERROR/ },
  { name: '408 to everything', status: 408, type: 'text/plain', body: 'Request Timeout', cause: /HARNESS_TIMEOUT: the endpoint answered 408/ },
  { name: 'an HTML 200 maintenance page', status: 200, type: 'text/html', body: '<html><body><h1>Down for maintenance</h1></body></html>', cause: /HARNESS_SERVER_ERROR: .*HTML page \(Down for maintenance\)/ },
  { name: 'an empty 200', status: 200, type: 'application/json', body: '', cause: /HARNESS_SERVER_ERROR: .*empty body/ },
  { name: 'an error envelope in a 200', status: 200, type: 'application/json', body: '{"error":{"message":"upstream connect error or disconnect/reset before headers","type":"server_error"}}', cause: /HARNESS_SERVER_ERROR: .*an error and no completion/ },
  { name: 'a proxy\'s HTML 413', status: 413, type: 'text/html', body: '<html>413 Request Entity Too Large</html>', cause: /HARNESS_NOT_AN_ANSWER: .*413 with an HTML page/ },
  { name: 'a WAF\'s HTML 403', status: 403, type: 'text/html', body: '<html><body>Request blocked by WAF. Reference #18.abc</body></html>', cause: /HARNESS_NOT_AN_ANSWER: .*403 with an HTML page/ },
  { name: 'a JSON 403 that denies access', status: 403, type: 'application/json', body: '{"message":"Forbidden"}', cause: /answered 403 \(Forbidden\): the credentials have no access to the model/ },
  // Answers the checks read (a 404 page is a route's answer to the probes), but no observation of the model.
  { name: 'a proxy\'s HTML 404', status: 404, type: 'text/html', body: '<html><body>Not Found</body></html>', cause: /answered 404 with an HTML page \(Not Found\): a gateway's or a proxy's page/ },
  { name: 'a JSON 200 cut mid-string', status: 200, type: 'application/json', body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"He', cause: /HARNESS_STREAM_CUT: .*answered 200 with a body that ends before its JSON does \(\d+ character\(s\) arrived, ending ".*content\\":\\"He"\) .*cut short on the way/ },
  { name: 'a JSON 200 malformed partway', status: 200, type: 'application/json', body: '{"id":"chatcmpl-1",,"object":"chat.completion","choices":[]}', cause: /answered 200 with a body labelled JSON that does not parse \(\d+ character\(s\), ending ".*"\): an answer cut or damaged on the way/ },
];

async function outageServer(outage: Pick<Outage, 'status' | 'type' | 'body' | 'headers'>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(outage.status, { 'content-type': outage.type, 'retry-after': '0', ...outage.headers });
    res.end(outage.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('a record run during an outage', () => {
  let dir: string;
  let before: string;
  const MODELS = 'qwen.qwen3-32b,acme.outage-1';
  const common = (url: string, reports: string) => ['run', '--mode', 'record', '--endpoint', url, '--target-name', 'outage', '--auth', 'none', '--models', MODELS, '--fixtures', join(dir, 'fixtures'), '--report-dir', reports, '--retries', '0', '--plain'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outage-'));
    const emulator = await catalogEmulator({}, { unknownModels: 'generic' });
    try {
      const good = await cli(common(emulator.url, join(dir, 'good')));
      expect(good.code, good.stderr).toBe(0);
    } finally {
      await emulator.close();
    }
    before = await allText(join(dir, 'fixtures'));
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(OUTAGES)('$name leaves every fixture byte-identical and exits non-zero', async (answer) => {
    const outage = await outageServer(answer);
    try {
      const slug = answer.name.replace(/[^a-z0-9]+/gi, '-');
      const reports = join(dir, `outage-${slug}`);
      const summary = join(dir, `summary-${slug}.md`);
      const run = await cli(common(outage.url, reports), { GITHUB_STEP_SUMMARY: summary });
      expect(run.code, run.stderr).toBe(1);
      expect(await allText(join(dir, 'fixtures'))).toBe(before);
      expect(run.stdout).toMatch(/gate: fail \(exit 1\): .*result\(s\) rest on previous recordings, kept because the endpoint failed/);
      expect(await readFile(summary, 'utf8')).toMatch(/\d+ result\(s\) rest on previous recordings, kept because the endpoint failed/);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      // The model with no stated expectation does not gate by itself: the run-level rule is what makes the exit 1.
      const unlisted = matrix.results.filter((r) => r.model === 'acme.outage-1');
      expect(unlisted.length).toBeGreaterThan(0);
      expect(unlisted.every((r) => !r.gating)).toBe(true);
      // The saved matrix says what the exit code says.
      expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
      expect(matrix.gate.problems.map((p) => p.kind)).toContain('recording-kept');
      const kept = matrix.results.find((r) => r.model === 'acme.outage-1' && r.check === 'created-at.chat')!;
      expect(kept.status).toBe('error');
      expect(kept.reason).toContain('HARNESS_RECORDING_KEPT');
      expect(kept.reason).toMatch(answer.cause);
      // A cut may be the endpoint's own: recording again is said to help only if it was cut on the way.
      expect(kept.reason).toMatch(/kept the previous recording .*probe\.chat\.json \(record again later(: that helps only if it was cut on the way, not by the endpoint)?, or pass --overwrite-failures to record the outage\)/);
    } finally {
      await outage.close();
    }
  }, 120_000);
});

/** A target that answers every request with the given exchange. */
function answering(make: (request: ExchangeRequest) => Exchange): Target {
  return { id: 'unit', mode: 'live', send: async (request) => make(request), caseFinished: async () => {}, close: async () => {} };
}

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' };
const ok = (): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"ok":true}' }] }, error: null, durationMs: 5, attempts: 1 });
const failed = (code: NonNullable<Exchange['error']>['code']): Exchange => ({ ...ok(), response: { status: 503, headers: {}, chunks: [] }, error: { code, message: 'the endpoint answered 503 on all 3 attempts' } });

describe('RecordTarget', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-unit-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const record = (overwriteFailures = false) =>
    new RecordTarget(answering(ok), { fixturesDir: dir, overwriteFailures, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);

  it('records an outage when there is nothing to keep, so replay shows the same error', async () => {
    await record().caseFinished('m', 'first', [failed('HARNESS_SERVER_ERROR')]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', 'first')))!.exchanges[0]!.error!.code).toBe('HARNESS_SERVER_ERROR');
  });

  it('keeps the previous fixture on an outage, and replaces it with --overwrite-failures', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'kept');
    await record().caseFinished('m', 'kept', [ok()]);
    const good = await readFile(file, 'utf8');
    const target = record();
    const error = await target.caseFinished('m', 'kept', [ok(), failed('HARNESS_TIMEOUT')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^HARNESS_TIMEOUT: .*; kept the previous recording/);
    expect(target.kept).toEqual([file]);
    expect(await readFile(file, 'utf8')).toBe(good);
    await record(true).caseFinished('m', 'kept', [failed('HARNESS_THROTTLED')]);
    expect((await readFixture(file))!.exchanges[0]!.error!.code).toBe('HARNESS_THROTTLED');
  });

  const answered = (status: number, body: string): Exchange => ({ ...ok(), response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] } });
  const stalled = (status: number, type: string, body: string): Exchange => ({ ...ok(), response: { status, headers: { 'content-type': type }, chunks: [{ t: 0, data: body }], stalledAfterMs: 1000 } });

  it.each([
    { name: 'a body over --max-body-bytes', exchange: () => failed('HARNESS_BODY_TOO_LARGE'), said: /^HARNESS_BODY_TOO_LARGE: / },
    { name: 'a 400 whose body stalled', exchange: () => stalled(400, 'application/json', '{"error":{"mess'), said: /^POST \/v1\/chat\/completions answered 400 and its body stalled \(no data for 1000 ms\)/ },
    { name: 'a 200 JSON body that stalled', exchange: () => stalled(200, 'application/json', '{"id":"chatcmpl-1","cho'), said: /answered 200 and its body stalled/ },
  ])('keeps the previous fixture on $name: no check can read it', async ({ name, exchange, said }) => {
    const file = fixturePath(dir, 'unit', 'm', `unread-${name.length}`);
    await record().caseFinished('m', `unread-${name.length}`, [ok()]);
    const good = await readFile(file, 'utf8');
    const error = await record().caseFinished('m', `unread-${name.length}`, [ok(), exchange()]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(said);
    expect(await readFile(file, 'utf8')).toBe(good);
  });

  it('keeps the previous fixture on a 2xx stream that stalled, records it with no earlier recording or --overwrite-failures', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'stalled-stream');
    await record().caseFinished('m', 'stalled-stream', [ok()]);
    const good = await readFile(file, 'utf8');
    const stall = () => stalled(200, 'text/event-stream', 'data: {"id":"c"}\n\ndata: {"id":"c"}\n\ndata: {"id');
    const error = await record().caseFinished('m', 'stalled-stream', [stall()]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^POST \/v1\/chat\/completions answered 200 and its stream stalled after 2 event\(s\) \(no data for 1000 ms\).*; kept the previous recording .*\(record again later, or pass --overwrite-failures to record the stall\)$/);
    expect(await readFile(file, 'utf8')).toBe(good);
    await record(true).caseFinished('m', 'stalled-stream', [stall()]);
    expect((await readFixture(file))!.exchanges[0]!.response!.stalledAfterMs).toBe(1000);
    // Nothing to keep: the stall is recorded, and replay shows `stalled`.
    await record().caseFinished('m', 'stalled-first', [stall()]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', 'stalled-first')))!.exchanges[0]!.response!.stalledAfterMs).toBe(1000);
  });

  it.each([
    { name: 'AWS\'s JSON 403 Forbidden', body: '{"message":"Forbidden"}' },
    { name: 'a 403 naming the missing permission', body: '{"message":"User is not authorized to perform: bedrock-mantle:CreateInference"}' },
  ])('keeps the previous fixture on a 403 that denies access ($name): no check observes anything in it', async ({ name, body }) => {
    const file = fixturePath(dir, 'unit', 'm', `denied-${name.length}`);
    await record().caseFinished('m', `denied-${name.length}`, [ok()]);
    const good = await readFile(file, 'utf8');
    const error = await record().caseFinished('m', `denied-${name.length}`, [answered(403, body)]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^POST \/v1\/chat\/completions answered 403 \(.+\): the credentials have no access to the model .*; kept the previous recording/);
    expect(await readFile(file, 'utf8')).toBe(good);
  });

  it('records a 403 that denies access to another model than the one recorded: the answer errors.unknown-model asks for', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'errors.unknown-model');
    const denial = '{"error":{"message":"You don\'t have access to the model with the specified model ID.","type":"permission_error","code":"access_denied"}}';
    const unknown: Exchange = { ...answered(403, denial), request: { ...request, body: '{"model":"mantle-conformance.no-such-model","messages":[]}' } };
    // With no recording yet, and again over a recording that was that 403 too (a recording with another answer
    // to it keeps: test/record-keeps.test.ts).
    await record().caseFinished('m', 'errors.unknown-model', [unknown]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(403);
    await record().caseFinished('m', 'errors.unknown-model', [{ ...unknown, durationMs: 9 }]);
    expect((await readFixture(file))!.exchanges[0]!.durationMs).toBe(9);
    // The same denial of the model recorded, or of a profile id made from it, is still the credentials' lack: kept.
    for (const asked of ['m', 'us.m']) {
      const own: Exchange = { ...answered(403, denial), request: { ...request, body: JSON.stringify({ model: asked, messages: [] }) } };
      expect(((await record().caseFinished('m', 'errors.unknown-model', [own]).catch((e: unknown) => e)) as HarnessError).code, asked).toBe('HARNESS_RECORDING_KEPT');
    }
  });

  const typed = (status: number, type: string, body: string): Exchange => ({ ...ok(), response: { status, headers: { 'content-type': type }, chunks: [{ t: 0, data: body }] } });

  it.each([
    { name: 'an HTML 404', exchange: () => typed(404, 'text/html; charset=utf-8', '<html><head><title>404 Not Found</title></head></html>'), said: /answered 404 with an HTML page \(404 Not Found\)/ },
    { name: 'an HTML 405', exchange: () => typed(405, 'text/html', '<html><body>Method Not Allowed</body></html>'), said: /answered 405 with an HTML page \(Method Not Allowed\)/ },
    { name: 'a 400 labelled HTML that is words', exchange: () => typed(400, 'text/html', 'Bad Request'), said: /answered 400 with an HTML page \(Bad Request\)/ },
    { name: 'a cut JSON 200', exchange: () => typed(200, 'application/json', '{"id":"chatcmpl-1","choices":[{"message":{"content":"He'), said: /answered 200 with a body labelled JSON that does not parse \(55 character\(s\), ending ".*"\): an answer cut or damaged/ },
    { name: 'a damaged JSON 201', exchange: () => typed(201, 'application/vnd.api+json', '{"id":"resp_1",,}'), said: /answered 201 with a body labelled JSON that does not parse/ },
  ])('keeps the previous fixture on $name, records it with no earlier recording or --overwrite-failures', async ({ name, exchange, said }) => {
    const id = `page-${name.replace(/\W+/g, '-')}`;
    const file = fixturePath(dir, 'unit', 'm', id);
    await record().caseFinished('m', id, [ok()]);
    const good = await readFile(file, 'utf8');
    const error = await record().caseFinished('m', id, [ok(), exchange()]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(said);
    expect((error as HarnessError).message).toMatch(/kept the previous recording .*\(record again later, or pass --overwrite-failures to record the outage\)$/);
    expect(await readFile(file, 'utf8')).toBe(good);
    await record(true).caseFinished('m', id, [exchange()]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(exchange().response!.status);
    await record().caseFinished('m', `${id}-first`, [exchange()]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', `${id}-first`)))!.exchanges[0]!.response!.status).toBe(exchange().response!.status);
  });

  it.each([
    { name: 'JSON labelled text/html', exchange: () => typed(404, 'text/html', '{"error":{"message":"Not Found","type":"invalid_request_error"}}') },
    { name: 'an empty text/html 404', exchange: () => typed(404, 'text/html', '') },
    { name: 'NDJSON labelled JSON', exchange: () => typed(200, 'application/json', '{"a":1}\n{"b":2}\n') },
    { name: 'a 400 labelled JSON that does not parse', exchange: () => typed(400, 'application/json', '{"error":"bad') },
    { name: 'a text/plain 200 that only looks like JSON', exchange: () => typed(200, 'text/plain', '{"id":"x",') },
  ])('replaces the previous fixture with $name: the endpoint\'s answer, judged as it is', async ({ name, exchange }) => {
    const id = `kept-not-${name.replace(/\W+/g, '-')}`;
    await record().caseFinished('m', id, [ok()]);
    await record().caseFinished('m', id, [exchange()]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', id)))!.exchanges[0]!.response!.status).toBe(exchange().response!.status);
  });

  it.each([
    { name: 'Mantle\'s 400 route error', status: 400, body: '{"error":{"code":"validation_error","message":"model `google.gemma-4-31b` isn\'t supported on this route"}}' },
    // Berm's 401 alone (on every request of the case) is the account's answer and kept; on one route of several it
    // is that route's, recorded (fx-berm-account-not-enabled.test.ts).
    { name: 'a bare 404', status: 404, body: '{"error":{"code":"not_found","message":"Not Found"}}' },
    { name: 'a 400 about a limit that is no throttle', status: 400, body: '{"error":{"message":"max_tokens exceeds the model\'s limit","type":"invalid_request_error"}}' },
    { name: 'an unknown model', status: 404, body: '{"error":{"message":"The model \'us.openai.gpt-oss-20b\' does not exist"}}' },
    { name: 'a Responses object that failed inside a 200', status: 200, body: '{"id":"resp_1","object":"response","status":"failed","error":{"code":"invalid_prompt","message":"bad"}}' },
  ])('replaces the previous fixture with $name: the endpoint\'s answer', async ({ name, status, body }) => {
    const file = fixturePath(dir, 'unit', 'm', `answer-${name.length}`);
    await record().caseFinished('m', `answer-${name.length}`, [ok()]);
    await record().caseFinished('m', `answer-${name.length}`, [answered(status, body)]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(status);
  });
});
