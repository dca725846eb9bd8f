/**
 * @module same-night
 * How far apart two runs of one night may be when nothing else ties them (no CI run recorded on both): the jobs of a
 * nightly start and end minutes or a few hours apart (queued jobs, one workflow per region or surface), and two
 * nights are a day apart. History reads targets whose latest runs are this close as current together
 * (history/stale-targets.ts); merge reads two shards of one run id that started this close, and their baselines of
 * one run id that finished this close, as one run (report/merge-refusals.ts); history reads a file of a reused run id
 * with no CI run that starts this close to the end of a run's latest file as one of that run's shards, and one
 * starting later as another run (history/run-info.ts).
 */
export const SAME_NIGHT_MS = 6 * 60 * 60 * 1000;
