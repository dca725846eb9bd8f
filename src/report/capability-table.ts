/**
 * @module report/capability-table
 * A model x API capability table like the hand-kept ones in gateway docs, but generated from runs (one per region
 * or several), with provenance per cell (region, date, source) and notes where support is partial. The columns and
 * how each reads the results are capability-columns.ts.
 */
import { CAPABILITIES } from './capability-columns.ts';
import type { CapabilityValue, Lookup, NotRun } from './capability-reading.ts';
import { unreachedRows } from './capability-unreached.ts';
import { wasElsewhere, wasNotReached } from './gate.ts';
import { pairKey, resultKey, resultsByCell, type Matrix } from './matrix.ts';
import { unreadModelLists, unusableListedLines } from './model-lists.ts';
import { unobservedModels } from './observed-models.ts';

export type { CapabilityValue };

export interface CapabilityCell {
  value: CapabilityValue;
  notes: string[];
  /** Where each observation came from: `us-east-1 2026-11-24 live`. */
  provenance: string[];
}

export interface CapabilityRow {
  model: string;
  family: string | null;
  /** The endpoint surface the row was measured on (`mantle`, `runtime`, `custom`): one row per model and surface. */
  surface: string;
  cells: Record<string, CapabilityCell>;
  /** Total time p50/p95 per API, when the runs measured it (`(recorded)` when replayed). */
  latency?: string;
}

export interface CapabilityTable {
  capabilities: string[];
  rows: CapabilityRow[];
  /**
   * What the rows do not show of the runs they came from: a run that was interrupted, partial or one shard of
   * several, and the models left out because nothing of them was observed. Empty for finished whole runs.
   */
  notes?: string[];
}

/**
 * `us-east-1 2026-11-24 live`; a word is not repeated (`runtime.emulator 2026-11-24`, not `runtime.emulator 2026-11-24
 * emulator`). A replayed target's date is when its recordings were made: one that read none (a shard holding none of
 * its models) has no date to give, and gives none rather than `?` or the replay's own date.
 */
export function provenanceOf(matrix: Matrix, targetId: string): string {
  const target = matrix.targets.find((t) => t.id === targetId);
  if (!target) return targetId;
  const date = (target.mode === 'replay' ? target.provenance.recordedTo : matrix.run.finishedAt)?.slice(0, 10);
  const place = target.region ?? target.id;
  const sources = target.provenance.sources.length ? target.provenance.sources : [target.mode];
  // A source already said by the place's name (target `runtime.emulator`, source `emulator`) is not said again.
  const placeWords = new Set(place.split(/[.\-_ ]/));
  const words = [place, ...(date ? [date] : []), ...sources.filter((s) => s !== place && !placeWords.has(s))];
  return [...new Set(words)].join(' ');
}

/** Latency of the model in one run: total time p50/p95 per API, said as recorded when the run replayed it. */
function latencyOf(matrix: Matrix, targetId: string, model: string): string | undefined {
  const apis = matrix.totals.latency?.[`${targetId}/${model}`];
  if (!apis || Object.keys(apis).length === 0) return undefined;
  const recorded = matrix.targets.find((t) => t.id === targetId)?.mode === 'replay';
  const parts = Object.entries(apis).map(([api, l]) => `${api} ${Math.round(l.totalMs.p50)}/${Math.round(l.totalMs.p95)} ms`);
  return `${parts.join(', ')}${recorded ? ' (recorded)' : ''}`;
}

/**
 * What the rows do not show of the runs they came from: an interrupted or partial run (and each model and target it
 * ran nothing of, which has no row), a shard (the other shards' models are elsewhere: `table` refuses two shards of
 * one run, so a shard here is given without the others), the listed ids no row shows (no usable model id), and the
 * models a run left out as nothing observed.
 */
function runNotes(matrices: readonly Matrix[], seen: readonly Set<string>[]): string[] {
  return matrices.flatMap((matrix, i) => {
    const place = (target: string) => provenanceOf(matrix, target).split(' ')[0]!;
    const where = matrix.targets.map((t) => provenanceOf(matrix, t.id)).join(', ') || matrix.run.id;
    const ran = [...resultsByCell(matrix.results, (r) => !r.notRun).values()].map((results) => results[0]!);
    const notes: string[] = [];
    const stopped = matrix.run.interrupted === true || matrix.gate.verdict === 'interrupted' ? 'the run was interrupted' : matrix.run.partial ? `a partial run (${matrix.run.partialReason ?? 'it did not finish'})` : undefined;
    const shard = matrix.run.selection.shard;
    if (shard) notes.push(`${where}: shard ${shard} of a run, the other shards' models are not here (merge the shards first: mantle-conformance merge)`);
    // A model list read in part (`--models listed`): the models on the part not read never ran, and are not rows.
    for (const { target, missing } of unreadModelLists(matrix.targets)) notes.push(`${where}: the model list of target ${target} was not read whole (${missing}): the models on the part not read are not in the table`);
    // Ids a list held that are no usable model id (src/names.ts) were never tested: no row shows them, and the gate failed on them.
    for (const { line } of unusableListedLines(matrix.targets)) notes.push(`${where}: ${line}: they were not tested, not in the table`);
    if (stopped) {
      // Per (target, model), not per model: a model with a row on one surface is not thereby measured on the other.
      const missed = shard ? { count: 0, notes: [] } : unreachedRows(matrix, (target) => provenanceOf(matrix, target));
      notes.push(`${where}: ${stopped}; the cells name the checks it did not reach (not reached: ...)${missed.count ? `; ${missed.count} (model, target) pair(s) it ran nothing of have no row, named in the notes that follow` : ''}`, ...missed.notes);
    }
    // The run's own filter (--checks, -t) leaving out checks the table reads, said once here as each cell names those
    // it reads; not what a merge says a region did not select (the cells name those).
    const reached = new Set(ran.map((r) => pairKey(r.target, r.model)));
    const filtered = new Set(matrix.results.filter((r) => wasElsewhere(r) && reached.has(pairKey(r.target, r.model))).map((r) => r.check));
    const unplanned = unplannedChecks(matrix);
    const unselected = TABLE_CHECKS.filter((check) => unplanned.has(check) || filtered.has(check));
    if (!shard && unselected.length) {
      const how = [...(matrix.run.selection?.checks ?? []).map((c) => `--checks ${c}`), ...(matrix.run.selection?.filters ?? []).map((f) => `filter ${f}`)].join(', ');
      notes.push(`${where}: ${unselected.length} of the ${TABLE_CHECKS.length} checks the table reads were not run${how ? ` (${how})` : ''}; a cell names those it reads (not run: ...)`);
    }
    const left = ran.filter((r) => !seen[i]!.has(pairKey(r.target, r.model))).map((r) => `${r.model} (${place(r.target)})`);
    if (left.length) notes.push(`${where}: left out, nothing of them observed: ${left.join(', ')}`);
    return notes;
  });
}

/**
 * The notes of several runs of one cell: a note every run gave is said once; one only some runs gave names them
 * (`array content rejected (in us-west-2)`), so runs that agree on the value are not read as agreeing on the why.
 */
function placedNotes(judged: readonly { notes: string[]; label: string }[]): string[] {
  const where = new Map<string, string[]>();
  for (const j of judged) for (const note of new Set(j.notes)) where.set(note, [...(where.get(note) ?? []), j.label]);
  return [...where].map(([note, places]) => (judged.length > 1 && places.length < judged.length ? `${note} (in ${[...new Set(places)].join(', ')})` : note));
}

type Run = { matrix: Matrix; i: number; target: Matrix['targets'][number]; surface: string; provenance: string };

/**
 * The shortest name that tells each run from the others of its surface (only those share a row): its place, then
 * its date (one target on two dates), then its run id (two runs of one region on one day), then its target.
 */
function runLabels(runs: readonly Run[]): string[] {
  const levels = (r: Run) => {
    const [place, date] = r.provenance.split(' ') as [string, string | undefined];
    const dated = `${place} ${date ?? ''}`.trim();
    return [place, dated, `${dated} run ${r.matrix.run.id}`, `${dated} run ${r.matrix.run.id} ${r.target.id}`];
  };
  return runs.map((run) => {
    const others = runs.filter((r) => r !== run && r.surface === run.surface).map(levels);
    const own = levels(run);
    return own.find((name, level) => !others.some((o) => o[level] === name)) ?? own.at(-1)!;
  });
}

/** Every check a column reads. */
const TABLE_CHECKS = [...new Set(CAPABILITIES.flatMap((c) => c.checks))];

/**
 * The checks the table reads that a `--checks` run left out of its plan: they are in no cell of it. Only when the
 * run says it selected checks: a matrix without a check for another reason (an older harness) says nothing of it.
 */
function unplannedChecks(matrix: Matrix): Set<string> {
  if (!matrix.run.selection?.checks?.length) return new Set();
  const planned = new Set(matrix.checks.map((c) => c.id));
  return new Set(TABLE_CHECKS.filter((check) => !planned.has(check)));
}

export function buildCapabilityTable(matrices: readonly Matrix[]): CapabilityTable {
  const models = [...new Map(matrices.flatMap((m) => m.models).map((m) => [m.id, m])).values()];
  // A model the gate found nothing of observed (a typo'd id, another model's answers) has no capabilities to publish.
  const indexes = matrices.map((matrix) => {
    const unobserved = unobservedModels(matrix).cells;
    return new Map(matrix.results.filter((r) => !r.notRun && !unobserved.has(r)).map((r) => [resultKey(r), r]));
  });
  // A check the run did not run (not reached, filtered out, or left out of its plan by --checks): named in the cells that read it.
  const notRuns = matrices.map((matrix): ((key: { target: string; model: string; check: string }) => ReturnType<NotRun>) => {
    const cells = new Map(matrix.results.filter((r) => r.notRun).map((r) => [resultKey(r), wasNotReached(r) ? ('not reached' as const) : ('not run' as const)]));
    const unplanned = unplannedChecks(matrix);
    return (key) => cells.get(resultKey(key)) ?? (unplanned.has(key.check) ? 'not run' : undefined);
  });
  const unlabelled: Run[] = matrices.flatMap((matrix, i) => matrix.targets.map((target) => ({ matrix, i, target, surface: target.surface ?? 'mantle', provenance: provenanceOf(matrix, target.id) })));
  const labels = runLabels(unlabelled);
  const runs = unlabelled.map((r, n) => ({ ...r, label: labels[n]! }));
  const surfaces = [...new Set(runs.map((r) => r.surface))];
  // One row per model and surface it was run on: a model behaves per surface, and a migration reads both rows.
  const seen = indexes.map((index) => new Set([...index.values()].map((r) => pairKey(r.target, r.model))));
  const measured = (model: string, i: number, target: string) => seen[i]!.has(pairKey(target, model));
  const pairs = models.flatMap((model) => surfaces.filter((surface) => runs.some((r) => r.surface === surface && measured(model.id, r.i, r.target.id))).map((surface) => ({ model, surface })));
  const rows = pairs.map(({ model, surface }): CapabilityRow => {
    const cells: Record<string, CapabilityCell> = {};
    // Only the runs that measured the model: a region that did not run it has nothing to say of it, not `?`.
    const own = runs.filter((r) => r.surface === surface && measured(model.id, r.i, r.target.id));
    for (const capability of CAPABILITIES) {
      const judged = own.map(({ i, target, provenance, label }) => {
        const get: Lookup = (check) => indexes[i]!.get(resultKey({ target: target.id, model: model.id, check }));
        const notRun: NotRun = (check) => notRuns[i]!({ target: target.id, model: model.id, check });
        return { ...capability.judge(get, notRun), provenance, label };
      });
      // `n/a` (the API is not served) is a measurement too; only `unknown` is left out of the merge, and said per run
      // beside what the others measured, so a region where it all errored is not read as agreeing.
      const known = judged.filter((j) => j.value !== 'unknown');
      const values = new Set(known.map((j) => j.value));
      const value: CapabilityValue = known.length === 0 ? 'unknown' : values.size === 1 ? [...values][0]! : 'partial';
      const perRun = values.size > 1 || (known.length > 0 && known.length < judged.length) ? judged.map((j) => `${j.value === 'unknown' ? '?' : j.value} in ${j.label}`) : [];
      const said = known.length ? known : judged;
      cells[capability.name] = { value, notes: [...new Set([...perRun, ...placedNotes(said)])], provenance: [...new Set(said.map((j) => j.provenance))] };
    }
    // Several runs' figures are told apart by their place, as the notes are.
    const latency = own.flatMap(({ matrix, target, label }) => {
      const figures = latencyOf(matrix, target.id, model.id);
      return figures === undefined ? [] : [own.length > 1 ? `${label}: ${figures}` : figures];
    });
    return { model: model.id, family: model.family, surface, cells, ...(latency.length ? { latency: latency.join('; ') } : {}) };
  });
  return { capabilities: CAPABILITIES.map((c) => c.name), rows, notes: runNotes(matrices, seen) };
}
