/**
 * A model list answered by a 200 HTML page (a login page in front of the API, a site at a wrong base URL) is said as
 * what came, with the fix it needs: it was reported as HARNESS_SERVER_ERROR with "an HTTP 5xx is the endpoint
 * failing: try again later", and waiting does not fix a base URL. A real 5xx keeps the outage advice.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readPage } from '../src/cli/model-list-pages.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { cli, scratchReportDir } from './helpers/harness.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function listen(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every path answers a login page, 200 text/html (as an SSO portal or a captive portal does). */
const loginPage = () =>
  listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Sign in</title></head><body>login</body></html>');
  });

const PAGE = 'HTTP 200 with an HTML page, not a JSON model list';

describe('a 200 HTML page where the model list is', () => {
  it('catalog diff: says the page and the base URL to check, not a 5xx to wait out', async () => {
    const url = await loginPage();
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain(`has no model list to read (/v1/models: ${PAGE}, /openai/v1/models: ${PAGE})`);
    expect(diff.stderr).toContain('a web page (a login in front of the API, or a base URL that is not the API\'s) is no outage: check that --endpoint (or the URL in --targets) is the API\'s base URL, under which the custom surface reads /v1/models and /openai/v1/models');
    expect(diff.stderr).not.toContain('HARNESS_SERVER_ERROR');
    expect(diff.stderr).not.toMatch(/5xx|try again later/);
  });

  it('run --models listed: the same words, then its own advice', async () => {
    const url = await loginPage();
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'listed', '--checks', 'path-prefix', '--retries', '0', '--report-dir', await scratchReportDir(), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--models listed: target 127.0.0.1_`);
    expect(run.stderr).toContain(`(/v1/models: ${PAGE}, /openai/v1/models: ${PAGE})`);
    expect(run.stderr).toMatch(/is no outage: check that --endpoint .*; name the models with --models, or drop listed/);
    expect(run.stderr).not.toContain('HARNESS_SERVER_ERROR');
  });

  it('a 5xx is still the endpoint failing, and says so', async () => {
    const url = await listen((req, res) => {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
    });
    // --retries is not a flag of catalog diff: the page is retried as the default policy says, then reported.
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain('(/v1/models: HTTP 503, /openai/v1/models: HTTP 503)');
    expect(diff.stderr).toContain('an HTTP 5xx is the endpoint failing: try again later');
    expect(diff.stderr).not.toContain('web page');
  }, 30_000);

  it('readPage: the page is a failure that hides the list, said by status; an outage in a 2xx that is no page is said as what came, an outage', () => {
    const exchange = (contentType: string, body: string): Exchange => ({
      step: 'model-list',
      prefix: '/v1',
      request: { method: 'GET', path: '/v1/models', headers: {} },
      response: { status: 200, headers: { 'content-type': contentType }, chunks: [{ t: 1, data: body }] },
      error: { code: 'HARNESS_SERVER_ERROR', message: 'the endpoint answered 200 with ...: an outage behind a 200, not an answer about the model' },
      durationMs: 1,
      attempts: 1,
    });
    expect(readPage(exchange('text/html; charset=utf-8', '<!doctype html><html>login</html>'))).toEqual({ kind: 'failed', why: PAGE, page: true });
    expect(readPage(exchange('application/json', '{"error":{"message":"upstream failed","type":"server_error"}}'))).toEqual({ kind: 'failed', why: 'HTTP 200 with an error body, not a model list', said: '"upstream failed"', outage: true });
  });
});
