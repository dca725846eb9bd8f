/**
 * A gateway that answers every request 402 Payment Required ("Insufficient credits", OpenRouter's way of saying the
 * account's credits ran out), or 200 with only its own status message in a shape of its own (FastAPI's
 * `{"detail":"Service temporarily unavailable"}`, `{"status":"error","message":"upstream connect error ..."}`),
 * said nothing about the model: read as answers, the route probes said "served" (path-prefix `both`, api.messages
 * `supported`), the checks failed the model, a record run replaced every good recording and bless wrote the outage's
 * values. Now a 402 is a spent budget (HARNESS_BUDGET_EXCEEDED) and such a 200 an outage (HARNESS_SERVER_ERROR):
 * every cell `error`, the recordings kept byte for byte, nothing to bless. An answer whose content holds the same
 * words stays an answer.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { BudgetRefusalsTarget } from '../src/run/budget-refusals.ts';
import { classifyResponse } from '../src/transport/classify-response.ts';
import type { Exchange, ExchangeRequest, ExchangeResponse } from '../src/transport/exchange.ts';
import { isRetryable } from '../src/transport/retrying-target.ts';
import { standInAnswer } from '../src/transport/stand-in-answer.ts';
import type { Target } from '../src/transport/target.ts';
import { startEmulatorProxy, type EmulatorProxy } from './helpers/emulator-proxy.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

/** OpenRouter's answer when the credits run out (the reviewer's mimic, verbatim). */
const CREDITS = JSON.stringify({ error: { message: 'Insufficient credits. Add more using https://x/credits', code: 402 } });
const DETAIL = JSON.stringify({ detail: 'Service temporarily unavailable' });
const STATUS = JSON.stringify({ status: 'error', message: 'upstream connect error or disconnect/reset before headers' });

const ask = (path = '/v1/chat/completions', body: Record<string, unknown> = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }): ExchangeRequest => ({ method: 'POST', path, headers: {}, body: JSON.stringify(body) });
const response = (status: number, body: string): ExchangeResponse => ({ status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] });
const answered = (status: number, body: string): Exchange => ({ step: 'main', prefix: '/v1', request: ask(), response: response(status, body), error: null, durationMs: 1, attempts: 1 });

describe('a 402 Payment Required', () => {
  it('is a spent budget whatever its body says (never a rejection judged, never retried)', () => {
    for (const body of [CREDITS, '', 'Payment Required', JSON.stringify({ error: { message: 'This request requires more credits', type: 'invalid_request_error' } })]) {
      expect(classifyResponse(402, body).kind, body).toBe('budget-exceeded');
      expect(isRetryable(answered(402, body)), body).toBe(false);
    }
  });

  it("is its request's HARNESS_BUDGET_EXCEEDED, saying it is the key's or the account's credit", async () => {
    const told: string[] = [];
    const inner: Target = { id: 'gw', mode: 'live', send: async () => answered(402, CREDITS), caseFinished: async () => {}, close: async () => {} };
    const target = new BudgetRefusalsTarget(inner, { redact: (t) => t, onRefused: (m) => told.push(m) });
    const seen = await target.send(ask(), { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(seen.error?.code).toBe('HARNESS_BUDGET_EXCEEDED');
    expect(seen.error?.message).toContain('POST /v1/chat/completions answered 402: the credit or spend budget of the key or its account (402 Payment Required) is spent on the gateway (Insufficient credits. Add more using https://x/credits)');
    expect(told).toHaveLength(1);
  });
});

describe("a 2xx whose whole body is a gateway's status message", () => {
  it('is an outage (HARNESS_SERVER_ERROR, retried as one), with or without "error" in it', () => {
    for (const body of [DETAIL, STATUS, JSON.stringify({ statusCode: 503, message: 'Down' }), JSON.stringify({ detail: 'Insufficient credits' }), JSON.stringify({ status: 'UNAVAILABLE', message: 'try later' }), JSON.stringify({ detail: 'The service is under maintenance' })]) {
      const error = standInAnswer(ask(), response(200, body));
      expect(error?.code, body).toBe('HARNESS_SERVER_ERROR');
      expect(error?.message, body).toMatch(/^the endpoint answered 200 with a gateway's message and no completion \(/);
    }
    expect(standInAnswer(ask(), response(200, DETAIL))?.message).toContain('(Service temporarily unavailable)');
  });

  it('an answer whose content says the same words, or a status message that says no failure, stays an answer', () => {
    const words = 'Service temporarily unavailable: upstream connect error or disconnect/reset before headers';
    const answers = [
      { id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: words }, finish_reason: 'stop' }] },
      { id: 'r1', object: 'response', status: 'completed', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: words }] }] },
      { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: words }], stop_reason: 'end_turn' },
      // A status message carrying an answer's member is no status message alone.
      { detail: words, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] },
      { input_tokens: 12 },
      { status: 'ok' },
      { status: 'error', message: 'Invalid value for temperature' },
    ];
    for (const answer of answers) expect(standInAnswer(ask(), response(200, JSON.stringify(answer))), JSON.stringify(answer)).toBeUndefined();
  });
});

let emulator: RunningEmulator;
let proxy: EmulatorProxy;
let dir: string;
/** What the gateway in front of the emulator answers every request with; undefined: the emulator's answer. */
let outage: { status: number; body: string } | undefined;

beforeAll(async () => {
  emulator = await catalogEmulator();
  proxy = await startEmulatorProxy(emulator.url, {
    intercept: (_request, res: ServerResponse) => {
      if (!outage) return false;
      res.writeHead(outage.status, { 'content-type': 'application/json' }).end(outage.body);
      return true;
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'mantle-gateway-status-'));
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every file below `root` and its bytes. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(root.length), await readFile(join(entry.parentPath, entry.name), 'base64'));
  }
  return files;
}

interface Cell {
  check: string;
  status: string;
  observed: unknown;
  reason: string;
}

const record = (fixtures: string, reports: string) =>
  cli(['run', '--mode', 'record', '--endpoint', proxy.url, '--surface', 'mantle', '--auth', 'none', '--target-name', 'site', '--models', 'openai.gpt-oss-20b', '--fixtures', fixtures, '--report-dir', reports, '--retries', '0', '--plain']);

describe('a record run over good recordings, answered by the outage', () => {
  it('keeps every recording byte for byte, observes nothing (every cell error, no fail, no route "served"), and bless writes nothing', async () => {
    const good = join(dir, 'good');
    outage = undefined;
    const first = await record(good, join(dir, 'r-good'));
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const before = await snapshot(good);
    expect(before.size).toBeGreaterThan(40);

    for (const [name, answer] of [['402', { status: 402, body: CREDITS }], ['detail', { status: 200, body: DETAIL }], ['status', { status: 200, body: STATUS }]] as const) {
      const fixtures = join(dir, `fx-${name}`);
      await cp(good, fixtures, { recursive: true });
      outage = answer;
      const reports = join(dir, `r-${name}`);
      const run = await record(fixtures, reports);
      outage = undefined;
      expect(run.code, `${name}: ${run.stderr}`).toBe(1);
      expect(await snapshot(fixtures), name).toEqual(before);
      const cells = (JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as { results: Cell[] }).results;
      expect(cells.filter((c) => c.status !== 'error').map((c) => `${c.check} ${c.status} ${JSON.stringify(c.observed)}`), name).toEqual([]);
      const code = name === '402' ? 'HARNESS_BUDGET_EXCEEDED' : 'HARNESS_SERVER_ERROR';
      for (const probe of ['path-prefix', 'api.chat-completions', 'api.messages', 'api.count-tokens']) {
        expect(cells.find((c) => c.check === probe)?.reason, `${name} ${probe}`).toContain(code);
      }
      expect(run.stdout, name).toMatch(/HARNESS_RECORDING_KEPT/);

      const expectations = join(dir, `expectations-${name}.yaml`);
      await cp(join(ROOT, 'suites/expectations.yaml'), expectations);
      const bless = await cli(['bless', join(reports, 'matrix.json'), '--expectations', expectations]);
      expect(bless.code, bless.stderr).toBe(0);
      expect(bless.stdout + bless.stderr, name).not.toMatch(/blessed \d+ value/);
      expect(await readFile(expectations, 'utf8'), name).toBe(await readFile(join(ROOT, 'suites/expectations.yaml'), 'utf8'));
    }
  }, 120_000);
});
