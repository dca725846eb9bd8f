/**
 * A LiteLLM-like gateway on 127.0.0.1 in front of an upstream (the emulator): it checks a bearer key, answers a model
 * request as a rule says (a refusal, or a delay before forwarding), else forwards it. The scope, budget and
 * credentials tests put it between the harness and the emulator.
 */
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { catalogEmulator, cli } from './harness.ts';

/** What the gateway does with a request: answer it, forward it after a delay, or (undefined) forward it at once. */
export type GatewayAnswer = { status: number; body: string } | { delayMs: number } | undefined;
/** `model`: the request body's; `seen`: how many requests naming a model came so far, this one included. GETs are forwarded. */
export type GatewayRule = (model: string | undefined, path: string, seen: number) => GatewayAnswer;

export interface KeyGateway {
  url: string;
  /** How many requests the rule answered itself. */
  refusals(): number;
  close(): Promise<void>;
}

/** The gateway in front of `upstreamUrl`, refusing any key but `key` with a 401 of `invalidBody`. */
export async function keyGateway(upstreamUrl: string, key: string, invalidBody: string, rule: GatewayRule): Promise<KeyGateway> {
  const { port } = new URL(upstreamUrl);
  let seen = 0;
  let refusals = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.headers.authorization !== `Bearer ${key}`) return void res.writeHead(401, { 'content-type': 'application/json' }).end(invalidBody);
      let model: string | undefined;
      try {
        model = (JSON.parse(raw.toString() || '{}') as { model?: string }).model;
      } catch {
        model = undefined;
      }
      const decided = req.method === 'GET' ? undefined : rule(model, req.url ?? '', model === undefined ? seen : ++seen);
      if (decided && 'status' in decided) {
        refusals++;
        return void res.writeHead(decided.status, { 'content-type': 'application/json' }).end(decided.body);
      }
      const forward = () => {
        const out = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.end(raw);
      };
      if (decided) setTimeout(forward, decided.delayMs);
      else forward();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refusals: () => refusals,
    close: () => new Promise<void>((closed) => (server.closeAllConnections(), server.close(() => closed()))),
  };
}

/**
 * `run` through a gateway (`start` puts it in front of an emulator that wants `key`), its reports in `reports`: the
 * command's outcome and its matrix.json's results (none when it wrote none).
 */
export async function runThroughGateway<Cell>(start: (upstreamUrl: string) => Promise<KeyGateway>, key: string, reports: string, args: string[]) {
  const upstream = await catalogEmulator({}, { apiKey: key });
  const proxy = await start(upstream.url);
  try {
    const run = await cli(['run', '--endpoint', proxy.url, '--api-key-env', 'GWKEY', '--retries', '0', '--report-dir', reports, '--plain', ...args], { GWKEY: key });
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8').catch(() => '{"results":[]}')) as { results: Cell[] };
    return { run, matrix };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}
