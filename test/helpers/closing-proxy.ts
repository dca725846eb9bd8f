/**
 * An HTTP (CONNECT) or SOCKS5 proxy on 127.0.0.1 (or `::1`) that decides each connection's fate by its number: tunnel
 * it to a local port, close it or reset it (TCP RST) at its first byte (the CONNECT, or the SOCKS5 greeting), open the
 * tunnel and then close it at the client's first byte in it (an https target's TLS handshake), or open it and pass
 * only the first 100 bytes of the answer. A tunnel closes 20 ms after the endpoint's first bytes (the next request
 * needs a tunnel of its own), unless `keepTunnels`. A SOCKS5 proxy with `login` asks for the user and password, and answers a wrong one
 * with RFC 1929's failure status or by closing the connection.
 */
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { cli, type CliResult } from './harness.ts';

/** What the proxy does with one connection. */
export type Fate = 'tunnel' | 'close' | 'reset' | 'close-in-tunnel' | 'cut';

export interface ClosingProxyOptions {
  /** The fate of the n-th connection (from 0). */
  fate(n: number): Fate;
  /** SOCKS5 only: the login it asks for, and how it answers a wrong one. */
  login?: { user: string; password: string; wrong: 'fail' | 'close' };
  /** Where it listens. @default '127.0.0.1' */
  host?: string;
  /** Keep a tunnel open until the client closes it (reused for the next request), not 20 ms after the answer began. */
  keepTunnels?: boolean;
}

export interface ClosingProxy {
  port: number;
  /** TCP connections the proxy took. */
  connections(): number;
  /** SOCKS5 logins it refused. */
  refusedLogins(): number;
  close(): Promise<void>;
}

export async function closingProxy(kind: 'http' | 'socks5', upstreamPort: number, options: ClosingProxyOptions): Promise<ClosingProxy> {
  let taken = 0;
  let refused = 0;
  const sockets = new Set<Socket>();
  const tunnel = (client: Socket, opened: Buffer, fate: Fate) => {
    if (fate === 'close-in-tunnel') {
      client.write(opened);
      return void client.once('data', () => client.destroy());
    }
    const upstream = tcpConnect({ host: '127.0.0.1', port: upstreamPort }, () => {
      client.write(opened);
      // A tunnel that is not kept carries one request: a second one sent on it (a reused connection, before the
      // tunnel closes) ends it, so a test's later request always needs a tunnel, and a handshake, of its own.
      let answered = false;
      client.on('data', (data: Buffer) => (options.keepTunnels || !answered ? upstream.write(data) : (client.destroy(), upstream.destroy())));
      upstream.once('data', () => (answered = true));
      let passed = 0;
      upstream.on('data', (data: Buffer) => {
        if (fate !== 'cut') return void client.write(data);
        client.write(data.subarray(0, Math.max(0, 100 - passed)));
        passed += data.length;
        if (passed >= 100) (client.destroy(), upstream.destroy());
      });
      if (!options.keepTunnels) upstream.once('data', () => setTimeout(() => (client.destroy(), upstream.destroy()), 20));
      client.once('close', () => upstream.destroy());
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  };
  // SOCKS5: the CONNECT request (whatever address it names), then the tunnel.
  const socksConnect = (client: Socket, fate: Fate) => client.once('data', () => tunnel(client, Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]), fate));
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    const fate = options.fate(taken++);
    client.once('data', () => {
      if (fate === 'close') return void client.destroy();
      if (fate === 'reset') return void client.resetAndDestroy();
      if (kind === 'http') return tunnel(client, Buffer.from('HTTP/1.1 200 Connection Established\r\n\r\n'), fate);
      const login = options.login;
      if (!login) return (client.write(Buffer.from([5, 0])), socksConnect(client, fate));
      client.write(Buffer.from([5, 2]));
      client.once('data', (auth: Buffer) => {
        const user = auth.subarray(2, 2 + auth[1]!).toString();
        const password = auth.subarray(3 + auth[1]!, 3 + auth[1]! + auth[2 + auth[1]!]!).toString();
        if (user === login.user && password === login.password) return (client.write(Buffer.from([1, 0])), socksConnect(client, fate));
        refused++;
        if (login.wrong === 'close') return void client.destroy();
        client.end(Buffer.from([1, 1]));
      });
    });
  });
  await new Promise<void>((listening) => server.listen(0, options.host ?? '127.0.0.1', listening));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => taken,
    refusedLogins: () => refused,
    close: () => new Promise<void>((closed) => (sockets.forEach((s) => s.destroy()), server.close(() => closed()))),
  };
}

/**
 * A live run of api.chat-completions for one model against `endpoint` (a made-up name: only the proxy reaches it)
 * through `proxy`, given as HTTP_PROXY (and HTTPS_PROXY with `https`), no other proxy variable in the way.
 */
export function runThroughProxy(reportDir: string, proxy: string, endpoint: string, extra: readonly string[] = [], https = false): Promise<CliResult> {
  const args = ['run', '--mode', 'live', '--endpoint', endpoint, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--checks', 'api.chat-completions', '--retry-delay', '1', '--plain', '--report-dir', reportDir, ...extra];
  return cli(args, { HTTP_PROXY: proxy, HTTPS_PROXY: https ? proxy : '', ALL_PROXY: '', NO_PROXY: '' });
}
