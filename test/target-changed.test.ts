/**
 * A target id that stands for another endpoint in two runs (a --target-name kept while --endpoint or --surface
 * changed) measured two things: `compare` (and `--baseline`, which shares its logic) lists the target apart, its
 * cells not compared, neither new failures nor a regression; `history` labels the change points across the change
 * as not the endpoint's, at the run where it happened.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory } from './helpers/history-files.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix, MatrixTarget } from '../src/report/matrix.ts';
import { historyRunOf } from '../src/history/history-file.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { pageData } from '../src/history/history-html.ts';
import { runSchemaErrors } from '../src/history/validate-run.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'target-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const LIVE = (host: string, surface: MatrixTarget['surface']): Partial<MatrixTarget> => ({ mode: 'live', endpointHost: host, surface, provenance: { sources: ['live'] } });

/** The small matrix of run `runId` on target `local`, its target as `target` says, created-at.chat observing `createdAt`. */
function run(runId: string, startedAt: string, target: Partial<MatrixTarget>, createdAt: 'integer' | 'exponent'): Matrix {
  const cells = createdAt === 'exponent' ? [{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail' as const, observed: 'exponent', reason: 'exponent' }] : [];
  const m = smallMatrix(cells, undefined, undefined, { target: 'local', runId });
  m.run.startedAt = startedAt;
  // A run ends after it starts (read-matrix refuses an end before the start).
  if (m.run.finishedAt < startedAt) m.run.finishedAt = startedAt;
  m.targets = m.targets.map((t) => ({ ...t, ...target }));
  return m;
}

describe('compare', () => {
  const before = run('r1', '2026-11-24T08:00:00.000Z', LIVE('127.0.0.1:41011', 'runtime'), 'integer');

  it('lists a target whose surface changed apart: no cell compared, no new failure, not regressed (compare exits 1: nothing was compared)', async () => {
    const after = run('r2', '2026-11-25T08:00:00.000Z', LIVE('127.0.0.1:41010', 'custom'), 'exponent');
    const comparison = compareMatrices(before, after);
    expect(comparison.changedTargets).toEqual([{ target: 'local', changes: [{ field: 'surface', before: 'runtime', after: 'custom' }] }]);
    expect(comparison.newFailures).toEqual([]);
    expect(comparison.changedObserved).toEqual([]);
    expect(comparison.regressed).toBe(false);
    await writeFile(join(dir, 'a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'b.json'), JSON.stringify(after));
    const compared = await cli(['compare', join(dir, 'a.json'), join(dir, 'b.json')]);
    // Nothing was compared: no green gate on it (rvJ finding 1), exit 1.
    expect(compared.code, compared.stderr).toBe(1);
    expect(compared.stdout).toContain('target local is another endpoint than in the baseline (surface "runtime" -> "custom"): its cells were not compared (neither new failures nor fixes); to compare two endpoints on purpose, give each run its own --target-name');
    // Its only target set apart: nothing was compared, said so, not "new failures: 0" / "regressed: no".
    expect(compared.stdout).toContain('nothing was compared: no target of this run is in the baseline as the same endpoint');
    expect(compared.stdout).not.toContain('new failures: 0');
    expect(compared.stdout).toContain('regressed: not known (nothing was compared)');
  });

  it('the same endpoint (a local server moved to another port, or a replay of its recordings) is compared as before', () => {
    const moved = compareMatrices(before, run('r2', '2026-11-25T08:00:00.000Z', LIVE('127.0.0.1:5999', 'runtime'), 'exponent'));
    expect(moved.changedTargets).toBeUndefined();
    expect(moved.newFailures.map((c) => c.check)).toEqual(['created-at.chat']);
    expect(moved.regressed).toBe(true);
    const replayed = compareMatrices(before, run('r2', '2026-11-25T08:00:00.000Z', { mode: 'replay', endpointHost: null, surface: 'runtime' }, 'exponent'));
    expect(replayed.changedTargets).toBeUndefined();
    expect(replayed.regressed).toBe(true);
    // A custom base URL is judged as Mantle: the emulator run with --endpoint alone is compared with its Mantle replay.
    const mantle = run('r0', '2026-11-23T08:00:00.000Z', { mode: 'replay', endpointHost: null, surface: 'mantle' }, 'integer');
    const custom = compareMatrices(mantle, run('r2', '2026-11-25T08:00:00.000Z', LIVE('127.0.0.1:4010', 'custom'), 'exponent'));
    expect(custom.changedTargets).toBeUndefined();
    expect(custom.regressed).toBe(true);
  });

  it('a report with --baseline says it in matrix.md and matrix.html', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'c.json'), JSON.stringify(run('r3', '2026-11-25T08:00:00.000Z', LIVE('gateway.example:443', 'custom'), 'integer')));
    const reported = await cli(['report', join(dir, 'c.json'), '--baseline', join(dir, 'a.json'), '--report-dir', join(dir, 'rep')]);
    // Its only target set apart: nothing was compared, and the gate fails on it, as compare exits 1.
    expect(reported.code, reported.stderr).toBe(1);
    expect(reported.stdout).toContain('gate: fail (exit 1): nothing was compared with --baseline\n');
    const md = await readFile(join(dir, 'rep', 'matrix.md'), 'utf8');
    expect(md).toContain('**Targets not compared: local (another endpoint than in the baseline: surface "runtime" -\\> "custom"; give each its own --target-name to compare them)**');
    expect(await readFile(join(dir, 'rep', 'matrix.html'), 'utf8')).toContain('another endpoint than in the baseline');
  });
});

describe('history', () => {
  /** A run file of target `t` on `surface`, its one cell observing `value`. */
  function file(id: string, at: string, surface: 'runtime' | 'custom', value: string): HistoryRun {
    return {
      format: HISTORY_RUN_FORMAT,
      run: { id, startedAt: at, finishedAt: at, harnessVersion: '0.1.0', partial: false, filtered: false },
      targets: [{ id: 't', mode: 'live', region: null, endpointHost: '127.0.0.1:41011', surface, sources: ['live'] }],
      models: [{ id: 'm1', family: null, inCatalog: true }],
      checks: [{ id: 'c1', group: 'G', api: null }],
      cells: { 't/m1': { c1: { status: value === 'served' ? 'pass' : 'fail', observed: value } } },
    };
  }

  it('labels the change point across the surface change as not the endpoint\'s, and no other', () => {
    const report = buildHistory([
      file('r1', '2026-11-01T00:00:00.000Z', 'runtime', 'served'),
      file('r2', '2026-11-02T00:00:00.000Z', 'custom', 'not-found'),
      file('r3', '2026-11-03T00:00:00.000Z', 'custom', 'served'),
    ]);
    const changes = report.cells.find((c) => c.check === 'c1')!.changes;
    expect(changes.map((c) => [c.run, c.targetChanged])).toEqual([[1, 'surface "runtime" -> "custom"'], [2, undefined]]);
    expect(changes[0]!.text).toBe('served -> not-found (the target is another endpoint than in the earlier run: surface "runtime" -> "custom"; not the endpoint\'s change)');
    expect(renderDigest(report)).toContain('the target is another endpoint than in the earlier run');
    // The page marks it too (run, 2), as it marks a change the harness made.
    const data = pageData(report) as { cells: unknown[][] };
    expect(data.cells[0]![6]).toEqual([1, 2]);
  });

  it('a run file keeps its targets\' surface, and validates', () => {
    const written = historyRunOf(run('r1', '2026-11-24T08:00:00.000Z', LIVE('127.0.0.1:41011', 'runtime'), 'integer'));
    expect(written.targets[0]!.surface).toBe('runtime');
    expect(runSchemaErrors(JSON.parse(JSON.stringify(written)))).toBeUndefined();
  });
});
