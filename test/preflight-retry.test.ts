/**
 * The preflight (GET /v1/models) runs under the run's retry policy: one reset connection no longer stops the run with
 * "Cannot reach", and with no retries left it still does (exit 2).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { startFaultProxy, type Fault } from './helpers/fault-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await catalogEmulator();
  dir = await mkdtemp(join(tmpdir(), 'preflight-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const reset: Fault = (_res, _up, socket) => socket.resetAndDestroy();
const run = (url: string, retries: string, reports: string) =>
  cli(['run', '--mode', 'live', '--endpoint', url, '--auth', 'none', '--models', 'deepseek.v3.2', '--checks', 'path-prefix', '--retries', retries, '--retry-delay', '1', '--report-dir', join(dir, reports), '--plain']);

describe('the preflight and a transient reset', () => {
  it('retries a reset preflight and runs', async () => {
    const proxy = await startFaultProxy(emulator.url, reset, (path) => path === '/v1/models', 1);
    try {
      const result = await run(proxy.url, '2', 'retried');
      expect(proxy.faulted).toBe(1);
      expect(result.stderr).not.toMatch(/Cannot reach/);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('with --retries 0, a reset preflight still stops the run (exit 2)', async () => {
    const proxy = await startFaultProxy(emulator.url, reset, (path) => path === '/v1/models', 1);
    try {
      const result = await run(proxy.url, '0', 'no-retry');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Cannot reach/);
    } finally {
      await proxy.close();
    }
  });
});

describe('an --endpoint that ends in a route prefix (the base URL an OpenAI SDK takes)', () => {
  it('stops with exit 2 and the URL to give when the endpoint without it answers; nothing is judged', async () => {
    for (const suffix of ['/v1', '/v1/', '/openai/v1']) {
      const result = await run(`${emulator.url}${suffix}`, '0', `doubled${suffix.replace(/\//g, '-')}`);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: target 127.0.0.1_${new URL(emulator.url).port}: the base URL ${emulator.url}${suffix.replace(/\/$/, '')} ends in`);
      expect(result.stderr).toContain(`answered 404 while ${emulator.url} answered 200: the harness adds each API's route prefix (/v1, /anthropic/v1) itself. Give the endpoint as ${emulator.url} (--endpoint`);
    }
  });

  it('goes on as before when the URL without it does not answer either (a gateway whose base really ends in /v1)', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such route"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, '0', 'own-v1');
      expect(result.stderr).not.toContain('HARNESS_USAGE');
      expect(result.code, result.stderr).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('a SigV4 signature refused for its service', () => {
  it('names the surface that signs for the service the endpoint wants', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: "Credential should be scoped to correct service: 'bedrock'. " }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await cli(
        ['run', '--mode', 'live', '--endpoint', url, '--region', 'us-east-1', '--auth', 'sigv4', '--models', 'deepseek.v3.2', '--checks', 'path-prefix', '--retries', '0', '--report-dir', join(dir, 'service'), '--plain'],
        { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_PROFILE: '' },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("The endpoint wants signatures for service 'bedrock', which the runtime surface signs for: give --surface runtime (with --targets: runtime:us-east-1=URL) (this run signed for 'bedrock-mantle')");
    } finally {
      server.close();
    }
  });
});

describe('--auth sigv4 with --targets of local endpoints', () => {
  it('asks for the region as the target name (adding --region is refused with --targets)', async () => {
    const result = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--targets', `mantle:a=${emulator.url},runtime:b=${emulator.url}`, '--report-dir', join(dir, 'unsigned'), '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --targets: --auth sigv4 signs for a region, and target a names none: name it by the region its endpoint is in (mantle:us-east-1=URL)');
  });
});

describe('the --endpoint /v1 refusal and a key in the query', () => {
  it('never quotes the query', async () => {
    const result = await run(`${emulator.url}/v1?api-key=SUPERSECRETVALUE1234567`, '0', 'doubled-query');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toContain('SUPERSECRETVALUE1234567');
    expect(result.stderr).toContain(`the base URL ${emulator.url}/v1 (its user info and query left out, and kept) ends in /v1`);
    expect(result.stderr).toContain(`Give the endpoint as ${emulator.url}, with the same query`);
  });
});
