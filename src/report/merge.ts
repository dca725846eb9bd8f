/**
 * @module report/merge
 * Several matrices into one: the shards of a run (vitest --shard, one CI job each) or one run per region. A cell
 * one matrix did not run is filled from the one that did, so merged shards equal a single run's matrix.
 */
import { HarnessError } from '../errors.ts';
import { finishMatrix, sortedKeys, sumUsage } from './build-matrix.ts';
import type { Matrix, MatrixResult, MatrixTarget, UsageTotals } from './matrix.ts';

const key = (r: Pick<MatrixResult, 'target' | 'model' | 'check'>) => `${r.target}\u0000${r.model}\u0000${r.check}`;

function mergeTargets(all: MatrixTarget[]): MatrixTarget[] {
  const byId = new Map<string, MatrixTarget>();
  for (const target of all) {
    const seen = byId.get(target.id);
    if (!seen) {
      byId.set(target.id, structuredClone(target));
      continue;
    }
    const p = seen.provenance;
    const q = target.provenance;
    p.sources = [...new Set([...p.sources, ...q.sources])].sort();
    const from = [p.recordedFrom, q.recordedFrom].filter((x): x is string => !!x).sort()[0];
    const to = [p.recordedTo, q.recordedTo].filter((x): x is string => !!x).sort().at(-1);
    if (from) p.recordedFrom = from;
    if (to) p.recordedTo = to;
    if (p.harnessVersions || q.harnessVersions) p.harnessVersions = [...new Set([...(p.harnessVersions ?? []), ...(q.harnessVersions ?? [])])].sort();
  }
  return [...byId.values()];
}

function unionBy<T>(lists: T[][], id: (x: T) => string): T[] {
  const out = new Map<string, T>();
  for (const list of lists) for (const x of list) if (!out.has(id(x))) out.set(id(x), x);
  return [...out.values()];
}

export function mergeMatrices(matrices: readonly Matrix[]): Matrix {
  const first = matrices[0];
  if (!first) throw new HarnessError('HARNESS_USAGE', 'merge needs at least one matrix.json');
  const results = new Map<string, MatrixResult>();
  const order: string[] = [];
  for (const matrix of matrices) {
    for (const result of matrix.results) {
      const k = key(result);
      const seen = results.get(k);
      if (!seen) order.push(k);
      if (!seen || (seen.notRun && !result.notRun)) results.set(k, result);
    }
  }
  const usage: Record<string, UsageTotals> = {};
  for (const matrix of matrices) {
    for (const [k, u] of Object.entries(matrix.totals.perModel)) {
      const seen = usage[k];
      usage[k] = seen ? { ...sumUsage([seen, u]), wallMs: Math.max(seen.wallMs ?? 0, u.wallMs ?? 0) } : { ...u };
    }
  }
  const startedAt = matrices.map((m) => m.run.startedAt).sort()[0]!;
  const finishedAt = matrices.map((m) => m.run.finishedAt).sort().at(-1)!;
  const ids = [...new Set(matrices.map((m) => m.run.id))];
  const partial = matrices.filter((m) => m.run.partial);
  const merged: Matrix = {
    format: first.format,
    run: {
      ...first.run,
      id: ids.join('+'),
      startedAt,
      finishedAt,
      durationMs: new Date(finishedAt).getTime() - new Date(startedAt).getTime(),
      partial: partial.length > 0,
      ...(partial.length ? { partialReason: partial.map((m) => m.run.partialReason).join('; ') } : {}),
      selection: {
        models: [...new Set(matrices.flatMap((m) => m.run.selection.models))],
        checks: [...new Set(matrices.flatMap((m) => m.run.selection.checks))],
        filters: [...new Set(matrices.flatMap((m) => m.run.selection.filters))],
      },
    },
    targets: mergeTargets(matrices.flatMap((m) => m.targets)),
    checks: unionBy(matrices.map((m) => m.checks), (c) => c.id),
    models: unionBy(matrices.map((m) => m.models), (m) => m.id),
    results: order.map((k) => results.get(k)!),
    totals: { ...first.totals, usage: sumUsage(Object.values(usage)), perModel: sortedKeys(usage), wallMs: Math.max(...matrices.map((m) => m.totals.wallMs)) },
    gate: first.gate,
  };
  if (!merged.run.partial) delete merged.run.partialReason;
  return finishMatrix(merged);
}
