/**
 * @module report/same-run
 * Whether the two sides of a comparison are one run: then nothing can be compared, and compare and `report
 * --baseline` refuse it rather than show "no change".
 */
import { inertLine } from './inert-text.ts';
import type { Matrix } from './matrix.ts';

/**
 * Why the two sides cannot be compared at all, or undefined: both are one run (its id, start and shard; a copy of
 * the file too), as when a baseline step fetched this run's own artifact. Compared with itself a run never shows a
 * change, and `report --baseline` would replace the regression its matrix.json recorded with none: a green gate from
 * nothing, so compare and report refuse it (exit 2) rather than warn. A merge of a run's shards and one of those
 * shards are one run too (the shard's cells compared with themselves): the merge keeps the run id and spans every
 * shard's start (it starts with the first). Two shards of one run hold different cells: they are compared; so are two
 * attempts of one CI run ("Re-run failed jobs": laterAttempt).
 */
export function sameRunProblem(before: Pick<Matrix, 'run'>, after: Pick<Matrix, 'run'>): string | undefined {
  if (before.run.id !== after.run.id || laterAttempt(before, after)) return undefined;
  const [shardBefore, shardAfter] = [before.run.selection.shard ?? '', after.run.selection.shard ?? ''];
  const same = shardBefore === shardAfter ? before.run.startedAt === after.run.startedAt : shardBefore === '' || shardAfter === '' ? shardOf(shardBefore ? before : after, shardBefore ? after : before) : false;
  if (!same) return undefined;
  const shard = shardBefore === shardAfter ? '' : ` (${shardBefore ? 'the baseline' : 'the newer'} is its shard ${inertLine(shardBefore || shardAfter)})`;
  return `the baseline is the same run as the newer one, ${inertLine(after.run.id)} (started ${inertLine(after.run.startedAt)})${shard}: a run compared with itself never shows a change; give the matrix.json of an earlier run as the baseline`;
}

/**
 * Whether a shard's run is one a merge was made of (one run id): it started within the merge's span (the merge started
 * with its first shard and finished with its last), in the same CI run when both say theirs (a PR's run under a
 * nightly's fixed --run-id, at the same hour, is another run).
 */
function shardOf(shard: Pick<Matrix, 'run'>, merged: Pick<Matrix, 'run'>): boolean {
  const [a, b] = [shard.run.ci, merged.run.ci];
  if (a && b && (a.system !== b.system || a.runId !== b.runId)) return false;
  return shard.run.startedAt >= merged.run.startedAt && shard.run.startedAt <= merged.run.finishedAt;
}

/**
 * Whether the two sides are of different attempts of one CI run, so they hold different observations: a merge
 * records only its shards' latest attempt (merge.ts), so two files of one kind (two merges, or one shard twice) whose
 * attempts differ are two runs, and so is a shard of a later attempt than any the merge took in. A shard of an
 * earlier attempt than the merge's may be one the merge holds (only its other shards were re-run): still one run.
 */
function laterAttempt(before: Pick<Matrix, 'run'>, after: Pick<Matrix, 'run'>): boolean {
  const [a, b] = [before.run.ci, after.run.ci];
  if (!a || !b || a.system !== b.system || a.runId !== b.runId || a.attempt === undefined || b.attempt === undefined || a.attempt === b.attempt) return false;
  const [shardA, shardB] = [before.run.selection.shard ?? '', after.run.selection.shard ?? ''];
  if (shardA === shardB) return true;
  // Two shards of one run are never one run (sameRunProblem); a shard and a merge: by whose attempt is later.
  if (shardA !== '' && shardB !== '') return false;
  return shardA !== '' ? a.attempt > b.attempt : b.attempt > a.attempt;
}
