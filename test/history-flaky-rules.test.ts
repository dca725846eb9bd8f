/**
 * history's rules the third review found wrong: a flaky night is no bridge between two values (a cell that fails every
 * time since it was flaky, a value that drifted through one flaky night, are change points, as compare says), while
 * one night of a value both flaky nights around it saw is a chance agreement; region or surface workflows in separate
 * CI runs seconds apart are current together; "inconclusive since" never names a run that errored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import type { HistoryReport } from '../src/history/history-model.ts';
import { compareMatrices } from '../src/report/compare.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';
import { historyInFolder } from './helpers/history-files.ts';

interface RunOptions { target?: string; check?: string; at?: string; ci?: string }

/** Night `day` (2025-12-`day` at `at`, 02:00 when not given): model m1's one check as `cell` on one target. */
function night(id: string, day: number, cell: HistoryCell, o: RunOptions = {}): HistoryRun {
  const { target = 't', check = 'c0' } = o;
  return {
    format: HISTORY_RUN_FORMAT,
    run: {
      id,
      startedAt: `2025-12-${String(day).padStart(2, '0')}T${o.at ?? '02:00:00'}.000Z`,
      finishedAt: 'x',
      harnessVersion: '0.1.0',
      partial: false,
      filtered: false,
      ...(o.ci ? { ci: { system: 'github', runId: o.ci, attempt: 1 } } : {}),
    },
    targets: [{ id: target, mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: 'm1', family: null, inCatalog: true }],
    checks: [{ id: check, group: 'G', api: null }],
    cells: { [`${target}/m1`]: { [check]: cell } },
  } as HistoryRun;
}

function build(runs: HistoryRun[], last = 10): HistoryReport {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}

/** The change points of one cell's nights, `run: text`, gating ones marked. */
const changes = (cells: HistoryCell[], check = 'c0') =>
  build(cells.map((cell, i) => night(`n${i + 1}`, i + 1, cell, { check }))).recent.changes.map((c) => `${c.run}: ${c.text}${c.gating ? ' (gating)' : ''}`);

/** Flaky whose trials saw `trials` (`[status, value]`), the majority `observed`. */
const flaky = (observed: string, trials: [string, string][], gating = false): HistoryCell => ({ status: 'flaky', observed, trials, ...(gating ? { gating: true as const } : {}) }) as HistoryCell;
const passes = (values: string[]) => values.map((v) => ['pass', v] as [string, string]);
const pass = (observed: string): HistoryCell => ({ status: 'pass', observed, trials: [['pass', observed], ['pass', observed], ['pass', observed]] });
const fail = (observed: string): HistoryCell => ({ status: 'fail', observed, gating: true, trials: [['fail', observed], ['fail', observed], ['fail', observed]] });

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'mantle-history-rules-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `mantle-conformance history` of a folder of `runs`, in process: its console and history.md. */
async function historyCli(runs: HistoryRun[]): Promise<{ console: string; md: string }> {
  const { code, ...said } = await historyInFolder(dir, runs);
  expect(code).toBe(0);
  return said;
}

describe('history: a flaky night is no bridge between two values', () => {
  const [R, N] = ['message.reasoning', 'none'];
  const gatingFlaky = flaky(R, [['pass', R], ['fail', N], ['pass', R]], true);

  it('REG: gating flaky {message.reasoning, none} two nights, then fail none six: it fails every time since night 3', () => {
    expect(changes([gatingFlaky, gatingFlaky, ...Array.from({ length: 6 }, () => fail(N))])).toEqual(['2: flaky (message.reasoning) -> none (gating)']);
  });

  it('DRIFT: integer three nights, flaky {integer, exponent} one, exponent three: became flaky, then settled on exponent', () => {
    const drift = [pass('integer'), pass('integer'), pass('integer'), flaky('integer', passes(['integer', 'exponent', 'integer'])), pass('exponent'), pass('exponent'), pass('exponent')];
    expect(changes(drift, 'created-at.chat')).toEqual(['3: integer -> flaky (integer)', '4: flaky (integer) -> exponent']);
  });

  it('the real run\'s shape: history names the change compare calls a new failure of the same two runs', async () => {
    const check = 'tools.chat.forced-call';
    const flakyNight = flaky('conformant', [['pass', 'conformant'], ['fail', 'no-call'], ['pass', 'conformant']], true);
    const runs = [flakyNight, flakyNight, fail('no-call'), fail('no-call'), fail('no-call')].map((cell, i) => night(`fl${i + 1}`, i + 1, cell, { target: 'emu', check }));
    const { console, md } = await historyCli(runs);
    // The cell still fails the gate in fl5, the latest run, though it changed in fl3: it is counted (and never cut).
    expect(console).toContain("last 10 runs per target: 1 change(s) in 1 cell(s) (1 cell(s) failing the latest run's gate), 1 flaky cell(s)");
    expect(md).toContain('flaky (conformant) -> no-call');
    // compare of fl2 and fl3 as their matrices hold the cell: the same change, a new failure.
    const trials = (t: [string, string][]) => t.map(([status, observed]) => ({ status: status as 'pass' | 'fail', observed, reason: 'r', evidence: [] }));
    const cell = (c: HistoryCell) => smallMatrix([{ model: 'xai.grok-4.3', check, status: c.status as 'flaky', observed: c.observed, trials: trials(c.trials as [string, string][]) }], ['xai.grok-4.3'], [check]);
    expect(compareMatrices(cell(flakyNight), cell(fail('no-call'))).newFailures?.map((c) => c.check)).toEqual([check]);
  });

  it('one night of a value both flaky nights around it saw is passed over (FL); two nights, or the latest run, are not', () => {
    const ab = (o: string) => flaky(o, passes([o, o === R ? N : R, o]));
    // FL: flaky {a, b} -> b -> flaky {a, b} -> a -> flaky {a, b}.
    expect(changes([ab(R), pass(N), ab(N), pass(R), ab(R)])).toEqual([]);
    // Passed over, the two flaky nights are compared: a new trial value is still named.
    expect(changes([ab(R), pass(N), flaky(N, passes([N, 'other', N]))])).toEqual(['2: flaky (message.reasoning) -> flaky (none)']);
    // Only one flaky side saw it: settled, then became flaky again.
    expect(changes([ab(R), pass(N), flaky(R, passes([R, 'other', R]))])).toEqual(['1: flaky (message.reasoning) -> none', '2: none -> flaky (message.reasoning)']);
    expect(changes([ab(R), pass(N), pass(N), ab(R)])).toEqual(['1: flaky (message.reasoning) -> none', '3: none -> flaky (message.reasoning)']);
    expect(changes([ab(R), ab(N), pass(N)])).toEqual(['2: flaky (none) -> none']);
    // An error between is no observation: the night is still between two flaky ones.
    expect(changes([ab(R), { status: 'error', observed: null }, pass(N), { status: 'error', observed: null }, ab(R)])).toEqual([]);
  });
});

describe('targets not in the latest runs: a workflow per region, separate CI runs', () => {
  const nightOf = (day: number, westAt = '02:00:01') => [
    night(`${day}-east`, day, pass('integer'), { target: 'east', ci: `${day}east` }),
    night(`${day}-west`, day, pass('integer'), { target: 'west', at: westAt, ci: `${day}west` }),
  ];

  it('seconds apart in separate CI runs, three nights: no warning', async () => {
    const runs = [...nightOf(1), ...nightOf(2), ...nightOf(3)];
    expect(build(runs).recent.stale).toBeUndefined();
    const { console, md } = await historyCli(runs);
    expect(console).not.toContain('warning: target');
    expect(md).not.toContain('Targets not in the latest runs');
  });

  it('another CI run 6 hours or more later, or a night without east, still names east', () => {
    expect(build([...nightOf(1), ...nightOf(2, '08:00:00')]).recent.stale?.map((s) => s.target)).toEqual(['east']);
    const missing = [...nightOf(1), ...nightOf(2), night('3-west', 3, pass('integer'), { target: 'west', ci: '3west' })];
    expect(build(missing).recent.stale?.map((s) => s.target)).toEqual(['east']);
  });
});

describe('no longer observed: since when it is inconclusive, an error before it named', () => {
  it('NLE: pass, pass, error, inconclusive, inconclusive', () => {
    const cells: HistoryCell[] = [pass('integer'), pass('integer'), { status: 'error', observed: null }, { status: 'inconclusive', observed: null }, { status: 'inconclusive', observed: null }];
    const report = build(cells.map((cell, i) => night(`run${i + 1}`, i + 1, cell)));
    expect(report.recent.noLongerObserved).toEqual([{ target: 't', model: 'm1', check: 'c0', since: 3, status: 'inconclusive', lastSeen: 1, last: { status: 'pass', observed: 'integer' }, after: { run: 2, status: 'error' } }]);
    expect(renderDigest(report)).toContain('- `m1` `c0` (t): no longer observed since 2025-12-03 (run `run3`), error then, inconclusive since 2025-12-04 (run `run4`); last observed integer on 2025-12-02 (run `run2`)');
  });

  it('inconclusive, not run, inconclusive: since the first inconclusive, nothing named apart', () => {
    const hidden: HistoryCell = { status: 'inconclusive', observed: null };
    const runs = [night('r1', 1, pass('integer')), night('r2', 2, hidden), { ...night('r3', 3, hidden), cells: {} }, night('r4', 4, hidden)];
    const report = build(runs);
    expect(report.recent.noLongerObserved?.map((n) => [n.since, n.after])).toEqual([[1, undefined]]);
    expect(renderDigest(report)).toContain('no longer observed since 2025-12-02 (run `r2`), inconclusive since; last observed integer');
  });
});
