/**
 * A record run over a file at a case's path that this version cannot read as the case's fixture (its own recording
 * cut short, one holding a merge's conflict markers, someone's notes) keeps the file, records nothing for the case and
 * makes that the case's error, naming the file and the fix (move it away, or --overwrite-failures): the gate is not
 * green (exit 1), and nothing blames "another tool". With --overwrite-failures the file is replaced by a recording and
 * the gate passes. Hermetic: the emulator on 127.0.0.1 port 0, started and stopped here.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { isHarnessFixture } from '../src/transport/fixture-file.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CASE = 'answer.chat';

interface Run {
  results: { check: string; status: string; reason: string }[];
  gate: { verdict: string; problems: { kind: string; message: string }[] };
}

let dir: string;
let emulator: RunningEmulator;
let good: string;
const record = (fixtures: string, reports: string, extra: string[] = []) =>
  cli(['run', '--mode', 'record', '--auth', 'none', '--surface', 'mantle', '--endpoint', emulator.url, '--target-name', 'emu', '--models', MODEL, '--checks', 'models.listed,answer.non-empty', '--fixtures', fixtures, '--report-dir', join(dir, reports), '--plain', ...extra]);
const caseFile = (fixtures: string) => join(fixtures, 'emu', MODEL, `${CASE}.json`);
const matrixOf = async (reports: string) => JSON.parse(await readFile(join(dir, reports, 'matrix.json'), 'utf8')) as Run;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-unreadable-'));
  emulator = await catalogEmulator();
  good = join(dir, 'good');
  const made = await record(good, 'r-good');
  expect(made.code, made.stdout + made.stderr).toBe(0);
  expect(await isHarnessFixture(caseFile(good))).toBe(true);
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const damages: { name: string; damage: (text: string) => string }[] = [
  { name: 'cut short (the first 300 bytes)', damage: (text) => text.slice(0, 300) },
  { name: 'holding git conflict markers', damage: (text) => `<<<<<<< HEAD\n${text}=======\n${text}>>>>>>> theirs\n` },
  { name: "someone's notes", damage: () => '{"my":"hand-written notes, not a fixture"}\n' },
];

describe('a record run over a file at a case path that is not a readable fixture', () => {
  it.each(damages)('$name: kept, the case is an error naming the file and the fix, the gate fails', async ({ name, damage }) => {
    const fixtures = join(dir, name.replace(/\W+/g, '-'));
    await cp(good, fixtures, { recursive: true });
    const damaged = damage(await readFile(caseFile(good), 'utf8'));
    await writeFile(caseFile(fixtures), damaged);
    const reports = `r-${name.replace(/\W+/g, '-')}`;
    const run = await record(fixtures, reports);
    expect(await readFile(caseFile(fixtures), 'utf8')).toBe(damaged);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('another tool');
    const matrix = await matrixOf(reports);
    expect(matrix.gate.verdict).toBe('fail');
    const cell = matrix.results.find((r) => r.check === 'answer.non-empty')!;
    expect(cell.status).toBe('error');
    expect(cell.reason).toContain(`HARNESS_RECORDING_KEPT: not a fixture this version can read: ${caseFile(fixtures)}`);
    expect(cell.reason).toContain('damaged');
    expect(cell.reason).toContain('move it away and record again, or pass --overwrite-failures');
    const kept = matrix.gate.problems.filter((p) => p.kind === 'recording-kept');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.message).toMatch(/not a fixture this version can read \(damaged, or someone's/);
    expect(kept[0]!.message).not.toContain('endpoint failed');
  });

  it('with --overwrite-failures the damaged file is replaced by a recording and the gate passes', async () => {
    const fixtures = join(dir, 'overwrite');
    await cp(good, fixtures, { recursive: true });
    await writeFile(caseFile(fixtures), (await readFile(caseFile(good), 'utf8')).slice(0, 300));
    const run = await record(fixtures, 'r-overwrite', ['--overwrite-failures']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await isHarnessFixture(caseFile(fixtures))).toBe(true);
    expect((await matrixOf('r-overwrite')).results.find((r) => r.check === 'answer.non-empty')!.status).toBe('pass');
  });
});
