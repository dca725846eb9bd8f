/**
 * @module transport/proxy-closed
 * A proxy that takes the connection and closes it before the tunnel is open: at CONNECT (an HTTP(S) proxy: an access
 * rule that drops, a proxy restarting, a load balancer with no proxy behind it, a port that is no proxy) or in the
 * SOCKS5 handshake. undici reads the close of its CONNECT as a connection it may dial again, and dials again at once
 * while the request waits: about 900 connections a second to the proxy until --timeout, then a timeout that blamed a
 * cold start. Its SOCKS5 agent never notices the close, and waits for the deadline. Here either close fails the
 * request at once with a ProxyClosedError (HARNESS_CONNECTION, said by proxy-failure.ts), and another attempt is the
 * retry policy's, after its backoff.
 */
import type { Socket } from 'node:net';
import { buildConnector, Pool, Socks5ProxyAgent, type Dispatcher } from 'undici';

/** Where in the tunnel's set-up the proxy closed the connection. */
export type ClosedAt = 'CONNECT' | 'SOCKS5 handshake';

/** The proxy closed the connection before the tunnel opened: an answer, not a connection to dial again. */
export class ProxyClosedError extends Error {
  // Any code but undici's UND_ERR_SOCKET: undici fails the waiting requests on it instead of dialling again.
  readonly code = 'PROXY_CLOSED';
  constructor(readonly at: ClosedAt) {
    super(`the proxy closed the connection ${at === 'CONNECT' ? 'at CONNECT' : 'during the SOCKS5 handshake'}`);
    this.name = 'ProxyClosedError';
  }
}

type ConnectCallback = (err: Error | null, data: Dispatcher.ConnectData) => void;

/** The pool of connections to an HTTP(S) proxy, whose CONNECT fails on a close instead of being dialled again. */
class TunnelPool extends Pool {
  override connect<TOpaque = null>(options: Dispatcher.ConnectOptions<TOpaque>, callback: (err: Error | null, data: Dispatcher.ConnectData<TOpaque>) => void): void;
  override connect<TOpaque = null>(options: Dispatcher.ConnectOptions<TOpaque>): Promise<Dispatcher.ConnectData<TOpaque>>;
  override connect(options: Dispatcher.ConnectOptions, callback?: ConnectCallback): Promise<Dispatcher.ConnectData> | void {
    const connected = super.connect(options).catch((error: unknown) => {
      throw (error as { code?: string }).code === 'UND_ERR_SOCKET' ? new ProxyClosedError('CONNECT') : error;
    });
    if (!callback) return connected;
    connected.then((data) => callback(null, data), (error: Error) => callback(error, undefined as never));
  }
}

/** The client of an HTTP(S) proxy (undici ProxyAgent's `clientFactory`). */
export function tunnelPool(origin: URL, options: Pool.Options): Pool {
  return new TunnelPool(origin, options);
}

/** The sockets to a SOCKS5 proxy still in their handshake, with what stops watching them for a close. */
const handshaking = new WeakMap<Socket, () => void>();

/** undici's SOCKS5 agent with a close in the handshake failing the request (its own step, not in its types). */
class ClosingSocks5Agent extends Socks5ProxyAgent {
  async createSocks5Connection(host: string, port: number): Promise<Socket> {
    const own = Socks5ProxyAgent.prototype as unknown as { createSocks5Connection(this: Socks5ProxyAgent, host: string, port: number): Promise<Socket> };
    const socket = await own.createSocks5Connection.call(this, host, port);
    // The tunnel is open: a close from here on is the endpoint's answer cut, undici's to say.
    handshaking.get(socket)?.();
    return socket;
  }
}

/** The agent of a SOCKS5 proxy, its login (if any) the RFC 1929 user and password. */
export function socks5Agent(url: string, login: { username?: string; password?: string }): Dispatcher {
  const direct = buildConnector({});
  const connect: buildConnector.connector = (options, callback) =>
    direct(options, (error, socket) => {
      if (error) return callback(error, null);
      // undici's SOCKS5 client hears a socket's error, not its end: the proxy's FIN is made one.
      const closed = () => socket.destroy(new ProxyClosedError('SOCKS5 handshake'));
      socket.once('end', closed);
      handshaking.set(socket, () => socket.off('end', closed));
      callback(null, socket);
    });
  return new ClosingSocks5Agent(url, { ...login, connect });
}
