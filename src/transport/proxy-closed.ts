/**
 * @module transport/proxy-closed
 * A proxy that takes the connection and closes it before the tunnel is open: at CONNECT (an HTTP(S) proxy: an access
 * rule that drops, a proxy restarting, a load balancer with no proxy behind it, a port that is no proxy) or in the
 * SOCKS5 handshake. undici reads the close of its CONNECT as a connection it may dial again, and dials again at once
 * while the request waits: about 900 connections a second to the proxy until --timeout, then a timeout that blamed a
 * cold start. Its SOCKS5 agent never notices the close, and waits for the deadline. Here a close (or a reset) is dialled
 * again at once a bounded number of times (nothing reached the endpoint, so --retries 0 still allows it: a proxy
 * dropping one CONNECT in ten failed requests), then fails the request with a ProxyClosedError (HARNESS_CONNECTION,
 * said by proxy-failure.ts); another attempt is the retry policy's, after its backoff. A SOCKS5 proxy that closes once
 * it has the user and password is never dialled again: that login is refused, and each try is one more failed login
 * (proxy accounts lock after a few).
 */
import type { Socket } from 'node:net';
import { buildConnector, Pool, Socks5ProxyAgent, type Dispatcher } from 'undici';

/** Where in the tunnel's set-up the proxy closed the connection ('SOCKS5 login': right after the user and password). */
export type ClosedAt = 'CONNECT' | 'SOCKS5 handshake' | 'SOCKS5 login';

/** How the proxy ended the connection: a FIN, or a TCP reset (what `iptables -j REJECT --reject-with tcp-reset` sends). */
export type ClosedHow = 'closed' | 'reset';

/** The proxy closed the connection before the tunnel opened: an answer, not a connection to dial again. */
export class ProxyClosedError extends Error {
  // Any code but undici's UND_ERR_SOCKET: undici fails the waiting requests on it instead of dialling again.
  readonly code = 'PROXY_CLOSED';
  constructor(
    readonly at: ClosedAt,
    readonly how: ClosedHow = 'closed',
  ) {
    super(`the proxy ${how} the connection ${at === 'CONNECT' ? 'at CONNECT' : at === 'SOCKS5 login' ? 'after the SOCKS5 login' : 'during the SOCKS5 handshake'}`);
    this.name = 'ProxyClosedError';
  }
}

/** Dials of one request's tunnel while the proxy closes or resets it before it opens: the first and 2 more. */
const DIALS = 3;

/** `closed` or `reset` for a proxy connection that ended before the tunnel opened; undefined for any other failure. */
function droppedBy(error: unknown): ClosedHow | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'UND_ERR_SOCKET' ? 'closed' : code === 'ECONNRESET' ? 'reset' : undefined;
}

type ConnectCallback = (err: Error | null, data: Dispatcher.ConnectData) => void;

/** The pool of connections to an HTTP(S) proxy, whose CONNECT fails on a close instead of being dialled again. */
class TunnelPool extends Pool {
  override connect<TOpaque = null>(options: Dispatcher.ConnectOptions<TOpaque>, callback: (err: Error | null, data: Dispatcher.ConnectData<TOpaque>) => void): void;
  override connect<TOpaque = null>(options: Dispatcher.ConnectOptions<TOpaque>): Promise<Dispatcher.ConnectData<TOpaque>>;
  override connect(options: Dispatcher.ConnectOptions, callback?: ConnectCallback): Promise<Dispatcher.ConnectData> | void {
    const connected = (async () => {
      for (let dial = 1; ; dial++) {
        try {
          return await super.connect(options);
        } catch (error) {
          const how = droppedBy(error);
          if (!how) throw error;
          if (dial >= DIALS || (options.signal as AbortSignal | undefined)?.aborted) throw new ProxyClosedError('CONNECT', how);
        }
      }
    })();
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
/** A reset of a socket in its handshake, with the step it came at (undici's client hears it, and rejects with it). */
const resetAt = new WeakMap<Error, ClosedAt>();

/** undici's SOCKS5 agent with a close in the handshake failing the request (its own step, not in its types). */
class ClosingSocks5Agent extends Socks5ProxyAgent {
  async createSocks5Connection(host: string, port: number): Promise<Socket> {
    const own = Socks5ProxyAgent.prototype as unknown as { createSocks5Connection(this: Socks5ProxyAgent, host: string, port: number): Promise<Socket> };
    for (let dial = 1; ; dial++) {
      try {
        const socket = await own.createSocks5Connection.call(this, host, port);
        // The tunnel is open: a close from here on is the endpoint's answer cut, undici's to say.
        handshaking.get(socket)?.();
        return socket;
      } catch (error) {
        const closed = error instanceof ProxyClosedError ? error : droppedBy(error) ? new ProxyClosedError(resetAt.get(error as Error) ?? 'SOCKS5 handshake', 'reset') : undefined;
        if (!closed) throw error;
        if (closed.at === 'SOCKS5 login' || dial >= DIALS) throw closed;
      }
    }
  }
}

/** `::1` for `[::1]`: undici dials the SOCKS5 proxy's URL hostname as it is, and no resolver knows `[::1]`. */
function unbracketed(host: string | undefined): string | undefined {
  return host?.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The agent of a SOCKS5 proxy, its login (if any) the RFC 1929 user and password. */
export function socks5Agent(url: string, login: { username?: string; password?: string }): Dispatcher {
  const direct = buildConnector({});
  const connect: buildConnector.connector = (options, callback) =>
    direct({ ...options, hostname: unbracketed(options.hostname)!, host: unbracketed(options.host) }, (error, socket) => {
      if (error) return callback(error, null);
      // The proxy's first reply is its method: 2 (user and password) means the login goes next, and a close before
      // its next reply is the proxy's answer to that login.
      let replies = 0;
      let login = false;
      const heard = (chunk: Buffer) => {
        login = ++replies === 1 && chunk.length === 2 && chunk[0] === 5 && chunk[1] === 2;
      };
      const step = (): ClosedAt => (login ? 'SOCKS5 login' : 'SOCKS5 handshake');
      // undici's SOCKS5 client hears a socket's error, not its end: the proxy's FIN is made one.
      const closed = () => socket.destroy(new ProxyClosedError(step()));
      const reset = (error: Error) => resetAt.set(error, step());
      socket.on('data', heard);
      socket.once('end', closed);
      socket.prependListener('error', reset);
      handshaking.set(socket, () => (socket.off('end', closed), socket.off('data', heard), socket.off('error', reset)));
      callback(null, socket);
    });
  return new ClosingSocks5Agent(url, { ...login, connect });
}
