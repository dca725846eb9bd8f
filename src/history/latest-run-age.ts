/**
 * @module history/latest-run-age
 * How long before now the folder's latest run started. A run that stops before its first check (an unreachable
 * endpoint, exit 2) appends nothing, so after a failed night `history` would present the night before as "now": the
 * reports say when the latest run was and how long ago, and warn when that is clearly stale. The rule: older than
 * twice the folder's usual interval between runs (the median of the gaps between consecutive runs' starts of
 * SAME_NIGHT_MS or more: the runs of one night, regions or workflows minutes apart, are one night) and more than a day;
 * with no such gap (one run, or one night's runs), more than a day. "Now" is the report's `generatedAt` (the build's
 * clock, which tests set). Replay runs (a PR job on fixtures) appended to the same folder observe recordings, not
 * the endpoint: when the folder's latest run is one, the latest live or record run is judged too, by the same rule
 * among live and record runs alone, so a live endpoint that appended nothing for nights does not hide behind them.
 * Staleness never changes `history`'s exit code: history never gates.
 */
import { SAME_NIGHT_MS } from '../same-night.ts';
import type { HistoryReport, HistoryRunInfo } from './history-model.ts';
import { median } from './recent-changes.ts';
import { DAY_MS } from './stale-targets.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface LatestRunAge {
  run: HistoryRunInfo;
  /** Now minus the run's start (negative when the machine that ran it had its clock ahead). */
  ageMs: number;
  /** The folder's usual interval between runs, when it has one (see the module's rule). */
  intervalMs?: number;
  stale: boolean;
  /** When the folder's latest run observed no endpoint (replay only): the latest live or record run's age, if any. */
  live?: LatestRunAge;
}

/** A run that observed an endpoint (a target live or recording), not recordings alone. */
const observedEndpoint = (run: HistoryRunInfo) => run.modes.some((mode) => mode !== 'replay');


/** The folder's latest run and how old it is, or undefined for a folder of no runs. */
export function latestRunAge(report: Pick<HistoryReport, 'runs' | 'generatedAt'>): LatestRunAge | undefined {
  const age = ageOf(report.runs, report.generatedAt);
  if (!age || observedEndpoint(age.run)) return age;
  const live = ageOf(report.runs.filter(observedEndpoint), report.generatedAt);
  return live ? { ...age, live } : age;
}

/** The latest of `runs` (in start order: run-info.ts) and how old it is, by the module's rule among them. */
function ageOf(runs: readonly HistoryRunInfo[], now: string): LatestRunAge | undefined {
  const run = runs.at(-1);
  if (!run) return undefined;
  const starts = runs.map((r) => Date.parse(r.startedAt));
  const intervalMs = median(starts.slice(1).map((at, i) => at - starts[i]!).filter((gap) => gap >= SAME_NIGHT_MS));
  const ageMs = Date.parse(now) - starts.at(-1)!;
  const stale = ageMs > DAY_MS && (intervalMs === undefined || ageMs > 2 * intervalMs);
  return { run, ageMs, ...(intervalMs === undefined ? {} : { intervalMs }), stale };
}

/** A duration in words: `less than an hour`, `5 hours`, `3 days`. */
function durationWords(ms: number): string {
  if (ms < HOUR_MS) return 'less than an hour';
  if (ms < 2 * DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `${Math.floor(ms / DAY_MS)} days`;
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const agoWords = (ageMs: number) => (ageMs < 0 ? `${durationWords(-ageMs)} after now (the clock of the machine that ran it is ahead)` : `${durationWords(ageMs)} before now`);

/**
 * What the reports say of it: `said`, always (when the latest run started, and how long before `now`); `stale`, the
 * warning when it is stale; `liveStale`, the warning when the latest live or record run is (replay runs appended
 * since). Callers escape the run id with `code` and a target id with `text`.
 */
export function latestRunLines(age: LatestRunAge, now: string, code: (v: string) => string, text: (v: string) => string = code): { said: string; stale?: string; liveStale?: string } {
  const { run, ageMs, intervalMs } = age;
  const said = `the folder's latest run ${code(run.id)} started ${when(run.startedAt)}, ${agoWords(ageMs)} (${when(now)})`;
  const usual = (interval: number | undefined, between: string) => (interval === undefined ? 'more than a day' : `more than twice the folder's usual interval between ${between} (${durationWords(interval)}) and more than a day`);
  const live = age.live?.stale ? age.live : undefined;
  const liveStale = live
    ? `the latest live or record run ${code(live.run.id)} (${live.run.targets.map(text).join(', ')}) started ${when(live.run.startedAt)}, ${agoWords(live.ageMs)} (${when(now)}): ${usual(live.intervalMs, 'live or record runs')}. Only replay runs (recordings, not the endpoint) appended to the folder since (a run that stops before its first check, such as on an unreachable endpoint, appends nothing; see the logs of the live runs since), so what this says of those targets' endpoints is as of ${live.run.startedAt.slice(0, 10)}, not current`
    : undefined;
  const extra = liveStale ? { liveStale } : {};
  if (!age.stale) return { said, ...extra };
  return { said, stale: `${said}: ${usual(intervalMs, 'runs')}. No run since appended to the folder (a run that stops before its first check, such as on an unreachable endpoint, appends nothing; see the logs of the runs since), so what this says is as of ${run.startedAt.slice(0, 10)}, not current`, ...extra };
}
