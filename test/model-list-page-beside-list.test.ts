/**
 * A 200 HTML page on one model-list prefix beside a real list on the other (a proxy's catch-all page for the prefix
 * the API does not serve, a login in front of one path) leaves the list partial on every run: the partial warning of
 * `run --models listed` and `catalog diff`'s lines carry the base-URL advice a list that is absent gets, never
 * only "not read whole" (a nightly job then failed for good with no hint).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

let server: Server;
let url: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-page-beside-'));
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v1/models') return req.resume(), res.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>Sign in</title>login</html>');
    if (path === '/openai/v1/models') return req.resume(), res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'openai.gpt-oss-20b', object: 'model', created: 0, owned_by: 'x' }] }));
    if (req.method === 'GET') return req.resume(), res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += String(chunk)));
    req.on('end', () => {
      const model = (JSON.parse(body || '{}') as { model?: string }).model ?? '?';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const ADVICE = "GET /v1/models answered a web page, GET /openai/v1/models a list; a web page (a login in front of the API, or a base URL that is not the API's) is no outage: check that --endpoint (or the URL in --targets) is the API's base URL, under which the custom surface reads /v1/models and /openai/v1/models";

describe('a web page on one prefix, a list on the other', () => {
  it('catalog diff: the line after the target\'s says the advice, and --json carries it', async () => {
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none']);
    expect(diff.code, diff.stderr).toBe(1);
    const lines = diff.stdout.split('\n');
    expect(lines[0]).toContain('not read whole: GET /v1/models: HTTP 200 with an HTML page, not a JSON model list');
    expect(lines[1]).toBe(`  ${ADVICE}`);
    const json = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--json']);
    expect(json.code).toBe(1);
    const target = (JSON.parse(json.stdout) as { targets: { complete: boolean; advice?: string }[] }).targets[0]!;
    expect(target.complete).toBe(false);
    expect(target.advice).toBe(ADVICE);
  });

  it('run --models listed: the partial warning ends with the advice', async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'listed', '--checks', 'path-prefix', '--retries', '0', '--quiet', '--report-dir', join(dir, 'run')]);
    expect(run.stderr).toContain(`model list was not read whole (GET /v1/models: HTTP 200 with an HTML page, not a JSON model list); a model on the part not read is not run; ${ADVICE}\n`);
  }, 60_000);

  it('a list read whole gets no advice (the base URL under /openai: /v1/models lists, /openai/v1/models is a 404)', async () => {
    const diff = await cli(['catalog', 'diff', '--targets', `custom:whole=${url}/openai`, '--auth', 'none']);
    expect(diff.stdout).toMatch(/^custom\.whole \(custom\): 1 listed \(GET \/v1\/models, GET \/openai\/v1\/models \(HTTP 404: no list there\)\)\n/);
    expect(diff.stdout).not.toContain('web page');
  });
});
