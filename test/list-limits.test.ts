/**
 * The model list's read names its real limit and a real fix: `run --models listed` reads it within --timeout (a list
 * read capped at 30 s told a user with --timeout 120000 to "raise --timeout"); `catalog diff`, which has no
 * --timeout, says its fixed limit and names no flag it lacks; a list whose body stalled says it stalled, never "no
 * readable list in the body".
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpOptions } from '../src/transport/http-exchange.ts';
import { cli, scratchReportDir } from './helpers/harness.ts';

/** The options each model-list page was asked with; the sends themselves are real, only made quicker to give up. */
const asked = vi.hoisted(() => [] as { timeoutMs?: number }[]);
vi.mock('../src/cli/send-retried.ts', async (importActual) => {
  const actual = await importActual<typeof import('../src/cli/send-retried.ts')>();
  return {
    ...actual,
    sendRetried: (policy: Parameters<typeof actual.sendRetried>[0], request: Parameters<typeof actual.sendRetried>[1], context: Parameters<typeof actual.sendRetried>[2], options: HttpOptions) => {
      if (context.step === 'model-list') asked.push({ timeoutMs: options.timeoutMs });
      // A test cannot wait 30 s: the page is given up on sooner, as it would be past the limit asked for.
      return actual.sendRetried(policy, request, context, context.step === 'model-list' ? { ...options, timeoutMs: 400, idleTimeoutMs: 200 } : options);
    },
  };
});

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  asked.length = 0;
});

async function listen(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server whose model lists never answer (the preflight's is the first GET /v1/models: it answers 404). */
const silentLists = () => {
  let preflight = true;
  return listen((req, res) => {
    req.resume();
    if (req.url === '/v1/models' && preflight) {
      preflight = false;
      return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    }
    // Never answered: the read times out.
  });
};

const LIST = JSON.stringify({ object: 'list', data: [{ id: 'openai.gpt-oss-20b', object: 'model' }, { id: 'deepseek.v3.1', object: 'model' }] });

/** Half of the list, then silence. */
const stalledLists = () =>
  listen((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(LIST.slice(0, 40));
  });

describe('run --models listed', () => {
  it('reads the list within --timeout, so "raise --timeout" is advice that helps', async () => {
    const url = await silentLists();
    const run = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', url, '--surface', 'mantle', '--models', 'listed', '--checks', 'path-prefix', '--timeout', '120000', '--retries', '0', '--quiet', '--report-dir', await scratchReportDir()]);
    expect(run.code).toBe(2);
    expect(asked.map((a) => a.timeoutMs)).toEqual([120_000, 120_000]);
    expect(run.stderr).toContain('(raise --timeout for cold starts)');
  }, 20_000);
});

describe('catalog diff', () => {
  it('says its fixed limit on a list that timed out, and names no --timeout (it has none)', async () => {
    const url = await silentLists();
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'mantle', '--auth', 'none']);
    expect(diff.code).toBe(2);
    expect(asked.map((a) => a.timeoutMs)).toEqual([30_000, 30_000]);
    expect(diff.stderr).toContain('(catalog diff waits at most 30000 ms for each page of a list, a fixed limit: try again once the endpoint is warm)');
    expect(diff.stderr).not.toContain('--timeout');
  }, 20_000);

  it('says a list whose body stalled stalled, never that the body held no readable list', async () => {
    const url = await stalledLists();
    const diff = await cli(['catalog', 'diff', '--endpoint', url, '--surface', 'mantle', '--auth', 'none']);
    expect(diff.code).toBe(2);
    expect(diff.stderr).toContain('/v1/models: HTTP 200 whose body stalled (no data for 200 ms after 40 character(s))');
    expect(diff.stderr).not.toContain('no readable list');
  }, 20_000);
});
