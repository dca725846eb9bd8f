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

/** Runs in start order: the files of one run id together, started at the earliest part's start. */
export function runInfos(parts: readonly RunPart[]): HistoryRunInfo[] {
  const byId = new Map<string, RunPart[]>();
  for (const part of parts) byId.set(part.run.id, [...(byId.get(part.run.id) ?? []), part]);
  const runs = [...byId.entries()].map(([id, parts]) => {
    const shards = shardCoverage(parts);
    return {
      id,
      startedAt: parts.map((p) => p.run.startedAt).sort()[0]!,
      files: parts.map((p) => p.file).sort(),
      targets: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.id)))].sort(),
      modes: [...new Set(parts.flatMap((p) => p.targets.map((t) => t.mode)))].sort(),
      partial: parts.some((p) => p.run.partial),
      // Optional, and only where they say something: history.json of runs that finished whole is as it was.
      ...(parts.some((p) => p.run.interrupted) ? { interrupted: true as const } : {}),
      ...(shards.length ? { shards } : {}),
      filtered: parts.some((p) => p.run.filtered),
      harnessVersion: parts[0]!.run.harnessVersion,
    };
  });
  runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
  return runs.map((run, index) => ({ index, ...run }));
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
