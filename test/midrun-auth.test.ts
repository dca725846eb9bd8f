/**
 * Credentials rejected mid-run with --auth none: the advice names what was sent (nothing of the harness's own), and
 * the console says where the partial reports are and that their gate is not the exit code (still exit 2).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'midrun-auth-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a 401 in the middle of a run with --auth none', () => {
  it('says what to check for --auth none, where the partial reports are, and exits 2', async () => {
    const upstream = await catalogEmulator();
    let seen = 0;
    const proxy = createServer((req, res) => {
      if (++seen > 4) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"The security token included in the request is expired"}');
      const { port } = new URL(upstream.url);
      const forward = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((listening) => proxy.listen(0, '127.0.0.1', listening));
    try {
      const reports = join(dir, 'mid-run');
      const run = await cli(['run', '--mode', 'live', '--endpoint', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, '--auth', 'none', '--models', 'xai.grok-4.3', '--retries', '0', '--report-dir', reports, '--plain']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('HARNESS_AUTH_REJECTED');
      expect(run.stderr).not.toMatch(/AWS_BEARER_TOKEN_BEDROCK/);
      expect(run.stderr).toMatch(/--auth none sent none/);
      expect(run.stdout).toMatch(/^reports \(partial\): .*matrix\.json/m);
      expect(run.stdout).toMatch(/^gate: not the exit code: the partial matrix says .*, but the run exits 2 \(the credentials were rejected mid-run\)$/m);
    } finally {
      proxy.close();
      await upstream.close();
    }
  });
});
