/**
 * History reads only what was observed (hostile review): inconclusive and skipped are no change points; replayed
 * recordings are a series of their own beside live runs; a target missing from the latest runs is named; a window of
 * filtered runs claims nothing of what it did not observe; a flaky cell whose majority flips between the same trial
 * values is no change (in history and in compare).
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import type { HistoryReport } from '../src/history/history-model.ts';
import { compareMatrices } from '../src/report/compare.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const CHECKS = ['c0', 'c1', 'c2', 'c3'];
type Cells = (model: string, check: string) => HistoryCell | undefined;
const pass: Cells = () => ({ status: 'pass', observed: 'integer' });
const SHAPES = { fingerprints: { f1: { kind: 'object', fields: {} } }, exchanges: {} } as never;

/** A run on 2025-12-`day` of `targets` (each in `mode`), model m1, its cells as `cell` says. */
function runOf(id: string, day: number, cell: Cells = pass, { targets = ['t'], mode = 'live', extra = {}, checks = CHECKS }: { targets?: string[]; mode?: 'live' | 'record' | 'replay'; extra?: Partial<HistoryRun['run']>; checks?: string[] } = {}): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const t of targets) for (const c of checks) {
    const value = cell('m1', c);
    if (value) (cells[`${t}/m1`] ??= {})[c] = value;
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...extra },
    targets: targets.map((t) => ({ id: t, mode, region: null, endpointHost: null, sources: [mode] })),
    models: [{ id: 'm1', family: null, inCatalog: true }],
    checks: checks.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  } as HistoryRun;
}

function build(runs: HistoryRun[], last = 10): HistoryReport {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}
const texts = (r: HistoryReport) => r.recent.changes.map((c) => `${c.target} ${c.check} ${c.text}`);

describe('history: only observed states are change points', () => {
  it('fail no-call -> inconclusive -> fail no-call, and pass -> skipped -> pass, make no change and no new gating failure', () => {
    const failing: Cells = (_, c) => (c === 'c0' ? { status: 'fail', observed: 'no-call', gating: true } : { status: 'pass', observed: 'integer' });
    const hidden: Cells = (_, c) => (c === 'c0' ? { status: 'inconclusive', observed: null } : c === 'c1' ? { status: 'skipped', observed: null } : { status: 'pass', observed: 'integer' });
    const report = build([runOf('n1', 1, failing), runOf('n2', 2, hidden), runOf('n3', 3, failing)]);
    expect(report.cells.flatMap((c) => c.changes)).toEqual([]);
    expect(report.recent.changes).toEqual([]);
    expect(renderDigest(report)).not.toContain('its last change fails the gate');
    // A change of what was observed across an inconclusive night is still one change.
    const fixed = build([runOf('n1', 1, failing), runOf('n2', 2, hidden), runOf('n3', 3, pass)]);
    expect(texts(fixed)).toEqual(['t c0 no-call -> integer']);
  });
});

describe('history: replayed recordings are a series of their own', () => {
  const exponent: Cells = (_, c) => (c === 'c0' ? { status: 'pass', observed: 'exponent' } : { status: 'pass', observed: 'integer' });
  it('a replay run appended to a live folder is never compared with the live runs, and is labelled', () => {
    const report = build([runOf('live1', 1), runOf('live2', 2), runOf('pr', 3, exponent, { mode: 'replay' })]);
    expect(report.recent.changes).toEqual([]);
    expect(report.targets.map((t) => [t.id, t.runs, t.replay ?? false])).toEqual([['t', [0, 1], false], ['t (replay)', [2], true]]);
    // The live series' "now" is its latest live run: the replay is not a drop-out of it either.
    expect(report.recent.stale).toBeUndefined();
    const md = renderDigest(report);
    expect(md).toContain('t (replay): replayed recordings (run --mode replay)');
    expect(renderHistoryHtml(report, { script: '', style: '' })).toContain('t (replay): replayed recordings');
    // A later live run compares with the live run before it, not with the replay.
    const next = build([runOf('live1', 1), runOf('pr', 2, exponent, { mode: 'replay' }), runOf('live3', 3, exponent)]);
    expect(texts(next)).toEqual(['t c0 integer -> exponent']);
    expect(next.recent.changes[0]!.run).toBe(2);
    expect(next.recent.changes[0]!.from.observed).toBe('integer');
  });
  it('a folder of only replay runs keeps its target id and its changes, labelled', () => {
    const report = build([runOf('r1', 1, pass, { mode: 'replay' }), runOf('r2', 2, exponent, { mode: 'replay' })]);
    expect(report.targets.map((t) => [t.id, t.replay])).toEqual([['t', true]]);
    expect(texts(report)).toEqual(['t c0 integer -> exponent']);
    expect(renderDigest(report)).toContain('- t: replayed recordings');
  });
});

describe('history: a target missing from the latest runs', () => {
  it('is named with how old its state is', () => {
    const report = build([runOf('n1', 1, pass, { targets: ['t', 'u'] }), runOf('n2', 2, pass, { targets: ['t', 'u'] }), runOf('n3', 4, pass, { targets: ['t'] })]);
    expect(report.recent.stale).toEqual([{ target: 'u', run: 1, latest: 2, days: 2, later: 1 }]);
    const md = renderDigest(report);
    expect(md).toContain('### Targets not in the latest runs (1)');
    expect(md).toContain("u: not in the latest 1 run; its latest run `n2` (2025-12-02) is 2 days older than the folder's latest run `n3` (2025-12-04): its state is as of 2025-12-02, not current");
    expect(md).not.toContain('Nothing changed');
    expect(renderHistoryHtml(report, { script: '', style: '' })).toContain('u: not in the latest 1 run');
  });
});

describe('history: a window of filtered runs claims nothing of what it did not observe', () => {
  it('names the cells it did not observe, keeps a standing gating failure, and claims no shape or latency', () => {
    const failing: Cells = (_, c) => (c === 'c3' ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' });
    const full = (id: string, day: number, cells: Cells) => ({ ...runOf(id, day, cells), shapes: SHAPES, latency: {} });
    // `-t c0`: the runs plan every check and run c0 only (a check no run of the window planned left: history-window.test.ts).
    const probe = (id: string, day: number) => runOf(id, day, (_, c) => (c === 'c0' ? { status: 'pass', observed: 'integer' } : undefined), { extra: { filtered: true } });
    const report = build([full('n1', 1, pass), full('n2', 2, failing), probe('p3', 3), probe('p4', 4), probe('p5', 5)], 3);
    expect(report.recent.unobserved).toEqual([{ target: 't', cells: 3, checks: 3, lastSeen: 1 }]);
    expect(report.recent.standing).toEqual([{ target: 't', model: 'm1', check: 'c3', run: 1, observed: 'exponent' }]);
    const md = renderDigest(report);
    expect(md).not.toContain('Nothing changed in the last 3 runs');
    expect(md).not.toMatch(/no answer shape,|no latency beyond/);
    expect(md).toContain('### Gating failures not observed in the window (1)');
    expect(md).toContain('`m1` `c3` (t): failed the gate (exponent) on 2025-12-02 (run `n2`)');
    expect(md).toContain('t: 3 cells (3 checks) observed before were not observed in the last 3 runs');
    expect(md).toContain('t: no answer shape and no latency was measured in the last 3 runs');
  });
  it('says "nothing changed" only of what was observed when no gating failure stands', () => {
    const probe = (id: string, day: number) => runOf(id, day, pass, { checks: ['c0'], extra: { filtered: true } });
    const md = renderDigest(build([runOf('n1', 1), probe('p2', 2), probe('p3', 3)], 2));
    expect(md).toContain('Nothing changed in what the last 2 runs observed: no status or value, no model.');
  });
});

describe('a flaky cell whose majority flips between the same values', () => {
  const flaky = (observed: string, values: string[]): HistoryCell => ({ status: 'flaky', observed, trials: values.map((v) => ['pass', v] as [ 'pass', string ]) });
  it('is no change in history; a trial that saw a new value is', () => {
    const night = (observed: string, values: string[]): Cells => (_, c) => (c === 'c0' ? flaky(observed, values) : { status: 'pass', observed: 'integer' });
    const report = build([
      runOf('n1', 1, night('none', ['none', 'message.reasoning', 'none'])),
      runOf('n2', 2, night('message.reasoning', ['message.reasoning', 'none', 'message.reasoning'])),
      runOf('n3', 3, night('none', ['none', 'none', 'message.reasoning'])),
      runOf('n4', 4, night('none', ['none', 'other', 'message.reasoning'])),
    ]);
    expect(texts(report)).toEqual(['t c0 flaky (none) of trials ["message.reasoning","none"] -> flaky (none) of trials ["message.reasoning","none","other"]']);
    expect(report.recent.changes[0]!.run).toBe(3);
    expect(renderDigest(report)).toContain('flaky (none) of trials');
  });
  it('is no changed observed value in compare; a new trial value is', () => {
    const trials = (values: string[]) => values.map((v) => ({ status: 'pass' as const, observed: v, reason: 'ok', evidence: [] }));
    const cell = (observed: string, values: string[]) => smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'flaky', observed, trials: trials(values) }]);
    const before = cell('integer', ['integer', 'exponent', 'integer']);
    const flipped = compareMatrices(before, cell('exponent', ['exponent', 'integer', 'exponent']));
    expect(flipped.changedObserved ?? []).toEqual([]);
    const grown = compareMatrices(before, cell('exponent', ['exponent', 'integer', 'none']));
    expect((grown.changedObserved ?? []).map((c) => c.check)).toEqual(['created-at.chat']);
  });
});
