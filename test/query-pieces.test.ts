/**
 * A credential in the --endpoint query (`?api-key=`, `?code=`) is redacted as a header's is: whole, and any 12
 * characters of it in a row, plain or base64- or hex-encoded, cut short. A review recorded `?api-key=` echoed cut at
 * 24 characters, its base64 cut at 32 and its hex cut at 40 into every fixture and report, with the gate green. A
 * long value of a name that says nothing (matched only because it is not plain) is still matched whole only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../src/transport/redactor.ts';
import { secretsOfQuery } from '../src/transport/request-secrets.ts';
import { echoGateway, type EchoGateway } from './helpers/echo-gateway.ts';
import { allText, cli } from './helpers/harness.ts';

const KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const cutForms = (key: string) => ({ plain: key.slice(0, 24), base64: Buffer.from(key).toString('base64').slice(0, 32), hex: Buffer.from(key).toString('hex').slice(0, 40) });

describe('a query value named like a credential', () => {
  it.each(['api-key', 'code', 'sig'])('?%s= is redacted cut short, in base64 cut short and in hex cut short', (name) => {
    const redactor = new Redactor(() => secretsOfQuery(new URL(`http://h/?api-version=2024-10-21&${name}=${KEY}`)));
    for (const [form, echo] of Object.entries(cutForms(KEY))) {
      const redacted = redactor.text(`echo ${echo}... end`).value;
      expect(redacted, form).toBe('echo [REDACTED:query-credential]... end');
    }
  });

  it('a long value of another name is still matched whole only: 12 of its characters may be words an answer says', () => {
    const value = 'Quarterly-Report-Draft-Seven';
    const redactor = new Redactor(() => secretsOfQuery(new URL(`http://h/?title=${value}`)));
    expect(redactor.text(`the ${value} file`).value).toBe('the [REDACTED:query-credential] file');
    expect(redactor.text('the Quarterly-Report of May').value).toBe('the Quarterly-Report of May');
  });
});

describe('a record run whose endpoint echoes its ?api-key= cut short', () => {
  let dir: string;
  let gateway: EchoGateway;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'query-pieces-'));
    // The review's gateway (/tmp/r4/q.mjs): the key cut at 24 characters and base64 of it cut at 32 in every answer,
    // hex of it cut at 40 in the request id.
    gateway = await echoGateway((req) => {
      const cut = cutForms(new URL(req.url ?? '/', 'http://x').searchParams.get('api-key') ?? '');
      return { headers: { 'x-request-id': `req-${cut.hex}` }, content: `OK (key ${cut.plain}... b64 ${cut.base64})` };
    });
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes none of them into fixtures or reports', async () => {
    const run = await cli(['run', '--mode', 'record', '--auth', 'none', '--fixtures', join(dir, 'fx'), '--report-dir', join(dir, 'rep'), '--endpoint', `${url}?api-key=${KEY}`, '--surface', 'custom', '--models', 'gw-model', '--checks', 'answer.non-empty', '--quiet']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const written = await allText(dir);
    for (const [form, echo] of Object.entries(cutForms(KEY))) expect(written.includes(echo), form).toBe(false);
    expect(written.includes('[REDACTED:query-credential]')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(KEY.slice(0, 16));
  }, 60_000);
});
