/**
 * @module history/run-selection
 * What each run selected, from its files: the models and checks they listed, its CI run, whether it ran part of the catalog or a shard, and
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
 * Per run, the models and checks its files listed (what it planned: a `-t` filter or another shard leaves planned
 * cells out, the plan keeps them), whether it selected part of the catalog or is sharded, and whether it stopped early
 * (partial, interrupted): such a run says nothing of a model it did not observe.
 */
export function runsSelected(runOfPart: ReadonlyMap<SelectingPart, HistoryRunInfo>): Map<number, { models: Set<string>; checks: Set<string>; filtered: boolean; narrowed: boolean; unfinished: boolean }> {
  const selected = new Map<number, { models: Set<string>; checks: Set<string>; filtered: boolean; narrowed: boolean; unfinished: boolean }>();
  for (const [part, run] of runOfPart) {
    const entry = selected.get(run.index) ?? { models: new Set<string>(), checks: new Set<string>(), filtered: false, narrowed: false, unfinished: false };
    for (const m of part.models) entry.models.add(m);
    for (const c of part.checks) entry.checks.add(c);
    entry.filtered ||= part.run.filtered || part.run.shard !== undefined;
    // A selection (--models, --checks, filters) plans part of the catalog; a shard plans all of it.
    entry.narrowed ||= part.run.filtered;
    entry.unfinished ||= part.run.partial || part.run.interrupted === true;
    selected.set(run.index, entry);
  }
  return selected;
}

/**
 * Per run, what it selected, as a key two runs share when their latency measured the same requests: '' for a run of
 * the whole catalog and checks (a model that came or went is a small part), else its models and checks. `selected`:
 * runsSelected's.
 */
export function runSelections(selected: ReturnType<typeof runsSelected>): Map<number, string> {
  return new Map([...selected].map(([run, e]) => [run, e.narrowed ? JSON.stringify([[...e.models].sort(), [...e.checks].sort()]) : '']));
}

/** Per run, the CI run its files name (system and run id), for the runs whose files name one: one CI run's jobs are one night's (stale-targets.ts). */
export function runCi(runOfPart: ReadonlyMap<SelectingPart, HistoryRunInfo>): Map<number, string> {
  const ci = new Map<number, string>();
  for (const [part, run] of runOfPart) if (part.run.ci && !ci.has(run.index)) ci.set(run.index, `${part.run.ci.system}\u0000${part.run.ci.runId}`);
  return ci;
}
