/**
 * @module report/recording-defects
 * Replay cells that are `error` because a recording is missing (HARNESS_RECORDING_MISSING) or cannot be used
 * (HARNESS_RECORDING_INVALID). They are no trouble of a moment, which `--max-errors` allows for: the recording set is
 * at fault (a PR or a bad merge that deleted or garbled a file), the same on every replay, so each such cell gates on
 * its own, as a spent budget fails the gate whatever `--max-errors` allows (gate.ts). Only on a replay target: a live
 * or record run never makes these codes, and an endpoint's words that quote them are its data, not a replay's defect.
 */
import { capText } from './inert-text.ts';
import type { MatrixResult, MatrixTarget } from './matrix.ts';
import { RESULT_BOUNDS } from './bound-result.ts';

const MISSING = 'HARNESS_RECORDING_MISSING';
const INVALID = 'HARNESS_RECORDING_INVALID';

/** The ids of the targets a matrix replayed (`mode: replay`): their cells read recordings, not an endpoint. */
export function replayedTargets(targets: readonly Pick<MatrixTarget, 'id' | 'mode'>[]): Set<string> {
  return new Set(targets.filter((t) => t.mode === 'replay').map((t) => t.id));
}

/** A code the harness put at the start of a reason (a check of several APIs names each API's outcome first, so the evidence is read too). */
const LEADING_CODE = /^HARNESS_RECORDING_(?:MISSING|INVALID)\b/;

/**
 * Whether an error cell could not be judged because a recording is missing or unusable, and which: read from the
 * evidence's error codes (the harness's, never the endpoint's text), else from the code that leads its reason (the
 * evidence of a cell is cut to a few exchanges). Undefined for any other cell.
 */
export function recordingDefect(r: Pick<MatrixResult, 'status' | 'reason' | 'evidence'>): 'missing' | 'invalid' | 'both' | undefined {
  if (r.status !== 'error') return undefined;
  const codes = new Set(r.evidence.map((e) => e.error));
  const lead = LEADING_CODE.exec(r.reason)?.[0];
  if (lead) codes.add(lead);
  const missing = codes.has(MISSING);
  const invalid = codes.has(INVALID);
  return missing && invalid ? 'both' : missing ? 'missing' : invalid ? 'invalid' : undefined;
}

/** What a gating defect's reason says after its code: what, that it gates, and the fix. Read back by `saysRecordingDefect`. */
const WHAT = { missing: 'recording missing', invalid: 'recording unusable', both: 'recordings missing or unusable' } as const;
const WHY = ': gates whatever --max-errors allows (the recordings are at fault, not the endpoint: restore the file, or record it with --mode record)';
const SAID = /^(?:HARNESS_RECORDING_(?:MISSING|INVALID): )?recordings? (?:missing|unusable|missing or unusable): gates whatever --max-errors allows \(/;

/**
 * The reason of a defect cell that gates for it alone (no stated expectation): after its leading code (which readers
 * of reasons look for there), why it gates and the fix, then its own words; once only (a matrix read back and
 * finished again keeps it), and within the matrix's bound on a reason.
 */
export function recordingDefectReason(r: Pick<MatrixResult, 'status' | 'reason' | 'evidence'>): string {
  const defect = recordingDefect(r);
  if (!defect || saysRecordingDefect(r.reason)) return r.reason;
  const code = LEADING_CODE.exec(r.reason)?.[0];
  const note = `${WHAT[defect]}${WHY}`;
  const reason = code ? `${code}: ${note}; ${r.reason.slice(code.length).replace(/^:\s*/, '')}` : `${note}; ${r.reason}`;
  return capText(reason, RESULT_BOUNDS.reason);
}

/** Whether a reason is one `recordingDefectReason` wrote (for the gate's one-line summary). */
export function saysRecordingDefect(reason: string): boolean {
  return SAID.test(reason);
}
