/**
 * An HTML page (or a cut JSON 2xx) is kept out of a recording only where the recording had a readable answer to the
 * same request: an Express or nginx front whose real answer for a route it does not serve is an HTML 404 records
 * that page again on every record run (it failed the gate on every run after the first), while a page where the
 * endpoint answered before is still kept, naming what the recording had.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
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
import { catalogEmulator, cli } from './helpers/harness.ts';

const EXPRESS_404 = (path: string) => `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST ${path}</pre>\n</body>\n</html>\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-same-page-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
const record = () => new RecordTarget(inner, { fixturesDir: dir, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);
const request: ExchangeRequest = { method: 'POST', path: '/v1/responses', headers: {}, body: '{}' };
const answer = (status: number, type: string, body: string, step = 'main'): Exchange => ({ step, prefix: '/v1', request, response: { status, headers: { 'content-type': type }, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 5, attempts: 1 });
const PAGE = () => answer(404, 'text/html; charset=utf-8', EXPRESS_404('/v1/responses'));
const JSON_200 = () => answer(200, 'application/json', '{"id":"resp_1","object":"response"}');
const CUT_200 = () => answer(200, 'application/json', '{"id":"resp_1","obj');

describe('RecordTarget over a recording of the same request', () => {
  it.each([
    { name: 'the same HTML page', before: PAGE, now: () => ({ ...PAGE(), durationMs: 9 }) },
    { name: 'the same cut JSON 200', before: CUT_200, now: () => ({ ...CUT_200(), durationMs: 9 }) },
    { name: 'an outage recorded with --overwrite-failures', before: () => ({ ...answer(503, 'application/json', ''), error: { code: 'HARNESS_SERVER_ERROR' as const, message: '503' } }), now: () => ({ ...PAGE(), durationMs: 9 }) },
    { name: 'an answer to another path only', before: () => ({ ...JSON_200(), step: 'other', request: { ...request, path: '/v1/chat/completions' } }), now: () => ({ ...PAGE(), durationMs: 9 }) },
    // A probe sends one step on every prefix: the route that answered JSON says nothing of the one that answers a page.
    { name: 'an answer on another prefix only', before: () => ({ ...JSON_200(), prefix: '/openai/v1', request: { ...request, path: '/openai/v1/responses' } }), now: () => ({ ...PAGE(), durationMs: 9 }) },
  ])('records a page over $name: the endpoint\'s own answer', async ({ name, before, now }) => {
    const id = `same-${name.replace(/\W+/g, '-')}`;
    await record().caseFinished('m', id, [before()]);
    await record().caseFinished('m', id, [now()]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', id)))!.exchanges[0]!.durationMs).toBe(9);
  });

  it.each([
    { name: 'an HTML page', now: PAGE, said: /^POST \/v1\/responses answered 404 with an HTML page \(Error\).*, where the recording had HTTP 200 JSON for it; kept the previous recording/ },
    { name: 'a cut JSON 200', now: CUT_200, said: /^POST \/v1\/responses answered 200 with a body labelled JSON that does not parse .*, where the recording had HTTP 200 JSON for it; kept/ },
  ])('keeps a readable recording from $name, naming what it had', async ({ name, now, said }) => {
    const id = `readable-${name.replace(/\W+/g, '-')}`;
    const file = fixturePath(dir, 'unit', 'm', id);
    await record().caseFinished('m', id, [JSON_200()]);
    const good = await readFile(file, 'utf8');
    const error = (await record().caseFinished('m', id, [now()]).catch((e: unknown) => e)) as HarnessError;
    expect(error.code).toBe('HARNESS_RECORDING_KEPT');
    expect(error.message).toMatch(said);
    expect(await readFile(file, 'utf8')).toBe(good);
  });

  it('matches a step whatever ids its path holds, and any readable exchange of it: /responses/resp_def is the request /responses/resp_abc was', async () => {
    const id = 'ids';
    const get = (path: string, status: number, type: string, body: string): Exchange => ({ ...answer(status, type, body, 'get'), request: { method: 'GET', path, headers: {} } });
    await record().caseFinished('m', id, [get('/v1/responses/resp_abc', 404, 'text/html', EXPRESS_404('/v1/responses/resp_abc')), get('/v1/responses/resp_abc', 200, 'application/json', '{"id":"resp_abc"}')]);
    const error = (await record().caseFinished('m', id, [get('/v1/responses/resp_def', 200, 'text/html', '<html><title>Portal</title></html>')]).catch((e: unknown) => e)) as HarnessError;
    expect(error.code).toBe('HARNESS_RECORDING_KEPT');
    expect(error.message).toMatch(/^GET \/v1\/responses\/resp_def answered 200 with an HTML page \(Portal\).*, where the recording had HTTP 200 JSON for it/);
  });

  it('compares step by step: a page for the step that answered before is kept though another step had the page', async () => {
    const id = 'steps';
    await record().caseFinished('m', id, [answer(404, 'text/html', EXPRESS_404('/v1/responses'), 'first'), answer(200, 'application/json', '{"ok":true}', 'second')]);
    const error = (await record().caseFinished('m', id, [PAGE(), { ...PAGE(), step: 'second' }]).catch((e: unknown) => e)) as HarnessError;
    expect(error.code).toBe('HARNESS_RECORDING_KEPT');
    expect(error.message).toMatch(/where the recording had HTTP 200 JSON for it/);
  });
});

/** The emulator behind an Express-like front: any path with /responses gets its default HTML 404 while `pages`. */
async function front(upstream: string): Promise<{ url: string; pages: { on: boolean }; close(): Promise<void> }> {
  const pages = { on: true };
  const server: Server = createServer((req, res) => {
    if (pages.on && req.url?.includes('/responses')) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(EXPRESS_404(req.url));
      return;
    }
    const out = httpRequest(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pages, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe('record runs through a front that answers HTML 404 for /responses', () => {
  it('records the same page again (exit as the first run), and keeps a readable recording from the page', async () => {
    const emulator = await catalogEmulator();
    const proxy = await front(emulator.url);
    try {
      const fixtures = join(dir, 'fixtures');
      const run = async (name: string) => {
        const reports = join(dir, name);
        const result = await cli(['run', '--mode', 'record', '--endpoint', proxy.url, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--fixtures', fixtures, '--report-dir', reports, '--retries', '0', '--plain']);
        const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
        return { code: result.code, stderr: result.stderr, kept: matrix.results.filter((r) => r.reason?.includes('HARNESS_RECORDING_KEPT')) };
      };
      const first = await run('r1');
      expect(first.kept).toEqual([]);
      const again = await run('r2');
      expect(again.kept.map((r) => r.reason)).toEqual([]);
      expect(again.code, again.stderr).toBe(first.code);
      // The endpoint answers /responses, then the front breaks again: that page is the way's, and is kept.
      proxy.pages.on = false;
      expect((await run('r3')).kept).toEqual([]);
      proxy.pages.on = true;
      const broken = await run('r4');
      expect(broken.code).toBe(1);
      expect(broken.kept.length).toBeGreaterThan(0);
      expect(broken.kept[0]!.reason).toMatch(/\/responses answered 404 with an HTML page \(Error\).*, where the recording had HTTP \d+ (JSON|a stream) for it; kept the previous recording/);
    } finally {
      await proxy.close();
      await emulator.close();
    }
  }, 180_000);
});
