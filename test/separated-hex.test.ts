/**
 * Hex of a secret with something between the bytes, as byte dumps write it (Python's `bytes.hex(':')`, Wireshark,
 * `hexdump`, `xxd`, a C array), is redacted as plain hex is. A review stored `x-auth-bytes: 42:65:61:72:...` (the
 * whole `Bearer <key>`) in a fixture, and the scan before the write let it through. Separated hex that holds no
 * secret (a MAC address, a UUID) is left alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../src/transport/redactor.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { echoGateway, type EchoGateway } from './helpers/echo-gateway.ts';
import { allText, cli } from './helpers/harness.ts';

const KEY = 'sk-proj-Zq8T3xWv9LmN2bQ7yRk4HsPd6FgJc1Aa';
const redactor = new Redactor(() => [{ kind: 'api-key', value: KEY }]);
const pairs = (text: string) => Buffer.from(text).toString('hex').match(/../g)!;
/** The key's bytes, as each kind of dump writes them, joined back into plain digits by `undump`. */
const DUMPS: Record<string, (text: string) => string> = {
  'colons (bytes.hex(":"))': (t) => pairs(t).join(':'),
  spaces: (t) => pairs(t).join(' '),
  'upper case, dashes': (t) => pairs(t).join('-').toUpperCase(),
  '0x, commas': (t) => pairs(t).map((p) => `0x${p}`).join(','),
  '0x, comma and space': (t) => pairs(t).map((p) => `0x${p}`).join(', '),
  'groups of 4 (xxd)': (t) => Buffer.from(t).toString('hex').match(/.{1,4}/g)!.join(' '),
  'hexdump -C halves': (t) => pairs(t).map((p, i) => (i % 8 === 7 ? `${p} ` : p)).join(' '),
};
const undump = (text: string) => text.replace(/0x|[^0-9a-fA-F]/g, '').toLowerCase();

describe('hex of the key with separators', () => {
  it.each(Object.keys(DUMPS))('%s: whole, and 14 bytes of it cut from the middle, are redacted', (name) => {
    for (const echoed of [`Bearer ${KEY}`, KEY.slice(9, 23)]) {
      const dump = DUMPS[name]!(echoed);
      const redacted = redactor.text(`got [${dump}] end`).value;
      expect(redacted, dump).toMatch(/\[REDACTED:api-key\][^\]]*\] end$/);
      // What is left of the dump decodes to no 12 bytes of the key.
      const left = Buffer.from(undump(redacted.slice(5, redacted.indexOf('[REDACTED'))), 'hex').toString('latin1');
      expect(left.length < 12 || !KEY.includes(left.slice(-12)), left).toBe(true);
      expect(scanForSecrets(`got [${dump}] end`, [KEY]), dump).toEqual(['a credential this run is using']);
    }
  });

  it('leaves separated hex that is none of the key alone', () => {
    const text = 'mac aa:bb:cc:dd:ee:ff, uuid 123e4567-e89b-12d3-a456-426614174000, dump 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, bead fade deaf cafe';
    expect(redactor.text(text).value).toBe(text);
    expect(scanForSecrets(text, [KEY])).toEqual([]);
  });
});

describe('a record run against an endpoint that dumps the Authorization header it got', () => {
  let dir: string;
  let gateway: EchoGateway;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'separated-hex-'));
    // The review's endpoint (/tmp/r4/hx.mjs): `x-auth-bytes` is the header's bytes as colon-separated hex.
    gateway = await echoGateway((req) => ({ headers: { 'x-auth-bytes': pairs(req.headers.authorization ?? '').join(':') }, content: `OK ${pairs(req.headers.authorization ?? '').join(' ')}` }));
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores none of the key\'s bytes', async () => {
    const run = await cli(['run', '--mode', 'record', '--fixtures', join(dir, 'fx'), '--report-dir', join(dir, 'rep'), '--endpoint', url, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty', '--quiet'], { AWS_BEARER_TOKEN_BEDROCK: KEY });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const written = await allText(dir);
    const keyHex = Buffer.from(KEY.slice(8, 20)).toString('hex');
    expect(undump(written).includes(keyHex)).toBe(false);
    expect(written.includes('[REDACTED:api-key]')).toBe(true);
  }, 60_000);
});
