/**
 * @module report/merge-targets
 * The targets of merged matrices: one entry per target id, so every input that holds a target must mean the same
 * endpoint by it (mode, host, region, surface, site); only provenance (how the data came) is joined.
 */
import type { Matrix, MatrixTarget } from './matrix.ts';
import { joinModelLists } from './merge-model-lists.ts';
import { hostWithoutPort } from './target-identity.ts';

/**
 * What a target is, field by field: two inputs' targets of one id must agree on each, or the merged matrix (one entry
 * per target) would say one file's mode and endpoint of the other file's cells, replayed and live cells as one. A run
 * made before surfaces is mantle; a site defaults as the migration view reads it (region, else the id). The host is
 * compared without its port, as compare and history read it (target-identity.ts): shards that each start their own
 * local server on a free port ran one endpoint; the merged target keeps the first input's host and port.
 */
function targetIdentity(t: MatrixTarget): Record<'mode' | 'endpointHost' | 'region' | 'surface' | 'site', string | null> {
  return { mode: t.mode, endpointHost: t.endpointHost, region: t.region, surface: t.surface ?? 'mantle', site: t.site ?? t.region ?? t.id };
}

/** Whether two inputs' values of one field agree (messages quote them as recorded, port included). */
const agree = (field: string, p: string | null, q: string | null) => (field === 'endpointHost' ? (hostWithoutPort(p) ?? p) === (hostWithoutPort(q) ?? q) : p === q);

/** The first target both matrices hold whose identity differs, and how, or undefined. */
export function targetDifference(a: Matrix, b: Matrix, names: [string, string]): string | undefined {
  for (const x of a.targets) {
    const y = b.targets.find((t) => t.id === x.id);
    if (!y) continue;
    const [p, q] = [targetIdentity(x), targetIdentity(y)];
    const fields = (Object.keys(p) as (keyof typeof p)[]).filter((k) => !agree(k, p[k], q[k]));
    if (!fields.length) continue;
    const values = fields.map((k) => `${k} ${JSON.stringify(p[k])} in ${names[0]}, ${JSON.stringify(q[k])} in ${names[1]}`).join('; ');
    return `target ${JSON.stringify(x.id)} is not the same endpoint in both (${values})`;
  }
  return undefined;
}

/** How many kept cases a target of matrix.json lists, a run's (transport/kept-cases.ts) and a merge's; the rest are counted. */
export const KEPT_LISTED = 200;

/**
 * The targets of the inputs, one per id. assertMergeable has refused inputs whose target of one id differs in what
 * it is (targetDifference), so the first is every input's; how its data came (provenance: fixture sources and
 * dates, which shards replayed what) may differ, and so may its model list (each input read it again): both are
 * joined, whatever the order of the inputs.
 */
export function mergeTargets(all: MatrixTarget[]): MatrixTarget[] {
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
    // Each shard's record run kept its own cases: all of them fail the merged gate.
    if (target.recordingKept) {
      const kept = (seen.recordingKept ??= { count: 0, cases: [] });
      kept.count += target.recordingKept.count;
      kept.cases = [...kept.cases, ...structuredClone(target.recordingKept.cases)].slice(0, KEPT_LISTED);
    }
  }
  for (const merged of byId.values()) {
    const lists = all.filter((t) => t.id === merged.id && t.modelList).map((t) => t.modelList!);
    if (lists.length) merged.modelList = joinModelLists(lists);
  }
  return [...byId.values()];
}
