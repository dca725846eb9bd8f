/**
 * @module cli/same-run-twice
 * `table` lists each run's cells and latency once per input: two copies of one run (two files, one content) would
 * show its latency twice as if two runs had measured it. The file identity check does not see a copy.
 */
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';

/**
 * Why the inputs hold one run twice (the same run id, shard and target in two files), naming both files and the
 * fix; undefined when each run's target is given once.
 */
export function sameRunTwice(matrices: readonly Matrix[], files: readonly string[]): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, m] of matrices.entries()) {
    for (const target of m.targets) {
      const key = [m.run.id, m.run.selection.shard ?? '', target.id].join('\u0000');
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        continue;
      }
      const shard = m.run.selection.shard ? ` shard ${m.run.selection.shard}` : '';
      return `${inertLine(files[first] ?? '', 300)} and ${inertLine(files[i] ?? '', 300)} are the same run (run ${inertLine(m.run.id, 200)}${inertLine(shard, 40)}, target ${inertLine(target.id, 200)}), copied: its latency would be listed twice; give each run once`;
    }
  }
  return undefined;
}
