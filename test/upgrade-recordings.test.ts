/**
 * Recordings an older mantle-conformance wrote, replayed or recorded into by this one: folders it named otherwise
 * are refused with the rename, a poll recorded with fewer attempts is never passed on another step's answer nor
 * counted as attempts never made, and a newer version's fixture is never called damaged nor replaced unasked.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { olderFolderName } from '../src/names.ts';
import { gateOf } from '../src/report/gate.ts';
import { FIXTURE_FORMAT, FIXTURE_FORMAT_1, fixturePath, parseFixture, writeFixture } from '../src/transport/fixture-file.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import { ReplayTarget } from '../src/transport/replay-target.ts';
import type { Target } from '../src/transport/target.ts';
import { checkModel, cli, ROOT } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'xai.grok-4.3';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upgrade-recordings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A copy of the bundled recordings of MODEL as target `name` of a new root, as old1 named its folders. */
async function recordedAs(root: string, folder: string): Promise<string> {
  const to = join(dir, root, folder, MODEL);
  await mkdir(to, { recursive: true });
  await cp(join(ROOT, 'fixtures', 'emulator', MODEL), to, { recursive: true });
  return join(dir, root);
}

describe('folders an older version named otherwise', () => {
  it('knows the raw spelling of a device name or a trailing dot, and nothing else', () => {
    expect(['aux', 'con', 'nul', 'com1', 'lpt1', 'x.', 'con.x'].map(olderFolderName)).toEqual(['aux', 'con', 'nul', 'com1', 'lpt1', 'x.', 'con.x']);
    expect(['_61ux', 'x_2E', 'emulator', 'deepseek.v3.1', 'AUX', '127.0.0.1_5F4010'].map(olderFolderName)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('a replay of a root holding `aux/` beside another target exits 2 naming the folder and the rename, before anything runs', async () => {
    const root = await recordedAs('mix', 'aux');
    await cp(join(root, 'aux'), join(root, 'other'), { recursive: true });
    const reports = join(dir, 'mix-reports');
    const all = await cli(['run', '--quiet', '--fixtures', root, '--models', MODEL, '--report-dir', reports]);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain(`${join(root, 'aux')} was written by an older mantle-conformance: rename ${join(root, 'aux')} to ${join(root, '_61ux')}`);
    expect(await readdir(reports).catch(() => [])).toEqual([]);
    const named = await cli(['run', '--quiet', '--fixtures', root, '--target-name', 'aux', '--models', MODEL, '--report-dir', reports]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`rename ${join(root, 'aux')} to ${join(root, '_61ux')}`);
  });

  it('a model folder named `con` by an older version is refused too, and so is a record run into an older folder', async () => {
    const root = await recordedAs('models', 'other');
    await mkdir(join(root, 'other', 'con'));
    const replay = await cli(['run', '--quiet', '--fixtures', root, '--models', MODEL, '--report-dir', join(dir, 'models-reports')]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain(`rename ${join(root, 'other', 'con')} to ${join(root, 'other', '_63on')}`);
    // Recording target aux would write `_61ux/` beside the older `aux/`: refused before anything is sent.
    const old = await recordedAs('rec', 'aux');
    const record = await cli(['run', '--mode', 'record', '--endpoint', 'http://127.0.0.1:9', '--target-name', 'aux', '--models', MODEL, '--fixtures', old, '--report-dir', join(dir, 'rec-reports')], { AWS_BEARER_TOKEN_BEDROCK: 'test-key-123' });
    expect(record.code).toBe(2);
    expect(record.stderr).toContain(`rename ${join(old, 'aux')} to ${join(old, '_61ux')}`);
    expect((await readdir(old)).sort()).toEqual(['aux']);
  });
});

describe('a poll recorded with fewer attempts than this version makes', () => {
  /** The bundled lifecycle recording with the first GET a 404 and the GET after DELETE as given (old1 behind a lagging store). */
  async function lagging(root: string, afterDelete: 'answered' | 'not-found'): Promise<string> {
    const base = await recordedAs(root, 't');
    const file = fixturePath(base, 't', MODEL, 'responses.lifecycle');
    const fixture = JSON.parse(await readFile(file, 'utf8')) as { exchanges: { step: string; response: unknown }[] };
    const step = (id: string) => fixture.exchanges.find((ex) => ex.step === id)!;
    const fetched = step('get').response;
    step('get').response = step('items').response;
    if (afterDelete === 'answered') step('get-after-delete').response = fetched;
    await writeFile(file, JSON.stringify(fixture, null, 2));
    return base;
  }

  it('never passes on the answer recorded for the GET after DELETE, and says the recording holds one attempt', async () => {
    const results = await checkModel(new ReplayTarget('t', await lagging('lag', 'answered')), MODEL, { checks: ['responses.retrieve', 'responses.delete'] });
    const retrieve = results.get('responses.retrieve')!;
    expect(retrieve.status).toBe('error');
    expect(retrieve.reason).toContain('holds 1 attempt(s) of it');
    expect(retrieve.reason).toContain('record the case again with --mode record to poll as this version does');
    expect(results.get('responses.delete')!.status).not.toBe('fail');
  });

  it('claims no attempts that were not recorded when both GETs answered 404', async () => {
    const results = await checkModel(new ReplayTarget('t', await lagging('404', 'not-found')), MODEL, { checks: ['responses.retrieve', 'responses.store-false'] });
    for (const id of ['responses.retrieve', 'responses.store-false']) {
      const result = results.get(id)!;
      expect(result.status).toBe('error');
      expect(result.reason).not.toMatch(/\(\d+ attempts\)|only at attempt/);
    }
  });

  it('answers a request from the recorded exchanges of its own step only', async () => {
    const request = { method: 'GET' as const, path: '/v1/responses/resp_1', headers: {} };
    const answer = (step: string, json: string): Exchange => ({ step, prefix: '/v1', request, response: { status: 200, headers: {}, chunks: [{ t: 0, data: json }] }, error: null, durationMs: 1, attempts: 1 });
    const provenance = { source: 'live' as const, target: 's', endpointHost: 'h', region: null, recordedAt: '2026-12-03T00:00:00.000Z', harnessVersion: '0.0.9' };
    await writeFixture(fixturePath(dir, 's', 'm', 'c'), { format: FIXTURE_FORMAT, model: 'm', case: 'c', provenance, exchanges: [answer('get', '{"n":1}'), answer('after', '{"n":2}')] }, []);
    const replay = new ReplayTarget('s', dir);
    const ask = (step: string) => replay.send(request, { model: 'm', caseId: 'c', step, prefix: '/v1' });
    expect((await ask('after')).response!.chunks[0]!.data).toBe('{"n":2}');
    const again = await ask('get');
    expect(again.response!.chunks[0]!.data).toBe('{"n":1}');
    const more = await ask('get');
    expect(more.response).toBeNull();
    expect(more.error).toMatchObject({ code: 'HARNESS_RECORDING_MISSING', message: expect.stringContaining('step get, request GET /v1/responses/resp_1, attempt 2') });
  });
});

describe('a fixture a newer version wrote', () => {
  it('the gate says a kept newer recording is no outage of the endpoint, and how to go on', () => {
    const matrix = smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_RECORDING_KEPT: this version cannot read fixtures/emulator/xai.grok-4.3/probe.chat.json (format "mantle-conformance.fixture/2": a newer mantle-conformance wrote it); kept it (upgrade ...)' }]);
    const messages = gateOf(matrix).problems.map((p) => p.message);
    expect(messages).toEqual(['1 error cell(s) (HARNESS_RECORDING_KEPT) kept recordings this version cannot read (a newer mantle-conformance\'s, or edited by hand) nor replaces unasked: upgrade mantle-conformance, or pass --overwrite-failures to replace them with this version\'s recordings']);
    expect(messages.join(' ')).not.toContain('endpoint failed');
  });

  const text = async () => readFile(join(ROOT, 'fixtures', 'emulator', MODEL, 'responses.lifecycle.json'), 'utf8');

  it('a newer format says so and to upgrade, never to delete it', async () => {
    const newer = (await text()).replace(FIXTURE_FORMAT_1, 'mantle-conformance.fixture/3');
    expect(() => parseFixture(newer, '/f/x.json')).toThrow(/^\/f\/x\.json was written by a newer mantle-conformance \(format "mantle-conformance\.fixture\/3"; this version reads mantle-conformance\.fixture\/2\): upgrade mantle-conformance/);
    expect(() => parseFixture(newer, '/f/x.json')).not.toThrow(/delete it/);
  });

  it('an error code this version does not know is named with its field, not "must be HARNESS_USAGE"', async () => {
    const fixture = JSON.parse(await text()) as { exchanges: { error: unknown }[] };
    fixture.exchanges[1]!.error = { code: 'HARNESS_NEW_THING', message: 'x' };
    const run = () => parseFixture(JSON.stringify(fixture), '/f/x.json');
    expect(run).toThrow('exchanges[1].error.code "HARNESS_NEW_THING" is not a code this version knows: written by a newer mantle-conformance, or edited by hand? upgrade mantle-conformance to replay it, or record the case again with this one (--mode record --overwrite-failures: a record run keeps it otherwise)');
    expect(run).not.toThrow(/HARNESS_USAGE|delete it/);
  });

  it('fixtures prune keeps a newer version\'s recording of a case these suites lack, and says whose it is', async () => {
    const root = join(dir, 'prune-newer');
    await mkdir(join(root, 'emulator', MODEL), { recursive: true });
    await writeFile(join(root, 'emulator', MODEL, 'responses.new-case.json'), (await text()).replace(FIXTURE_FORMAT_1, 'mantle-conformance.fixture/3').replace('"case": "responses.lifecycle"', '"case": "responses.new-case"'));
    const pruned = await cli(['fixtures', 'prune', '--fixtures', root]);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("kept 1 recording(s) this version cannot read (a newer mantle-conformance's, whose suites may have these cases, or edited by hand): this version neither reads nor removes them; delete one by hand if no newer version wrote it");
    expect(pruned.stdout).not.toContain('not made by the harness');
    await expect(readFile(join(root, 'emulator', MODEL, 'responses.new-case.json'), 'utf8')).resolves.toContain('fixture/3');
    // A format 1 file holding a code this version does not know is kept alike (a record run keeps it too).
    const unknown = JSON.parse((await text()).replace('"case": "responses.lifecycle"', '"case": "responses.other-new-case"')) as { exchanges: { error: unknown }[] };
    unknown.exchanges[1]!.error = { code: 'HARNESS_NEW_THING', message: 'x' };
    await writeFile(join(root, 'emulator', MODEL, 'responses.other-new-case.json'), JSON.stringify(unknown, null, 2));
    const again = await cli(['fixtures', 'prune', '--fixtures', root]);
    expect(again.stdout).toContain('kept 2 recording(s) this version cannot read');
    await expect(readFile(join(root, 'emulator', MODEL, 'responses.other-new-case.json'), 'utf8')).resolves.toContain('HARNESS_NEW_THING');
  });

  it('a record run keeps a newer version\'s recording unless --overwrite-failures', async () => {
    const file = fixturePath(dir, 'newer', MODEL, 'responses.lifecycle');
    await mkdir(join(dir, 'newer', MODEL), { recursive: true });
    const newer = (await text()).replace(FIXTURE_FORMAT_1, 'mantle-conformance.fixture/3');
    await writeFile(file, newer);
    const live: Target = { id: 'newer', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
    const provenance = { source: 'live' as const, target: 'newer', endpointHost: 'h', region: null, harnessVersion: 'v' };
    const exchanges = parseFixture(await text(), 'f.json').exchanges;
    await expect(new RecordTarget(live, { fixturesDir: dir, provenance }, () => []).caseFinished(MODEL, 'responses.lifecycle', exchanges)).rejects.toMatchObject({
      code: 'HARNESS_RECORDING_KEPT',
      message: expect.stringMatching(/^this version cannot read .*responses\.lifecycle\.json \(format "mantle-conformance\.fixture\/3": a newer mantle-conformance wrote it\); kept it/),
    });
    expect(await readFile(file, 'utf8')).toBe(newer);
    // A format 1 file holding a code this version does not know is a newer version's too: kept alike.
    const unknown = JSON.parse(await text()) as { exchanges: { error: unknown }[] };
    unknown.exchanges[1]!.error = { code: 'HARNESS_NEW_THING', message: 'x' };
    const unknownText = JSON.stringify(unknown, null, 2);
    await writeFile(file, unknownText);
    await expect(new RecordTarget(live, { fixturesDir: dir, provenance }, () => []).caseFinished(MODEL, 'responses.lifecycle', exchanges)).rejects.toMatchObject({
      code: 'HARNESS_RECORDING_KEPT',
      message: expect.stringContaining('(exchanges[1].error.code "HARNESS_NEW_THING" is not a code this version knows: a newer mantle-conformance may have written it, or a hand edit); kept it'),
    });
    expect(await readFile(file, 'utf8')).toBe(unknownText);
    await writeFile(file, newer);
    await new RecordTarget(live, { fixturesDir: dir, provenance, overwriteFailures: true }, () => []).caseFinished(MODEL, 'responses.lifecycle', exchanges);
    expect(await readFile(file, 'utf8')).toContain(`"format": "${FIXTURE_FORMAT_1}"`);
  });
});
