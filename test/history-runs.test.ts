/**
 * Run identity in the history (run-info.ts): files of one CI run (run.ci) are one run whatever their times, files
 * without one split at a repeated (target, shard); and "Errors now" (error-cells.ts): a gating error stays named when a
 * later run lacks the cell, gating cells get lines of their own, and the latest run's other errors are counted.
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';

const MODELS = Array.from({ length: 12 }, (_, i) => `m${i}`);
const CHECKS = Array.from({ length: 12 }, (_, i) => `c${i}`);
const pass: HistoryCell = { status: 'pass', observed: 'integer' };
const failing: HistoryCell = { status: 'fail', observed: 'exponent', gating: true };
type Cells = (model: string, check: string) => HistoryCell | undefined;

/** A file of run `id` started at `at`: every model and check (or the shard's half of the models), cells from `cell`. */
function fileOf(id: string, at: string, cell: Cells = () => pass, run: Partial<HistoryRun['run']> = {}, models = MODELS): HistoryRun {
  const half = run.shard === '1/2' ? models.slice(0, 6) : run.shard === '2/2' ? models.slice(6) : models;
  const cells: HistoryRun['cells'] = {};
  for (const m of half) for (const c of CHECKS) {
    const value = cell(m, c) ?? pass;
    (cells[`t/${m}`] ??= {})[c] = value;
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: at, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...run },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: models.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

function build(files: HistoryRun[]) {
  const builder = new HistoryBuilder();
  files.forEach((f, i) => builder.add(`f${i}`, f));
  return builder.build({ last: 10, now: new Date('2027-01-01T00:00:00Z') });
}

const gh = (attempt: number) => ({ ci: { system: 'github' as const, runId: '8123', attempt } });
const at = (m: string, c: string, value: HistoryCell): Cells => (model, check) => (model === m && check === c ? value : undefined);

describe('run identity', () => {
  it('a fixed run id every 6 hours with no CI identity is a run per use, its gate failing in each', () => {
    const times = ['00:07', '06:02', '12:01', '18:00'];
    const report = build(times.map((t) => fileOf('six', `2026-12-01T${t}:00.000Z`, at('m1', 'c1', failing))));
    expect(report.runs.map((r) => [r.startedAt.slice(11, 16), r.reusedId])).toEqual(times.map((t) => [t, true]));
  });

  it('GitHub "Re-run all jobs" of a failed sharded run is one run, whichever job started first; the later attempt is the run\'s', () => {
    const report = build([
      fileOf('gh1', '2026-12-01T02:00:00.000Z', undefined, { shard: '1/2', ...gh(1) }),
      fileOf('gh1', '2026-12-01T02:00:10.000Z', at('m7', 'c1', failing), { shard: '2/2', ...gh(1) }),
      fileOf('gh1', '2026-12-01T05:00:00.000Z', at('m7', 'c1', failing), { shard: '2/2', ...gh(2) }),
      fileOf('gh1', '2026-12-01T05:00:20.000Z', undefined, { shard: '1/2', ...gh(2) }),
    ]);
    expect(report.runs.map((r) => [r.files.length, r.shards, r.reusedId])).toEqual([[4, [{ target: 't', seen: ['1/2', '2/2'], missing: [] }], undefined]]);
    expect(renderDigest(report)).not.toContain('Runs that did not finish');
  });

  it('a re-run of a job that failed without a gating cell (every cell errored) is the same run, and its observation is the run\'s', () => {
    const errors: Cells = () => ({ status: 'error', observed: null });
    const report = build([
      fileOf('n0', '2026-11-30T02:00:00.000Z'),
      fileOf('gh2', '2026-12-01T02:00:00.000Z', undefined, { shard: '1/2', ...gh(1) }),
      fileOf('gh2', '2026-12-01T02:00:10.000Z', errors, { shard: '2/2', ...gh(1) }),
      fileOf('gh2', '2026-12-01T04:00:00.000Z', undefined, { shard: '2/2', ...gh(2) }),
    ]);
    expect(report.runs.map((r) => [r.id, r.files.length])).toEqual([['n0', 1], ['gh2', 3]]);
    expect(report.recent.errors).toEqual([]);
    expect(report.recent.otherErrors).toBeUndefined();
  });

  it('a partial twice-daily run (no CI identity) does not take in the next run 12 hours later, which dates the change', () => {
    const report = build([
      fileOf('twice', '2026-12-01T00:00:00.000Z'),
      fileOf('twice', '2026-12-01T12:00:00.000Z', at('m1', 'c1', { status: 'skipped', observed: null }), { partial: true }),
      fileOf('twice', '2026-12-02T00:00:00.000Z', at('m1', 'c1', failing)),
    ]);
    expect(report.runs.map((r) => [r.startedAt, r.partial])).toEqual([
      ['2026-12-01T00:00:00.000Z', false],
      ['2026-12-01T12:00:00.000Z', true],
      ['2026-12-02T00:00:00.000Z', false],
    ]);
    expect(report.cells.find((c) => c.model === 'm1' && c.check === 'c1')!.changes.map((c) => c.date)).toEqual(['2026-12-02']);
  });
});

describe('Errors now', () => {
  it('a gating error stays named when a later (filtered) run of the target lacks the cell', () => {
    const report = build([
      fileOf('n1', '2026-12-01T02:00:00.000Z'),
      fileOf('n2', '2026-12-02T02:00:00.000Z', at('m1', 'c1', { status: 'error', observed: null, gating: true })),
      fileOf('dbg', '2026-12-02T09:00:00.000Z', undefined, { filtered: true }, ['m0']),
    ]);
    expect(report.recent.errors).toMatchObject([{ model: 'm1', check: 'c1', gating: true, runs: 1, lastRun: 1 }]);
    expect(renderDigest(report)).toContain('- `m1` `c1` (t): errored in the latest run that had it (2026-12-02, run `n2`); fails the gate');
    // The gate it failed is that older run's, not the latest run's.
    expect(renderDigest(report)).toContain('### Errors now (1 cell in 1 group, 1 failing the gate of the latest run that had them)');
  });

  it('only other errors head the section with their count, never "0 cells in 0 groups"', () => {
    const md = renderDigest(build([fileOf('n1', '2026-12-01T02:00:00.000Z'), fileOf('n2', '2026-12-02T02:00:00.000Z', at('m1', 'c1', { status: 'error', observed: null }))]));
    expect(md).toContain('### Errors now (1 cell errored in the latest run, no expectation stated)');
    expect(md).toContain('- 1 other cell errored in the latest run, no expectation stated (matrix.json of the run has it)');
  });

  it('the gating cells of an outage have lines of their own, and the latest run\'s other errors are counted', () => {
    const outage: Cells = (m, c) => (m === 'm3' && c === 'c5' ? { status: 'error', observed: null, gating: true } : { status: 'error', observed: null });
    const md = renderDigest(build([fileOf('n1', '2026-12-01T02:00:00.000Z'), fileOf('n2', '2026-12-02T02:00:00.000Z', outage)]));
    expect(md).toContain('### Errors now (1 cell in 1 group, 1 failing the latest run\'s gate; 143 other cells errored in the latest run, no expectation stated)');
    expect(md).toContain('- `m3` `c5` (t): errored in the latest run (2026-12-02, run `n2`); fails the gate\n- 143 other cells errored in the latest run, no expectation stated');
    expect(md).not.toMatch(/1 fail the gate/);
  });
});
