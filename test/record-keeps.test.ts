/**
 * A record run through a way that fails mid-run keeps what an earlier run observed: a 403 denial of the unknown
 * model where the recording had the endpoint's 404 (a WAF, an expired session deny every request alike) is kept,
 * and a target folder recorded on one surface is never written on another (replay labels a folder with one).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import type { Surface } from '../src/surfaces.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath, readFixture } from '../src/transport/fixture-file.ts';
import { otherSurfaceIn } from '../src/transport/recorded-surface.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { cli } from './helpers/harness.ts';

const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"model":"mantle-conformance.no-such-model","messages":[]}' };
const answer = (status: number, body: string): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 5, attempts: 1 });
const NOT_FOUND = answer(404, '{"error":{"message":"The model `mantle-conformance.no-such-model` does not exist","type":"invalid_request_error","code":"model_not_found"}}');
const FORBIDDEN = answer(403, '{"message":"Forbidden"}');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-keeps-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const record = (options: { overwriteFailures?: boolean; surface?: Surface; target?: string } = {}) =>
  new RecordTarget(
    { ...inner, id: options.target ?? 'unit' },
    { fixturesDir: dir, overwriteFailures: options.overwriteFailures ?? false, provenance: { source: 'live', target: options.target ?? 'unit', endpointHost: 'h', region: null, harnessVersion: 't', ...(options.surface ? { surface: options.surface } : {}) } },
    () => [],
  );

describe('a 403 denial of another model over a recording that had the endpoint\'s answer', () => {
  it('keeps the recording, naming the earlier status; --overwrite-failures records the denial', async () => {
    const file = fixturePath(dir, 'unit', 'm', 'errors.unknown-model');
    await record().caseFinished('m', 'errors.unknown-model', [NOT_FOUND]);
    const good = await readFile(file, 'utf8');
    const target = record();
    const error = await target.caseFinished('m', 'errors.unknown-model', [FORBIDDEN]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('HARNESS_RECORDING_KEPT');
    expect((error as HarnessError).message).toMatch(/^POST \/v1\/chat\/completions answered 403 \(Forbidden\) for another model, where the earlier recording had 404: .*credentials'.*; kept the previous recording .*errors\.unknown-model\.json \(record again later, or pass --overwrite-failures to record it\)$/);
    expect(target.kept).toEqual([file]);
    expect(await readFile(file, 'utf8')).toBe(good);
    await record({ overwriteFailures: true }).caseFinished('m', 'errors.unknown-model', [FORBIDDEN]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(403);
  });

  it('still records a 404 over a 403, and a 403 where nothing was recorded', async () => {
    const file = fixturePath(dir, 'unit', 'n', 'errors.unknown-model');
    await record().caseFinished('n', 'errors.unknown-model', [FORBIDDEN]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(403);
    await record().caseFinished('n', 'errors.unknown-model', [NOT_FOUND]);
    expect((await readFixture(file))!.exchanges[0]!.response!.status).toBe(404);
  });
});

describe('a record run into a target folder recorded on another surface', () => {
  it('refuses to write, naming both surfaces and --target-name; the same surface writes as always', async () => {
    await record({ target: 'us-east-1', surface: 'custom' }).caseFinished('xai.grok-4.3', 'probe.chat', [NOT_FOUND]);
    const mantle = record({ target: 'us-east-1', surface: 'mantle' });
    const error = await mantle.caseFinished('google.gemma-4-31b', 'probe.chat', [NOT_FOUND]).catch((e: unknown) => e);
    expect((error as HarnessError).code).toBe('HARNESS_WRITE_FAILED');
    expect((error as HarnessError).message).toMatch(/^refusing to write .*google\.gemma-4-31b\/probe\.chat\.json: the fixtures of target us-east-1 were recorded on custom \(.*xai\.grok-4\.3\/probe\.chat\.json\), and this run records mantle: .*--target-name/);
    expect(await readFixture(fixturePath(dir, 'us-east-1', 'google.gemma-4-31b', 'probe.chat'))).toBeNull();
    await record({ target: 'us-east-1', surface: 'custom' }).caseFinished('google.gemma-4-31b', 'probe.chat', [NOT_FOUND]);
    expect((await readFixture(fixturePath(dir, 'us-east-1', 'google.gemma-4-31b', 'probe.chat')))!.provenance.surface).toBe('custom');
  });

  it('reads past a file of the folder that is no recording (not JSON, null): no crash, and it names no surface', async () => {
    for (const [model, text] of [['aaa.broken', 'not json'], ['aab.null', 'null']] as const) {
      await mkdir(join(dir, 'odd', model), { recursive: true });
      await writeFile(join(dir, 'odd', model, 'a.json'), text);
    }
    await expect(otherSurfaceIn(dir, 'odd', { surface: 'mantle' })).resolves.toBeUndefined();
    // A note that sorts first does not hide the recordings behind it.
    await writeFile(join(dir, 'odd', 'aaa.broken', 'b.json'), JSON.stringify({ provenance: { surface: 'custom' } }));
    await expect(otherSurfaceIn(dir, 'odd', { surface: 'mantle' })).resolves.toMatchObject({ said: { surface: 'custom' } });
  });

  it('is exit 2 before anything is recorded, from the command line', async () => {
    const run = await cli(['run', '--mode', 'record', '--endpoint', 'http://127.0.0.1:9', '--surface', 'mantle', '--target-name', 'us-east-1', '--auth', 'none', '--models', 'google.gemma-4-31b', '--fixtures', dir, '--report-dir', join(dir, 'reports'), '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--fixtures: the fixtures of target us-east-1 were recorded on custom .*Nothing was recorded\./);
  });
});
