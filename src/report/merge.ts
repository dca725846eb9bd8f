/**
 * @module report/merge
 * Several matrices into one: the shards of a run (vitest --shard, one CI job each) or one run per region. A cell
 * one matrix did not run is filled from the one that did, so merged shards equal a single run's matrix. The
 * inputs must be complete: every shard of each run id exactly once, and no two runs of one target; otherwise the
 * merged matrix is partial, its reason names what is missing or doubled, and the gate fails.
 */
import { mergeShapeTables } from '../checks/shape.ts';
import { HarnessError } from '../errors.ts';
import { finishMatrix, sortedKeys, sumUsage } from './build-matrix.ts';
import { resultKey as key, type Matrix, type MatrixResult, type MatrixTarget, type UsageTotals } from './matrix.ts';


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

const runName = (m: Matrix) => `run ${m.run.id}${m.run.selection.shard ? ` shard ${m.run.selection.shard}` : ''}`;

/** What makes the inputs not the complete shard set of one run id (or one run per target): missing, doubled, mixed. */
export function incompleteness(matrices: readonly Matrix[]): string[] {
  const problems: string[] = [];
  const runs = new Map<string, Matrix[]>();
  for (const m of matrices) runs.set(m.run.id, [...(runs.get(m.run.id) ?? []), m]);
  for (const [id, inputs] of runs) {
    const whole = inputs.filter((m) => !m.run.selection.shard);
    const shards = inputs.filter((m) => m.run.selection.shard);
    if (whole.length > 1) problems.push(`run ${id} is given ${whole.length} times`);
    if (whole.length && shards.length) problems.push(`run ${id} is given whole and as shards (${shards.map((m) => m.run.selection.shard).join(', ')})`);
    if (!shards.length) continue;
    const parsed = shards.map((m) => /^(\d+)\/(\d+)$/.exec(m.run.selection.shard!)).map((x) => (x ? { i: Number(x[1]), n: Number(x[2]) } : undefined));
    const counts = [...new Set(parsed.map((p) => p?.n))];
    if (parsed.some((p) => !p) || counts.length > 1) {
      problems.push(`the shards of run ${id} do not belong together (${shards.map((m) => m.run.selection.shard).join(', ')})`);
      continue;
    }
    const n = counts[0]!;
    for (let i = 1; i <= n; i++) {
      const seen = parsed.filter((p) => p!.i === i).length;
      if (seen === 0) problems.push(`shard ${i}/${n} of run ${id} is missing`);
      if (seen > 1) problems.push(`shard ${i}/${n} of run ${id} is given ${seen} times`);
    }
  }
  if (runs.size > 1) {
    const byTarget = new Map<string, Set<string>>();
    for (const m of matrices) for (const t of m.targets) byTarget.set(t.id, (byTarget.get(t.id) ?? new Set()).add(m.run.id));
    for (const [target, ids] of byTarget) {
      if (ids.size > 1) problems.push(`target ${target} comes from ${ids.size} different runs (${[...ids].join(', ')}): merge takes the shards of one run (give every shard the same --run-id) or one run per region`);
    }
  }
  return problems;
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
  // The same file given twice is counted once (the gate already fails on it).
  const distinct = [...new Map(matrices.map((m) => [`${m.run.id}\u0000${m.run.selection.shard ?? ''}\u0000${m.run.startedAt}`, m])).values()];
  for (const matrix of distinct) {
    for (const [k, u] of Object.entries(matrix.totals.perModel)) {
      const seen = usage[k];
      usage[k] = seen ? { ...sumUsage([seen, u]), wallMs: Math.max(seen.wallMs ?? 0, u.wallMs ?? 0) } : { ...u };
    }
  }
  const startedAt = matrices.map((m) => m.run.startedAt).sort()[0]!;
  const finishedAt = matrices.map((m) => m.run.finishedAt).sort().at(-1)!;
  const ids = [...new Set(matrices.map((m) => m.run.id))];
  const latencies = distinct.flatMap((m) => (m.totals.latency ? [m.totals.latency] : []));
  const latency = latencies.length ? Object.assign({}, ...latencies) as NonNullable<Matrix['totals']['latency']> : undefined;
  const span = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  const partial = matrices.filter((m) => m.run.partial);
  const incomplete = incompleteness(matrices);
  const reasons = [...incomplete.map((p) => `merge: ${p}`), ...partial.map((m) => `${runName(m)}: ${m.run.partialReason ?? 'partial'}`)];
  const merged: Matrix = {
    format: first.format,
    run: {
      ...first.run,
      id: ids.join('+'),
      startedAt,
      finishedAt,
      durationMs: Number.isFinite(span) ? span : 0,
      partial: reasons.length > 0,
      ...(reasons.length ? { partialReason: reasons.join('; ') } : {}),
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
    totals: {
      ...first.totals,
      usage: sumUsage(Object.values(usage)),
      perModel: sortedKeys(usage),
      wallMs: Math.max(...matrices.map((m) => m.totals.wallMs)),
      ...(latency ? { latency: sortedKeys(latency) } : {}),
    },
    gate: first.gate,
  };
  const shapes = mergeShapeTables(distinct.flatMap((m) => (m.shapes ? [m.shapes] : [])));
  if (shapes) merged.shapes = shapes;
  if (!merged.run.partial) delete merged.run.partialReason;
  // The merged run was not itself interrupted: an interrupted input makes it partial, which fails the gate.
  delete merged.run.interrupted;
  return finishMatrix(merged);
}
