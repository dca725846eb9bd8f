/**
 * Cells that error now are named (an error is no change point): a gating error in the latest run, a check or a model
 * that errors night after night (a partial outage), in history.md, history.html and on the console; and an outage
 * does not read as the catalog emptying.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../src/cli/history-command.ts';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import { RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';

const MODELS = Array.from({ length: 12 }, (_, i) => `m${i}`);
const CHECKS = Array.from({ length: 12 }, (_, i) => `c${i}`);
type Cells = (model: string, check: string) => HistoryCell | undefined;
const pass: Cells = () => ({ status: 'pass', observed: 'integer' });
const error: HistoryCell = { status: 'error', observed: null, gating: true };

function runOf(id: string, day: number, cell: Cells = pass): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const m of MODELS) for (const c of CHECKS) {
    const value = cell(m, c);
    if (value) (cells[`t/${m}`] ??= {})[c] = value;
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: MODELS.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

function build(runs: HistoryRun[], last = 10) {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}

const html = (report: ReturnType<typeof build>) => renderHistoryHtml(report, { script: '', style: '' });

describe('cells that error now', () => {
  it('a gating error in the latest run only is listed in history.md and history.html, with its run', () => {
    const latest: Cells = (m, c) => (m === 'm1' && c === 'c3' ? error : pass(m, c));
    const report = build([runOf('n1', 1), runOf('n2', 2), runOf('n3', 3, latest)]);
    expect(report.recent.changes).toEqual([]);
    expect(report.recent.errors).toEqual([{ target: 't', model: 'm1', check: 'c3', since: 2, runs: 1, gating: true, observed: null }]);
    const md = renderDigest(report);
    expect(md).toContain('### Errors now (1 cell in 1 group, 1 failing the latest run\'s gate)');
    expect(md).toContain('- `m1` `c3` (t): errored in the latest run (2025-12-03, run `n3`); fails the gate');
    expect(md).not.toContain('Nothing changed');
    expect(html(report)).toContain('<section id="errors">');
    expect(html(report)).toContain('m1 c3 (t): errored in the latest run (2025-12-03, run n3); fails the gate');
  });

  it('a check erroring on every model for nights is one line per target and check, with how long', () => {
    const outage: Cells = (m, c) => (c === 'c5' ? error : pass(m, c));
    const report = build([runOf('n1', 1), runOf('n2', 2), runOf('n3', 3, outage), runOf('n4', 4, outage), runOf('n5', 5, outage)]);
    expect(report.recent.changes).toEqual([]);
    expect(report.recent.errors).toHaveLength(12);
    const md = renderDigest(report);
    expect(md).toContain('### Errors now (12 cells in 1 group, 12 failing the latest run\'s gate)');
    expect(md).toContain('- `c5` (t) on 12 models: `m0`, `m1`, `m2`, `m3`, `m4` and 7 more: errored in each of the last 3 runs that had them, since 2025-12-03 (run `n3`); 12 fail the gate');
  });

  it('every answering cell erroring while a few still answer is one line for the target; an error before a recovery is not listed', () => {
    const most: Cells = (m, c) => (c === 'c0' ? pass(m, c) : error);
    const report = build([runOf('n1', 1), runOf('n2', 2, most), runOf('n3', 3, most)]);
    const md = renderDigest(report);
    expect(md).toContain('### Errors now (132 cells in 1 group, 132 failing the latest run\'s gate)');
    expect(md).toMatch(/- 132 cells of t, models `m0`.* and 7 more, checks `c1`.* and 6 more: errored in each of the last 2 runs that had them, since 2025-12-02 \(run `n2`\)/);
    expect(build([runOf('n1', 1), runOf('n2', 2, most), runOf('n3', 3)]).recent.errors).toEqual([]);
    // A non-gating error of the latest run only (no expectation) is not listed; two in a row are.
    const soft: Cells = (m, c) => (m === 'm0' && c === 'c0' ? { status: 'error', observed: null } : pass(m, c));
    expect(build([runOf('n1', 1), runOf('n2', 2, soft)]).recent.errors).toEqual([]);
    expect(build([runOf('n1', 1, soft), runOf('n2', 2, soft)]).recent.errors.map((e) => e.runs)).toEqual([2]);
  });

  it('an outage is no model disappearing: a model whose cells all errored says nothing', () => {
    const down: Cells = () => error;
    const report = build([runOf('n1', 1), runOf('n2', 2, down), runOf('n3', 3, down)]);
    expect(report.models.flatMap((m) => m.events)).toEqual([]);
    expect(renderDigest(report)).not.toContain('### Models');
    // A model a whole, unfiltered run no longer lists (gone from the catalog) still disappears.
    const gone = runOf('n4', 4);
    gone.models = gone.models.filter((m) => m.id !== 'm0');
    delete gone.cells['t/m0'];
    expect(build([runOf('n1', 1), gone]).models.find((m) => m.model === 'm0')!.events.map((e) => e.kind)).toEqual(['disappeared']);
  });
});

describe('the console', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'history-errors-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const console = async (runs: HistoryRun[], last: string) => {
    const folder = await mkdtemp(join(dir, 'h-'));
    for (const [i, run] of runs.entries()) await writeFile(join(folder, `${run.run.startedAt.replace(/[-:.]/g, '')}-${run.run.id}-${i}${RUN_FILE_SUFFIX}`), gzipSync(JSON.stringify(run)));
    let text = '';
    const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    expect(await historyCommand(folder, { reportDir: join(folder, 'out'), last }, out)).toBe(0);
    return text;
  };

  it('counts the cells that error now', async () => {
    const outage: Cells = (m, c) => (c === 'c5' ? error : pass(m, c));
    expect(await console([runOf('n1', 1), runOf('n2', 2, outage), runOf('n3', 3, outage)], '10')).toContain('warning: cells error now: 12 cells in 1 group, 12 failing the latest run\'s gate');
  });

  it('counts the latest run\'s other errors on the console beside the listed ones', async () => {
    const mixed: Cells = (m, c) => (c === 'c5' ? error : m === 'm0' && c === 'c0' ? { status: 'error', observed: null } : pass(m, c));
    expect(await console([runOf('n1', 1), runOf('n2', 2, mixed)], '10')).toContain("warning: cells error now: 12 cells in 1 group, 12 failing the latest run's gate; 1 other cell errored in the latest run, no expectation stated");
  });

  it('warns of a reused run id only when a run of the window carries it, as history.md does', async () => {
    const runs = [runOf('nightly', 1), runOf('nightly', 2), runOf('n3', 3), runOf('n4', 4)];
    expect(await console(runs, '2')).not.toContain('was reused');
    expect(await console(runs, '3')).toContain('warning: run id nightly was reused');
  });
});
