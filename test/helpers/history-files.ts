/**
 * Run files of a two-model history, built in memory: the tests of how one run id's files are cut into runs
 * (history-split, history-ci) share them. Shard 1/2 holds m1, 2/2 m2, a whole file both.
 */
import { HistoryBuilder } from '../../src/history/build-history.ts';
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
