/**
 * @module run/cell-result
 * What a run produces per (target, model, check): the check's result and what the matrix needs beside it.
 */
import type { CheckResult } from '../checks/types.ts';
import type { RecordingProvenance } from './model-session.ts';

export interface CellResult {
  target: string;
  model: string;
  check: string;
  result: CheckResult;
  expectedSource: string | null;
  /** Requests and tokens the model's session had used when the check finished (cumulative). */
  usage: { requests: number; inputTokens: number; outputTokens: number; wallMs: number };
  /** Provenance of the recordings the result was read from (replay), one per source. */
  provenance: RecordingProvenance[];
}
