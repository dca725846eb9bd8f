/**
 * @module history/run-info
 * What the history says about a run as a whole: its files, start, targets, and whether it finished. A run that lost
 * a shard (a CI job that never uploaded), stopped early (partial) or was interrupted holds fewer cells than it
 * planned; the cells it lacks read as "not run", never as the state an earlier run left, and the reports name such a
 * run, so a lost shard can never read as "nothing changed".
 */
import type { HistoryRun } from '../suite/history-schema.ts';
import type { HistoryRunInfo } from './history-model.ts';
import { parseShard } from '../shard-spec.ts';
import { activeUntil as spanUntil, sameNight } from '../same-night.ts';

/** What a run file brings to its run's info. */
export interface RunPart {
  file: string;
  run: HistoryRun['run'];
  targets: HistoryRun['targets'];
}


/**
 * Per target of a run whose files for it are all shards: the shards read, and those no file holds. A target with an
 * unsharded file was run whole. Shards of more than one count (`1/2` and `2/3`) cannot be told complete unless one
 * count is: every count's missing shards are then listed.
 */
function shardCoverage(parts: readonly RunPart[]): NonNullable<HistoryRunInfo['shards']> {
  const byTarget = new Map<string, (string | undefined)[]>();
  for (const part of parts) for (const t of part.targets) byTarget.set(t.id, [...(byTarget.get(t.id) ?? []), part.run.shard]);
  const out: NonNullable<HistoryRunInfo['shards']> = [];
  for (const [target, shards] of [...byTarget.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (shards.some((s) => s === undefined)) continue;
    const seen = [...new Set(shards as string[])].sort();
    const counts = new Map<number, Set<number>>();
    for (const s of seen) {
      const shard = parseShard(s);
      if (shard) counts.set(shard.count, (counts.get(shard.count) ?? new Set()).add(shard.index));
    }
    const whole = [...counts].some(([count, indexes]) => indexes.size === count);
    const missing = whole ? [] : [...counts].sort(([a], [b]) => a - b).flatMap(([count, indexes]) => Array.from({ length: count }, (_, i) => i + 1).filter((i) => !indexes.has(i)).map((i) => `${i}/${count}`));
    out.push({ target, seen, missing });
  }
  return out;
}

/**
 * Files of one run id started further apart than this from the first file of their run are not one run: a `--run-id`
 * reused night after night (a fixed name in a CI config) would otherwise merge nights into one run and hide what
 * changed between them, and so would a CI run id that never changes (`act` sets GITHUB_RUN_ID 1) or a CI re-run days
 * later (GitHub allows them for 30 days: a new observation, whose outage must not hide behind the first attempt's
 * date). Shards queued behind each other, and a "Re-run failed jobs" within hours, start within it.
 */
export const RUN_ID_WINDOW_MS = 22 * 60 * 60 * 1000;

/** What a file covers of its run: per target, its shard or the whole target (which holds every shard of it). */
const slotsOf = (part: RunPart) => part.targets.map((t) => ({ target: t.id, shard: part.run.shard }));

/**
 * Whether `holder` overlaps the (target, shard) `slot` (a whole file of the target holds every shard of it, and a
 * whole slot takes in every shard held): a file overlapping what its run holds repeats it, so it is another run.
 */
const covers = (holder: RunPart, slot: { target: string; shard: string | undefined }) =>
  slotsOf(holder).some((s) => s.target === slot.target && (s.shard === undefined || slot.shard === undefined || s.shard === slot.shard));

/**
 * Whether `holders` re-ran all of `slot`: a whole file of the target, the same shard, or for a whole slot every shard
 * of one count (a shard alone re-ran only its part of a whole file).
 */
function reran(holders: readonly RunPart[], slot: { target: string; shard: string | undefined }): boolean {
  const shards = holders.flatMap((h) => slotsOf(h)).filter((s) => s.target === slot.target).map((s) => s.shard);
  if (shards.some((s) => s === undefined || s === slot.shard)) return true;
  if (slot.shard !== undefined) return false;
  const counts = new Map<number, Set<number>>();
  for (const shard of shards.map((s) => parseShard(s!))) if (shard) counts.set(shard.count, (counts.get(shard.count) ?? new Set()).add(shard.index));
  return [...counts].some(([count, indexes]) => indexes.size === count);
}

/** A file's place within its run: a later CI attempt's file comes after an earlier attempt's, then by start. */
export function partOrder(a: Pick<RunPart, 'run'>, b: Pick<RunPart, 'run'>): number {
  const attempt = (a.run.ci?.attempt ?? 0) - (b.run.ci?.attempt ?? 0);
  return attempt || (a.run.startedAt < b.run.startedAt ? -1 : a.run.startedAt > b.run.startedAt ? 1 : 0);
}

/** The CI run a file names ('' for none): runs of one id told apart by it are distinct runs, not a reused id. */
const ciKey = (part: RunPart) => (part.run.ci ? `${part.run.ci.system}\u0000${part.run.ci.runId}` : '');

/** When a file stopped being active (same-night.ts). */
const activeUntil = (part: RunPart) => spanUntil(part.run);

/**
 * The parts of one run id cut into runs, each with its CI key. In start order, a file joins the latest run of its CI
 * key (files with a CI identity: GitHub Actions' or GitLab CI's run id; files without one: each other) when it
 * started within RUN_ID_WINDOW_MS of that run's FIRST file; otherwise it starts a run. A CI run id tells its runs
 * apart, so its re-run hours later (a later attempt, a GitLab retry) stays the run's. A file that repeats a (target,
 * shard) the run holds starts a run too, and takes with it the run's files after the widest pause between starts
 * that follows the last file it repeats (one run's shards start close together: a night's shard that started first
 * and filled the slot a delayed night lost is the next night's, not the delayed one's; on a tie, the latest pause).
 * A repeat is allowed only from another CI attempt (a re-run's file of a slot replaces the earlier attempt's:
 * build-history.ts reads a run's files in partOrder), and a GitLab pipeline's (a retry keeps the pipeline id, which is
 * unique per pipeline, and records no attempt); the same attempt, or files without CI (a local run, another CI, a CI
 * run id that never changes, as `act` sets), cannot tell a re-run from the next run, so a repeat is a run of its own.
 * Where that cuts the files without CI into more than one run, the id is reused (a fixed --run-id on a schedule), and
 * they are cut again with one rule more, merge's too (same-night.ts sameNight): a file joins a run only within
 * SAME_NIGHT_MS of the end of the run's latest file (one run's shards start together or queued behind each other),
 * so a night that lost a shard never takes in the next night's file of it, whichever shard starts first. An id used once keeps its shards hours apart together.
 * Runs cut apart are named as a reused id: a cut that guessed wrong shows as two runs each missing a shard, said,
 * never as a whole run hiding one.
 */
function splitReusedId(parts: readonly RunPart[]): { parts: RunPart[]; key: string }[] {
  const runs = cutRuns(parts, false);
  return runs.filter((r) => r.key === '').length > 1 ? cutRuns(parts, true) : runs;
}

/** splitReusedId's cut; `paused`: a file without CI starting SAME_NIGHT_MS after its run's latest end starts a run. */
function cutRuns(parts: readonly RunPart[], paused: boolean): { parts: RunPart[]; key: string }[] {
  const sorted = [...parts].sort((a, b) => (a.run.startedAt < b.run.startedAt ? -1 : a.run.startedAt > b.run.startedAt ? 1 : 0));
  const runs: { parts: RunPart[]; key: string; first: number; until: number }[] = [];
  const startOf = (p: RunPart) => Date.parse(p.run.startedAt);
  for (const part of sorted) {
    const [key, start, attempt] = [ciKey(part), startOf(part), part.run.ci?.attempt];
    const current = runs.findLast((r) => r.key === key);
    // A CI job uploading its file twice (one start to the millisecond) is no repeat: it is the same observation.
    const duplicate = (p: RunPart) => key !== '' && p.run.startedAt === part.run.startedAt;
    // A GitLab retry keeps the pipeline id and records no attempt: within the window, its file of a slot is the retry's
    // (read after the earlier one, by start). Only an attempt that repeats itself, or no CI at all, is another run.
    const retry = part.run.ci?.system === 'gitlab';
    const repeats = (p: RunPart) => !retry && p.run.ci?.attempt === attempt && !duplicate(p) && slotsOf(part).some((slot) => covers(p, slot));
    const near = current !== undefined && start - current.first <= RUN_ID_WINDOW_MS && (!paused || key !== '' || sameNight(start, current.until));
    const held = near ? current.parts.findLastIndex(repeats) : -1;
    if (near && held < 0) {
      current.parts.push(part);
      current.until = Math.max(current.until, activeUntil(part));
      continue;
    }
    // A repeat: the new run begins at the widest pause between starts after the last file it repeats.
    const group = [part];
    if (near) {
      let [cut, widest] = [current.parts.length, start - startOf(current.parts.at(-1)!)];
      for (let i = current.parts.length - 1; i > held; i--) {
        const pause = startOf(current.parts[i]!) - startOf(current.parts[i - 1]!);
        if (pause > widest) [widest, cut] = [pause, i];
      }
      group.unshift(...current.parts.splice(cut));
      current.until = Math.max(...current.parts.map(activeUntil));
    }
    runs.push({ parts: group, key, first: startOf(group[0]!), until: Math.max(...group.map(activeUntil)) });
  }
  return runs;
}

/**
 * Whether the run's files did not finish: a partial or interrupted file counts unless a later file of the run (a
 * re-run's attempt) that finished re-ran each of its (target, shard)s (a later shard clears only its own shard).
 */
function unfinished(parts: readonly RunPart[], flag: (part: RunPart) => boolean): boolean {
  const finished = (p: RunPart) => !p.run.partial && !p.run.interrupted;
  return parts.some((part) => {
    const later = parts.filter((p) => p !== part && finished(p) && partOrder(part, p) < 0);
    return flag(part) && !slotsOf(part).every((slot) => reran(later, slot));
  });
}

/**
 * The run's gate, of the files whose verdict stands (a file a later finished attempt re-ran whole is replaced, as
 * its cells are): `fail` when one of them failed, with their run-level problems. Undefined when no file recorded
 * one (written before the gate was kept).
 */
function runGate(parts: readonly RunPart[]): HistoryRunInfo['gate'] {
  const finished = (p: RunPart) => !p.run.partial && !p.run.interrupted;
  const standing = parts.filter((part) => {
    const later = parts.filter((p) => p !== part && finished(p) && partOrder(part, p) < 0);
    return !slotsOf(part).every((slot) => reran(later, slot));
  });
  const gates = standing.flatMap((p) => (p.run.gate ? [p.run.gate] : []));
  if (gates.length === 0) return undefined;
  const verdicts = new Set(gates.map((g) => g.verdict));
  const verdict = verdicts.has('interrupted') ? 'interrupted' : verdicts.has('fail') ? 'fail' : 'pass';
  return { verdict, problems: gates.flatMap((g) => g.problems) };
}

/**
 * Runs in start order, and the run of each part (in the order given): the files of one run id together (its shards,
 * a re-run), started at the earliest part's start; an id reused on runs far apart is one run per use (reusedId).
 */
export function runInfos<P extends RunPart>(parts: readonly P[]): { runs: HistoryRunInfo[]; runOf: Map<P, HistoryRunInfo> } {
  const byId = new Map<string, P[]>();
  for (const part of parts) byId.set(part.run.id, [...(byId.get(part.run.id) ?? []), part]);
  const groups = [...byId.entries()].flatMap(([id, all]) => {
    const split = splitReusedId(all);
    // Reused only where runs of one CI key (or of none) were cut apart: runs told apart by their CI run ids are not.
    return split.map(({ parts: group, key }) => ({ id, group: group as P[], reused: split.filter((r) => r.key === key).length > 1 }));
  });
  const runs = groups.map(({ id, group: parts, reused }) => {
    const shards = shardCoverage(parts);
    const gate = runGate(parts);
    return {
      id,
      startedAt: parts.map((p) => p.run.startedAt).sort()[0]!,
      files: parts.map((p) => p.file).sort(),
      targets: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.id)))].sort(),
      modes: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.mode)))].sort(),
      partial: unfinished(parts, (p) => p.run.partial),
      // Optional, and only where they say something: history.json of runs that finished whole is as it was.
      ...(unfinished(parts, (p) => p.run.interrupted === true) ? { interrupted: true as const } : {}),
      ...(shards.length ? { shards } : {}),
      ...(reused ? { reusedId: true as const } : {}),
      ...(gate ? { gate } : {}),
      filtered: parts.some((p) => p.run.filtered),
      harnessVersion: parts[0]!.run.harnessVersion,
      parts,
    };
  });
  runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
  const runOf = new Map<P, HistoryRunInfo>();
  const infos = runs.map(({ parts: group, ...run }, index) => {
    const info: HistoryRunInfo = { index, ...run };
    for (const part of group) runOf.set(part, info);
    return info;
  });
  return { runs: infos, runOf };
}

/** Why a run did not finish whole, in words (empty when it did): interrupted, partial, shards no file holds. */
export function runGaps(run: HistoryRunInfo): string[] {
  const gaps: string[] = [];
  if (run.interrupted) gaps.push('interrupted');
  if (run.partial) gaps.push('partial (stopped before every cell ran)');
  for (const s of run.shards ?? []) if (s.missing.length) gaps.push(`${s.target}: shard ${s.missing.join(', ')} missing (read ${s.seen.join(', ')})`);
  return gaps;
}

/** The runs that did not finish whole, of those given (run indexes), oldest first. */
export function unfinishedRuns(runs: readonly HistoryRunInfo[], among?: ReadonlySet<number>): { run: HistoryRunInfo; gaps: string[] }[] {
  return runs.filter((run) => !among || among.has(run.index)).map((run) => ({ run, gaps: runGaps(run) })).filter((r) => r.gaps.length > 0);
}
