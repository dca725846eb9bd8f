/**
 * A value the expectations file states on a cell `skipped` because of what the endpoint answered (every probed route
 * served the model, so errors.wrong-route had no wrong-route answer to read) was never observed: it gates as not
 * observed, as an n/a cell does, in every report; a skip a filter, a shard or a stop caused stays informational.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { isGating } from '../src/report/build-matrix.ts';
import { coverageLine } from '../src/report/coverage.ts';
import { gateLine } from '../src/report/gate-line.ts';
import { renderJunit } from '../src/report/junit-report.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
let emulator: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-skipped-'));
  // A gateway that serves the model on both prefixes: no route answers it wrong.
  emulator = await catalogEmulator({ 'openai.gpt-oss-20b': { prefixes: ['/v1', '/openai/v1'] } });
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const STATED = 'expectations: our gateway answers wrong routes';
const SKIPPED = { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'skipped' as const, observed: null, expected: 'integer', reason: 'every probed route served the model; no wrong-route answer to read' };

describe('a skipped cell with a value the expectations file states', () => {
  it('gates when the endpoint\'s answers caused the skip, never when a filter, a shard or a stop did, nor against the catalog', () => {
    expect(isGating({ status: 'skipped', skippedByAnswer: true, expected: 'conformant', expectedSource: STATED })).toBe(true);
    expect(isGating({ status: 'skipped', skippedByAnswer: true, expected: 'conformant', expectedSource: 'expectations (us-west-2): x' })).toBe(true);
    expect(isGating({ status: 'skipped', expected: 'conformant', expectedSource: STATED })).toBe(false);
    expect(isGating({ status: 'skipped', skippedByAnswer: true, expected: 'conformant', expectedSource: 'catalog: mantle-md' })).toBe(false);
    expect(isGating({ status: 'skipped', skippedByAnswer: true, expected: 'conformant', expectedSource: 'openai-reference: x' })).toBe(false);
  });

  it('fails the gate and says "not observed" in its reason, the gate line, junit.xml and the coverage line', () => {
    const matrix = smallMatrix([{ ...SKIPPED, skippedByAnswer: true, expectedSource: STATED }]);
    expect(matrix.gate.verdict).toBe('fail');
    const cell = matrix.results.find((r) => r.model === SKIPPED.model && r.check === SKIPPED.check)!;
    expect(cell.gating).toBe(true);
    expect(cell.reason).toBe(`not observed: the expectations file states "integer", and the endpoint's answers left nothing to read (${SKIPPED.reason})`);
    expect(gateLine(matrix.gate)).toBe("fail (exit 1): 1 result(s) do not meet their stated expectation: 1 not observed (skipped: the endpoint's answers left nothing to read of what the expectations file states a value for)");
    expect(renderJunit(matrix)).toMatch(/<testcase classname="emulator\.xai\.grok-4\.3" name="created-at\.chat" time="0">\s*<error /);
    expect(coverageLine(matrix)).toContain('not observed: 1 skipped');
  });

  it('a skip the run caused (a stop, a cap, a filter: no skippedByAnswer, or notRun) stays informational', () => {
    const stopped = smallMatrix([{ ...SKIPPED, reason: 'not reached: interrupted', expectedSource: STATED }]);
    expect(stopped.gate.verdict).toBe('pass');
    expect(renderJunit(stopped)).toMatch(/name="created-at\.chat" time="0">\s*<skipped /);
    const filtered = smallMatrix([{ ...SKIPPED, reason: 'not run: filtered out (a model filter or -t) or in another shard', notRun: true, expectedSource: STATED }]);
    expect(filtered.gate.verdict).toBe('pass');
  });

  it('is not blessed', async () => {
    const input = join(dir, 'matrix.json');
    await writeFile(input, JSON.stringify(smallMatrix([{ ...SKIPPED, skippedByAnswer: true, expectedSource: STATED }])));
    const file = join(dir, 'expectations.yaml');
    const text = 'expectations: mantle\nmodels:\n  xai.grok-4.3:\n    created-at.chat: { observed: integer, reason: our gateway answers wrong routes }\n';
    await writeFile(file, text);
    const bless = await cli(['bless', input, '--expectations', file]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).toContain('but not every cell was observed');
    expect(bless.stdout).toContain("not blessed: 1 cell(s) the expectations file states a value for, skipped because the endpoint's answers left nothing to read");
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('a live run of a gateway serving the model on every prefix, with errors.wrong-route stated in the expectations file', () => {
  it('fails the gate (exit 1): the stated value was not observed; junit.xml has an <error>', async () => {
    const file = join(dir, 'wrong-route.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  openai.gpt-oss-20b:\n    errors.wrong-route: { observed: conformant, reason: our gateway answers wrong routes }\n');
    const reports = join(dir, 'r-live');
    const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'errors.wrong-route,api.chat-completions', '--expectations', file, '--retries', '0', '--report-dir', reports, '--plain']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain('not observed: the expectations file states "conformant"');
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const cell = matrix.results.find((r) => r.check === 'errors.wrong-route')!;
    expect(cell).toMatchObject({ status: 'skipped', skippedByAnswer: true, gating: true });
    expect(matrix.gate.gating).toEqual([expect.objectContaining({ check: 'errors.wrong-route', status: 'skipped' })]);
    expect(await readFile(join(reports, 'junit.xml'), 'utf8')).toMatch(/name="errors\.wrong-route" time="0">\s*<error /);
  });

  it('without the entry, the skip is informational (exit 0)', async () => {
    const reports = join(dir, 'r-plain');
    const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--models', 'openai.gpt-oss-20b', '--checks', 'errors.wrong-route,api.chat-completions', '--retries', '0', '--report-dir', reports, '--plain']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});
