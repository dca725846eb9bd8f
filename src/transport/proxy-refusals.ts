/**
 * @module transport/proxy-refusals
 * How a proxy's refusal to carry a request reads (proxy-failure.ts writes it), and telling one from the message: an
 * exchange's error carries only its code and message, as fixtures store it. Apart from proxy-failure.ts, which loads
 * undici: the retry policy and the endpoint breaker read these in every run, a replay's included.
 */
import type { ExchangeError } from './exchange.ts';

/** `through the proxy host:port (from VARIABLE): `, which every proxy failure's message holds before its answer. */
const THROUGH = / through the proxy [^ ]+ \(from [A-Za-z_]+\): /;

/** How each refused proxy login reads (the answer, after `through the proxy host:port (from VARIABLE): `). */
export const LOGIN_REFUSED = {
  status407: 'the proxy answered 407 (Proxy Authentication Required)',
  socks: 'the proxy refused the login',
  closedOnLogin: 'the proxy asked for the user and password, and closed the connection once it had them',
};

/**
 * Whether `error` is a proxy's refusal of the login (407, a refused SOCKS5 login, or a close right after it): never
 * tried again, since another try only adds a failed login (proxy accounts lock after a few).
 */
export function proxyLoginRefused(error: ExchangeError | null | undefined): boolean {
  return error?.code === 'HARNESS_CONNECTION' && THROUGH.test(error.message) && Object.values(LOGIN_REFUSED).some((said) => error.message.includes(`): ${said}`));
}

/** How a proxy's close or reset of the connection before the tunnel opened reads (a ProxyClosedError, proxy-closed.ts). */
export const ACCEPTED_AND = 'the proxy accepted the connection and ';

/**
 * Whether `error` is a proxy's refusal to carry the request: it closed or reset the connection before the tunnel
 * opened, or refused the login. The endpoint was never reached: nothing about it is known (endpoint-breaker.ts).
 */
export function proxyRefusedTunnel(error: ExchangeError | null | undefined): boolean {
  return proxyLoginRefused(error) || (error?.code === 'HARNESS_CONNECTION' && THROUGH.test(error.message) && error.message.includes(`): ${ACCEPTED_AND}`));
}
