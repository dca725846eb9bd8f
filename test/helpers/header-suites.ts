/**
 * What the suite-header tests share (framing-headers, suite-headers): a temp folder and a loopback server that
 * answers 200 and keeps each request's headers, and a suite folder whose one case sends the headers given.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createAuth } from '../../src/transport/auth/create-auth.ts';
import { sendHttp } from '../../src/transport/http-exchange.ts';
import { ROOT } from './harness.ts';

export interface HeaderBed {
  dir: string;
  url: string;
  /** The headers of each request the server got, in order. */
  seen: IncomingHttpHeaders[];
}

/** Starts the folder and the server before the file's tests and removes them after. */
export function headerBed(): HeaderBed {
  const bed: HeaderBed = { dir: '', url: '', seen: [] };
  let server: Server;
  beforeAll(async () => {
    bed.dir = await mkdtemp(join(tmpdir(), 'mantle-'));
    server = createServer((req, res) => {
      bed.seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bed.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await rm(bed.dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  });
  return bed;
}

/** A suites folder `name` in `dir`: the bundled catalog and routes, and one case whose request sends `headers` (YAML). */
export async function suitesWith(dir: string, name: string, headers: string): Promise<string> {
  const suites = join(dir, name);
  await cp(join(ROOT, 'suites/models.yaml'), join(suites, 'models.yaml'));
  await cp(join(ROOT, 'suites/routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
  const suite = ['suite: x', 'cases:', '  - id: x.one', '    title: one', '    api: chat-completions', '    request:', `      headers: ${headers}`, '      body: { messages: [{role: user, content: hi}] }', '    checks: [answer.non-empty]', ''];
  await writeFile(join(suites, 'x.suite.yaml'), suite.join('\n'));
  return suites;
}

/** One chat request with `headers` to `url`, through the harness's HTTP client (no auth, 5 s). */
export function sendHeaders(url: string, headers: Record<string, string>) {
  return sendHttp({ method: 'POST', path: '/chat/completions', headers, body: '{"model":"m"}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), timeoutMs: 5000 });
}
