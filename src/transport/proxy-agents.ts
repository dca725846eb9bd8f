/**
 * @module transport/proxy-agents
 * The undici dispatchers of requests that go through a proxy (proxy.ts), bounded by the request's own deadline, and
 * their end when the command is over. undici's ProxyAgent opens a tunnel (CONNECT, or the SOCKS5 handshake) without
 * the request's abort signal: a proxy that never answered CONNECT held a request for its proxy client's default 300 s
 * headers timeout whatever --timeout said, and SIGTERM abandoned nothing. Each agent here times its proxy connection
 * and CONNECT by the deadline of the requests it carries, and `throughProxy` ends a request at its signal even while
 * its tunnel is still being set up. undici's SOCKS5 agent gives up on a silent proxy without closing the socket: that
 * socket would keep the process alive after the run, so bin.ts exits once the command is over if a proxy was used.
 */
import { subscribe } from 'node:diagnostics_channel';
import { ProxyAgent, type Dispatcher } from 'undici';
import { atCommandEnd } from './command-end.ts';
import { socks5Agent, tunnelPool } from './proxy-closed.ts';
import type { ChosenProxy } from './proxy.ts';

/** The pool of every agent, direct (http-exchange.ts) or through a proxy. */
export const POOL = { keepAliveTimeout: 10_000, connections: 64 };
/** One per proxy (credentials included) and deadline: the preflight's capped deadline and the run's differ. */
const agents = new Map<string, Dispatcher>();
let opened = false;
/** The `host:port`s an HTTP(S) proxy opened a tunnel to (its 200 to CONNECT), as undici announces each. */
const tunnelled = new Set<string>();
let hearing = false;

/**
 * Whether `proxy` has opened a tunnel to `target` in this process: a request through it that timed out then waited
 * on the endpoint, not on the proxy. Undefined for a SOCKS5 proxy: undici's SOCKS5 agent announces none.
 */
export function tunnelOpened(proxy: ChosenProxy, target: URL): boolean | undefined {
  if (proxy.protocol === 'socks5:') return undefined;
  return tunnelled.has(`${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`);
}

/**
 * The shared ProxyAgent of `proxy` for requests with a `timeoutMs` deadline. It tunnels (CONNECT) to http and https
 * targets alike, so only the proxy sees Proxy-Authorization, and the request is the same as a direct one. The URL
 * undici gets has no user info: the credentials go as a token (HTTP) or the SOCKS5 login, and no undici message can
 * quote them.
 */
export function proxyAgentFor(proxy: ChosenProxy, timeoutMs: number): Dispatcher {
  if (!hearing) {
    hearing = true;
    subscribe('undici:proxy:connected', (message) => {
      const path = (message as { connectParams?: { path?: unknown } }).connectParams?.path;
      if (typeof path === 'string') tunnelled.add(path);
    });
  }
  const key = `${proxy.key}\n${timeoutMs}`;
  let shared = agents.get(key);
  if (!shared) {
    // A proxy that closes the connection before the tunnel opens fails the request (proxy-closed.ts). The connection
    // to an HTTP(S) proxy and its answer to CONNECT, within the deadline (undici: 10 s and 300 s). Not for SOCKS5:
    // undici reads any `proxyTls` there as "the SOCKS proxy speaks TLS".
    shared =
      proxy.protocol === 'socks5:'
        ? socks5Agent(proxy.url, proxy.credentials ?? {})
        : new ProxyAgent({
            uri: proxy.url,
            ...POOL,
            proxyTls: { timeout: timeoutMs },
            clientFactory: (origin: URL, options: object) => tunnelPool(origin, { ...options, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
            ...(proxy.authorization ? { token: proxy.authorization } : {}),
          });
    agents.set(key, shared);
    if (!opened) atCommandEnd(closeProxyAgents);
    opened = true;
  }
  return shared;
}

/**
 * `sent` (a request through a proxy), or its signal's reason as soon as the signal aborts: the tunnel's set-up does
 * not see the signal (see the module's comment). An answer that comes after is dropped unread.
 */
export function throughProxy<T extends { body: { destroy(): unknown } }>(sent: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    sent.then((late) => late.body.destroy(), () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abandon = () => {
      sent.then((late) => late.body.destroy(), () => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abandon, { once: true });
    sent.then(
      (answer) => {
        signal.removeEventListener('abort', abandon);
        resolve(answer);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abandon);
        reject(error);
      },
    );
  });
}

/**
 * Destroys every proxy agent (their tunnels and proxy connections), for the end of a command. True when this
 * process opened any: its caller then exits without waiting for sockets undici does not track (see above).
 */
export async function closeProxyAgents(): Promise<boolean> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((agent) => agent.destroy().catch(() => undefined)));
  const any = opened;
  opened = false;
  return any;
}
