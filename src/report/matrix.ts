/**
 * @module report/matrix
 * The compatibility matrix: the public, versioned format of `reports/matrix.json` that every other report (Markdown,
 * HTML, JUnit, capability tables) is rendered from. Changing a field name is a breaking change: bump the format.
 */
import type { CheckStatus, Evidence, Observed } from '../checks/types.ts';

export const MATRIX_FORMAT = 'mantle-conformance.matrix/1';

export interface MatrixRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  harnessVersion: string;
  node: string;
  /** True when the run did not finish (interrupted, auth failure, cancelled): missing cells are `skipped`. */
  partial: boolean;
  /** Why the run is partial, if it is. */
  partialReason?: string;
  suites: string;
  catalog: string;
  selection: { models: string[]; checks: string[]; filters: string[]; shard?: string };
}

export interface MatrixTarget {
  id: string;
  mode: 'live' | 'record' | 'replay';
  endpointHost: string | null;
  region: string | null;
  provenance: {
    /** Where the data came from: a live endpoint, or recordings of one, or of the emulator. */
    sources: ('live' | 'emulator')[];
    recordedFrom?: string;
    recordedTo?: string;
    harnessVersions?: string[];
  };
}

export interface MatrixCheck {
  id: string;
  title: string;
  api: string | null;
  vocabulary: readonly string[] | 'number-or-null';
}

export interface MatrixModel {
  id: string;
  family: string | null;
  familyTitle: string | null;
  inCatalog: boolean;
}

export interface MatrixResult {
  target: string;
  model: string;
  check: string;
  status: CheckStatus;
  observed: Observed;
  /** Expected value, or null when nothing is stated for this model. */
  expected: Observed | null;
  /** Where the expectation comes from (`catalog: <source>`, `openai-reference: ...`, `expectations: ...`). */
  expectedSource: string | null;
  reason: string;
  evidence: Evidence[];
  /** Whether this result fails the run (exit code 1). */
  gating: boolean;
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface MatrixTotals {
  byStatus: Record<CheckStatus, number>;
  usage: UsageTotals;
  /** Per `target/model`. */
  perModel: Record<string, UsageTotals>;
  wallMs: number;
}

export interface Matrix {
  format: typeof MATRIX_FORMAT;
  run: MatrixRun;
  targets: MatrixTarget[];
  checks: MatrixCheck[];
  models: MatrixModel[];
  results: MatrixResult[];
  totals: MatrixTotals;
  gate: { exitCode: 0 | 1; gating: { target: string; model: string; check: string; reason: string }[] };
}

export const STATUS_SYMBOLS: Record<CheckStatus, string> = {
  pass: '✓',
  fail: '✗',
  unsupported: '–',
  skipped: '○',
  error: '!',
};
