/**
 * What history counts as a change: a change of what was observed, between runs that observed the cell. A run that
 * stopped early (its unreached cells written as skipped), an outage (every cell an error) or a run id reused night
 * after night must not flood "what changed" nor hide the latest run's regression; the digest leads with it.
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { pageData, renderHistoryHtml } from '../src/history/history-html.ts';
import type { HistoryReport } from '../src/history/history-model.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';

const MODELS = ['m1', 'm2', 'm3'];
const CHECKS = Array.from({ length: 20 }, (_, i) => `c${i}`);
type Cells = (model: string, check: string) => HistoryCell | undefined;
const pass: Cells = () => ({ status: 'pass', observed: 'integer' });

/** A run of target `t` on 2025-12-`day` (at `hour`), its cells as `cell` says (undefined: left out, as not run). */
function runOf(id: string, day: number, cell: Cells = pass, extra: Partial<HistoryRun['run']> = {}, hour = 2): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const m of MODELS) {
    for (const c of CHECKS) {
      const value = cell(m, c);
      if (value) (cells[`t/${m}`] ??= {})[c] = value;
    }
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...extra },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: MODELS.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

function build(runs: HistoryRun[], last = 10): HistoryReport {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}

/** The latest run's regression: m3 c19 now fails the gate with `exponent`. */
const regressed: Cells = (m, c) => (m === 'm3' && c === 'c19' ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' });

describe('what history counts as a change', () => {
  it('a spend-cap partial run that wrote its unreached cells as skipped makes no change, and the regression after it leads the digest', () => {
    // Night 2 stopped after m1: the rest was written `skipped` (files written before the run marked them not reached).
    const capped: Cells = (m) => (m === 'm1' ? { status: 'pass', observed: 'integer' } : { status: 'skipped', observed: null });
    const report = build([runOf('n1', 1), runOf('n2', 2, capped, { partial: true }), runOf('n3', 3, regressed)]);
    expect(report.recent.changes.map((c) => `${c.model} ${c.check} ${c.text}`)).toEqual(['m3 c19 integer -> exponent']);
    expect(report.recent.changes[0]!.gating).toBe(true);
    // The partial run's unreached cells are not run there (absent), not a state of the cell.
    expect(report.cells.find((c) => c.model === 'm2' && c.check === 'c0')!.segments.map((s) => s.status)).toEqual(['pass', 'absent', 'pass']);
    expect(report.models.flatMap((m) => m.events)).toEqual([]);
    const md = renderDigest(report);
    expect(md).toContain('### Changes (1 change in 1 cell)');
    expect(md).toContain('- `m3` `c19` (t): integer -> exponent on 2025-12-03 (run `n3`) (its last change fails the gate)');
    expect(md).not.toContain('skipped');
  });

  it('an outage night (every cell an error) is shown in the strips but is no change', () => {
    const outage: Cells = () => ({ status: 'error', observed: null });
    const report = build([runOf('n1', 1), runOf('n2', 2, outage), runOf('n3', 3, regressed)]);
    expect(report.recent.changes.map((c) => `${c.model} ${c.check} ${c.text}`)).toEqual(['m3 c19 integer -> exponent']);
    expect(report.cells.find((c) => c.model === 'm1' && c.check === 'c0')!.segments.map((s) => s.status)).toEqual(['pass', 'error', 'pass']);
    expect(report.cells.find((c) => c.model === 'm1' && c.check === 'c0')!.changes).toEqual([]);
  });

  it('many older changes never push the latest run\'s gating failures out of history.md and history.html', async () => {
    // Night 2 changed every cell of m1 and m2 (40 cells, more than a section shows); night 3 regressed m3 c19.
    const moved: Cells = (m) => ({ status: 'pass', observed: m === 'm3' ? 'integer' : 'exponent' });
    const latest: Cells = (m, c) => (m === 'm3' ? regressed(m, c) : moved(m, c));
    const report = build([runOf('n1', 1), runOf('n2', 2, moved), runOf('n3', 3, latest)]);
    expect(report.recent.changes).toHaveLength(41);
    const md = renderDigest(report);
    const lines = md.split('\n').filter((l) => l.startsWith('- '));
    expect(lines[0]).toContain('`m3` `c19`');
    expect(md).toContain('### Changes (41 changes in 41 cells)');
    expect(md).toContain('- ... and 11 more (see history.html)');
    const html = renderHistoryHtml(report, { script: '', style: '' });
    const recent = html.slice(html.indexOf('<section id="recent">'));
    expect(recent.indexOf('m3 c19')).toBeGreaterThan(0);
    expect(recent.indexOf('m3 c19')).toBeLessThan(recent.indexOf('m1 c0'));
    expect(recent).toContain('Changes (41 changes in 41 cells)');
  });
});

describe('a run id reused on several nights', () => {
  it('is one run per night, with the change between them, and the reports say the id was reused', () => {
    const report = build([runOf('nightly', 1), runOf('nightly', 2, () => ({ status: 'error', observed: null })), runOf('nightly', 3, regressed)]);
    expect(report.runs.map((r) => [r.id, r.startedAt.slice(0, 10), r.reusedId])).toEqual([
      ['nightly', '2025-12-01', true],
      ['nightly', '2025-12-02', true],
      ['nightly', '2025-12-03', true],
    ]);
    expect(report.recent.changes.map((c) => `${c.model} ${c.check} ${c.text}`)).toEqual(['m3 c19 integer -> exponent']);
    expect(renderDigest(report)).toContain('### Run ids reused (1)');
  });

  it('a re-run of a failed job in CI (one CI run id) or shards hours apart (within 22 hours of the first) are still one run', () => {
    // The early attempt failed its gate: "Re-run failed jobs" re-ran it hours later under the same run id and CI run.
    const early = runOf('ci-1', 1, regressed, { ci: { system: 'github', runId: '77', attempt: 1 } }, 2);
    const rerun = runOf('ci-1', 1, pass, { ci: { system: 'github', runId: '77', attempt: 2 } }, 5);
    const shard1 = runOf('ci-2', 2, (m) => (m === 'm1' ? { status: 'pass', observed: 'integer' } : undefined), { shard: '1/2' }, 1);
    const shard2 = runOf('ci-2', 2, (m) => (m === 'm1' ? undefined : { status: 'pass', observed: 'integer' }), { shard: '2/2', startedAt: '2025-12-02T21:00:00.000Z' }, 1);
    const report = build([early, rerun, shard1, shard2]);
    expect(report.runs.map((r) => [r.id, r.files.length, r.reusedId])).toEqual([
      ['ci-1', 2, undefined],
      ['ci-2', 2, undefined],
    ]);
  });
});

describe('a latest run that observed nothing', () => {
  it('is named in history.md, and the page does not show older states as its "now"', () => {
    // A typo'd --models id: a filtered run whose every cell errored.
    const typo: Cells = (m) => (m === 'm1' ? { status: 'error', observed: null } : undefined);
    const report = build([runOf('n1', 1), runOf('n2', 2, typo, { filtered: true })]);
    expect(renderDigest(report)).toContain('### Latest run observed nothing (1)');
    expect(renderDigest(report)).toContain('- run `n2` (2025-12-02) on t: every cell errored');
    const data = pageData(report) as { runs: [string, string, number][] };
    expect(data.runs.at(-1)![2]).toBe(0);
    // A filtered latest run that observed something keeps saying nothing of what it did not select.
    const fine = build([runOf('n1', 1), runOf('n2', 2, (m) => (m === 'm1' ? { status: 'pass', observed: 'integer' } : undefined), { filtered: true })]);
    expect(renderDigest(fine)).not.toContain('observed nothing');
    expect((pageData(fine) as { runs: [string, string, number][] }).runs.at(-1)![2]).toBe(1);
  });
});
