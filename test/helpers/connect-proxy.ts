/**
 * An HTTP proxy on 127.0.0.1 that tunnels CONNECT as an egress proxy does, to 127.0.0.1 whatever the host asked
 * for (a made-up name like `mantle.internal.test` is never resolved), and keeps what it was asked. With `login`, a
 * CONNECT without `Proxy-Authorization: Basic base64(user:password)` is answered 407; `refuse` answers every
 * CONNECT with that status. `echo` puts the Proxy-Authorization it got (and its decoded form) into those answers'
 * bodies, as a careless proxy's error page may. `expireAfter: n` tunnels the first n CONNECTs, then closes every
 * tunnel and answers each later CONNECT 407: the proxy's credentials expired in the middle of a run.
 * `silentAfter: n` tunnels the first n CONNECTs for one answer each (a tunnel closes 200 ms after the endpoint's first
 * bytes, so the next request needs a CONNECT of its own), then never answers a CONNECT: a proxy that hangs. `to`
 * tunnels every CONNECT to that local port, whatever port was asked (`gw.example.com:80` reaches a test's endpoint).
 */
import { createServer, type Server } from 'node:http';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  url: string;
  port: number;
  /** Every CONNECT: its authority (`host:port`) and Proxy-Authorization header. */
  connects: { authority: string; authorization: string | undefined }[];
  /** Requests that were not CONNECT (a proxy asked to forward a plain request). */
  plain: string[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  login?: { user: string; password: string };
  refuse?: number;
  echo?: boolean;
  expireAfter?: number;
  silentAfter?: number;
  to?: number;
}

export async function connectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const connects: ConnectProxy['connects'] = [];
  const plain: string[] = [];
  const sockets = new Set<Socket>();
  const tunnels = new Set<Socket>();
  const expected = options.login ? `Basic ${Buffer.from(`${options.login.user}:${options.login.password}`).toString('base64')}` : undefined;
  const server: Server = createServer((req, res) => {
    plain.push(`${req.method} ${req.url}`);
    res.writeHead(400).end('CONNECT only');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const authorization = req.headers['proxy-authorization'];
    connects.push({ authority: req.url ?? '', authorization });
    const answer = (status: number, reason: string) => {
      const token = authorization?.replace(/^Basic /, '') ?? '';
      const body = options.echo ? `denied: you sent Proxy-Authorization: ${authorization ?? '(none)'} = ${Buffer.from(token, 'base64').toString()}` : 'denied';
      client.end(`HTTP/1.1 ${status} ${reason}\r\nProxy-Authenticate: Basic realm="px"\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    if (options.expireAfter !== undefined && connects.length > options.expireAfter) {
      for (const tunnel of tunnels) tunnel.destroy();
      return answer(407, 'Proxy Authentication Required');
    }
    if (expected !== undefined && authorization !== expected) return answer(407, 'Proxy Authentication Required');
    if (options.refuse) return answer(options.refuse, 'Refused');
    // Never answered; the socket closes with the proxy (close()).
    if (options.silentAfter !== undefined && connects.length > options.silentAfter) return;
    const port = options.to ?? Number(/:(\d+)$/.exec(req.url ?? '')?.[1]);
    const upstream = tcpConnect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      if (options.silentAfter !== undefined) upstream.once('data', () => setTimeout(() => (client.destroy(), upstream.destroy()), 200));
    });
    sockets.add(upstream);
    tunnels.add(client);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    plain,
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}
