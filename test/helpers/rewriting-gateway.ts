/**
 * A gateway on 127.0.0.1 that answers every request as another model would: the requested id rewritten to another
 * in each request, forwarded to the upstream (what a gateway's fallback or a rewritten model id does).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A gateway that rewrites `from` to `to` in every request and forwards it to `upstream`. */
export async function rewritingGateway(upstream: string, from: string, to: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString().split(from).join(to);
      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) };
      delete headers.host;
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url!.split(from).join(to), headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => res.writeHead(502).end(String(e)));
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
