/**
 * Proxy values and what is said of a proxy: a value with a typo is refused without a byte of its password (no `@`
 * needed), a value a stray character or quote would turn into another host is refused before any lookup, a user
 * that is the credential (`http://KEY:@proxy`) is a secret, a proxy's failure reads as what the proxy did (no
 * SOCKS5 there, a nested TLS cause, an untrusted certificate first), `--models listed` and `catalog diff` keep the
 * proxy's diagnosis, `--header-env Proxy-Authorization` is refused, the breaker names the proxy, and a loopback run
 * is not stopped by a proxy variable it never uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { HarnessError } from '../src/errors.ts';
import { EndpointBreaker, endpointDownMessage, type TargetDown } from '../src/transport/endpoint-breaker.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { parseProxy, proxyFor } from '../src/transport/proxy.ts';
import { throughProxyFailure } from '../src/transport/proxy-failure.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { connectProxy } from './helpers/connect-proxy.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const SECRET = 'Sup3rS3cretPW';

/** The HARNESS_USAGE message parsing `value` as `variable` gives (fails the test if it is accepted). */
function refusal(value: string, variable = 'HTTPS_PROXY'): string {
  try {
    parseProxy(variable, value);
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_USAGE');
    return (error as HarnessError).message;
  }
  throw new Error(`${value} was accepted`);
}

describe('a proxy value that cannot be used', () => {
  it('is refused without any part of the password, with or without an @', () => {
    for (const value of [
      `corpuser:${SECRET}:proxy.corp:3128`,
      `alice:${SECRET}`,
      `http://alice:${SECRET} proxy.corp:3128`,
      `http://alice:${SECRET}#proxy.corp:3128`,
      `http://alice%3A${SECRET}%40proxy.corp:3128`,
      `http://alice:x@y/z${SECRET}@proxy.corp:3128`,
      `"http://alice:${SECRET}@127.0.0.1:3128"`,
      `'http://alice:${SECRET}@127.0.0.1:3128'`,
      SECRET,
      `${SECRET}://proxy.corp:3128/x`,
    ]) {
      const message = refusal(value);
      expect(message, value).toMatch(/^HTTPS_PROXY: /);
      expect(message.toLowerCase(), value).not.toContain(SECRET.toLowerCase());
      // Not even the piece a stray / cut off, nor the host a stray @ made of the password's start.
      expect(message, value).not.toContain('zSup3r');
      expect(message, value).not.toMatch(/\by:80\b|"y"/);
      expect(message, value).toContain('percent-encode : @ / ? # in them');
    }
  });

  it('refuses a path, query, fragment, port 0, quotes, whitespace and a bare word; takes host:port and a trailing /', () => {
    expect(refusal('http://px.test:8080/some/path')).toContain('has a path, query or fragment');
    expect(refusal('http://px.test:8080?q=1')).toContain('has a path, query or fragment');
    expect(refusal('http://px.test:8080#f')).toContain('has a path, query or fragment');
    expect(refusal('http://px.test:0')).toContain('"http://px.test:0" names port 0');
    expect(refusal('"http://px.test:8080"')).toContain('holds quote characters');
    expect(refusal('http://px.test:8080\n')).toContain('holds a space or a line break');
    expect(refusal('proxycorp')).toContain('has no scheme and no port: write host:port');
    expect(parseProxy('HTTPS_PROXY', 'proxy.corp:3128').url).toBe('http://proxy.corp:3128');
    expect(parseProxy('HTTPS_PROXY', 'http://proxy.corp:3128/').url).toBe('http://proxy.corp:3128');
    expect(parseProxy('HTTPS_PROXY', 'socks5h://proxy.corp').url).toBe('socks5://proxy.corp:1080');
  });

  it('refuses a SOCKS5 user or password over 255 bytes, which the SOCKS5 login cannot carry', () => {
    const message = refusal(`socks5://u:${'p'.repeat(256)}@proxy.corp:1080`);
    expect(message).toContain('"socks5://***@proxy.corp:1080" holds a user or password longer than the 255 bytes a SOCKS5 login allows');
    expect(parseProxy('HTTPS_PROXY', `socks5://u:${'p'.repeat(255)}@proxy.corp:1080`).credentials?.password).toHaveLength(255);
  });

  it('does not stop a loopback target: no value can carry it off the machine', () => {
    expect(proxyFor(new URL('http://127.0.0.1:4010'), { HTTP_PROXY: `ftp://x:${SECRET}@z` })).toBeUndefined();
    expect(() => proxyFor(new URL('http://api.example.com'), { HTTP_PROXY: `ftp://x:${SECRET}@z` })).toThrow(/HTTP_PROXY/);
  });
});

describe('a proxy user that is the credential', () => {
  const KEY = 'ZyteApiKey0123456789abcdef';

  it('is redacted, whole, when the password is empty, whatever it looks like; a user beside a password is a name', () => {
    // A key with no password is one, however it is spelled: mixed case, a UUID, hex words, digits with dashes.
    for (const key of [KEY, '3f2a9c1e-8b4d-4e7a-9c2f-1a2b3c4d5e6f', 'abcd-1234efgh5678ijkl', 'deadbeef-cafe-babe-face-feedfacecafe', '4821-9930-1177-2044']) {
      const proxy = parseProxy('HTTP_PROXY', `http://${key}:@proxy.corp:8011`);
      expect(new Redactor(() => proxy.secrets).text(`Access denied by proxy, user ${key}`).value, key).not.toContain(key);
    }
    // Whole only: a no-password user of words is redacted where it stands whole, not in the pieces of the harness's
    // own words that every request and fixture holds.
    const worded = parseProxy('HTTP_PROXY', 'http://mantle-conformance-ci:@proxy.corp:8011');
    const redactor = new Redactor(() => worded.secrets);
    expect(redactor.text('user mantle-conformance-ci denied').value).toBe('user [REDACTED:proxy-user] denied');
    expect(redactor.text('"format": "mantle-conformance.fixture/1", "model": "mantle-conformance.no-such-model"').value).not.toContain('REDACTED');
    // A user within the harness's own name would redact the harness's words: not a secret.
    expect(parseProxy('HTTP_PROXY', 'http://mantle-conformance:@proxy.corp:8011').secrets.map((s) => s.value)).not.toContain('mantle-conformance');
    // A user beside a password is a name, however long: a service account's name is no key.
    const named = parseProxy('HTTP_PROXY', 'http://mantle-conformance-ci:Zq9xWv7!Rt5p@proxy.corp:8011');
    expect(named.secrets.map((s) => s.value)).not.toContain('mantle-conformance-ci');
    expect(new Redactor(() => named.secrets).text('"format": "mantle-conformance.fixture/1", "model": "mantle-conformance.no-such-model"').value).not.toContain('REDACTED');
    expect(parseProxy('HTTP_PROXY', 'http://alice:pw-0123456789@proxy.corp:8011').secrets.map((s) => s.value)).not.toContain('alice');
  });
});

describe('what a proxy failure says', () => {
  const proxy = parseProxy('HTTP_PROXY', 'socks5://127.0.0.1:1080');
  const https = parseProxy('HTTPS_PROXY', 'https://proxy.corp:3128');
  const url = new URL('https://api.example.com/v1/models');
  const failure = (code: string, message: string, cause?: unknown) => Object.assign(new Error(message, cause ? { cause } : {}), { code });

  it('an HTTP proxy behind socks5:// does not speak SOCKS5: check the scheme', () => {
    const message = throughProxyFailure(failure('UND_ERR_SOCKS5_VERSION', 'Invalid SOCKS version: 72'), url, proxy, 'UND_ERR_SOCKS5_VERSION: Invalid SOCKS version: 72');
    expect(message).toContain('it does not speak SOCKS5');
    expect(message).toContain('check the scheme in HTTP_PROXY: http:// for an HTTP proxy');
    expect(message).not.toContain('ask for api.example.com to be allowed');
  });

  it("an https proxy's TLS failure carries its nested cause", () => {
    const cause = failure('UND_ERR_PRX_TLS', 'Secure Proxy Connection failed', failure('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"));
    expect(throughProxyFailure(cause, url, https, 'UND_ERR_PRX_TLS: Secure Proxy Connection failed')).toContain("(ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames)");
  });

  it('an untrusted certificate through a working proxy leads with the certificate, not "check that the proxy is up"', () => {
    const message = throughProxyFailure(failure('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), url, https, 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate');
    expect(message).toContain('a certificate on the way is not trusted; a TLS-inspecting proxy');
    expect(message).toContain('NODE_EXTRA_CA_CERTS');
    expect(message).not.toContain('check that the proxy is up');
  });
});

describe('the breaker, through a proxy', () => {
  it('names the proxy and says to check it; without one the message is as before', () => {
    expect(endpointDownMessage('t', 2, 3000, '127.0.0.1:3128 (from HTTP_PROXY)')).toBe(
      'not sent: t stopped answering through the proxy 127.0.0.1:3128 (from HTTP_PROXY): 2 requests in a row ended without an answer (timeouts, refused or reset connections), and nothing answered for 3.0 s; check the endpoint and the proxy too, raise --timeout for slow (reasoning) models or cold starts, or pass --give-up-after 0 to never stop',
    );
    expect(endpointDownMessage('t', 2, 3000)).not.toContain('proxy');
    const downs: TargetDown[] = [];
    let now = 0;
    const breaker = new EndpointBreaker({ limit: 1, silentMs: 10, onDown: (d) => downs.push(d), now: () => now, proxyOf: (t) => (t === 'p' ? 'px.corp:3128 (from HTTPS_PROXY)' : undefined) });
    const silent = { step: 's', prefix: '/v1', request: { method: 'GET', path: '/v1/models', headers: {} }, response: null, error: { code: 'HARNESS_TIMEOUT', message: 'x' }, durationMs: 1 } as Exchange;
    now = 100;
    breaker.settled('p', silent, false);
    expect(downs[0]!.message).toContain('p stopped answering through the proxy px.corp:3128 (from HTTPS_PROXY):');
  });
});

describe('a run behind a proxy', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emulator = await catalogEmulator();
    dir = await mkdtemp(join(tmpdir(), 'proxy-values-'));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });
  const madeUp = () => `http://mantle.internal.test:${new URL(emulator.url).port}`;
  const PASSWORD = 'right-password-0123';

  it('--models listed and catalog diff keep what the proxy said (407, its fix), exit 2, without the password', async () => {
    const proxy = await connectProxy({ login: { user: 'alice', password: PASSWORD } });
    try {
      const env = { HTTP_PROXY: `http://alice:wrong-password-42@127.0.0.1:${proxy.port}`, HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '' };
      const listed = await cli(['run', '--mode', 'live', '--models', 'listed', '--endpoint', madeUp(), '--auth', 'none', '--report-dir', join(dir, 'listed')], env);
      const diff = await cli(['catalog', 'diff', '--endpoint', madeUp(), '--auth', 'none'], env);
      for (const result of [listed, diff]) {
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`through the proxy 127.0.0.1:${proxy.port} (from HTTP_PROXY): the proxy answered 407 (Proxy Authentication Required): it refused the user and password in HTTP_PROXY`);
        expect(result.stderr).not.toContain('wrong-password-42');
      }
      expect(listed.stderr).toContain('HARNESS_USAGE: --models listed: target');
      // Naming the models would meet the same proxy next: the proxy comes first in the advice.
      expect(listed.stderr).toContain('; check the proxy first (every request goes through it); then name the models with --models');
    } finally {
      await proxy.close();
    }
  });

  it('--header-env Proxy-Authorization is refused: the proxy credentials go in the proxy variable', async () => {
    const result = await cli(['run', '--mode', 'live', '--endpoint', madeUp(), '--auth', 'none', '--header-env', 'Proxy-Authorization=PXAUTH', '--models', 'openai.gpt-oss-120b', '--report-dir', join(dir, 'pa')], { PXAUTH: 'Basic eDp5' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("HARNESS_USAGE: --header-env: Proxy-Authorization is the proxy's, not the endpoint's: the proxy's credentials go in the proxy variable (HTTPS_PROXY=http://user:password@host:port)");
  });

  it('a loopback endpoint runs whatever the proxy variables hold (fixtures records its own emulator so)', async () => {
    const result = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--auth', 'none', '--models', 'openai.gpt-oss-120b', '--checks', 'api.chat-completions', '--report-dir', join(dir, 'loop')], { HTTP_PROXY: `ftp://x:${SECRET}@z`, HTTPS_PROXY: `${SECRET}` });
    expect(result.stderr).not.toContain('HARNESS_USAGE');
    expect(result.code).toBe(0);
  });
});
