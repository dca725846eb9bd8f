/**
 * A secret echoed base64- or hex-encoded and cut short, or encoded from inside a longer text (`Basic
 * base64("apikey:" + key)` cut at 48 characters, a request id that is hex of the key's first 20 bytes, a model id
 * `gw-` + base64 of part of the key): any 12 bytes of the run's own value in a row, at any of the 3 byte alignments,
 * either base64 alphabet, hex in either case, is redacted and found by the scan before a fixture is written. Ordinary
 * base64 (random bytes, the key's public start alone) is left alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../src/transport/redactor.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { echoGateway, type EchoGateway } from './helpers/echo-gateway.ts';
import { allText, cli } from './helpers/harness.ts';

const KEY = 'sk-proj-Zq8T3xWv9LmN2bQ7yRk4HsPd6FgJc1Aa';
const OWN = ['a credential this run is using'];
const b64 = (text: string) => Buffer.from(text).toString('base64');
const hex = (text: string) => Buffer.from(text).toString('hex');
const redact = (text: string, value = KEY) => new Redactor(() => [{ kind: 'api-key', value }]).text(text);

/**
 * Whether some reading of `text` gives 12 characters of `value` in a row: every run of base64 characters decoded from
 * each of its first 4 offsets (either alphabet), every run of hex digits from either of its first 2.
 */
function leaks(text: string, value: string): boolean {
  const pieces = new Set<string>();
  for (let at = 0; at + 12 <= value.length; at++) pieces.add(value.slice(at, at + 12));
  const holds = (decoded: string) => [...pieces].some((piece) => decoded.includes(piece));
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{16,}/g)) for (let at = 0; at < 4; at++) if (holds(Buffer.from(run.slice(at), 'base64').toString('latin1'))) return true;
  for (const [run] of text.matchAll(/[0-9a-fA-F]{24,}/g)) for (let at = 0; at < 2; at++) if (holds(Buffer.from(run.slice(at).slice(0, (run.length - at) & ~1), 'hex').toString('latin1'))) return true;
  return holds(text);
}

describe('a secret echoed encoded and cut short', () => {
  it.each([
    ['Basic base64("apikey:" + key) cut at 48 characters', `Invalid credentials (Basic ${b64(`apikey:${KEY}`).slice(0, 48)}...)`],
    ['Basic base64("user:" + key) cut at 44 characters', `seen: Basic ${b64(`user:${KEY}`).slice(0, 44)}...`],
    ['a request id: hex of the key\'s first 20 bytes', `req-${hex(KEY.slice(0, 20))}`],
    ['a model id: gw- and base64 of the key cut at 40', `gw-${b64(KEY).slice(0, 40)}`],
    ['a model id: gw- and base64url of the key cut at 40', `gw-${Buffer.from(KEY).toString('base64url').slice(0, 40)}`],
    ['upper-case hex of the key\'s middle', `dump=${hex(KEY.slice(9, 30)).toUpperCase()};`],
    ['base64 of 14 bytes from the middle, JSON-escaped', JSON.stringify({ m: `k ${b64(KEY.slice(10, 24))}` })],
  ])('%s: redacted, and the scan before a fixture is written finds it', (_name, text) => {
    expect(leaks(text, KEY)).toBe(true);
    expect(scanForSecrets(text, [KEY])).toEqual(OWN);
    const { value, count } = redact(text);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(value).toContain('[REDACTED:api-key]');
    expect(leaks(value, KEY)).toBe(false);
    expect(scanForSecrets(value, [KEY])).toEqual([]);
  });

  it('any 14 bytes of the key in a row, behind any prefix (3 alignments), in either alphabet, padded or not', () => {
    for (let from = 0; from + 14 <= KEY.length; from += 3) {
      for (let prefix = 0; prefix < 3; prefix++) {
        for (const encoding of ['base64', 'base64url'] as const) {
          const echo = Buffer.from(`${'xyz'.slice(0, prefix)}${KEY.slice(from, from + 14)}`).toString(encoding);
          const text = `{"id":"${echo}","next":"ok"}`;
          const { value } = redact(text);
          expect(leaks(value, KEY), `${encoding} of key[${from}..${from + 14}) after ${prefix} bytes: ${value}`).toBe(false);
          expect(value).toMatch(/^\{"id":"[A-Za-z0-9+/_=-]*\[REDACTED:api-key\][A-Za-z0-9+/_=-]*","next":"ok"\}$/);
          expect(scanForSecrets(text, [KEY])).toEqual(OWN);
        }
      }
    }
  });

  it('a session token of 900 characters: a piece from its middle, base64 and hex', () => {
    const token = `IQoJb3JpZ2luX2Vj${randomBytes(660).toString('base64').slice(0, 884)}`;
    const redactor = new Redactor(() => [{ kind: 'aws-session-token', value: token }]);
    for (const text of [`x ${b64(`t=${token.slice(500, 530)}`)} y`, `x ${hex(token.slice(700, 716))} y`]) {
      const { value } = redactor.text(text);
      expect(value).toMatch(/^x \S*\[REDACTED:aws-session-token\]\S* y$/);
      expect(leaks(value, token)).toBe(false);
      expect(scanForSecrets(text, [token])).toEqual(OWN);
    }
  });

  it('leaves ordinary base64 and hex alone: random bytes, and the key\'s public start with another key', () => {
    const image = randomBytes(300_000).toString('base64');
    const other = 'sk-proj-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc';
    for (const text of [`{"b64_json":"${image}"}`, `{"id":"${b64(other)}","hash":"${hex(other)}","short":"${b64(KEY.slice(0, 11))}"}`]) {
      expect(redact(text)).toEqual({ value: text, count: 0 });
      expect(scanForSecrets(text, [KEY])).toEqual([]);
    }
  });
});

describe('a record run against an endpoint that echoes the key encoded and cut short', () => {
  let dir: string;
  let gateway: EchoGateway;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'encoded-echoes-'));
    // The review's endpoint: a request id of hex of the key's first 20 bytes, `Basic` of `user:key` cut at 44
    // characters in the answer, and a listed id `gw-` + base64 of the key cut at 40.
    gateway = await echoGateway((req) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return { headers: { 'x-request-id': `req-${hex(token).slice(0, 40)}` }, models: [`gw-${b64(token).slice(0, 40)}`], content: `OK (seen: Basic ${b64(`user:${token}`).slice(0, 44)}...)` };
    });
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores and prints none of it: fixtures, reports and console hold no 12 bytes of the key in any encoding', async () => {
    const fixtures = join(dir, 'fixtures');
    const reports = join(dir, 'reports');
    const result = await cli(['run', '--mode', 'record', '--fixtures', fixtures, '--report-dir', reports, '--endpoint', url, '--surface', 'custom', '--models', 'listed', '--checks', 'answer.non-empty', '--plain'], { AWS_BEARER_TOKEN_BEDROCK: KEY });
    expect(result.stderr).not.toContain('HARNESS_SECRET_IN_FIXTURE');
    const written = (await allText(fixtures)) + (await allText(reports));
    expect(written).toContain('[REDACTED:api-key]');
    for (const text of [written, result.stdout + result.stderr]) {
      expect(text).not.toContain(b64(`user:${KEY}`).slice(8, 44));
      expect(text).not.toContain(hex(KEY.slice(0, 20)).slice(16));
      expect(text).not.toContain(b64(KEY).slice(12, 40));
      expect(leaks(text, KEY)).toBe(false);
    }
  }, 60_000);
});
