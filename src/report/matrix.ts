/**
 * @module report/matrix
 * The compatibility matrix: the public, versioned format of `reports/matrix.json` that every other report (Markdown,
 * HTML, JUnit, capability tables) is rendered from. Changing a field name is a breaking change: bump the format.
 */
import type { CheckStatus, Evidence, Expected, Observed, TrialResult } from '../checks/types.ts';

/**
 * Version 2 added the statuses `flaky` and `inconclusive`, `trials` per result, `expected` as a list or "flaky",
 * `timing` in evidence, and `totals.latency`. Version 1 files are still read (every v1 file is a valid v2 one).
 */
export const MATRIX_FORMAT = 'mantle-conformance.matrix/2';
export const READABLE_MATRIX_FORMATS: readonly string[] = ['mantle-conformance.matrix/1', MATRIX_FORMAT];

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
  /** Display group (Routes and APIs, Streaming, ...), from the check id. */
  group: string;
  api: string | null;
  vocabulary: readonly string[] | 'number-or-null';
  /** The spec-conformant value, if the check has one: a passing cell that observed something else is a known deviation. */
  reference: Observed | null;
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
  /** Expected value (a value, a list of allowed values, or "flaky"), or null when nothing is stated for this model. */
  expected: Expected | null;
  /** Where the expectation comes from (`catalog: <source>`, `openai-reference: ...`, `expectations: ...`). */
  expectedSource: string | null;
  reason: string;
  evidence: Evidence[];
  /** Whether this result fails the run (exit code 1). */
  gating: boolean;
  /** Each trial's own result when the run repeated cases (`--repeat N`, N > 1). */
  trials?: TrialResult[];
  /** Set on planned cells this run did not execute (filtered out, another shard's, interrupted): merge fills them. */
  notRun?: true;
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** From the first request sent for the model to the last answer, in milliseconds (0 in replay). */
  wallMs?: number;
}

export interface MatrixTotals {
  byStatus: Record<CheckStatus, number>;
  usage: UsageTotals;
  /** Per `target/model`. */
  perModel: Record<string, UsageTotals>;
  wallMs: number;
}

/** One cell that differs between two runs. */
export interface CellChange {
  target: string;
  model: string;
  check: string;
  before: { status: CheckStatus; observed: Observed } | null;
  after: { status: CheckStatus; observed: Observed } | null;
  reason: string;
}

export interface MatrixComparison {
  baseline: { runId: string; finishedAt: string };
  newFailures: CellChange[];
  fixes: CellChange[];
  changedObserved: CellChange[];
  newModels: string[];
  vanishedModels: string[];
  newChecks: string[];
  vanishedChecks: string[];
  newTargets: string[];
  vanishedTargets: string[];
  /** True when anything got worse (a new fail or error). */
  regressed: boolean;
}

export interface Matrix {
  format: typeof MATRIX_FORMAT;
  /** Set when the run was compared with a baseline (`--baseline`). */
  comparison?: MatrixComparison;
  run: MatrixRun;
  targets: MatrixTarget[];
  checks: MatrixCheck[];
  models: MatrixModel[];
  results: MatrixResult[];
  totals: MatrixTotals;
  gate: {
    exitCode: 0 | 1;
    /** Results that fail the gate: fail or error against a stated expectation. */
    gating: { target: string; model: string; check: string; reason: string }[];
    /** Set with a baseline: a cell that now fails or errors and did not before also fails the gate. */
    regressedSinceBaseline?: boolean;
  };
}

/** Marks a passing cell whose expected value is itself a deviation from the reference (documented or accepted). */
export const DEVIATION_MARK = '⚠';

/** Whether a result passes only because a deviation from the spec is expected (documented or accepted). */
export function isKnownDeviation(result: Pick<MatrixResult, 'status' | 'observed'>, check: Pick<MatrixCheck, 'reference'> | undefined): boolean {
  return result.status === 'pass' && check?.reference !== undefined && check.reference !== null && result.observed !== check.reference;
}

export const STATUS_SYMBOLS: Record<CheckStatus, string> = {
  pass: '✓',
  fail: '✗',
  flaky: '≈',
  inconclusive: '?',
  unsupported: '–',
  skipped: '○',
  error: '!',
};
