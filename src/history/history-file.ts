/**
 * @module history/history-file
 * One run in a history folder: what a run observed, compactly (per cell the status, observed value and trials; per
 * (target, model, API) the latency percentiles; every answer's shape fingerprint; the run's metadata), not the
 * evidence, which stays in matrix.json. One gzip'd file per run, never rewritten: the name is unique (the run's
 * start, its id, its shard and a random suffix) and the file appears whole (written beside and renamed), so two
 * jobs appending at once, a history folder kept in a git branch or a CI cache, and merges of both never conflict.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic, type FileWriter } from '../atomic-write.ts';
import { definitionDigest } from '../report/check-definitions.ts';
import type { Matrix } from '../report/matrix.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../suite/history-schema.ts';

/** Every run file of a history folder ends so; anything else in the folder is not read. */
export const RUN_FILE_SUFFIX = '.run.json.gz';

/** How many run-level problems a file keeps (a run of many typo'd ids names the first ones), and how long each. */
const MAX_PROBLEMS = 50;
const MAX_MESSAGE = 600;

/** The run's gate as the history keeps it: the verdict and the run-level problems, bounded as the schema bounds them. */
function gateOf(gate: Matrix['gate']): NonNullable<HistoryRun['run']['gate']> {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);
  // Run-level problems first (a spent budget, a partial run): a run of many models with nothing observed kept only those.
  const ordered = [...gate.problems.filter((p) => p.kind !== 'unobserved-model'), ...gate.problems.filter((p) => p.kind === 'unobserved-model')];
  const problems = ordered.slice(0, MAX_PROBLEMS).map((p) => ({
    kind: p.kind,
    message: cut(p.message, MAX_MESSAGE),
    // Ids longer than the schema allows are left out rather than cut: a cut id would name another model.
    ...(p.target !== undefined && p.target.length <= 200 ? { target: p.target } : {}),
    ...(p.model !== undefined && p.model.length <= 200 ? { model: p.model } : {}),
  }));
  return { verdict: gate.verdict, problems };
}

/** The run as the history keeps it. */
export function historyRunOf(matrix: Matrix): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const r of matrix.results) {
    if (r.notRun) continue;
    const cell: HistoryCell = { status: r.status, observed: r.observed };
    if (r.gating) cell.gating = true;
    if (r.trials?.length) cell.trials = r.trials.slice(0, 10).map((t) => [t.status, t.observed]);
    (cells[`${r.target}/${r.model}`] ??= {})[r.check] = cell;
  }
  const selection = matrix.run.selection;
  // `--models listed` (or catalog+listed) stores the ids its targets' model lists gave in selection.models: the run
  // selected what the endpoint lists, so a model the list dropped is gone, not unselected (as compare.ts reads it).
  const listed = matrix.targets.some((t) => t.modelList !== undefined);
  return {
    format: HISTORY_RUN_FORMAT,
    run: {
      id: matrix.run.id,
      startedAt: matrix.run.startedAt,
      finishedAt: matrix.run.finishedAt,
      harnessVersion: matrix.run.harnessVersion,
      partial: matrix.run.partial,
      ...(matrix.run.interrupted ? { interrupted: true } : {}),
      ...(selection.shard ? { shard: selection.shard } : {}),
      filtered: (selection.models.length > 0 && !listed) || selection.checks.length > 0 || selection.filters.length > 0,
      ...(matrix.run.ci ? { ci: matrix.run.ci } : {}),
      gate: gateOf(matrix.gate),
    },
    // The surface too: a target id whose endpoint changed between runs is told apart from the endpoint's own change.
    targets: matrix.targets.map((t) => ({ id: t.id, mode: t.mode, region: t.region, endpointHost: t.endpointHost, surface: t.surface ?? 'mantle', sources: t.provenance.sources })),
    models: matrix.models.map((m) => ({ id: m.id, family: m.family, inCatalog: m.inCatalog })),
    // What each check measured in this build: a change point where it differs is the harness's, not the endpoint's.
    checks: matrix.checks.map((c) => ({ id: c.id, group: c.group, api: c.api, definition: definitionDigest(c) })),
    cells,
    ...(matrix.totals.latency ? { latency: matrix.totals.latency } : {}),
    ...(matrix.shapes ? { shapes: matrix.shapes } : {}),
  };
}

/**
 * `20261203T101500Z-<run id>[-shard-1of3]-<random>.run.json.gz`: sorts by start time, never collides. The run id
 * was checked as a name; anything else is replaced, and the random suffix keeps names unique whatever it becomes.
 */
export function runFileName(run: HistoryRun['run']): string {
  const stamp = run.startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '').slice(0, 16);
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.]/, '_');
  const shard = run.shard ? `-shard-${run.shard.replace('/', 'of')}` : '';
  return `${safe(stamp)}-${safe(run.id).slice(0, 80)}${safe(shard)}-${randomBytes(6).toString('hex')}${RUN_FILE_SUFFIX}`;
}

/** Appends the run to the history folder (made if needed); returns the file's path. */
export async function appendRun(dir: string, matrix: Matrix, io: FileWriter = fs): Promise<string> {
  const run = historyRunOf(matrix);
  const file = join(dir, runFileName(run.run));
  // The temp file beside it does not end in RUN_FILE_SUFFIX: a reader lists only finished files.
  await writeFileAtomic(file, gzipSync(JSON.stringify(run), { level: 9 }), io);
  return file;
}
