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
 * Files of one run id and no CI identity started further apart than this from the first file of their run are not
 * one run: a `--run-id` reused night after night (a fixed name in a CI config) would otherwise merge nights into one
 * run and hide what changed between them. Shards queued behind each other start within it.
 */
export const RUN_ID_WINDOW_MS = 22 * 60 * 60 * 1000;

/** What a file covers of its run: per target, its shard or the whole target (which holds every shard of it). */
const slotsOf = (part: RunPart) => part.targets.map((t) => ({ target: t.id, shard: part.run.shard }));

/** Whether `holder` covers the (target, shard) `slot`: a whole file of the target holds every shard of it. */
const covers = (holder: RunPart, slot: { target: string; shard: string | undefined }) =>
  slotsOf(holder).some((s) => s.target === slot.target && (s.shard === undefined || slot.shard === undefined || s.shard === slot.shard));

/** A file's place within its run: a later CI attempt's file comes after an earlier attempt's, then by start. */
export function partOrder(a: Pick<RunPart, 'run'>, b: Pick<RunPart, 'run'>): number {
  const attempt = (a.run.ci?.attempt ?? 0) - (b.run.ci?.attempt ?? 0);
  return attempt || (a.run.startedAt < b.run.startedAt ? -1 : a.run.startedAt > b.run.startedAt ? 1 : 0);
}

/**
 * The parts of one run id cut into runs. Files that carry a CI identity (run.ci: the run was made in GitHub Actions or
 * GitLab CI) are one run per CI run id, whenever they started: its shards, and every attempt of a re-run (whose file
 * of a slot replaces the earlier attempt's: build-history.ts reads a run's files in partOrder). Files without one (a
 * local run, another CI) cannot tell a re-run from the next run on a schedule: in start order, a file joins the
 * latest such run when it started within RUN_ID_WINDOW_MS of that run's FIRST file and covers no (target, shard) the
 * run already holds; otherwise it starts a run (so a re-run outside known CI is a run of its own).
 */
function splitReusedId(parts: readonly RunPart[]): RunPart[][] {
  const sorted = [...parts].sort((a, b) => (a.run.startedAt < b.run.startedAt ? -1 : a.run.startedAt > b.run.startedAt ? 1 : 0));
  const byCi = new Map<string, RunPart[]>();
  const runs: { parts: RunPart[]; first: number }[] = [];
  for (const part of sorted) {
    const ci = part.run.ci;
    if (ci) {
      const key = `${ci.system}\u0000${ci.runId}`;
      const run = byCi.get(key);
      if (run) run.push(part);
      else {
        byCi.set(key, [part]);
        runs.push({ parts: byCi.get(key)!, first: Number.NaN });
      }
      continue;
    }
    const start = Date.parse(part.run.startedAt);
    const current = runs.findLast((r) => !Number.isNaN(r.first));
    const fits = current !== undefined && start - current.first <= RUN_ID_WINDOW_MS && slotsOf(part).every((slot) => !current.parts.some((p) => covers(p, slot)));
    if (fits) current.parts.push(part);
    else runs.push({ parts: [part], first: start });
  }
  return runs.map((run) => run.parts);
}

/**
 * Whether the run's files did not finish: a partial or interrupted file counts unless a later file of the run (a
 * re-run's attempt) that finished covers each of its (target, shard)s.
 */
function unfinished(parts: readonly RunPart[], flag: (part: RunPart) => boolean): boolean {
  const finished = (p: RunPart) => !p.run.partial && !p.run.interrupted;
  return parts.some((part) => flag(part) && !slotsOf(part).every((slot) => parts.some((later) => later !== part && finished(later) && partOrder(part, later) < 0 && covers(later, slot))));
}

/**
 * Runs in start order, and the run of each part (in the order given): the files of one run id together (its shards,
 * a re-run), started at the earliest part's start; an id reused on runs far apart is one run per use (reusedId).
 */
export function runInfos<P extends RunPart>(parts: readonly P[]): { runs: HistoryRunInfo[]; runOf: Map<P, HistoryRunInfo> } {
  const byId = new Map<string, P[]>();
  for (const part of parts) byId.set(part.run.id, [...(byId.get(part.run.id) ?? []), part]);
  const groups = [...byId.entries()].flatMap(([id, all]) => {
    const split = splitReusedId(all) as P[][];
    return split.map((group) => ({ id, group, reused: split.length > 1 }));
  });
  const runs = groups.map(({ id, group: parts, reused }) => {
    const shards = shardCoverage(parts);
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
