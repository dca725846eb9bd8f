/**
 * @module transport/recorded-time
 * A time as a run writes it (Date.toISOString: ISO 8601): the one rule a matrix.json's recording times
 * (targets[].provenance.recordedFrom and recordedTo, read-matrix.ts) and a fixture's provenance.recordedAt, which
 * they are copied from (fixture-schema.ts), are held to. Shared, so a replay never writes a matrix its reader refuses.
 */

/** The longest time read: an ISO time is far shorter. */
export const MAX_TIME = 40;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What a time must be, for messages: `... is not <RUN_TIME>`. */
export const RUN_TIME = `a time as a run writes it (ISO 8601, at most ${MAX_TIME} characters)`;

/** Whether `text` is a time this version reads: short, without control characters, one Date.parse reads. */
export function isRunTime(text: string): boolean {
  return text.length <= MAX_TIME && !CONTROL.test(text) && !Number.isNaN(Date.parse(text));
}
