/**
 * @module same-night
 * How far apart two runs of one night may be when nothing else ties them (no CI run recorded on both): the jobs of a
 * nightly start and end minutes or a few hours apart (queued jobs, one workflow per region or surface), and two
 * nights are a day apart. History reads targets whose latest runs are this close as current together
 * (history/stale-targets.ts); merge reads two baselines of one run id that finished this close as one run
 * (report/merge-refusals.ts). One rule says which files are of one night, for history and merge alike (sameNight):
 * a file that starts within SAME_NIGHT_MS of the END of the latest file before it (shards queued behind a long one
 * start hours after the first started; what counts is the pause, not how long the first ran). History reads a file
 * of a reused run id with no CI run that starts so as one of that run's shards, and one starting later as another
 * run (history/run-info.ts); merge refuses inputs not tied by one CI run that do not chain so (nightBreak), or that
 * chain over more than MAX_NIGHT_SPAN_MS (spanBreak).
 */
export const SAME_NIGHT_MS = 6 * 60 * 60 * 1000;

/**
 * How far apart the first and the last start of one merge's inputs may be when no one CI run ties them all: the chain
 * alone is transitive, and region jobs staggered 4 or 5 hours through the day chain each into the next day's, so a
 * region's file of the day before (its job today died) would chain in. A nightly's jobs all start within its day.
 */
export const MAX_NIGHT_SPAN_MS = 24 * 60 * 60 * 1000;

/** What a run file says of when it ran. */
interface RunSpan {
  startedAt: string;
  finishedAt: string;
}

/** When a file stopped being active: its end, or its start when its end is not a time after it. */
export function activeUntil(span: RunSpan): number {
  const [start, end] = [Date.parse(span.startedAt), Date.parse(span.finishedAt)];
  return end > start ? end : start;
}

/** Whether a file starting at `start` is of the night of files active until `until` (a time that does not parse is not). */
export const sameNight = (start: number, until: number): boolean => start - until <= SAME_NIGHT_MS;

/**
 * Where items (files, or groups of files one CI run ties) fail to chain into one night, by sameNight: in start order,
 * the first that starts more than SAME_NIGHT_MS after the end of every item before it (`after`), and the item before
 * it that ended last (`before`); undefined when they chain.
 */
export function nightBreak<T>(items: readonly T[], startOf: (item: T) => number, untilOf: (item: T) => number): { before: T; after: T } | undefined {
  const sorted = [...items].sort((a, b) => startOf(a) - startOf(b));
  let latest: T | undefined;
  for (const item of sorted) {
    if (latest !== undefined && !sameNight(startOf(item), untilOf(latest))) return { before: latest, after: item };
    if (latest === undefined || untilOf(item) > untilOf(latest)) latest = item;
  }
  return undefined;
}

/**
 * Where items starting at `startOf` span more than MAX_NIGHT_SPAN_MS: the first to start and the last (undefined
 * when they do not). Merge's rule only (history cuts runs by sameNight alone).
 */
export function spanBreak<T>(items: readonly T[], startOf: (item: T) => number): { first: T; last: T } | undefined {
  if (items.length < 2) return undefined;
  const first = items.reduce((a, b) => (startOf(b) < startOf(a) ? b : a));
  const last = items.reduce((a, b) => (startOf(b) > startOf(a) ? b : a));
  return startOf(last) - startOf(first) > MAX_NIGHT_SPAN_MS ? { first, last } : undefined;
}

/**
 * The earliest and the latest of run times (each parses) by the moment they say, not by their text: `10:00:00Z`
 * sorts after `10:00:00.500Z` and is before it. Two texts of one moment are picked by the code-unit-smallest, so the
 * pick never depends on the order the times are given in.
 */
export function timeBounds(times: readonly string[]): { first: string; last: string } {
  const order = (a: string, b: string) => Date.parse(a) - Date.parse(b) || (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...times].sort(order);
  const last = sorted.filter((t) => Date.parse(t) === Date.parse(sorted.at(-1)!))[0]!;
  return { first: sorted[0]!, last };
}

/** A time between two events as a reader says it: `7 h 30 min`, `4 d 23 h 30 min`, `45 s` (whole seconds). */
export function spanWords(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : '', s % 60 && !d ? `${s % 60} s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : 'under a second';
}
