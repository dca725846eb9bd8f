/**
 * A byte dump of a value the redactor matches whole only is redacted whole. A review (r7, finding 1) saw a SigV4
 * signature written as the bytes of the Authorization header's text (`53:69:67:...`, `53 69 67 ...`) stored in every
 * fixture (gate green) and printed on a 403, and the pre-write scan let even the unbroken hex of its text through; a
 * long query value of another name, a proxy user and a value of 8 to 11 characters leaked the same way. These stay
 * whole only: the hex of 12 of their characters is no find.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor, type Secret } from '../src/transport/redactor.ts';
import { secretsOfQuery } from '../src/transport/request-secrets.ts';
import { AddedInOrder } from '../src/transport/secret-pieces.ts';
import { scanForSecrets } from '../src/transport/secret-scan.ts';
import { allText, cli } from './helpers/harness.ts';

const hex = (text: string) => Buffer.from(text).toString('hex');
const pairs = (text: string) => hex(text).match(/../g)!;
const DUMPS: Record<string, (text: string) => string> = {
  unbroken: (t) => hex(t),
  colons: (t) => pairs(t).join(':'),
  spaces: (t) => pairs(t).join(' '),
  'upper case, dashes': (t) => pairs(t).join('-').toUpperCase(),
  '0x, comma and space': (t) => pairs(t).map((p) => `0x${p}`).join(', '),
  // Dumps over several lines, as tools write them (a review, r9: a line break ended the run).
  'od -An -tx1, 16 bytes a line': (t) => lines(pairs(t), 16).map((line) => ` ${line.join(' ')}`).join('\n'),
  'xxd -p, 30 bytes a line': (t) => lines(pairs(t), 30).map((line) => line.join('')).join('\n'),
  'xxd -i, 12 bytes a line, CRLF': (t) => lines(pairs(t), 12).map((line) => `  ${line.map((p) => `0x${p}`).join(', ')}`).join(',\r\n'),
  'tab separated, 8 a line': (t) => lines(pairs(t), 8).map((line) => line.join('\t')).join('\n'),
};
/** `items` cut into lines of `size`. */
function lines<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
/** The hex digits of a text in a row, lower-cased: what a reader joins a dump back into. */
const undump = (text: string) => text.replace(/0x|[^0-9a-fA-F]/g, '').toLowerCase();

const ACCESS_KEY = 'ASIAQWERTYUIOPASDFGH';
const signatures = new AddedInOrder();
for (let i = 0; i < 2_000; i++) signatures.add(randomBytes(32).toString('hex'));
/** One of the run's signatures from the middle of the set: not the last signed, which is also the secret's value. */
const SIGNATURE = [...signatures][1_000]!;
const sigv4: Secret[] = [
  { kind: 'aws-access-key-id', value: ACCESS_KEY },
  { kind: 'sigv4-signature', value: [...signatures].at(-1)!, hexValues: signatures },
];
const authorization = (signature: string) => `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20261206/us-east-1/bedrock-mantle/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`;

describe('a SigV4 signature dumped as the bytes of its text', () => {
  const redactor = new Redactor(() => sigv4);

  it.each(Object.keys(DUMPS))('%s: the dump of the Authorization header keeps no signature', (name) => {
    const dump = DUMPS[name]!(authorization(SIGNATURE));
    const redacted = redactor.text(`x-auth-bytes: ${dump} end`).value;
    expect(redacted).toContain('[REDACTED:sigv4-signature]');
    expect(undump(redacted)).not.toContain(hex(SIGNATURE));
    expect(undump(redacted)).not.toContain(hex(ACCESS_KEY));
  });

  it.each(Object.keys(DUMPS))('%s: the pre-write scan finds a dumped signature it is given', (name) => {
    expect(scanForSecrets(`signature bytes: ${DUMPS[name]!(SIGNATURE)} end`, [ACCESS_KEY, SIGNATURE])).toEqual(['a credential this run is using']);
  });

  it('finds one at the end of a 6 MB dump of hex text beside 2,000 signatures', () => {
    // Its cost (about 0.5 s on one core) is measured, not asserted: README, Secrets.
    const body = `${pairs(randomBytes(1_000_000).toString('hex')).join(' ')} ${pairs(SIGNATURE).join(' ')}`;
    const redacted = redactor.parts([body]).value.join('');
    expect(redacted.endsWith(' [REDACTED:sigv4-signature]')).toBe(true);
  }, 60_000);
});

describe('values matched whole only, dumped', () => {
  const QUERY = 'Xq9TzW4mLp2Rv8Kd7Hs3Jf6N';
  const SHORT = 'k7Qz9wXy2P';
  const PROXY_USER = 'gwproxyuser01';
  const cases: [string, Secret[], string, string][] = [
    ['a long query value of another name', secretsOfQuery(new URL(`http://127.0.0.1/?tenantblob=${QUERY}`)), QUERY, 'query-credential'],
    ['a --header-env value of 10 characters', [{ kind: 'header-env', value: SHORT }], SHORT, 'header-env'],
    ['a proxy user', [{ kind: 'proxy-user', value: PROXY_USER }], PROXY_USER, 'proxy-user'],
  ];

  it.each(cases)('%s is redacted in every dump', (_, secrets, value, kind) => {
    const redactor = new Redactor(() => secrets);
    for (const dump of Object.values(DUMPS)) {
      const redacted = redactor.text(`got ${dump(`x-gw: ${value}`)} end`).value;
      expect(redacted, dump(value)).toContain(`[REDACTED:${kind}]`);
      expect(undump(redacted)).not.toContain(hex(value));
    }
  });

  it('stays whole only: a dump of 12 characters of a long query value of another name is left alone', () => {
    const redactor = new Redactor(() => secretsOfQuery(new URL(`http://127.0.0.1/?tenantblob=${QUERY}`)));
    for (const dump of Object.values(DUMPS)) {
      const text = `got ${dump(QUERY.slice(0, 12))} end`;
      expect(redactor.text(text).value).toBe(text);
    }
  });

  it('the pre-write scan finds a dumped value of 8 to 11 characters', () => {
    for (const dump of Object.values(DUMPS)) expect(scanForSecrets(`got ${dump(SHORT)} end`, [SHORT]), dump(SHORT)).toEqual(['a credential this run is using']);
  });
});

describe('a --auth sigv4 run against an endpoint that dumps the Authorization header it got', () => {
  let dir: string;
  let server: Server;
  let url: string;
  /** The signatures the endpoint received. */
  const received: string[] = [];
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dumped-whole-'));
    // Credentials from these variables only: no profile or file of the machine's.
    env = { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEYz', AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEDUMPSESSION+abc/def0123456789==', AWS_PROFILE: '', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
    // The review's endpoints (/tmp/r7/sigdump.mjs, sig403.mjs): the header's bytes in a response header and the
    // answer's text; on /403/, a SignatureDoesNotMatch that dumps `Signature=<sig>`.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const auth = req.headers.authorization ?? '';
        const signature = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
        if (signature) received.push(signature);
        if (req.url?.startsWith('/403/')) {
          res.writeHead(403, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ message: `SignatureDoesNotMatch. Provided signature bytes: ${pairs(`Signature=${signature}`).join(' ')}.` }));
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-auth-bytes': pairs(auth).join(':') });
        if (req.url?.includes('/models')) return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gw-model', object: 'model' }] }));
        const model = (JSON.parse(body || '{}') as { model?: string }).model;
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: `OK ${pairs(auth).join(' ')}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    await rm(dir, { recursive: true, force: true });
  });

  it('records no signature: fixtures and reports hold none of those the endpoint got', async () => {
    const run = await cli(['run', '--mode', 'record', '--auth', 'sigv4', '--region', 'us-east-1', '--target-name', 'sigdump', '--fixtures', join(dir, 'fx'), '--report-dir', join(dir, 'rep'), '--endpoint', url, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty', '--quiet'], env);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(received.length).toBeGreaterThan(0);
    const written = undump(await allText(dir));
    expect(await allText(join(dir, 'fx'))).toContain('[REDACTED:sigv4-signature]');
    for (const signature of received) expect(written.includes(hex(signature)), signature).toBe(false);
    expect(written.includes(hex(ACCESS_KEY))).toBe(false);
  }, 60_000);

  it('prints no signature of a 403 that dumps it', async () => {
    received.length = 0;
    const run = await cli(['run', '--mode', 'live', '--auth', 'sigv4', '--region', 'us-east-1', '--report-dir', join(dir, 'rep-403'), '--endpoint', `${url}/403`, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HARNESS_AUTH_REJECTED');
    expect(run.stderr).toContain('Provided signature bytes: 53 69 67 6e 61 74 75 72 65 3d [REDACTED:sigv4-signature]');
    expect(received.length).toBeGreaterThan(0);
    for (const signature of received) expect(undump(run.stdout + run.stderr).includes(hex(signature)), signature).toBe(false);
  }, 60_000);
});
