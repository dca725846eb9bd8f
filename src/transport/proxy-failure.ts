/**
 * @module transport/proxy-failure
 * How a request that got no answer reads when a proxy was on the way (proxy.ts), and the hint a TLS certificate
 * failure carries. Without it a proxy that is down, wants credentials or blocks the host reads as the endpoint being
 * down, and a user checks the wrong thing. Every message names the proxy as `host:port (from VARIABLE)`, never its
 * user or password; every one is an infrastructure error (HARNESS_CONNECTION), never a verdict.
 */
import type { ChosenProxy } from './proxy.ts';
import { ProxyClosedError } from './proxy-closed.ts';
import { ACCEPTED_AND, LOGIN_REFUSED } from './proxy-refusals.ts';

/** The codes Node gives a certificate it cannot trust: what a TLS-inspecting proxy's own certificate causes. */
const UNTRUSTED_CERTIFICATE = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** What undici says when the proxy's reply is no SOCKS5 at all. */
const NOT_SOCKS5 = new Set(['UND_ERR_SOCKS5_VERSION', 'UND_ERR_SOCKS5_REPLY_VERSION', 'UND_ERR_SOCKS5_AUTH_VERSION', 'UND_ERR_SOCKS5_ADDR_TYPE']);

/** The SOCKS5 proxy refused the user and password (or wants some). */
const SOCKS_AUTH = new Set(['UND_ERR_SOCKS5_AUTH_FAILED', 'UND_ERR_SOCKS5_AUTH_REJECTED']);

function codeOf(cause: unknown): string {
  return (cause as { code?: string } | undefined)?.code ?? '';
}

/**
 * Why a connection through `proxy` to `url` failed, for a request that got no answer (HARNESS_CONNECTION): the proxy
 * wants credentials (407), refused the endpoint's host (another status to CONNECT), or could not be reached.
 * `detail` is the failure as the harness says it otherwise (`ECONNREFUSED: connect ECONNREFUSED 10.0.0.9:3128`).
 */
export function throughProxyFailure(cause: unknown, url: URL, proxy: ChosenProxy, detail: string): string {
  const head = `could not reach ${url.host}${url.pathname} through the proxy ${proxy.shown}`;
  const code = codeOf(cause);
  // undici: RequestAbortedError "Proxy response (407) !== 200 when HTTP Tunneling".
  const status = code === 'UND_ERR_ABORTED' ? Number(/Proxy response \((\d{3})\)/.exec((cause as Error).message)?.[1] ?? NaN) : NaN;
  const form = `${proxy.variable}=${proxy.protocol}//user:password@host:port, percent-encode : @ / in them`;
  if (status === 407 || SOCKS_AUTH.has(code)) {
    const fix = proxy.credentials ? `it refused the user and password in ${proxy.variable}; check them (${form})` : `it wants credentials; give them in the variable (${form})`;
    const answered = status === 407 ? LOGIN_REFUSED.status407 : `${LOGIN_REFUSED.socks} (${code})`;
    return `${head}: ${answered}: ${fix}`;
  }
  // Some SOCKS5 servers drop a login they refuse instead of answering RFC 1929's failure status.
  if (cause instanceof ProxyClosedError && cause.at === 'SOCKS5 login') {
    return `${head}: ${LOGIN_REFUSED.closedOnLogin} (${cause.how === 'reset' ? 'a reset' : 'no answer'}): it likely refused the user and password in ${proxy.variable}; check them (${form})`;
  }
  if (Number.isInteger(status)) {
    return `${head}: the proxy refused to connect to ${url.host} (it answered CONNECT with ${status}); ask for ${url.hostname} to be allowed through the proxy, or list it in NO_PROXY if it is reachable directly`;
  }
  // It answered, by closing the connection: --timeout or another try does not change an access rule.
  if (cause instanceof ProxyClosedError) {
    const kind = cause.at === 'CONNECT' ? 'an HTTP proxy' : 'a SOCKS5 proxy';
    return `${head}: ${ACCEPTED_AND}${cause.how} it ${cause.at === 'CONNECT' ? 'at CONNECT' : 'during the SOCKS5 handshake'}, without an answer; check that ${proxy.variable} names ${kind} (host and port) and that the proxy's access rules let this machine through`;
  }
  // A close once the tunnel was open (one at CONNECT or in the handshake is a ProxyClosedError): the proxy is up.
  if (code === 'UND_ERR_SOCKET') {
    return `no answer from ${url.host}${url.pathname} through the proxy ${proxy.shown}: the proxy opened the tunnel, and the answer was cut inside it (${detail}): the endpoint or the proxy closed the connection`;
  }
  // A reset before the tunnel opened is a ProxyClosedError too (proxy-closed.ts): this one came inside the tunnel, an
  // https endpoint's TLS handshake cut there among them.
  if (code === 'ECONNRESET') {
    return `no answer from ${url.host}${url.pathname} through the proxy ${proxy.shown}: the proxy opened the tunnel, and the connection was cut inside it before an answer (${detail}): the endpoint or the proxy closed or reset the connection`;
  }
  // A reply that is no SOCKS5 (`Invalid SOCKS version: 72` is the H of `HTTP/1.1`): another kind of proxy.
  if (NOT_SOCKS5.has(code)) {
    return `${head}: it does not speak SOCKS5 (${detail}); check the scheme in ${proxy.variable}: http:// for an HTTP proxy, socks5:// only for a SOCKS5 one`;
  }
  if (code.startsWith('UND_ERR_SOCKS5')) {
    return `${head}: the proxy refused to connect to ${url.host} (${detail}); ask for ${url.hostname} to be allowed through the proxy, or list it in NO_PROXY if it is reachable directly`;
  }
  // undici wraps a TLS failure of an https:// proxy (UND_ERR_PRX_TLS): its own cause says which.
  const nested = (cause as { cause?: unknown } | undefined)?.cause;
  const because = nested instanceof Error ? ` (${codeOf(nested) || nested.name}: ${nested.message})` : '';
  const hint = tlsHint(cause);
  // The proxy answered: a certificate on the way is not trusted, the endpoint's (or a TLS-inspecting proxy's).
  if (hint) return `${head} (${detail}${because}): a certificate on the way is not trusted${hint}`;
  return `${head} (${detail}${because}); check that the proxy is up and that ${proxy.variable} names it`;
}

/**
 * For a certificate Node could not trust, how to trust it: a TLS-inspecting proxy (common on corporate networks)
 * presents its own CA's certificates. Empty for any other failure.
 */
export function tlsHint(cause: unknown): string {
  const codes = [codeOf(cause), codeOf((cause as { cause?: unknown } | undefined)?.cause)];
  if (!codes.some((code) => UNTRUSTED_CERTIFICATE.has(code))) return '';
  return '; a TLS-inspecting proxy on the way presents its own certificate: set NODE_EXTRA_CA_CERTS=<your CA file (PEM)> so the harness trusts it';
}
