/**
 * @module transport/recorded-time
 * A time as a run writes it (Date#toISOString: UTC ISO 8601, `2026-01-31T12:00:00.000Z`): the one rule a
 * matrix.json's recording times (targets[].provenance.recordedFrom and recordedTo, read-matrix.ts) and a fixture's
 * provenance.recordedAt, which they are copied from (fixture-schema.ts), are held to. Shared, so a replay never writes
 * a matrix its reader refuses. Only that form: whatever else Date.parse guesses at ("foo 1", "March 7", "99999") would
 * show in every report as a recording time, and a time with an offset breaks what the range is picked by (string order,
 * run/model-session.ts, merge-targets.ts), which is time order only for this one fixed-width UTC form. Every recording
 * and matrix a build wrote used it (record-target.ts has written toISOString since the first build).
 */

/** The longest time read: an ISO time is far shorter. */
export const MAX_TIME = 40;

/** The form: a fraction of a second is optional (a hand-corrected time), the zone is Z. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** What a time must be, for messages: `... is not <RUN_TIME>`. */
export const RUN_TIME = 'a time as a run writes it (UTC in ISO 8601: YYYY-MM-DDTHH:MM:SS.sssZ, the fraction optional)';

/** Whether `text` is a time this version reads: that form, and a real time (no 2026-02-30, no 24:00). */
export function isRunTime(text: string): boolean {
  if (text.length > MAX_TIME || !ISO_UTC.test(text)) return false;
  const time = Date.parse(text);
  // Date.parse rolls some impossible dates over: the time it read must be the one written, to the second.
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 19) === text.slice(0, 19);
}
