/**
 * @module history/run-values
 * What a run file's schema cannot say about its values: a start that is a real moment (a run writes it with
 * `Date#toISOString()`) and not in the future (its shard is read as `--shard` takes it: shard-spec.ts). Observed
 * values are not held to their checks' vocabularies: a history folder is kept for a year, across upgrades whose
 * checks may change their words, and the reports show every value as inert text.
 */
import { inertLine } from '../report/inert-text.ts';

const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

/**
 * Why `startedAt` is not a real UTC date and time (realTimeProblem), or is later than now, or undefined.
 */
export function startedAtProblem(startedAt: string, now: number = Date.now()): string | undefined {
  return realTimeProblem(startedAt, 'run.startedAt') ?? futureProblem(startedAt, Date.parse(startedAt), now);
}

/**
 * Why a run's time (`field`: run.startedAt, run.finishedAt) is not a real UTC date and time, or undefined. The
 * pattern gives the shape; here the fields must survive a round trip through Date (`2026-02-30T25:61:00Z` does not:
 * Date rolls it over into March), because runs are ordered by this text and dated by its first ten characters. Matrix
 * readers hold a matrix.json's run times to it too (cli/read-matrix.ts).
 */
export function realTimeProblem(time: string, field: string): string | undefined {
  const m = STAMP.exec(time);
  const fields = m?.slice(1, 7).map(Number);
  if (fields) {
    const [year, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
    // Set field by field (Date.UTC would read years 0-99 as 1900-1999); an out-of-range field rolls over.
    const at = new Date(0);
    at.setUTCFullYear(year, month - 1, day);
    at.setUTCHours(hour, minute, second);
    const back = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
    if (back.every((n, i) => n === fields[i])) return undefined;
  }
  return `${field}: ${inertLine(JSON.stringify(time), 60)} is not a real date and time in UTC (YYYY-MM-DDTHH:MM:SS[.sss]Z, as a run writes it)`;
}

/** How far ahead of this machine's clock a start may be: the clocks of the machines that ran differ. */
export const CLOCK_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * A start later than now (plus the margin) is a clock that was wrong, or a file made up: it would sort after every
 * real run and its values would read as "now", hiding (or "fixing") the latest run's regressions.
 */
function futureProblem(startedAt: string, at: number, now: number): string | undefined {
  if (at <= now + CLOCK_MARGIN_MS) return undefined;
  const shown = new Date(now).toISOString();
  return `run.startedAt: ${inertLine(JSON.stringify(startedAt), 60)} is later than now (${shown}) by more than a day; runs are ordered by their start, so its values would read as the latest; fix the clock of the machine that wrote it and run again`;
}
