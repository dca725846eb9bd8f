/**
 * `--models listed` and `catalog diff` read each prefix's model list under the run's retry policy, as the preflight
 * does (review r1, finding 4): a list cut short once (a JSON body that ends before its JSON does, its length met) was
 * read once, and the command stopped with HARNESS_USAGE "has no model list to read ... name the models". Retried, a
 * cut that does not come back is read whole; one that comes back every time is said as the cut it is, with the
 * transport's message and the attempts made, and running again comes before naming the models.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';

const LIST = JSON.stringify({ object: 'list', data: [{ id: 'deepseek.v3.2', object: 'model', created: 1, owned_by: 'x' }] });

/** How many answers to GET .../models are cut in half, per path, before the list comes whole. */
let cuts = 0;
const seen = new Map<string, number>();
let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'list-retry-'));
  server = createServer((req, res) => {
    req.resume();
    const path = req.url ?? '';
    const n = (seen.get(path) ?? 0) + 1;
    seen.set(path, n);
    if (!path.endsWith('/models')) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here","type":"invalid_request_error"}}');
    const body = n <= cuts ? LIST.slice(0, Math.floor(LIST.length / 2)) : LIST;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  await rm(dir, { recursive: true, force: true });
});

const gets = (path: string) => seen.get(path) ?? 0;

describe('a model list cut short', () => {
  it('once per prefix: catalog diff retries it and reads it whole', async () => {
    cuts = 1;
    seen.clear();
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--auth', 'none', '--json']);
    expect(diff.stderr).not.toMatch(/no model list to read|HARNESS_/);
    expect(diff.code, diff.stderr).toBe(0);
    const out = JSON.parse(diff.stdout) as { targets: { complete: boolean; listed: number; new: string[] }[] };
    expect(out.targets).toEqual([expect.objectContaining({ complete: true, listed: 1, new: [] })]);
    expect([gets('/v1/models'), gets('/openai/v1/models')]).toEqual([2, 2]);
  }, 60_000);

  it('every time: said as the cut it is, with the transport\'s message and the attempts --retries allowed', async () => {
    cuts = 1_000;
    seen.clear();
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'listed', '--retries', '1', '--retry-delay', '1', '--report-dir', join(dir, 'always')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--models listed: target 127\.0\.0\.1_\d+ has no model list to read \(\/v1\/models: HARNESS_STREAM_CUT, \/openai\/v1\/models: HARNESS_STREAM_CUT\): the endpoint answered 200 with a body that ends before its JSON does/);
    expect(run.stderr).toContain('(after 2 attempts)');
    expect(run.stderr).toContain('run again (a list cut short on the way may arrive whole), or name the models with --models');
    // Each prefix's list: 2 attempts (--retries 1); the preflight's own request (retried the same) comes on top.
    expect(gets('/openai/v1/models')).toBe(2);
  }, 60_000);

  it('--retries 0 is honoured: a list cut once is not read again', async () => {
    cuts = 1;
    seen.clear();
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'listed', '--retries', '0', '--report-dir', join(dir, 'no-retries')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no model list to read');
    expect(gets('/openai/v1/models')).toBe(1);
  }, 60_000);
});
