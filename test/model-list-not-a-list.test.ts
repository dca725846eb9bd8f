/**
 * A model list answered by a 200 that is no list and no HTML page (an error body such as `{"error":"Invalid API
 * key"}`, under application/json or text/html; a text/plain "OK"; an empty body) is said as what came, with the
 * endpoint's words quoted inert and bounded: it read as a bare HARNESS_SERVER_ERROR, and `catalog diff` added "an
 * HTTP 5xx is the endpoint failing: try again later" when no 5xx came. Only what says a server failed keeps that advice.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readPage } from '../src/cli/model-list-pages.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli } from './helpers/harness.ts';

let server: Server | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-not-a-list-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** Each models path answers what `answers` says for it (a 200 of the content type and body given). */
async function listen(answers: Record<string, [contentType: string, body: string]>): Promise<string> {
  const handler: RequestListener = (req, res) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = answers[path];
    if (!answer) return res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, { 'content-type': answer[0] }).end(answer[1]);
  };
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const diff = (url: string) => cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none']);
const ERROR_BODY = 'HTTP 200 with an error body, not a model list';

describe('catalog diff: a 200 that is no list says what came, and no 5xx advice', () => {
  it('an error body, as JSON or labelled text/html: the endpoint\'s message quoted', async () => {
    const url = await listen({
      '/v1/models': ['application/json', '{"error":{"message":"Invalid API key","type":"auth"}}'],
      '/openai/v1/models': ['text/html', '{"error":{"message":"unauthorized"}}'],
    });
    const result = await diff(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`has no model list to read (/v1/models: ${ERROR_BODY} ("Invalid API key"), /openai/v1/models: ${ERROR_BODY} ("unauthorized"))`);
    expect(result.stderr).not.toContain('HARNESS_SERVER_ERROR');
    expect(result.stderr).not.toMatch(/5xx|try again later/);
  }, 30_000);

  it('a text body and an empty body: said as such', async () => {
    const url = await listen({ '/v1/models': ['text/plain', 'OK'], '/openai/v1/models': ['application/json', ''] });
    const result = await diff(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(/v1/models: HTTP 200 with a text body, not a model list ("OK"), /openai/v1/models: HTTP 200 with an empty body, not a model list)');
    expect(result.stderr).not.toContain('HARNESS_SERVER_ERROR');
    expect(result.stderr).not.toMatch(/5xx|try again later/);
  }, 30_000);

  it('a 200 whose words say a server or a gateway failed keeps the outage advice', async () => {
    const url = await listen({ '/v1/models': ['text/plain', 'upstream connect error or disconnect/reset before headers'], '/openai/v1/models': ['application/json', '{"error":{"message":"overloaded","type":"server_error"}}'] });
    const result = await diff(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/v1/models: HTTP 200 with a text body, not a model list ("upstream connect error or disconnect/reset before headers")');
    expect(result.stderr).toContain(`/openai/v1/models: ${ERROR_BODY} ("overloaded")`);
    expect(result.stderr).toContain('an HTTP 5xx is the endpoint failing: try again later');
  }, 30_000);
});

describe('run --models listed: the same words', () => {
  it('an error body in a 200 names the endpoint\'s message, not HARNESS_SERVER_ERROR', async () => {
    const body = '{"error":{"message":"Invalid API key"}}';
    const url = await listen({ '/v1/models': ['application/json', body], '/openai/v1/models': ['application/json', body] });
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'listed', '--checks', 'path-prefix', '--retries', '0', '--quiet', '--report-dir', join(dir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`(/v1/models: ${ERROR_BODY} ("Invalid API key"), /openai/v1/models: ${ERROR_BODY} ("Invalid API key"))`);
    expect(run.stderr).not.toContain('HARNESS_SERVER_ERROR');
  });
});

describe('readPage', () => {
  const exchange = (contentType: string, body: string, outage = true): Exchange => ({
    step: 'model-list',
    prefix: '/v1',
    request: { method: 'GET', path: '/v1/models', headers: {} },
    response: { status: 200, headers: { 'content-type': contentType }, chunks: [{ t: 1, data: body }] },
    error: outage ? { code: 'HARNESS_SERVER_ERROR', message: 'the endpoint answered 200 with ...: an outage behind a 200, not an answer about the model' } : null,
    durationMs: 1,
    attempts: 1,
  });

  it('says each kind of 2xx that is no list as what came, an outage only when its words say one', () => {
    expect(readPage(exchange('application/json', '{"error":{"message":"Invalid API key","type":"auth"}}'))).toEqual({ kind: 'failed', why: ERROR_BODY, said: '"Invalid API key"' });
    expect(readPage(exchange('application/json', '{"error":"Invalid API key"}'))).toEqual({ kind: 'failed', why: ERROR_BODY, said: '"Invalid API key"' });
    expect(readPage(exchange('text/plain', 'OK'))).toEqual({ kind: 'failed', why: 'HTTP 200 with a text body, not a model list', said: '"OK"' });
    expect(readPage(exchange('application/json', '  '))).toEqual({ kind: 'failed', why: 'HTTP 200 with an empty body, not a model list' });
    expect(readPage(exchange('application/json', '{"message":"Too Many Requests"}'))).toEqual({ kind: 'failed', why: "HTTP 200 with a gateway's message, not a model list", said: '"Too Many Requests"', outage: true });
    // A client's fault in a 200 is no outage to the transport either: its words are said the same way.
    expect(readPage(exchange('application/json', '{"error":{"message":"bad key","type":"invalid_request_error"}}', false))).toEqual({ kind: 'failed', why: ERROR_BODY, said: '"bad key"' });
    // A 5xx is an outage; a body that says nothing of these stays "no readable list".
    expect(readPage({ ...exchange('application/json', '{}'), response: { status: 503, headers: {}, chunks: [{ t: 1, data: 'down' }] } })).toMatchObject({ kind: 'failed', why: 'HARNESS_SERVER_ERROR', outage: true });
    expect(readPage(exchange('application/json', '{"object":"list"}', false))).toEqual({ kind: 'failed', why: 'HTTP 200 with no readable list in the body' });
  });

  it('quotes the endpoint\'s words inert and bounded: no escape, line break or workflow command at a line start', () => {
    const hostile = `Invalid\u001b[31m key\n::error::pwned\u202e ${'x'.repeat(5000)}`;
    const read = readPage(exchange('application/json', JSON.stringify({ error: { message: hostile } })));
    expect(read.kind).toBe('failed');
    const said = (read as { said?: string }).said ?? '';
    expect(said.startsWith('"Invalid')).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(said).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(said).not.toMatch(/\n::error/);
    expect(said.length).toBeLessThan(200);
    // `why` is the harness's words alone: a list's source and `missing` carry it into the reports.
    expect((read as { why: string }).why).toBe(ERROR_BODY);
  });
});
