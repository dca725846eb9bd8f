/**
 * @module report/merge-not-compared
 * What a merge lists as not compared: the ids each input did not compare on its own targets, less what another input
 * compared there (compare.ts lists them per input, as `comparison.notSelected`).
 */
import type { Matrix } from './matrix.ts';

/**
 * The ids the inputs did not compare, on their own targets, less what another input compared there (a lone shard's
 * "not compared" is mostly its sibling shards' cells) and what is listed as new or vanished. Only an input with a
 * comparison compared its cells: the pairs an input without one ran (a shard run without --baseline) are not
 * compared (`target/model`, or `target: every model` when no input compared any of the target), and say so (byShard).
 */
export function notCompared(inputs: readonly Matrix[], listed: Record<'models' | 'checks', string[]>): Record<'models' | 'checks', string[]> & { byShard: boolean } {
  const compared = inputs.filter((m) => m.comparison).flatMap((m) => m.results.filter((r) => !r.notRun));
  const ran = new Set(compared.flatMap((r) => [`${r.target}\u0000m\u0000${r.model}`, `${r.target}\u0000c\u0000${r.check}`, `m\u0000${r.target}/${r.model}`, `m\u0000${r.target}: every model`, `t\u0000${r.target}`]));
  const out = { models: new Set<string>(), checks: new Set<string>() };
  let byShard = false;
  for (const input of inputs) {
    const targets = input.targets.map((t) => t.id);
    for (const kind of ['models', 'checks'] as const) {
      for (const id of input.comparison?.notSelected?.[kind] ?? []) {
        const missed = targets.filter((t) => !ran.has(`${t}\u0000${kind[0]}\u0000${id}`));
        if (listed[kind].includes(id) || ran.has(`${kind[0]}\u0000${id}`) || missed.length === 0) continue;
        if (kind === 'checks' || missed.length === targets.length) out[kind].add(id);
        else for (const t of missed) out.models.add(`${t}/${id}`);
      }
    }
    if (input.comparison) continue;
    for (const r of input.results) {
      if (r.notRun || ran.has(`${r.target}\u0000m\u0000${r.model}`)) continue;
      byShard = true;
      out.models.add(ran.has(`t\u0000${r.target}`) ? `${r.target}/${r.model}` : `${r.target}: every model`);
    }
  }
  return { models: [...out.models], checks: [...out.checks], byShard };
}
