/**
 * A replay whose route probe's recording (probe.responses.json) is deleted or garbled: every case of the API is not
 * sent (HARNESS_ROUTE_UNKNOWN: cannot choose a route ...: HARNESS_RECORDING_MISSING), and those cells had no
 * evidence, so the recording defect was read nowhere the gate looks (its codes lead no reason): they counted as
 * accepted errors under --max-errors and the replay read green. The probe's failed exchanges now lead the cells'
 * evidence with their codes, so each such cell gates, a check of several APIs too (`chat-completions: accepted ...;
 * responses: error: HARNESS_ROUTE_UNKNOWN ...`), in matrix.json, on the console and in junit.xml.
 */
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
/** Cells with no stated expectation (neither catalog nor reference): alone, they gated only past --max-errors. */
const CHECKS = 'service-tier.*,images.*,params.temperature';
const ROUTED = ['images.responses', 'images.seen.responses', 'service-tier.responses.flex', 'service-tier.responses.priority'];
const SEVERAL_APIS = 'params.temperature';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-probe-gate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function replayWith(name: string, spoil: (file: string) => Promise<void>): Promise<{ run: Awaited<ReturnType<typeof cli>>; matrix: Matrix; junit: string }> {
  const root = join(dir, name);
  const folder = join(root, 'emulator', MODEL);
  await cp(join(ROOT, 'fixtures', 'emulator', MODEL), folder, { recursive: true });
  await spoil(join(folder, 'probe.responses.json'));
  const reports = join(dir, `reports-${name}`);
  const run = await cli(['run', '--fixtures', root, '--models', MODEL, '--checks', CHECKS, '--max-errors', '5', '--report-dir', reports, '--plain']);
  const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
  return { run, matrix, junit: await readFile(join(reports, 'junit.xml'), 'utf8') };
}

function expectGated(matrix: Matrix, junit: string, code: string): void {
  const cells = matrix.results.filter((r) => r.model === MODEL && r.status === 'error');
  expect(cells.map((r) => r.check).sort()).toEqual([...ROUTED, SEVERAL_APIS].sort());
  for (const r of cells) {
    expect(r.expectedSource, r.check).toBeNull();
    expect(r.gating, r.check).toBe(true);
    // The code is carried by the probe's exchanges, labelled as the probe's: not read out of the reason.
    expect(r.evidence[0], r.check).toMatchObject({ case: 'probe.responses', error: code });
    expect(r.reason, r.check).toContain(`HARNESS_ROUTE_UNKNOWN: cannot choose a route for responses: ${code}`);
  }
  const several = cells.find((r) => r.check === SEVERAL_APIS)!;
  expect(several.reason).toMatch(/chat-completions: .*; responses: error: HARNESS_ROUTE_UNKNOWN/);
  expect(matrix.gate.verdict).toBe('fail');
  expect(matrix.gate.errors.unexpected).toBe(0);
  expect(junit).not.toContain('error, not gating');
  for (const check of [...ROUTED, SEVERAL_APIS]) expect(junit).toMatch(new RegExp(`name="${check.replace(/\./g, '\\.')}" time="0">\\n {6}<error message="recording (missing|unusable): gates whatever --max-errors allows`));
}

describe('a replay whose route probe recording is missing or unusable', () => {
  it('deleted: each cell of the API gates (exit 1), none an accepted error', async () => {
    const { run, matrix, junit } = await replayWith('deleted', (file) => unlink(file));
    expectGated(matrix, junit, 'HARNESS_RECORDING_MISSING');
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('gate: fail (exit 1): 5 replayed cell(s) whose recording is missing or cannot be used');
  }, 60_000);

  it('garbled (merge-conflict markers): the same, as unusable', async () => {
    const { run, matrix, junit } = await replayWith('garbled', async (file) => {
      const text = await readFile(file, 'utf8');
      await writeFile(file, `<<<<<<< HEAD\n${text}=======\n${text}>>>>>>> theirs\n`);
    });
    expectGated(matrix, junit, 'HARNESS_RECORDING_INVALID');
    expect(run.code, run.stdout).toBe(1);
  }, 60_000);

  it('intact: the same cells are observed, nothing gates (the premise)', async () => {
    const { run, matrix } = await replayWith('intact', async () => {});
    expect(run.code, run.stdout).toBe(0);
    const cells = matrix.results.filter((r: MatrixResult) => [...ROUTED, SEVERAL_APIS].includes(r.check));
    expect(cells).toHaveLength(ROUTED.length + 1);
    for (const r of cells) expect(r.status, r.check).not.toBe('error');
  }, 60_000);
});
