/**
 * @module cli/same-run-twice
 * `table` lists each run's cells and latency once per input: two copies of one run (two files, one content) would
 * show its latency twice as if two runs had measured it. The file identity check does not see a copy.
 */
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';

/**
 * Why the inputs hold one run twice, naming both files and the fix; undefined when each run's target is given once.
 * A run is its id (a merge's id joins its runs' with `+`) on a target; a file of one shard holds that shard, any other
 * file (a whole run, a merge of shards) all of them: so a merge given with one of its own shards or regions is
 * caught, and two shards of one run are not.
 */
export function sameRunTwice(matrices: readonly Matrix[], files: readonly string[]): string | undefined {
  const seen = new Map<string, { file: number; shard: string | undefined }[]>();
  for (const [i, m] of matrices.entries()) {
    const shard = m.run.selection.shard;
    for (const id of m.run.id.split('+')) {
      for (const target of m.targets) {
        const key = `${id}\u0000${target.id}`;
        const earlier = seen.get(key) ?? [];
        const clash = earlier.find((e) => e.shard === undefined || shard === undefined || e.shard === shard);
        if (clash) {
          const which = shard && clash.shard === shard ? ` shard ${shard}` : '';
          return `${inertLine(files[clash.file] ?? '', 300)} and ${inertLine(files[i] ?? '', 300)} both hold run ${inertLine(id, 200)}${inertLine(which, 40)} on target ${inertLine(target.id, 200)} (a copy, or a merge given with one of its own shards or runs): its cells and latency would be listed twice; give each run once`;
        }
        seen.set(key, [...earlier, { file: i, shard }]);
      }
    }
  }
  return undefined;
}
