/**
 * A suite's `headers:` was refused for any header `--header-env` refuses, "the HTTP client would refuse it": but
 * undici sends Connection, Host, TE, Trailer and Content-Encoding as given, and a `null` (remove it) sends nothing.
 * A suite setting `Connection: close`, or a Host for a gateway reached by its IP, was valid and sent, then refused.
 * Now a suite is refused only the headers undici refuses (each sent here to a loopback server to show it), and
 * `--header-env` keeps its wider list.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_ENV_REFUSED, UNSENDABLE_HEADERS } from '../src/framing-headers.ts';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;
let server: Server;
let url: string;
let seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
});

async function suitesWith(name: string, headers: string): Promise<string> {
  const suites = join(dir, name);
  await cp(join(ROOT, 'suites/models.yaml'), join(suites, 'models.yaml'));
  await cp(join(ROOT, 'suites/routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
  const suite = ['suite: x', 'cases:', '  - id: x.one', '    title: one', '    api: chat-completions', '    request:', `      headers: ${headers}`, '      body: { messages: [{role: user, content: hi}] }', '    checks: [answer.non-empty]', ''];
  await writeFile(join(suites, 'x.suite.yaml'), suite.join('\n'));
  return suites;
}

/** The values a test sends for each framing header: a valid one where undici sends it. */
const VALUES: Record<string, string> = { host: 'gateway.example.test', 'content-length': '5', 'transfer-encoding': 'chunked', connection: 'close', 'keep-alive': 'timeout=5', upgrade: 'h2c', te: 'trailers', trailer: 'x-checksum', expect: '100-continue', 'content-encoding': 'identity' };
const send = (headers: Record<string, string>) =>
  sendHttp({ method: 'POST', path: '/chat/completions', headers, body: '{"model":"m"}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }), timeoutMs: 5000 });

describe('the HTTP client, on a loopback server', () => {
  it.each([...HEADER_ENV_REFUSED].filter((h) => !UNSENDABLE_HEADERS.has(h)))('%s is sent as given', async (header) => {
    seen = [];
    const exchange = await send({ [header]: VALUES[header]! });
    expect(exchange.error).toBeNull();
    expect(exchange.response?.status).toBe(200);
    // undici keeps Connection to itself (close ends the socket after the answer); the others arrive as given.
    if (header !== 'connection') expect(seen[0]?.[header]).toBe(VALUES[header]);
  });

  it.each([...UNSENDABLE_HEADERS])('%s is refused before anything is sent', async (header) => {
    seen = [];
    const exchange = await send({ [header]: VALUES[header]! });
    expect(exchange.error?.code).toBe('HARNESS_INTERNAL');
    expect(seen).toEqual([]);
  });
});

describe('a suite\'s headers', () => {
  it('Connection, Host, TE, Trailer and Content-Encoding are valid again', async () => {
    const suites = await suitesWith('s-sent', '{ "Connection": "close", "Host": "gateway.example.test", "Te": "trailers", "Trailer": "x-checksum", "Content-Encoding": "identity" }');
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(stderr).not.toContain('unsendable');
    expect(code).toBe(0);
  });

  it('null removes a header: never refused, whatever its name', async () => {
    const suites = await suitesWith('s-null', '{ "Host": null, "Transfer-Encoding": null, "Content-Length": null }');
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(stderr).not.toContain('unsendable');
    expect(code).toBe(0);
  });

  it.each([['Keep-Alive', '{ "Keep-Alive": "timeout=5" }'], ['Content-Length', '{ "Content-Length": "5" }']])('%s is refused, saying why', async (header, headers) => {
    const suites = await suitesWith(`s-${header}`, headers);
    const { code, stderr } = await cli(['validate', '--suites', suites]);
    expect(code).toBe(2);
    const why = header === 'Content-Length' ? 'the harness sets it from the body it sends, and the HTTP client refuses any other value before anything is sent' : 'the HTTP client refuses it before anything is sent';
    expect(stderr).toContain(`header ${header} makes the case unsendable: ${why}; remove it from the headers of case "x.one"`);
  });

  it('--header-env still refuses Connection and Host (the harness sets them)', async () => {
    for (const header of ['Connection', 'Host']) {
      const { code, stderr } = await cli(['run', '--mode', 'live', '--endpoint', url, '--surface', 'mantle', '--auth', 'none', '--header-env', `${header}=SOME_VAR`, '--report-dir', join(dir, 'r')]);
      expect(code).toBe(2);
      expect(stderr).toContain(`${header} frames the request`);
    }
  });
});
