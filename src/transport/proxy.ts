/**
 * @module transport/proxy
 * Which proxy, if any, a request goes through, from the environment as curl, Go and Python requests read it: for an
 * https URL `https_proxy`, `HTTPS_PROXY`, then `all_proxy`, `ALL_PROXY`; for an http URL `http_proxy`, `HTTP_PROXY`,
 * then the same two (an https URL never falls back to HTTP_PROXY). An empty value is unset. `no_proxy` (else
 * `NO_PROXY`) lists what goes direct. A loopback target (`localhost`, `*.localhost`, 127.0.0.0/8, ::1) never goes
 * through a proxy, as in Go's net/http: the emulator, a local vLLM or Ollama, and every test of this project listen
 * there, and a developer's HTTPS_PROXY must not carry them off the machine.
 *
 * Read from process.env on every request (a run in this process may change it), parsed once per set of raw values.
 * A proxy is named as `host:port (from HTTPS_PROXY)`: its user and password never leave this module but as the
 * secrets the redactor looks for.
 */
import { BlockList, isIP } from 'node:net';
import { HarnessError } from '../errors.ts';
import type { Secret } from './redactor.ts';

/** The proxy a request goes through. */
export interface ChosenProxy {
  /** Its URL without user info, as undici connects to it: `http://proxy.corp:3128`, `socks5://10.0.0.9:1080`. */
  url: string;
  /** `http:`, `https:` or `socks5:` (`socks:` and `socks5h:` read as `socks5:`: undici's SOCKS5 sends names to the proxy). */
  protocol: 'http:' | 'https:' | 'socks5:';
  /** How a message names it: `proxy.corp:3128 (from HTTPS_PROXY)`; never its user or password. */
  shown: string;
  /** The variable it came from, as spelled (`https_proxy`, `HTTPS_PROXY`). */
  variable: string;
  /** Tells proxies apart, credentials included (one connection pool each); never shown. */
  key: string;
  /** The user and password (percent-decoded), when the URL holds a user. */
  credentials?: { username: string; password: string };
  /** `Basic <base64(user:password)>`, the Proxy-Authorization of an HTTP(S) proxy that has credentials. */
  authorization?: string;
  /**
   * What the redactor must never let through: the password, as written and decoded, and the Basic token; the user
   * too when the password is empty (a key, then: matched whole, as `proxy-user`).
   */
  secrets: Secret[];
}

const FOR_SCHEME = {
  'https:': ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
  'http:': ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
} as const;
const NO_PROXY = ['no_proxy', 'NO_PROXY'] as const;
const READ = [...new Set([...FOR_SCHEME['https:'], ...FOR_SCHEME['http:'], ...NO_PROXY])];

/** The forms a proxy variable takes, for the message that refuses another. */
export const PROXY_FORMS = 'http://host:port, https://host:port, socks5://host:port or a bare host:port (http), with user:password@ before the host when the proxy wants credentials (percent-encode : @ / ? # in them)';

type Setting = { proxy: ChosenProxy } | { error: HarnessError } | undefined;
interface Settings {
  'https:': Setting;
  'http:': Setting;
  direct: (host: string, port: number) => boolean;
}

let memo: { raw: string; settings: Settings } | undefined;

/** The settings of `env`, parsed once per set of raw values (a value that changes is read again). */
function settingsOf(env: NodeJS.ProcessEnv): Settings {
  const raw = JSON.stringify(READ.map((name) => env[name] ?? ''));
  if (memo?.raw === raw) return memo.settings;
  const noProxy = NO_PROXY.map((name) => env[name]?.trim()).find(Boolean);
  const settings: Settings = { 'https:': settingOf(FOR_SCHEME['https:'], env), 'http:': settingOf(FOR_SCHEME['http:'], env), direct: noProxyMatcher(noProxy ?? '') };
  memo = { raw, settings };
  return settings;
}

function settingOf(names: readonly string[], env: NodeJS.ProcessEnv): Setting {
  const variable = names.find((name) => (env[name] ?? '').trim() !== '');
  if (!variable) return undefined;
  try {
    return { proxy: parseProxy(variable, env[variable]!.trim()) };
  } catch (error) {
    return { error: error as HarnessError };
  }
}

/**
 * The proxy of a request to `target`, or undefined for a direct one (no variable for its scheme, a loopback host,
 * a NO_PROXY entry). A bad value for its scheme is HARNESS_USAGE naming the variable, even for a host NO_PROXY sends
 * direct: a run states its proxy settings as a whole, and `run` checks them before anything is sent. A loopback host
 * is the exception: no value can carry it anywhere, and `fixtures` (its own loopback emulator) must run whatever a
 * shell's proxy variables hold.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): ChosenProxy | undefined {
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return undefined;
  if (isLoopbackHostname(target.hostname)) return undefined;
  const settings = settingsOf(env);
  const setting = settings[target.protocol];
  if (setting && 'error' in setting) throw setting.error;
  if (!setting) return undefined;
  if (settings.direct(bare(target.hostname), Number(target.port || (target.protocol === 'https:' ? 443 : 80)))) return undefined;
  return setting.proxy;
}

/** Every proxy the environment names, for the run's redactor: their secrets are the run's, whichever host used them. */
export function proxySecrets(env: NodeJS.ProcessEnv = process.env): Secret[] {
  const settings = settingsOf(env);
  const proxies = [settings['https:'], settings['http:']].flatMap((s) => (s && 'proxy' in s ? [s.proxy] : []));
  return [...new Map(proxies.map((p) => [p.key, p])).values()].flatMap((p) => p.secrets);
}

/** `[::1]` -> `::1`, and a name without its trailing dot, lower-cased. */
function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * A URL's hostname on this machine (`[::1]`, `LOCALHOST.`, 127.0.0.0/8, `[::ffff:7f00:1]`): one rule for a request
 * sent direct (proxyFor) and a credential that never leaves the machine (cli/credential-domains.ts).
 */
export function isLoopbackHostname(hostname: string): boolean {
  return isLoopback(bare(hostname));
}

function isLoopback(host: string): boolean {
  const family = isIP(host);
  if (family) return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * `value` as a proxy (PROXY_FORMS), or HARNESS_USAGE naming `variable`. A refused value is never quoted: a typo
 * (`user:password:host:port`, a stray `@` or `/` in an unencoded password, quotes kept from an env file) can put the
 * password anywhere in it. The message shows the scheme and, only when the URL is whole (no path, query or fragment
 * a stray character made), its host and port.
 */
export function parseProxy(variable: string, value: string): ChosenProxy {
  const schemeWritten = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1]?.toLowerCase();
  // Shown only when it is a proxy scheme: any other word before `://` may be a credential pasted in.
  const schemeShown = schemeWritten && /^(https?|socks[45]?[ah]?)$/.test(schemeWritten) ? `; scheme ${schemeWritten}` : '';
  let url: URL | undefined;
  const refuse = (why: string, showHost = false) => {
    const port = /:(\d+)\/?$/.exec(value)?.[1];
    // The scheme as written only when it is a proxy's: another word before `://` may be a password pasted in. None
    // when none was written: the value is shown as the user wrote it.
    const scheme = !schemeWritten ? '' : url && schemeShown ? `${url.protocol}//` : 'SCHEME://';
    const host = showHost && url ? `${scheme}${url.username || url.password ? '***@' : ''}${url.hostname}${port ? `:${port}` : ''}` : undefined;
    const shown = host ? JSON.stringify(host) : `(its value not shown: it may hold a password${schemeShown})`;
    return new HarnessError('HARNESS_USAGE', `${variable}: ${shown} ${why}; give ${PROXY_FORMS}, or unset ${variable}`);
  };
  if (/["'`]/.test(value)) throw refuse('holds quote characters (kept from an env file?): write it without them');
  if (/\s/.test(value)) throw refuse('holds a space or a line break');
  const written = schemeWritten ? value : `http://${value}`;
  try {
    url = new URL(written);
  } catch {
    // A port the URL cannot take fails it whole: said as such when the value is a URL with any other port.
    const port = /:([^:@/\]]*)\/?$/.exec(value)?.[1];
    url = port === undefined || /[?#]/.test(value) ? undefined : urlOrNothing(written.replace(/:[^:@/\]]*(\/?)$/, ':1$1'));
    if (!url || (url.pathname !== '' && url.pathname !== '/')) throw refuse('is not a proxy URL');
    if (!PROXY_SCHEMES.includes(url.protocol)) throw refuse('names a scheme the harness cannot use as a proxy (not shown: it may be a password)');
    // A port is no secret, so its digits are shown; not a word (a password written without its @host reads as a
    // port), nor more than 5 digits (a PIN in the same place).
    if (!/^\d+$/.test(port!)) throw refuse('has a port that is not a number; write the port in digits, 1-65535');
    if (port!.length > 5) throw refuse(`has a port of ${port!.length} digits, out of range 1-65535`);
    throw refuse(`has port ${port}, out of range 1-65535`, true);
  }
  // `?` and `#` end the host (so does `/`): in a password they leave part of it where the host should be.
  if ((url.pathname !== '' && url.pathname !== '/') || /[?#]/.test(value)) throw refuse('has a path, query or fragment after the host (an unencoded / ? # in the password?)');
  const scheme = url.protocol;
  if (!PROXY_SCHEMES.includes(scheme)) throw refuse('names a scheme the harness cannot use as a proxy (not shown: it may be a password)', true);
  if (url.hostname === '') throw refuse('names no host');
  // A bare word (`Sup3rS3cretPW`, a password pasted alone) would be a host on port 80, looked up in the DNS.
  if (!schemeWritten && !/:\d+\/?$/.test(value)) throw refuse('has no scheme and no port: write host:port, or a URL with its scheme');
  if (url.port === '0' || /:0+\/?$/.test(value)) throw refuse('names port 0', true);
  const protocol = scheme === 'http:' || scheme === 'https:' ? scheme : 'socks5:';
  const port = url.port || (protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '1080');
  const address = `${protocol}//${url.hostname}:${port}`;
  const shown = `${url.hostname}:${port} (from ${variable})`;
  if (!url.username && !url.password) return { url: address, protocol, shown, variable, key: address, secrets: [] };
  let username: string;
  let password: string;
  try {
    username = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw refuse('holds a user or password that is not percent-encoded right', true);
  }
  // RFC 1929: a SOCKS5 login's user and password are each 1 to 255 bytes.
  if (protocol === 'socks5:' && (Buffer.byteLength(username) > 255 || Buffer.byteLength(password) > 255)) throw refuse('holds a user or password longer than the 255 bytes a SOCKS5 login allows', true);
  const token = Buffer.from(`${username}:${password}`).toString('base64');
  // With no password the user is the credential (an API key as the user, `http://KEY:@proxy`); a long one may be too.
  // With no password the user is the credential (a proxy that reads its API key as the user: `http://KEY:@proxy`),
  // whatever it looks like (a UUID, hex, words). Matched whole only (kind proxy-user, redactor.ts): any 12 of its
  // characters would be too many things (a service account's `mantle-conformance-ci` is in every request the harness
  // makes). A user within the harness's own name would redact the harness's words: not one.
  const userSecret = password === '' && !'mantle-conformance'.includes(username.toLowerCase()) ? [...new Set([username, url.username])].map((value) => ({ kind: 'proxy-user', value })) : [];
  const secrets: Secret[] = [...[...new Set([password, url.password, token])].filter(Boolean).map((value) => ({ kind: 'proxy-credential', value })), ...userSecret];
  return {
    url: address,
    protocol,
    shown,
    variable,
    key: `${address}\n${username}\n${password}`,
    credentials: { username, password },
    ...(protocol === 'socks5:' ? {} : { authorization: `Basic ${token}` }),
    secrets,
  };
}

const PROXY_SCHEMES = ['http:', 'https:', 'socks5:', 'socks:', 'socks5h:'];

function urlOrNothing(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * NO_PROXY as a test of a host and port: entries split on commas and spaces; `*` (everything); a name, which matches
 * itself and its subdomains, also written `.example.com` or `*.example.com`; an IP (IPv6 with or without brackets);
 * a CIDR block (`10.0.0.0/8`, `fd00::/8`); each but `*` and a block may end in `:port` (that port only). An entry
 * that is none of these matches nothing, as in curl and Go.
 */
function noProxyMatcher(value: string): (host: string, port: number) => boolean {
  const tests: ((host: string, port: number) => boolean)[] = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return () => true;
    const block = /^\[?([0-9A-Fa-f:.]+)\]?\/(\d{1,3})$/.exec(entry);
    if (block) {
      const [, address, prefix] = block as unknown as [string, string, string];
      const family = isIP(address);
      const list = new BlockList();
      try {
        list.addSubnet(address, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      } catch {
        continue;
      }
      if (family) tests.push((host) => isIP(host) === family && list.check(host, family === 6 ? 'ipv6' : 'ipv4'));
      continue;
    }
    // `[::1]:8080`, `10.0.0.1:8080`, `host:8080`; a bare IPv6 (`fd00::1`) has no port.
    const withPort = isIP(entry) === 6 ? undefined : /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
    const host = bare(withPort ? withPort[1]! : entry);
    const port = withPort ? Number(withPort[2]) : undefined;
    const samePort = (p: number) => port === undefined || p === port;
    if (isIP(host)) {
      const family = isIP(host) === 6 ? 'ipv6' : 'ipv4';
      const list = new BlockList();
      list.addAddress(host, family);
      tests.push((h, p) => samePort(p) && isIP(h) !== 0 && list.check(h, isIP(h) === 6 ? 'ipv6' : 'ipv4'));
      continue;
    }
    const name = host.replace(/^\*?\./, '');
    if (name) tests.push((h, p) => samePort(p) && (h === name || h.endsWith(`.${name}`)));
  }
  return (host, port) => tests.some((test) => test(host, port));
}
