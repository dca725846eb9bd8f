/**
 * `--models listed` against an endpoint whose list body runs past its Content-Length (a length counted in
 * characters, the body holding "ö", the connection kept alive) stops with the transport's message, as it does for a
 * list cut short: the code alone (HARNESS_NOT_AN_ANSWER) and "name the models" left the user with no reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

const LIST = JSON.stringify({ object: 'list', data: [{ id: 'deepseek.v3.2', object: 'model', created: 1, owned_by: 'ö' }] });
let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'list-overrun-'));
  server = createServer((req, res) => {
    req.resume();
    if (!req.url?.endsWith('/models')) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here","type":"invalid_request_error"}}');
    // Content-Length in characters: one byte short, so the last byte follows the declared end.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': LIST.length }).end(LIST);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  await rm(dir, { recursive: true, force: true });
});

describe('a model list written past its Content-Length', () => {
  it('stops --models listed with the transport\'s message, not the code alone', async () => {
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'custom', '--auth', 'none', '--models', 'listed', '--retries', '0', '--report-dir', join(dir, 'r')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--models listed: target 127\.0\.0\.1_\d+ has no model list to read \(\/v1\/models: HARNESS_NOT_AN_ANSWER, \/openai\/v1\/models: HARNESS_NOT_AN_ANSWER\): the endpoint answered 200 with a body longer than its Content-Length/);
    expect(run.stderr).toContain("the endpoint's framing is wrong");
  }, 60_000);
});
