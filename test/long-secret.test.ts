/**
 * A credential of 16,384 characters or more: V8 refuses a RegExp of its hex ("Regular expression too large"), which
 * crashed every request, and the crash printed the pattern, the whole key in hex. Now the run goes on and no form of
 * the key (as given, hex, base64) reaches stdout, stderr or a report; and an error the harness did not expect is
 * printed with the run's credentials replaced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalErrorText } from '../src/cli/internal-error.ts';
import { bearer } from '../src/transport/auth/bearer.ts';
import { redactorFor } from '../src/transport/http-exchange.ts';
import { Redactor } from '../src/transport/redactor.ts';
import { allText, cli } from './helpers/harness.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake key of 16,500 characters, letters and digits as the reviewer's (seeded, so a failure repeats). */
function longKey(length: number, seed: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = seed;
  let key = 'sk-gw-';
  while (key.length < length) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    key += chars[state % chars.length];
  }
  return key;
}
const KEY = longKey(16_500, 7);
/** Every form the key must not be seen in: as given, hex (either case), base64; and a piece of each from its middle. */
function leaks(text: string, key: string): string[] {
  const hex = Buffer.from(key).toString('hex');
  const base64 = Buffer.from(key).toString('base64');
  const forms = { plain: key, hex, HEX: hex.toUpperCase(), base64, plainPiece: key.slice(8000, 8040), hexPiece: hex.slice(16000, 16080), base64Piece: base64.slice(10000, 10040) };
  return Object.entries(forms).filter(([, form]) => text.includes(form)).map(([name]) => name);
}

let dir: string;
let server: Server;
let url: string;
let requests = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-long-secret-'));
  // An OpenAI-compatible server that takes headers this long (Node's default is 16 KiB) and echoes the Authorization
  // header it got, as given and in hex, as the reviewer's mimic did.
  server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    requests++;
    const sent = req.headers.authorization ?? '';
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-hex': Buffer.from(sent).toString('hex').slice(0, 4000) });
      if (req.url?.endsWith('/models')) return void res.end(JSON.stringify({ object: 'list', data: [{ id: 'gw-model', object: 'model' }] }));
      const content = `you sent ${sent} (hex ${Buffer.from(sent).toString('hex')})`;
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'gw-model', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe('a credential of 16,500 characters', () => {
  it('runs without a crash, and no form of it is printed or written', async () => {
    const reports = join(dir, 'reports');
    const run = await cli(['run', '--mode', 'live', '--endpoint', url, '--api-key-env', 'FX_LONG_KEY', '--models', 'gw-model', '--checks', 'api.*', '--report-dir', reports, '--plain'], { FX_LONG_KEY: KEY });
    expect(run.stderr).not.toContain('HARNESS_INTERNAL');
    expect(run.stderr).not.toContain('Regular expression too large');
    expect([0, 1]).toContain(run.code);
    expect(requests).toBeGreaterThan(1);
    expect(run.stdout).not.toContain('every answer 431');
    expect(leaks(run.stdout + run.stderr, KEY)).toEqual([]);
    expect(leaks(await allText(reports), KEY)).toEqual([]);
  });

  it('the redactor finds it, in any letter case and in hex, without a RegExp of it', () => {
    const redactor = new Redactor(() => [{ kind: 'api-key', value: KEY }]);
    const text = `a ${KEY} b ${KEY.toUpperCase()} c ${Buffer.from(KEY).toString('hex')} d`;
    const { value, count } = redactor.text(text);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(leaks(value, KEY)).toEqual([]);
    expect(value.startsWith('a [REDACTED:api-key] b [REDACTED:api-key] c ')).toBe(true);
  });

  it('an unexpected error that quotes the key is printed without it', () => {
    const key = longKey(16_500, 11);
    // A run's redactor knows its key (http-exchange.ts redactorFor): the printer uses the same.
    redactorFor(bearer(key));
    const error = new SyntaxError(`Invalid regular expression: /${Buffer.from(key).toString('hex')}/gi: Regular expression too large; key ${key}`);
    const printed = internalErrorText(error);
    expect(printed).toContain('SyntaxError: Invalid regular expression');
    expect(printed).toContain('[REDACTED:');
    expect(leaks(printed, key)).toEqual([]);
  });
});
