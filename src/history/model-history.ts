/**
 * @module history/model-history
 * Models appearing and disappearing in each target's runs. A model observed something in a run when one of its
 * cells of a check that uses the model had a status that observes (an API not served is an observation too), and the
 * run's gate did not find nothing of it observed (a typo'd id's route errors read as "unsupported" to some checks:
 * report/observed-models.ts); cells of checks that need no model (its absence from the list, error bodies) observe
 * nothing of it. A run whose cells of it were all errors or skips (an outage) says nothing of it; and an unfiltered, unsharded run that did not have it at all says
 * it is gone from the catalog (or the selection). A run that did not select it says nothing, nor does a run that stopped early
 * (a spend cap, Ctrl-C) of a model it observed nothing of: it may never have reached it.
 */
import { splitCellKey } from '../report/matrix.ts';
import { ASKS_NO_MODEL } from '../report/observed-models.ts';
import type { CellState, HistoryRunInfo, ModelHistory } from './history-model.ts';

/** Statuses that say something about the model was observed. */
const OBSERVING: ReadonlySet<string> = new Set(['pass', 'fail', 'flaky', 'unsupported', 'inconclusive']);

/** A (target, model, check)'s row of the builder's grid: its target's runs, and its state number in each (-1: no result). */
export interface GridRow {
  runs: readonly number[];
  states: Int32Array;
}

export interface ModelInputs {
  /** Per series (the grid's rows), its target, model and check. */
  series: readonly { target: string; model: string; check: string }[];
  grid: readonly GridRow[];
  /** The states the grid's numbers stand for. */
  states: readonly CellState[];
  families: ReadonlyMap<string, string | null>;
  /** Per run index, the models its files listed, whether it selected part of the catalog or was one shard, and whether it stopped early. */
  selected: ReadonlyMap<number, { models: ReadonlySet<string>; filtered: boolean; unfinished?: boolean }>;
  runs: readonly HistoryRunInfo[];
  targets: ReadonlyMap<string, readonly number[]>;
}

/** Whether the run's gate (when its files recorded it) found nothing of the model observed on the target. */
export function unobservedIn(run: HistoryRunInfo | undefined, target: string, model: string): boolean {
  return run?.gate?.problems.some((p) => p.kind === 'unobserved-model' && p.target === target && p.model === model) ?? false;
}

export function modelHistories({ series, grid, states, families, selected, runs, targets }: ModelInputs): ModelHistory[] {
  // Per target/model, per run of its target: 2 when a cell observed something, 1 when cells ran and observed nothing.
  const observing = states.map((state) => OBSERVING.has(state.status));
  const seen = new Map<string, Uint8Array>();
  grid.forEach((row, at) => {
    const key = `${series[at]!.target}/${series[at]!.model}`;
    const usesModel = !ASKS_NO_MODEL.test(series[at]!.check);
    let flags = seen.get(key);
    if (!flags) seen.set(key, (flags = new Uint8Array(row.states.length)));
    for (let i = 0; i < row.states.length; i++) {
      const state = row.states[i]!;
      if (state >= 0 && flags[i] !== 2) flags[i] = usesModel && observing[state] ? 2 : 1;
    }
  });
  const out: ModelHistory[] = [];
  for (const [key, flags] of [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { target, model } = splitCellKey(key);
    const history: ModelHistory = { target, model, family: families.get(model) ?? null, firstSeen: null, lastSeen: null, events: [] };
    let present: boolean | undefined;
    for (const [i, runIndex] of (targets.get(target) ?? []).entries()) {
      const run = selected.get(runIndex);
      // The run's gate found nothing of it observed: what its cells read was not the model's.
      if (unobservedIn(runs[runIndex], target, model)) continue;
      // Cells that ran and observed nothing (errors, skips) say nothing: an outage is not the catalog emptying (the
      // errors are named as such, error-cells.ts).
      const now = flags[i] === 2 ? true : run?.unfinished || flags[i] ? undefined : run && !run.filtered && !run.models.has(model) ? false : undefined;
      if (now === undefined) continue;
      if (now) {
        history.firstSeen ??= runIndex;
        history.lastSeen = runIndex;
      }
      if (present !== undefined && now !== present) history.events.push({ run: runIndex, date: runs[runIndex]!.startedAt.slice(0, 10), kind: now ? 'appeared' : 'disappeared' });
      present = now;
    }
    out.push(history);
  }
  return out;
}
