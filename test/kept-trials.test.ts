/**
 * Recordings kept for holding more trials than a record run made (third review): a 3-trial recording of a case no
 * check reads per trial any more (a suite edit, a harness upgrade) was kept on every record run, failing the gate
 * with "run with --repeat 3" when the run had --repeat 3, and only a hand delete got out; and the gate's line cut
 * each why at 160 characters just before its fix, as the why spent them on the path its entry had just named.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessError } from '../src/errors.ts';
import type { RunningEmulator } from '../src/emulator/server.ts';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { fixturePath } from '../src/transport/fixture-file.ts';
import { RecordTarget } from '../src/transport/record-target.ts';
import type { Target } from '../src/transport/target.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';

const request: ExchangeRequest = { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"model":"m","messages":[]}' };
const answer = (n: number): Exchange => ({ step: 'main', prefix: '/v1', request, response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: `{"n":${n}}` }] }, error: null, durationMs: 5, attempts: 1, ...(n > 1 ? { trial: n } : {}) });
const trialsOf = (text: string) => [...new Set((JSON.parse(text) as { exchanges: { trial?: number }[] }).exchanges.map((e) => e.trial ?? 1))].sort();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the record target replaces a recording of more trials when the case is not read per trial', () => {
  const inner: Target = { id: 'unit', mode: 'live', send: () => Promise.reject(new Error('not sent')), caseFinished: async () => {}, close: async () => {} };
  const record = () => new RecordTarget(inner, { fixturesDir: join(dir, 'unit'), provenance: { source: 'live', target: 'unit', endpointHost: 'h', region: null, harnessVersion: 't' } }, () => []);

  it('a case read per trial keeps it, the why leading with the counts and the fix; one that is not is replaced', async () => {
    const file = fixturePath(join(dir, 'unit'), 'unit', 'm', 'k');
    await record().caseFinished('m', 'k', [answer(1), answer(2), answer(3)]);
    const error = (await record().caseFinished('m', 'k', [answer(1)], undefined, { perTrial: true }).catch((e: unknown) => e)) as HarnessError;
    expect(error.code).toBe('HARNESS_RECORDING_KEPT');
    expect(error.message).toMatch(/^the recording holds 3 trial\(s\), this run made 1: run with --repeat 3 to replace it; /);
    expect(error.message).not.toContain('k.json');
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1, 2, 3]);
    await record().caseFinished('m', 'k', [answer(1)], undefined, { perTrial: false });
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1]);
  });
});

describe('end to end: record runs over a --repeat 3 recording', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await catalogEmulator();
  });
  afterAll(() => emulator.close());

  it('--repeat 1 names --repeat 3 on the console and in matrix.md; once no check reads the case per trial, --repeat 3 replaces it', async () => {
    const model = 'openai.gpt-oss-20b';
    const caseId = 'reasoning.chat-field';
    // A deep --fixtures path: the path no longer pushes the fix past the cut.
    const fixtures = join(dir, 'a-rather-long-folder-name-for-recordings', 'and-another-one-below-it', 'fx');
    const common = ['--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', model, '--fixtures', fixtures, '--target-name', 'emu', '--source', 'emulator', '--plain'];
    const first = await cli(['run', '--mode', 'record', ...common, '--repeat', '3', '--checks', caseId, '--report-dir', join(dir, 'r1')]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const file = fixturePath(fixtures, 'emu', model, caseId);
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1, 2, 3]);

    const fewer = await cli(['run', '--mode', 'record', ...common, '--repeat', '1', '--checks', caseId, '--report-dir', join(dir, 'r2')]);
    expect(fewer.code, fewer.stdout + fewer.stderr).toBe(1);
    expect(fewer.stdout).toMatch(/^gate: .*because it made fewer trials than their recordings hold: .*reasoning\.chat-field\.json \(the recording holds 3 trial\(s\), this run made 1: run with --repeat 3 to replace it; /m);
    expect(await readFile(join(dir, 'r2', 'matrix.md'), 'utf8')).toContain('run with --repeat 3 to replace it');

    // The suite's edit leaves the case to a check judged on one trial: a --repeat 3 run records it whole in one.
    const suites = join(dir, 'suites');
    await cp(join(ROOT, 'suites'), suites, { recursive: true });
    const suite = await readFile(join(suites, 'reasoning.suite.yaml'), 'utf8');
    const edited = suite.replace('    checks: [reasoning.chat-field]\n', '    checks: [created-at.chat]\n');
    expect(edited).not.toBe(suite);
    await writeFile(join(suites, 'reasoning.suite.yaml'), edited);
    const upgraded = await cli(['run', '--mode', 'record', ...common, '--suites', suites, '--repeat', '3', '--checks', 'created-at.chat', '--report-dir', join(dir, 'r3')]);
    expect(upgraded.code, upgraded.stdout + upgraded.stderr).toBe(0);
    expect(upgraded.stdout).not.toContain('HARNESS_RECORDING_KEPT');
    expect(trialsOf(await readFile(file, 'utf8'))).toEqual([1]);
  }, 180_000);
});
