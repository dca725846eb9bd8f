/**
 * A fixture recorded with trials that lost one trial's exchanges (a hand edit, a bad merge) has no answer for that
 * trial: replay used to answer it from trial 1's exchanges, so the bundled flaky `reasoning.chat-field` of
 * gpt-oss-20b (trials 1 and 3 observe message.reasoning, trial 2 none) read as a pass of "3/3 trials observed", trial
 * 2's evidence carrying trial 1's request id. Such a fixture is HARNESS_RECORDING_MISSING naming the lost trial and
 * the fix, for every trial (the others alone are not what was recorded), and its cell gates. A fixture recorded
 * without trials still answers every trial from its one recording.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import type { ExchangeRequest } from '../src/transport/exchange.ts';
import { ReplayTarget } from '../src/transport/replay-target.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'openai.gpt-oss-20b';
const CHECK = 'reasoning.chat-field';
const FILE = `${CHECK}.json`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-lost-trial-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Stored = { exchanges: { trial?: number; step: string; request: { method: string; path: string; body?: unknown } }[] };

/** A copy of the bundled model folder with `edit` applied to the check's fixture. */
async function fixturesWith(name: string, edit: (fixture: Stored) => void): Promise<string> {
  const root = join(dir, name);
  const folder = join(root, 'emulator', MODEL);
  await cp(join(ROOT, 'fixtures', 'emulator', MODEL), folder, { recursive: true });
  const fixture = JSON.parse(await readFile(join(folder, FILE), 'utf8')) as Stored;
  edit(fixture);
  await writeFile(join(folder, FILE), JSON.stringify(fixture, null, 2));
  return root;
}

/** The first recorded request of the check's fixture, as a run builds it. */
async function firstRequest(fixtures: string): Promise<{ request: ExchangeRequest; step: string }> {
  const fixture = JSON.parse(await readFile(join(fixtures, 'emulator', MODEL, FILE), 'utf8')) as Stored;
  const first = fixture.exchanges[0]!;
  const body = first.request.body !== undefined ? { body: JSON.stringify(first.request.body) } : {};
  return { request: { method: first.request.method as ExchangeRequest['method'], path: first.request.path, headers: {}, ...body }, step: first.step };
}

describe('a fixture recorded with trials that lost one', () => {
  it('the bundled one holds three trials, trial 2 apart (the premise)', async () => {
    const fixture = JSON.parse(await readFile(join(ROOT, 'fixtures', 'emulator', MODEL, FILE), 'utf8')) as Stored;
    expect([...new Set(fixture.exchanges.map((ex) => ex.trial ?? 1))].sort()).toEqual([1, 2, 3]);
  });

  it('replays the lost trial as HARNESS_RECORDING_MISSING naming it, never trial 1 again; the cell gates', async () => {
    const fixtures = await fixturesWith('lost-2', (f) => {
      f.exchanges = f.exchanges.filter((ex) => ex.trial !== 2);
    });
    const reports = join(dir, 'reports-lost-2');
    const run = await cli(['run', '--fixtures', fixtures, '--models', MODEL, '--checks', CHECK, '--report-dir', reports, '--plain']);
    const matrix = JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix;
    const cell = matrix.results.find((r) => r.model === MODEL && r.check === CHECK)!;
    expect(cell.status).toBe('error');
    expect(cell.reason).not.toContain('trials observed');
    // It gates: on its catalog claim, as any error of a claimed cell does (a recording defect gates without one too).
    expect(cell.gating).toBe(true);
    expect(cell.reason).toMatch(/^HARNESS_RECORDING_MISSING: .*case reasoning\.chat-field, trial 2: .*was recorded with 3 trials and holds none of trial 2/);
    expect(cell.reason).toContain('record the case again with --mode record --repeat 3');
    expect(cell.evidence.length).toBeGreaterThan(0);
    for (const e of cell.evidence) {
      expect(e.error).toBe('HARNESS_RECORDING_MISSING');
      expect(e.requestId).toBeUndefined();
    }
    expect(matrix.gate.verdict).toBe('fail');
    expect(run.stdout).toMatch(/gating: openai\.gpt-oss-20b reasoning\.chat-field \(emulator\): HARNESS_RECORDING_MISSING/);
    expect(run.code, run.stdout).toBe(1);
  }, 60_000);

  it('a fixture holding only trials 2 and 3 answers none of its trials, trial 1 not from them', async () => {
    const fixtures = await fixturesWith('lost-1', (f) => {
      f.exchanges = f.exchanges.filter((ex) => ex.trial !== undefined);
    });
    const target = new ReplayTarget('emulator', fixtures);
    const { request, step } = await firstRequest(fixtures);
    for (const trial of [1, 2, 3]) {
      const answer = await target.send(request, { model: MODEL, caseId: CHECK, step, prefix: '/v1', trial });
      expect(answer.response, `trial ${trial}`).toBeNull();
      expect(answer.error?.code).toBe('HARNESS_RECORDING_MISSING');
      expect(answer.error?.message).toContain('was recorded with 3 trials and holds none of trial 1 ');
    }
  });

  it('a fixture recorded without trials still answers every trial from its one recording', async () => {
    const fixtures = await fixturesWith('no-trials', (f) => {
      f.exchanges = f.exchanges.filter((ex) => ex.trial === undefined);
    });
    const target = new ReplayTarget('emulator', fixtures);
    expect(await target.trialsRecorded(MODEL, CHECK)).toBe(1);
    const { request, step } = await firstRequest(fixtures);
    for (const trial of [1, 2, 3]) {
      const answer = await target.send(request, { model: MODEL, caseId: CHECK, step, prefix: '/v1', trial });
      expect(answer.error, `trial ${trial}: ${answer.error?.message}`).toBeNull();
    }
  });
});
