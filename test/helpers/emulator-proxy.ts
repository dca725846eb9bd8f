/**
 * A hostile endpoint made of the emulator and a proxy in front of it on 127.0.0.1 port 0: every request goes to the
 * emulator, and the test rewrites what it wants (answers a request itself, adds headers, cuts a body, sends an
 * informational head first). The emulator's answer is read whole before it is written on, with its length counted
 * again, so a rewrite never has to mind chunked framing.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmulatorAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ProxyHooks {
  /** Answers the request itself, before the emulator sees it: true once `res` is written. */
  intercept?(request: ProxiedRequest, res: ServerResponse): boolean;
  /** The request headers sent on to the emulator. @default the request's own */
  forwardHeaders?(request: ProxiedRequest): OutgoingHttpHeaders;
  /** Writes the emulator's whole answer to the client. @default as it came (see `passAnswer`) */
  answer?(request: ProxiedRequest, answer: EmulatorAnswer, res: ServerResponse): void;
}

export interface EmulatorProxy {
  /** The proxy's base URL (`http://127.0.0.1:<port>`). */
  url: string;
  close(): Promise<void>;
}

/** The emulator's answer as it came, with `extra` headers, its length counted again (no transfer-encoding). */
export function passAnswer(answer: EmulatorAnswer, res: ServerResponse, extra: OutgoingHttpHeaders = {}, body: Buffer = answer.body): void {
  const headers: OutgoingHttpHeaders = { ...answer.headers, ...extra, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** Starts the proxy in front of the emulator at `upstreamUrl`. */
export async function startEmulatorProxy(upstreamUrl: string, hooks: ProxyHooks = {}): Promise<EmulatorProxy> {
  const upstream = new URL(upstreamUrl);
  const server = createServer((req, res) => {
    const sent: Buffer[] = [];
    req.on('data', (chunk: Buffer) => sent.push(chunk));
    req.on('end', () => {
      const request: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(sent) };
      if (hooks.intercept?.(request, res)) return;
      const headers = hooks.forwardHeaders?.(request) ?? req.headers;
      const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers }, (got) => {
        const chunks: Buffer[] = [];
        got.on('data', (chunk: Buffer) => chunks.push(chunk));
        got.on('end', () => {
          const answer: EmulatorAnswer = { status: got.statusCode ?? 502, headers: got.headers, body: Buffer.concat(chunks) };
          if (hooks.answer) hooks.answer(request, answer, res);
          else passAnswer(answer, res);
        });
      });
      up.on('error', () => res.destroy());
      up.end(request.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
