/**
 * A proxy in front of an endpoint that lets the first requests through (the preflight and a few cases), then answers
 * every later one 401 as an expired key or session token does: credentials rejected in the middle of a run.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExpiringProxy {
  url: string;
  close(): Promise<void>;
}

export async function expiringProxy(upstreamUrl: string, letThrough = 4): Promise<ExpiringProxy> {
  let seen = 0;
  const { port } = new URL(upstreamUrl);
  const server: Server = createServer((req, res) => {
    if (++seen > letThrough) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"The security token included in the request is expired"}');
    const forward = httpRequest({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // Every connection closed with the server: a 401 sent before the request's body was read leaves its connection
    // busy to server.close(), which waited out the client's keep-alive (10 s) before the test could end.
    close: () => new Promise<void>((closed) => (server.closeAllConnections(), server.close(() => closed()))),
  };
}
