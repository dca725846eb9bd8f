/**
 * What `history` says of its window (second hostile review): the region jobs of one CI run (each with its own
 * --run-id) are current together, not "targets not in the latest runs"; a gating failure of a model that left the
 * catalog (or a check the harness dropped) is no standing failure warned about every night; a cell the window observed
 * that is inconclusive since is named, not hidden; the console says what history.md says of what was measured and
 * counts replay series apart from targets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import type { HistoryReport } from '../src/history/history-model.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { historyInFolder } from './helpers/history-files.ts';

type Cells = (model: string, check: string) => HistoryCell | undefined;
const pass: Cells = () => ({ status: 'pass', observed: 'integer' });
/** A shape table as run files keep it (schema-valid: the CLI reads these files). */
const shapesOf = (targets: string[]) => ({ fingerprints: { abc: { status: 200, kind: 'json', paths: [], headers: [] } }, exchanges: Object.fromEntries(targets.map((t) => [`${t}/m1`, { 'chat.basic': { body: ['abc'] } }])) }) as never;

interface RunOptions {
  targets?: string[];
  mode?: 'live' | 'replay';
  models?: string[];
  checks?: string[];
  /** The time of day (`HH:MM`), 02:00 when not given. */
  at?: string;
  ci?: string;
  extra?: Partial<HistoryRun['run']>;
  measured?: boolean;
}

/** A run on 2025-12-`day` of `targets` whose files plan `models` and `checks`, its cells as `cell` says. */
function runOf(id: string, day: number, cell: Cells = pass, o: RunOptions = {}): HistoryRun {
  const { targets = ['t'], mode = 'live', models = ['m1'], checks = ['c0', 'c1', 'c2', 'c3'] } = o;
  const cells: HistoryRun['cells'] = {};
  for (const t of targets) for (const m of models) for (const c of checks) {
    const value = cell(m, c);
    if (value) (cells[`${t}/${m}`] ??= {})[c] = value;
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: {
      id,
      startedAt: `2025-12-${String(day).padStart(2, '0')}T${o.at ?? '02:00'}:00.000Z`,
      finishedAt: 'x',
      harnessVersion: '0.1.0',
      partial: false,
      filtered: false,
      ...(o.ci ? { ci: { system: 'github', runId: o.ci, attempt: 1 } } : {}),
      ...o.extra,
    },
    targets: targets.map((t) => ({ id: t, mode, region: null, endpointHost: null, sources: [mode === 'replay' ? 'live' : mode] })),
    models: models.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: checks.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
    ...(o.measured ? { shapes: shapesOf(targets), latency: Object.fromEntries(targets.map((t) => [`${t}/m1`, { 'chat.completions': { n: 1, headersMs: { p50: 10, p95: 10 }, totalMs: { p50: 100, p95: 100 } } }])) } : {}),
  } as HistoryRun;
}

function build(runs: HistoryRun[], last = 10): HistoryReport {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'mantle-history-window-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `mantle-conformance history` of a folder of `runs`, in process: its console, and history.md. */
async function historyCli(runs: HistoryRun[], last = '10'): Promise<{ console: string; md: string }> {
  const { code, ...said } = await historyInFolder(dir, runs, last);
  expect(code).toBe(0);
  return said;
}

describe('targets not in the latest runs: one CI run\'s region jobs are current together', () => {
  /** Night `day`: east at 02:00 and west at `westAt`, each its own run id, in CI run `ci` (none when undefined). */
  const night = (day: number, ci?: string, westAt = '02:20') => [
    runOf(`${day}-east`, day, pass, { targets: ['east'], ...(ci ? { ci } : {}) }),
    runOf(`${day}-west`, day, pass, { targets: ['west'], at: westAt, ...(ci ? { ci } : {}) }),
  ];

  it('names no target when each region ran in the latest CI run, or minutes apart without CI', async () => {
    expect(build([...night(1, '7001'), ...night(2, '7002')]).recent.stale).toBeUndefined();
    // The same CI run hours apart (a queued job) is the same night's too.
    expect(build([...night(1, '7001'), ...night(2, '7002', '09:30')]).recent.stale).toBeUndefined();
    expect(build([...night(1), ...night(2)]).recent.stale).toBeUndefined();
    const { console, md } = await historyCli([...night(1, '7001'), ...night(2, '7002')]);
    expect(console).not.toContain('warning: target');
    expect(md).not.toContain('Targets not in the latest runs');
  });

  it('still names a region missing from the latest CI run and 6 hours or more older, with CI or without', async () => {
    const missing = [...night(1, '7001'), ...night(2, '7002'), runOf('3-west', 3, pass, { targets: ['west'], at: '02:20', ci: '7003' })];
    expect(build(missing).recent.stale?.map((s) => s.target)).toEqual(['east']);
    // Minutes apart in another CI run (a workflow per region, a dispatch after the nightly): as current; hours apart, not.
    const other = (westAt: string) => [...night(1, '7001'), runOf('2-east', 2, pass, { targets: ['east'], ci: '7002' }), runOf('2-west', 2, pass, { targets: ['west'], at: westAt, ci: '7099' })];
    expect(build(other('02:20')).recent.stale).toBeUndefined();
    expect(build(other('08:00')).recent.stale?.map((s) => s.target)).toEqual(['east']);
    expect(build([...night(1), ...night(2, undefined, '08:00')]).recent.stale?.map((s) => s.target)).toEqual(['east']);
    const { console } = await historyCli(missing);
    expect(console).toContain("warning: target east: not in the latest 2 runs; its latest run 2-east (2025-12-02) is 1 day older than the folder's latest run 3-west");
  });
});

describe('a gating failure whose model or check no run of the window planned left; it does not stand', () => {
  const failing: Cells = (m, c) => (m === 'm2' && c === 'c3' ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' });
  const first = runOf('n1', 1, failing, { models: ['m1', 'm2'] });

  it('a model gone from the catalog: no standing failure, no console warning; counted as left', async () => {
    const runs = [first, ...[2, 3, 4].map((d) => runOf(`n${d}`, d, pass, { models: ['m1'] }))];
    const report = build(runs, 3);
    expect(report.recent.standing).toBeUndefined();
    expect(report.recent.unobserved).toEqual([{ target: 't', cells: 4, checks: 4, lastSeen: 0, unplanned: 4, unplannedGating: 1 }]);
    const { console, md } = await historyCli(runs, '3');
    expect(console).not.toContain('failed the gate in n1');
    expect(md).not.toContain('Gating failures not observed in the window');
    expect(md).toContain('4 of them of a model or check no run in the window planned (gone from the catalog or the harness, or no longer selected), 1 of which failed the gate when last observed: not standing, it left');
  });

  it('a check a harness upgrade dropped: no standing failure', () => {
    const runs = [first, ...[2, 3].map((d) => runOf(`n${d}`, d, pass, { models: ['m1', 'm2'], checks: ['c0', 'c1', 'c2'] }))];
    expect(build(runs, 2).recent.standing).toBeUndefined();
  });

  it('runs that each selected part of the catalog (--checks every night) cannot tell a check that left: its failure stands', () => {
    const narrowed = (d: number) => runOf(`n${d}`, d, (m, c) => (c === 'c0' ? pass(m, c) : undefined), { models: ['m1', 'm2'], checks: ['c0'], extra: { filtered: true } });
    expect(build([first, narrowed(2), narrowed(3)], 2).recent.standing).toEqual([{ target: 't', model: 'm2', check: 'c3', run: 0, observed: 'exponent' }]);
  });

  it('a cell the window planned and did not run (a -t filter, another shard) still stands and warns', async () => {
    const filtered = (d: number) => runOf(`n${d}`, d, (m, c) => (c === 'c0' ? pass(m, c) : undefined), { models: ['m1', 'm2'], extra: { filtered: true } });
    const runs = [first, filtered(2), filtered(3)];
    expect(build(runs, 2).recent.standing).toEqual([{ target: 't', model: 'm2', check: 'c3', run: 0, observed: 'exponent' }]);
    const { console } = await historyCli(runs, '2');
    expect(console).toContain('warning: m2 c3 (t) failed the gate in n1, its last observation: the last 2 runs planned it and did not observe it');
  });
});

describe('a cell the window observed and no longer observes is named', () => {
  const NL_CHECKS = Array.from({ length: 35 }, (_, i) => `s${String(i).padStart(2, '0')}`);
  const valid: Cells = () => ({ status: 'pass', observed: 'valid' });
  const hidden: Cells = () => ({ status: 'inconclusive', observed: null });
  const nights = (cells: Cells[]) => cells.map((cell, i) => runOf(`n${i + 1}`, i + 1, cell, { checks: NL_CHECKS }));

  it('valid three nights then inconclusive three nights: listed with since when, no change point, one console line', async () => {
    const runs = nights([valid, valid, valid, hidden, hidden, hidden]);
    const report = build(runs);
    expect(report.recent.changes).toEqual([]);
    expect(report.recent.noLongerObserved).toHaveLength(35);
    expect(report.recent.noLongerObserved![0]).toEqual({ target: 't', model: 'm1', check: 's00', since: 3, status: 'inconclusive', lastSeen: 2, last: { status: 'pass', observed: 'valid' } });
    const md = renderDigest(report);
    expect(md).toContain('### No longer observed (35)');
    expect(md).toContain('- `m1` `s00` (t): no longer observed since 2025-12-04 (run `n4`), inconclusive since; last observed valid on 2025-12-03 (run `n3`)');
    // Cut at the section cap, the rest counted.
    expect(md).toContain('- ... and 5 more (see history.html)');
    expect(md).not.toContain('Nothing changed');
    expect(renderHistoryHtml(report, { script: '', style: '' })).toContain('No longer observed (35)');
    const { console } = await historyCli(runs);
    expect(console.match(/no longer observed/g)).toHaveLength(1);
    expect(console).toContain('no longer observed: 35 cell(s) observed in the last 10 runs are inconclusive or skipped since (history.md, "No longer observed")');
  });

  it('an inconclusive night between two observations, and a cell observed now, are not listed', () => {
    expect(build(nights([valid, hidden, valid])).recent.noLongerObserved).toBeUndefined();
    // Not run in the latest run (a filtered run) is not "no longer observed" either: its latest result is the observation.
    const runs = [...nights([valid, valid]), runOf('p3', 3, (_, c) => (c === 's00' ? { status: 'pass', observed: 'valid' } : undefined), { checks: NL_CHECKS, extra: { filtered: true } })];
    expect(build(runs).recent.noLongerObserved).toBeUndefined();
  });
});

describe('the console says what history.md says', () => {
  it('a window that measured no shape or latency says so, not "0 shape drift(s), 0 latency shift(s)"', async () => {
    const probe = (d: number) => runOf(`p${d}`, d, (m, c) => (c === 'c0' ? pass(m, c) : undefined), { extra: { filtered: true } });
    const runs = [runOf('n1', 1, pass, { measured: true }), runOf('n2', 2, pass, { measured: true }), probe(3), probe(4), probe(5)];
    const { console, md } = await historyCli(runs, '3');
    expect(md).toContain('no answer shape and no latency was measured in the last 3 runs');
    expect(console).not.toMatch(/0 shape drift|0 latency shift/);
    expect(console).toContain('no answer shape measured in the window, no latency measured in the window');
    expect(console).toContain('0 change(s) in 0 cell(s) of what they observed (3 cell(s) observed before not observed in them)');
  });

  it('names the targets that measured none when others did', async () => {
    const runs = [1, 2].map((d) => runOf(`n${d}`, d, pass, { targets: ['a', 'b'], measured: true }));
    for (const run of runs) run.latency = { 'a/m1': run.latency!['a/m1']! };
    const { console } = await historyCli(runs);
    expect(console).toContain('0 latency shift(s) (1 target(s) measured no latency in the window)');
    expect(console).toContain('0 shape drift(s),');
  });

  it('counts replay series apart from targets', async () => {
    const runs = [runOf('l1', 1, pass, { targets: ['a', 'b'] }), runOf('l2', 2, pass, { targets: ['a', 'b'] }), runOf('r3', 3, pass, { targets: ['a', 'b'], mode: 'replay' })];
    const { console } = await historyCli(runs);
    expect(console).toContain('3 run(s), 2 target(s) plus 2 replay series,');
  });
});
