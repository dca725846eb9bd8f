/**
 * A record run tells the gate of every case it kept unrecorded from the run itself (matrix.json
 * `targets[].recordingKept`), not only through the reasons of error cells: a fixture cut short that only schema.*
 * reads (a check that reads every case, and judged the others) used to leave the run green.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODEL = 'openai.gpt-oss-20b';

let dir: string;
let emulator: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-kept-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const record = (fixtures: string, reports: string) =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--surface', 'mantle', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--checks', 'schema.chat-completion', '--fixtures', fixtures, '--report-dir', join(dir, reports), '--plain', '--retries', '0']);

describe('a record run over a fixture cut short that only schema.* reads', () => {
  it('fails the gate, naming the kept case, and matrix.json lists it', async () => {
    const fixtures = join(dir, 'fx');
    const first = await record(fixtures, 'r1');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const file = join(fixtures, 'local', MODEL, 'params.logprobs.json');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 300));
    const again = await record(fixtures, 'r2');
    const out = again.stdout + again.stderr;
    expect(again.code, out).toBe(1);
    expect(out).toMatch(/gate: fail \(exit 1\):.*HARNESS_RECORDING_KEPT/);
    expect(out).toContain('params.logprobs.json');
    // Kept as it was: the run recorded nothing over it.
    expect((await stat(file)).size).toBe(300);
    const matrix = JSON.parse(await readFile(join(dir, 'r2', 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.targets[0]!.recordingKept).toMatchObject({ count: 1, cases: [{ model: MODEL, case: 'params.logprobs', why: expect.stringMatching(/^not a fixture this version can read: /) }] });
    expect(matrix.gate.problems.filter((p) => p.kind === 'recording-kept').map((p) => p.message).join('\n')).toContain('params.logprobs.json');
    // The schema cell names the case it could not read (its verdict on the other cases stands).
    expect(matrix.results.find((r) => r.check === 'schema.chat-completion')!.reason).toContain('not read: params.logprobs (HARNESS_RECORDING_KEPT)');
    // matrix.json with the field is read again (its schema holds the field), and that gate fails too.
    const report = await cli(['report', join(dir, 'r2', 'matrix.json'), '--report-dir', join(dir, 'r2-again')]);
    expect(report.code, report.stdout + report.stderr).toBe(1);
  }, 60_000);
});

describe("the gate's rule on targets[].recordingKept", () => {
  const kept = { count: 1, cases: [{ model: 'xai.grok-4.3', case: 'params.logprobs', file: 'fx/emulator/xai.grok-4.3/params.logprobs.json', why: 'not a fixture this version can read: ...' }] };
  const withKept = (m: Matrix): Matrix => finishMatrix({ ...m, targets: m.targets.map((t) => ({ ...t, recordingKept: kept })) });

  it('a kept case no error cell shows fails the gate', () => {
    const matrix = withKept(smallMatrix());
    expect(matrix.gate.verdict).toBe('fail');
    expect(matrix.gate.problems).toEqual([expect.objectContaining({ kind: 'recording-kept', message: expect.stringContaining('1 case(s) this record run kept unrecorded (HARNESS_RECORDING_KEPT) that no error cell shows') })]);
  });

  it('a kept case an error cell already shows is counted once, by that cell', () => {
    const shown = smallMatrix([{ model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'error', observed: null, reason: 'HARNESS_RECORDING_KEPT: not a fixture this version can read: fx/emulator/xai.grok-4.3/params.logprobs.json is no fixture' }]);
    const matrix = withKept(shown);
    expect(matrix.gate.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^1 error cell\(s\) \(HARNESS_RECORDING_KEPT\) not recorded/)]);
  });

  it('a merge of shards keeps every shard\'s kept cases', () => {
    // Each shard runs one model's cells; the other's are another shard's.
    const elsewhere = (model: string) => ['path-prefix', 'created-at.chat', 'defaults.temperature'].map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: 'not run: another shard', evidence: [], notRun: true as const }));
    const a = withKept(smallMatrix(elsewhere('qwen.qwen3-32b'), undefined, undefined, { shard: '1/2' }));
    const b = withKept(smallMatrix(elsewhere('xai.grok-4.3'), undefined, undefined, { shard: '2/2' }));
    const merged = mergeMatrices([a, b]);
    expect(merged.targets[0]!.recordingKept?.count).toBe(2);
    expect(merged.gate.problems.some((p) => p.kind === 'recording-kept')).toBe(true);
  });
});
