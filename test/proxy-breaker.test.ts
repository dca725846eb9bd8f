/**
 * `--give-up-after` through a proxy that refuses to carry the requests (closes or resets them before the tunnel
 * opens, refuses the login): the target stops at n in a row once it has answered nothing for --timeout, as any target
 * (a proxy restarting for a second refuses a burst, then carries them again), said as the proxy's refusal, not as an
 * endpoint that stopped answering with the advice to raise --timeout for cold starts.
 */
import { describe, expect, it } from 'vitest';
import { EndpointBreaker, type TargetDown } from '../src/transport/endpoint-breaker.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { targetDownLine } from '../src/run/run-conformance.ts';

const failed = (message: string): Exchange => ({ step: 's', prefix: '/v1', request: { method: 'POST', path: '/v1/chat/completions', headers: {} }, response: null, error: { code: 'HARNESS_CONNECTION', message }, durationMs: 1, attempts: 1 }) as Exchange;
const VIA = 'could not reach emu.test:19100/v1/chat/completions through the proxy 127.0.0.1:3128 (from HTTP_PROXY): ';
const CLOSED = failed(`${VIA}the proxy accepted the connection and closed it at CONNECT, without an answer; check that HTTP_PROXY names an HTTP proxy`);
const LOGIN = failed(`${VIA}the proxy answered 407 (Proxy Authentication Required): it refused the user and password in HTTP_PROXY; check them`);
const REFUSED = failed(`${VIA.replace(': ', ' ')}(ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3128); check that the proxy is up and that HTTP_PROXY names it`);

/** A breaker of n = 3 and --timeout 60 s, on a clock the test moves (`at`, in ms from the run's start). */
function breaker(proxy: string | undefined): { settle(exchange: Exchange, at?: number): void; down: TargetDown[] } {
  const down: TargetDown[] = [];
  let now = 0;
  const b = new EndpointBreaker({ limit: 3, silentMs: 60_000, proxyOf: () => proxy, onDown: (d) => down.push(d), now: () => now });
  return { settle: (exchange, at = now) => ((now = at), b.settled('emu.test_19100', exchange, false)), down };
}

describe('the endpoint breaker through a proxy that refuses to carry the requests', () => {
  it('n closes or refused logins in a row, after --timeout of silence: down, saying the proxy refused, not to raise --timeout', () => {
    const b = breaker('127.0.0.1:3128 (from HTTP_PROXY)');
    b.settle(CLOSED, 1_000);
    b.settle(LOGIN, 1_500);
    b.settle(CLOSED, 2_000);
    // A proxy restarting for a second: n refusals in a row, but within --timeout, give up nothing.
    expect(b.down).toHaveLength(0);
    b.settle(CLOSED, 61_000);
    expect(b.down).toHaveLength(1);
    expect(b.down[0]!.message).toBe(
      "not sent: the proxy 127.0.0.1:3128 (from HTTP_PROXY) refused to carry the requests to emu.test_19100: 3 requests in a row ended with the proxy closing or resetting the connection before the tunnel opened, or refusing the login, so the endpoint was never reached; check the proxy's access rules and the credentials in the proxy's variable (the cells' errors say which), or pass --give-up-after 0 to never stop",
    );
    expect(b.down[0]!.message).not.toContain('raise --timeout');
  });

  it('any other failure in the row keeps the silence rule (the control): not down before --timeout of silence', () => {
    const b = breaker('127.0.0.1:3128 (from HTTP_PROXY)');
    for (const exchange of [CLOSED, REFUSED, CLOSED]) b.settle(exchange, 1_000);
    expect(b.down).toHaveLength(0);
    b.settle(REFUSED, 61_000);
    expect(b.down).toHaveLength(1);
    expect(b.down[0]!.message).toMatch(/^not sent: emu\.test_19100 stopped answering through the proxy /);
  });

  it('without a proxy, the same text from an endpoint is no proxy refusal', () => {
    const b = breaker(undefined);
    for (let i = 0; i < 5; i++) b.settle(CLOSED, 61_000);
    expect(b.down).toHaveLength(1);
    expect(b.down[0]!.message).not.toContain('the proxy');
  });
});

describe('the console line of a target given up on', () => {
  it('names the target first, whether the endpoint stopped answering or its proxy refused the requests', () => {
    const b = breaker('127.0.0.1:3128 (from HTTP_PROXY)');
    for (const at of [1_000, 2_000, 61_000]) b.settle(CLOSED, at);
    expect(targetDownLine(b.down[0]!)).toMatch(/^target emu\.test_19100: the proxy 127\.0\.0\.1:3128 \(from HTTP_PROXY\) refused to carry the requests to emu\.test_19100: /);
    const e = breaker(undefined);
    for (const at of [1_000, 2_000, 61_000]) e.settle(REFUSED, at);
    expect(targetDownLine(e.down[0]!)).toMatch(/^target emu\.test_19100 stopped answering: /);
  });
});
