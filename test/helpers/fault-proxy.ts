/**
 * A proxy in front of the emulator that answers the requests it matches as a broken gateway does, down to the bytes
 * and the connection (a reset, a stall, HTTP/1.0, a body compressed twice): what test/helpers/wire-proxy.ts cannot
 * say through node's ServerResponse. The upstream answer is read whole first, so a fault can cut it where it likes.
 */
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface Upstream {
  status: number;
  type: string;
  body: Buffer;
}

/** Answers one request in place of the upstream, on `res` or its socket. */
export type Fault = (res: ServerResponse, up: Upstream, socket: Socket) => void;

export interface FaultProxy {
  url: string;
  /** How many requests the fault answered. */
  faulted: number;
  close(): Promise<void>;
}

/** Faults by name, as the hostile review's proxy.mjs has them. */
export const FAULTS = {
  /** HTTP/1.0, no length: half the body, then the connection is reset (an RST, not a FIN). */
  closeDelimitedReset: ((_res, up, socket) => {
    socket.write(`HTTP/1.0 ${up.status} OK\r\ncontent-type: ${up.type}\r\nconnection: close\r\n\r\n`);
    socket.write(up.body.subarray(0, up.body.length >> 1));
    setTimeout(() => socket.resetAndDestroy(), 50);
  }) as Fault,
  /**
   * HTTP/1.0, no length: half the body, then a FIN. What a reset looks like when the socket does not report it (a
   * busy event loop reads it as a plain end): only the text can say it is not whole.
   */
  closeDelimitedHalfEnd: ((_res, up, socket) => {
    socket.write(`HTTP/1.0 ${up.status} OK\r\ncontent-type: ${up.type}\r\nconnection: close\r\n\r\n`);
    socket.end(up.body.subarray(0, up.body.length >> 1));
  }) as Fault,
  /** HTTP/1.0, no length: the whole body, then a FIN. A complete answer. */
  closeDelimitedWhole: ((_res, up, socket) => {
    socket.write(`HTTP/1.0 ${up.status} OK\r\ncontent-type: ${up.type}\r\nconnection: close\r\n\r\n`);
    socket.end(up.body);
  }) as Fault,
  /** Chunked: half the body, then silence (never the last chunk). */
  stallMid: ((_res, up, socket) => {
    const half = up.body.subarray(0, up.body.length >> 1);
    socket.write(`HTTP/1.1 ${up.status} OK\r\ncontent-type: ${up.type}\r\ntransfer-encoding: chunked\r\n\r\n${half.length.toString(16)}\r\n`);
    socket.write(half);
    socket.write('\r\n');
  }) as Fault,
  /** Gzipped twice, labelled once: decoded, the body is still gzip. */
  doubleGzipOneLabel: ((res, up) => {
    res.writeHead(up.status, { 'content-type': up.type, 'content-encoding': 'gzip' });
    res.end(gzipSync(gzipSync(up.body)));
  }) as Fault,
  /** UTF-16LE with a byte-order mark, declared in the charset. */
  utf16: ((res, up) => {
    res.writeHead(up.status, { 'content-type': 'application/json; charset=utf-16le' });
    res.end(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(up.body.toString('utf8'), 'utf16le')]));
  }) as Fault,
};

/**
 * Starts the proxy: requests `match` accepts (at most `times` of them) get `fault`, the others the upstream's
 * answer as it came.
 */
export async function startFaultProxy(upstream: string, fault: Fault, match: (path: string, body: string) => boolean, times = Infinity): Promise<FaultProxy> {
  const target = new URL(upstream);
  let left = times;
  const proxy: FaultProxy = { url: '', faulted: 0, close: async () => {} };
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = Buffer.concat(parts);
    const { 'accept-encoding': _accept, host: _host, ...headers } = req.headers;
    const up = await new Promise<Upstream>((resolve, reject) => {
      const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
        const got: Buffer[] = [];
        answer.on('data', (d: Buffer) => got.push(d));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, type: String(answer.headers['content-type'] ?? 'application/json'), body: Buffer.concat(got) }));
      });
      out.on('error', reject);
      out.end(body);
    });
    if (left > 0 && match(req.url ?? '/', body.toString('utf8'))) {
      left -= 1;
      proxy.faulted += 1;
      fault(res, up, res.socket!);
      return;
    }
    res.writeHead(up.status, { 'content-type': up.type });
    res.end(up.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return proxy;
}
