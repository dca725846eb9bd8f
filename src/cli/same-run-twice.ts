/**
 * @module cli/same-run-twice
 * `table` lists each run's cells and latency once per input: two copies of one run (two files, one content) would
 * show its latency twice as if two runs had measured it. The file identity check does not see a copy. Nor is one run
 * given as several shard files read as several runs: it is merged first.
 */
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';
import { shellWord } from './shell-word.ts';

/**
 * Why the inputs hold one run twice, naming both files and the fix; undefined when each run's target is given once.
 * A run is its id (a merge's id joins its runs' with `+`) on a target; a file of one shard holds that shard, any other
 * file (a whole run, a merge of shards) all of them: so a merge given with one of its own shards or regions is
 * caught, and two shards of one run are not (shardsApart says those).
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

/**
 * Why the inputs hold several shards of one run apart, naming the files and `merge` as the fix; undefined when no run
 * id has two shard files. Each shard would be a run of its own in the table: its targets dated by its own cells (a
 * target a shard holds no model of has none), its notes saying the other shards are not here when they are, and
 * the checks or pairs a missing shard held unsaid. `merge` checks that every shard is there once and joins them into
 * the one run the table reads, so the table takes that rather than a second reading of shards.
 */
export function shardsApart(matrices: readonly Matrix[], files: readonly string[]): string | undefined {
  // One run is its id on a target, as above: two regions' runs sharded under one fixed --run-id are two runs.
  const byRun = new Map<string, number[]>();
  matrices.forEach((m, i) => {
    if (!m.run.selection.shard) return;
    for (const target of m.targets) byRun.set(`${m.run.id}\u0000${target.id}`, [...(byRun.get(`${m.run.id}\u0000${target.id}`) ?? []), i]);
  });
  const given = [...byRun.values()].find((of) => of.length > 1);
  if (!given) return undefined;
  const named = given.map((i) => `${inertLine(files[i] ?? '', 300)} (shard ${inertLine(matrices[i]!.run.selection.shard!, 40)})`).join(', ');
  // Each path one shell word (a space or a quote in it would paste as other arguments), then inert as every other word.
  const paths = given.map((i) => inertLine(shellWord(files[i] ?? ''), 300)).join(' ');
  return `${named} are shards of one run, ${inertLine(matrices[given[0]!]!.run.id, 200)}, given apart: the table reads one file per run; merge them first (mantle-conformance merge ${paths} --report-dir DIR, which also says a shard that is missing) and give the table DIR/matrix.json`;
}
