/**
 * @module report/capability-table
 * A model x API capability table like the hand-kept ones in gateway docs, but generated from runs (one per region
 * or several), with provenance per cell (region, date, source) and notes where support is partial. The columns and
 * how each reads the results are capability-columns.ts.
 */
import { CAPABILITIES, type CapabilityValue, type Lookup } from './capability-columns.ts';
import { pairKey, resultKey, resultsByCell, type Matrix } from './matrix.ts';
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

/** `us-east-1 2026-11-24 live`; a word is not repeated (`runtime.emulator 2026-11-24`, not `runtime.emulator 2026-11-24 emulator`). */
export function provenanceOf(matrix: Matrix, targetId: string): string {
  const target = matrix.targets.find((t) => t.id === targetId);
  if (!target) return targetId;
  const date = (target.mode === 'replay' ? target.provenance.recordedTo : matrix.run.finishedAt)?.slice(0, 10) ?? '?';
  const place = target.region ?? target.id;
  const sources = target.provenance.sources.length ? target.provenance.sources : [target.mode];
  // A source already said by the place's name (target `runtime.emulator`, source `emulator`) is not said again.
  const placeWords = new Set(place.split(/[.\-_ ]/));
  const words = [place, date, ...sources.filter((s) => s !== place && !placeWords.has(s))];
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
 * What the rows do not show of the runs they came from: an interrupted or partial run (and the models it did not
 * reach), a shard (the other shards' models are elsewhere), and the models a run left out as nothing observed.
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
    if (stopped) {
      const reached = new Set(ran.map((r) => r.model));
      const missed = shard ? [] : matrix.models.filter((m) => !reached.has(m.id)).map((m) => m.id);
      notes.push(`${where}: ${stopped}; cells it did not reach are not in the table${missed.length ? `, nor these models: ${missed.join(', ')}` : ''}`);
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
function placedNotes(judged: readonly { notes: string[]; provenance: string }[], label: (provenance: string) => string): string[] {
  const where = new Map<string, string[]>();
  for (const j of judged) for (const note of new Set(j.notes)) where.set(note, [...(where.get(note) ?? []), label(j.provenance)]);
  return [...where].map(([note, places]) => (judged.length > 1 && places.length < judged.length ? `${note} (in ${[...new Set(places)].join(', ')})` : note));
}

export function buildCapabilityTable(matrices: readonly Matrix[]): CapabilityTable {
  const models = [...new Map(matrices.flatMap((m) => m.models).map((m) => [m.id, m])).values()];
  // A model the gate found nothing of observed (a typo'd id, another model's answers) has no capabilities to publish.
  const indexes = matrices.map((matrix) => {
    const unobserved = unobservedModels(matrix).cells;
    return new Map(matrix.results.filter((r) => !r.notRun && !unobserved.has(r)).map((r) => [resultKey(r), r]));
  });
  const runs = matrices.flatMap((matrix, i) => matrix.targets.map((target) => ({ matrix, i, target, surface: target.surface ?? 'mantle', provenance: provenanceOf(matrix, target.id) })));
  const surfaces = [...new Set(runs.map((r) => r.surface))];
  // Where two runs share a place (one target on two dates), notes name the date too.
  const places = runs.map((r) => r.provenance.split(' ')[0]!);
  const label = (provenance: string) => {
    const place = provenance.split(' ')[0]!;
    return places.filter((p) => p === place).length > 1 ? provenance.split(' ').slice(0, 2).join(' ') : place;
  };
  // One row per model and surface it was run on: a model behaves per surface, and a migration reads both rows.
  const seen = indexes.map((index) => new Set([...index.values()].map((r) => pairKey(r.target, r.model))));
  const measured = (model: string, i: number, target: string) => seen[i]!.has(pairKey(target, model));
  const pairs = models.flatMap((model) => surfaces.filter((surface) => runs.some((r) => r.surface === surface && measured(model.id, r.i, r.target.id))).map((surface) => ({ model, surface })));
  const rows = pairs.map(({ model, surface }): CapabilityRow => {
    const cells: Record<string, CapabilityCell> = {};
    // Only the runs that measured the model: a region that did not run it has nothing to say of it, not `?`.
    const own = runs.filter((r) => r.surface === surface && measured(model.id, r.i, r.target.id));
    for (const capability of CAPABILITIES) {
      const judged = own.map(({ i, target, provenance }) => {
        const get: Lookup = (check) => indexes[i]!.get(resultKey({ target: target.id, model: model.id, check }));
        return { ...capability.judge(get), provenance };
      });
      // `n/a` (the API is not served) is a measurement too; only `unknown` is left out of the merge, and said per run
      // beside what the others measured, so a region where it all errored is not read as agreeing.
      const known = judged.filter((j) => j.value !== 'unknown');
      const values = new Set(known.map((j) => j.value));
      const value: CapabilityValue = known.length === 0 ? 'unknown' : values.size === 1 ? [...values][0]! : 'partial';
      const perRun = values.size > 1 || (known.length > 0 && known.length < judged.length) ? judged.map((j) => `${j.value === 'unknown' ? '?' : j.value} in ${label(j.provenance)}`) : [];
      const said = known.length ? known : judged;
      cells[capability.name] = { value, notes: [...new Set([...perRun, ...placedNotes(said, label)])], provenance: [...new Set(said.map((j) => j.provenance))] };
    }
    // Several runs' figures are told apart by their place, as the notes are.
    const latency = own.flatMap(({ matrix, target, provenance }) => {
      const figures = latencyOf(matrix, target.id, model.id);
      return figures === undefined ? [] : [own.length > 1 ? `${label(provenance)}: ${figures}` : figures];
    });
    return { model: model.id, family: model.family, surface, cells, ...(latency.length ? { latency: latency.join('; ') } : {}) };
  });
  return { capabilities: CAPABILITIES.map((c) => c.name), rows, notes: runNotes(matrices, seen) };
}
