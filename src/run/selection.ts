/**
 * @module run/selection
 * Which (target, model) cells and which checks a run covers, from the positional filters, `--shard` and `-t`.
 * Both ways of running (in-process, and on vitest for `--ui` or vitest arguments) select through these
 * functions, with the semantics vitest gives the same flags on one spec file per model: a filter is a
 * case-insensitive part of the file name `<target>/<model>.spec.ts` (or of the model id, which the name encodes); `-t` is a regular expression tested against
 * `<model> <check>` and, with several targets, also the test's full name `<target> › <model> <check>` (`testName`);
 * shards are cut from
 * the file names in sorted order, so every shard of a run, on any machine, agrees on who runs what. The rules
 * themselves are in cell-selection.ts, which the reports of a merge that lacks a shard read too.
 */
import { cellTitle, matchesFilters, shardCells, testNameMatches, type Cell } from '../cell-selection.ts';
import { HarnessError } from '../errors.ts';
import { modelsOn, plannedOn, type PlannedCheck, type PlannedModel, type PlanTarget } from '../plan/plan.ts';
import { closest } from '../suite/closest.ts';

/** A target of the run: its surface (whose claims the plan takes) and, with `--models listed`, the models it runs. */
/** One cell of the run and the checks selected on it. */
export interface CellWork extends Cell {
  planned: PlannedModel;
  /** The vitest test title of the cell (a `describe`). */
  title: string;
  checks: PlannedCheck[];
}

export interface Selection {
  /** Positional filters (vitest file filters): model ids or parts of them. */
  filters: readonly string[];
  /** `--shard i/n`. */
  shard?: { index: number; count: number };
  /** `-t`: compiled already, so that a bad pattern is a usage error before anything runs. */
  pattern?: RegExp;
}

/**
 * The cells and checks a run covers, in plan order. A filter that matches no model, or a `-t` that matches no
 * check, is a usage error: a typo must not turn into a green run that checked nothing.
 */
export function selectWork(targets: readonly PlanTarget[], models: readonly PlannedModel[], selection: Selection): CellWork[] {
  const all = targets.flatMap((target) => modelsOn(models, target).map((planned) => ({ target: target.id, model: planned.id, planned: plannedOn(planned, target) })));
  for (const filter of selection.filters) {
    if (!all.some((cell) => matchesFilters(cell, [filter]))) {
      const ids = models.map((m) => m.id);
      const guess = closest(filter.toLowerCase(), ids);
      throw new HarnessError(
        'HARNESS_USAGE',
        `filter ${JSON.stringify(filter)} matches no model of the run${guess ? `; did you mean ${guess}?` : ''} (a filter is a model id or part of one: ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''})`,
      );
    }
  }
  const severalTargets = new Set(all.map((c) => c.target)).size > 1 || targets.length > 1;
  const pattern = selection.pattern;
  const filtered = all
    .filter((cell) => matchesFilters(cell, selection.filters))
    .map((cell) => {
      const title = cellTitle(cell, severalTargets);
      return { ...cell, title, checks: pattern ? cell.planned.checks.filter((check) => testNameMatches(pattern, cell, title, check.id)) : cell.planned.checks };
    });
  // Judged before sharding: a pattern that matches only another shard's models is not a typo.
  if (pattern && filtered.every((cell) => cell.checks.length === 0)) {
    throw new HarnessError('HARNESS_USAGE', `-t ${JSON.stringify(pattern.source)} matches no check of the selected models (it is matched against "<model> <check>", e.g. "xai.grok-4.3 stream.chat-completions", and with several targets also against "<target> › <model> <check>")`);
  }
  // shardCells sorts by file name; the run keeps plan order (filtered is in plan order).
  const inShard = new Set(shardCells(filtered, selection.shard));
  const work = filtered.filter((cell) => inShard.has(cell));
  return work.filter((cell) => cell.checks.length > 0);
}
