/**
 * @module cell-selection
 * The rules of a run's selection, apart from the plan they select from: which cells a model filter takes, which
 * checks `-t` takes, and which shard of n holds which cell. The run selects with them (run/selection.ts), and the
 * reports of a merge that lacks a shard read the run's recorded selection with them (report/missing-shard.ts), so
 * that the cells they call the missing shard's are those the run would have run there, not a guess of their own.
 */
import { posix } from 'node:path';
import { folderName } from './names.ts';

/** A (target, model) cell of a run. */
export interface Cell {
  target: string;
  model: string;
}

/** The spec file of a cell, relative to the run's spec folder (always with `/`). */
export function specFileName(cell: Cell): string {
  return posix.join(folderName(cell.target), `${folderName(cell.model)}.spec.ts`);
}

/** The `describe` title of a cell: the model, prefixed by the target when a run has several. */
export function cellTitle(cell: Cell, severalTargets: boolean): string {
  return severalTargets ? `${cell.target} › ${cell.model}` : cell.model;
}

/**
 * Whether `-t` selects a check of a cell. The README promises `<model> <check>`: a pattern anchored on the model
 * (`^xai\.grok-4\.3 `) must select it on every target, also in the default replay of two targets, where the test's
 * full name starts with the target. The full name is tried too, so that a pattern can pick one target
 * (`^runtime\.us-east-1 › `). The checks run are chosen here (the spec files hold only them), so the in-process run
 * and the run on vitest select alike.
 */
export function testNameMatches(pattern: RegExp, cell: Cell, title: string, check: string): boolean {
  return pattern.test(`${cell.model} ${check}`) || (title !== cell.model && pattern.test(`${title} ${check}`));
}

/**
 * vitest's file filter: the lower-cased relative file name contains one of the lower-cased filters; or the model id
 * does, as typed: the file name encodes every byte but `[a-z0-9.-]` (`/mnt/models/Llama-3` is in
 * `_2Fmnt_2Fmodels_2F_4Clama-3`), so a filter that is an id, or part of one, with `/`, `:` or a capital still selects it.
 */
export function matchesFilters(cell: Cell, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  const file = specFileName(cell).toLocaleLowerCase();
  const model = cell.model.toLocaleLowerCase();
  return filters.some((filter) => file.includes(filter.toLocaleLowerCase()) || model.includes(filter.toLocaleLowerCase()));
}

/** Shard `index` of `count`: the cells sorted by file name, cut into `count` runs that differ by one at most. */
export function shardCells<T extends Cell>(cells: readonly T[], shard: { index: number; count: number } | undefined): T[] {
  if (!shard) return [...cells];
  const ordered = [...cells].sort((a, b) => (specFileName(a) < specFileName(b) ? -1 : specFileName(a) > specFileName(b) ? 1 : 0));
  const base = Math.floor(ordered.length / shard.count);
  const longer = ordered.length % shard.count;
  const start = (shard.index - 1) * base + Math.min(shard.index - 1, longer);
  return ordered.slice(start, start + base + (shard.index <= longer ? 1 : 0));
}

