/**
 * A loopback proxy in front of the emulator that changes what goes over the wire, as gateways and CDNs do: it can
 * answer by itself (a redirect, a 304, a 429), add headers, rewrite bodies and stream reads, split a write in two,
 * and compress (gzip, deflate, br), flushing after every upstream read so stream reads stay reads.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBrotliCompress, createDeflate, createGzip, constants } from 'node:zlib';

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ProxyRules {
  /** Answer without asking upstream. */
  answer?(request: ProxiedRequest): { status: number; headers?: Record<string, string>; body?: string } | undefined;
  /** Headers added to every upstream answer. */
  headers?(request: ProxiedRequest): Record<string, string>;
  /** Rewrites a whole (non-stream) body. */
  body?(text: string, status: number, request: ProxiedRequest): string;
  /** Rewrites one read of a stream into the writes to send (two writes split a value across two reads). */
  chunk?(text: string, index: number): string[];
  /** Compresses every answer that has a body. */
  encoding?: 'gzip' | 'deflate' | 'br';
}

export interface RunningProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startProxy(upstream: string, rules: ProxyRules): Promise<RunningProxy> {
  const requests: ProxiedRequest[] = [];
  const target = new URL(upstream);
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const seen: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
    requests.push(seen);
    const direct = rules.answer?.(seen);
    if (direct) {
      res.writeHead(direct.status, direct.headers ?? {});
      res.end(direct.body ?? '');
      return;
    }
    const { 'accept-encoding': _accept, host: _host, ...forward } = req.headers;
    const up = httpRequest({ host: target.hostname, port: target.port, method: seen.method, path: seen.path, headers: forward }, (answer) => relay(answer, seen, rules, res));
    up.on('error', () => res.destroy());
    up.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function relay(answer: IncomingMessage, seen: ProxiedRequest, rules: ProxyRules, res: import('node:http').ServerResponse): void {
  const stream = String(answer.headers['content-type'] ?? '').startsWith('text/event-stream');
  const { 'content-length': _length, 'transfer-encoding': _te, connection: _c, ...headers } = answer.headers;
  const extra = rules.headers?.(seen) ?? {};
  // Brotli at quality 4, not the default 11: any quality is the same br format that undici decodes, and 11 cost the
  // br test several times gzip's CPU (a new encoder and a flush per read).
  const encoder = rules.encoding === 'gzip' ? createGzip() : rules.encoding === 'deflate' ? createDeflate() : rules.encoding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : undefined;
  res.writeHead(answer.statusCode ?? 502, { ...headers, ...extra, ...(encoder ? { 'content-encoding': rules.encoding! } : {}) });
  const sink = encoder ?? res;
  if (encoder) encoder.pipe(res);
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      sink.write(text);
      if (encoder) encoder.flush(rules.encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH, () => resolve());
      else resolve();
    });
  if (stream) {
    let index = 0;
    let queue = Promise.resolve();
    answer.setEncoding('utf8');
    answer.on('data', (text: string) => {
      const parts = rules.chunk?.(text, index++) ?? [text];
      queue = queue.then(async () => {
        for (const [i, part] of parts.entries()) {
          if (i > 0) await new Promise((r) => setTimeout(r, 100));
          await write(part);
        }
      });
    });
    answer.on('end', () => void queue.then(() => sink.end()));
    return;
  }
  void readAll(answer).then((text) => {
    sink.end(rules.body ? rules.body(text, answer.statusCode ?? 0, seen) : text);
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer | string) => parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part)));
    stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    stream.on('error', reject);
  });
}
