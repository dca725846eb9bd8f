/**
 * @module history/run-selection
 * What each run selected, from its files: the models they listed, whether it ran part of the catalog or a shard, and
 * whether it stopped early (a model it did not run is not gone), and a key runs that selected the same share (their
 * latency measured the same requests).
 */
import type { HistoryRun } from '../suite/history-schema.ts';
import type { HistoryRunInfo } from './history-model.ts';

/** What a run file brings to its run's selection. */
export interface SelectingPart {
  run: HistoryRun['run'];
  models: ReadonlySet<string>;
  checks: readonly string[];
}

/**
 * Per run, the models its files listed, whether it selected part of the catalog or is sharded, and whether it
 * stopped early (partial, interrupted): such a run says nothing of a model it did not observe.
 */
export function runsSelected(runOfPart: ReadonlyMap<SelectingPart, HistoryRunInfo>): Map<number, { models: Set<string>; filtered: boolean; unfinished: boolean }> {
  const selected = new Map<number, { models: Set<string>; filtered: boolean; unfinished: boolean }>();
  for (const [part, run] of runOfPart) {
    const entry = selected.get(run.index) ?? { models: new Set<string>(), filtered: false, unfinished: false };
    for (const m of part.models) entry.models.add(m);
    entry.filtered ||= part.run.filtered || part.run.shard !== undefined;
    entry.unfinished ||= part.run.partial || part.run.interrupted === true;
    selected.set(run.index, entry);
  }
  return selected;
}

/**
 * Per run, what it selected, as a key two runs share when their latency measured the same requests: '' for a run of
 * the whole catalog and checks (a model that came or went is a small part), else its models and checks.
 */
export function runSelections(runOfPart: ReadonlyMap<SelectingPart, HistoryRunInfo>): Map<number, string> {
  const byRun = new Map<number, { filtered: boolean; models: Set<string>; checks: Set<string> }>();
  for (const [part, run] of runOfPart) {
    const entry = byRun.get(run.index) ?? { filtered: false, models: new Set<string>(), checks: new Set<string>() };
    entry.filtered ||= part.run.filtered;
    for (const m of part.models) entry.models.add(m);
    for (const c of part.checks) entry.checks.add(c);
    byRun.set(run.index, entry);
  }
  return new Map([...byRun].map(([run, e]) => [run, e.filtered ? JSON.stringify([[...e.models].sort(), [...e.checks].sort()]) : '']));
}
