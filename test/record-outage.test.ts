/**
 * Recording never makes things worse: a record run during an outage (429 or 500 to everything) leaves the
 * previous fixtures byte-identical, says so per cell, and exits non-zero, also for models with no stated
 * expectation; `--overwrite-failures` records the outage on purpose. A case with no fixture yet is recorded as it
 * went, and an answer that is the endpoint's (not an outage) replaces the old fixture as always.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Matrix } from '../src/report/matrix.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath, readFixture } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { allText, catalogEmulator, cli } from './helpers/harness.ts';

async function outageServer(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' });
    res.end(JSON.stringify({ error: { message: status === 429 ? 'Too many requests' : 'Internal server error', type: 'server_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('a record run during an outage', () => {
  let dir: string;
  let before: string;
  const MODELS = 'qwen.qwen3-32b,acme.outage-1';
  const common = (url: string, reports: string) => ['run', '--mode', 'record', '--endpoint', url, '--target-name', 'outage', '--auth', 'none', '--models', MODELS, '--fixtures', join(dir, 'fixtures'), '--report-dir', reports, '--retries', '0', '--plain'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outage-'));
    const emulator = await catalogEmulator({}, { unknownModels: 'generic' });
    try {
      const good = await cli(common(emulator.url, join(dir, 'good')));
      expect(good.code, good.stderr).toBe(0);
    } finally {
      await emulator.close();
    }
    before = await allText(join(dir, 'fixtures'));
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([429, 500])('answering %d to everything leaves every fixture byte-identical and exits non-zero', async (status) => {
    const outage = await outageServer(status);
    try {
      const reports = join(dir, `outage-${status}`);
      const summary = join(dir, `summary-${status}.md`);
      const run = await cli(common(outage.url, reports), { GITHUB_STEP_SUMMARY: summary });
      expect(run.code, run.stderr).toBe(1);
      expect(await allText(join(dir, 'fixtures'))).toBe(before);
      expect(run.stdout).toMatch(/gate: fail \(exit 1\): .*result\(s\) rest on previous recordings, kept because the endpoint failed/);
      expect(await readFile(summary, 'utf8')).toMatch(/\d+ result\(s\) rest on previous recordings, kept because the endpoint failed/);
      const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
      // The model with no stated expectation does not gate by itself: the run-level rule is what makes the exit 1.
      const unlisted = matrix.results.filter((r) => r.model === 'acme.outage-1');
      expect(unlisted.length).toBeGreaterThan(0);
      expect(unlisted.every((r) => !r.gating)).toBe(true);
      // The saved matrix says what the exit code says.
      expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail' });
      expect(matrix.gate.problems.map((p) => p.kind)).toContain('recording-kept');
      const kept = matrix.results.find((r) => r.model === 'acme.outage-1' && r.check === 'created-at.chat')!;
      expect(kept.status).toBe('error');
      expect(kept.reason).toContain('HARNESS_RECORDING_KEPT');
      expect(kept.reason).toContain(status === 429 ? 'HARNESS_THROTTLED' : 'HARNESS_SERVER_ERROR');
      expect(kept.reason).toMatch(/kept the previous recording .*probe\.chat\.json \(record again later, or pass --overwrite-failures to record the outage\)/);
    } finally {
      await outage.close();
    }
  }, 120_000);
});

/** A target that answers every request with the given exchange. */
function answering(make: (request: ExchangeRequest) => Exchange): Target {
  return { id: 'unit', mode: 'live', send: async (request) => make(request), caseFinished: async () => {}, close: async () => {} };
}

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' };
const ok = (): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"ok":true}' }] }, error: null, durationMs: 5, attempts: 1 });
const failed = (code: NonNullable<Exchange['error']>['code']): Exchange => ({ ...ok(), response: { status: 503, headers: {}, chunks: [] }, error: { code, message: 'the endpoint answered 503 on all 3 attempts' } });

describe('RecordTarget', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-unit-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const record = (overwriteFailures = false) =>
    new RecordTarget(answering(ok), { fixturesDir: dir, overwriteFailures, provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);

  it('records an outage when there is nothing to keep, so replay shows the same error', async () => {
    await record().caseFinished('m', 'first', [failed('HARNESS_SERVER_ERROR')]);
    expect((await readFixture(fixturePath(dir, 'unit', 'm', 'first')))!.exchanges[0]!.error!.code).toBe('HARNESS_SERVER_ERROR');
  });

  it('keeps the previous fixture on an outage, and replaces it with --overwrite-failures', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'kept');
    await record().caseFinished('m', 'kept', [ok()]);
    const good = await readFile(file, 'utf8');
    const target = record();
    const error = await target.caseFinished('m', 'kept', [ok(), failed('HARNESS_TIMEOUT')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^HARNESS_TIMEOUT: .*; kept the previous recording/);
    expect(target.kept).toEqual([file]);
    expect(await readFile(file, 'utf8')).toBe(good);
    await record(true).caseFinished('m', 'kept', [failed('HARNESS_THROTTLED')]);
    expect((await readFixture(file))!.exchanges[0]!.error!.code).toBe('HARNESS_THROTTLED');
  });

  it('replaces the previous fixture with the endpoint\'s own answer, even an error one', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'answer');
    await record().caseFinished('m', 'answer', [ok()]);
    await record().caseFinished('m', 'answer', [failed('HARNESS_BODY_TOO_LARGE')]);
    expect((await readFixture(file))!.exchanges[0]!.error!.code).toBe('HARNESS_BODY_TOO_LARGE');
  });
});
