/**
 * Run files of a two-model history, built in memory: the tests of how one run id's files are cut into runs
 * (history-split, history-ci) share them. Shard 1/2 holds m1, 2/2 m2, a whole file both. And `history` run
 * in-process on a folder of run files, for the tests of what it says.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { historyCommand } from '../../src/cli/history-command.ts';
import { HistoryBuilder } from '../../src/history/build-history.ts';
import { RUN_FILE_SUFFIX } from '../../src/history/history-file.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../../src/suite/history-schema.ts';

export const MODELS = ['m1', 'm2'];

export interface RunFileOptions {
  shard?: string;
  partial?: boolean;
  ci?: HistoryRun['run']['ci'];
  /** The cell c1 of a model. */
  cellOf: (model: string) => HistoryCell;
}

/** A file of id `id` started at `at`. */
export function twoModelRun(id: string, at: string, opts: RunFileOptions): HistoryRun {
  const models = opts.shard === '1/2' ? ['m1'] : opts.shard === '2/2' ? ['m2'] : MODELS;
  const cells: HistoryRun['cells'] = {};
  for (const m of models) cells[`t/${m}`] = { c1: opts.cellOf(m) };
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: at, finishedAt: 'x', harnessVersion: '0.1.0', partial: opts.partial ?? false, filtered: false, ...(opts.shard ? { shard: opts.shard } : {}), ...(opts.ci ? { ci: opts.ci } : {}) },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: MODELS.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: [{ id: 'c1', group: 'G', api: null }],
    cells,
  };
}

/** The history of `files`, the last 10 runs, as of 2027-01-01. */
export function buildHistory(files: HistoryRun[]) {
  const builder = new HistoryBuilder();
  files.forEach((f, i) => builder.add(`f${i}`, f));
  return builder.build({ last: 10, now: new Date('2027-01-01T00:00:00Z') });
}

/** `history` in-process on a new folder under `parent` holding `runs` (the last `last`): its exit code, console and history.md. */
export async function historyInFolder(parent: string, runs: readonly HistoryRun[], last = '10'): Promise<{ code: number; console: string; md: string }> {
  const folder = await mkdtemp(join(parent, 'h-'));
  for (const [i, run] of runs.entries()) await writeFile(join(folder, `${run.run.startedAt.replace(/[-:.]/g, '')}-${run.run.id}-${i}${RUN_FILE_SUFFIX}`), gzipSync(JSON.stringify(run)));
  let text = '';
  const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  const code = await historyCommand(folder, { reportDir: join(folder, 'out'), last }, out);
  return { code, console: text, md: await readFile(join(folder, 'out', 'history.md'), 'utf8') };
}
