/**
 * @module report/matrix
 * The compatibility matrix: the public, versioned format of `reports/matrix.json` that every other report (Markdown,
 * HTML, JUnit, capability tables) is rendered from. Changing a field name is a breaking change: bump the format.
 */
import type { ListedOthers } from '../checks/listed-names.ts';
import type { ShapeTable } from '../checks/shape.ts';
import type { ShapeDrift } from './shape-drift.ts';
import type { CheckResult, CheckStatus, Evidence, Expected, Observed, OtherModelCount, TrialResult } from '../checks/types.ts';
import { MATRIX_FORMATS } from '../suite/matrix-schema.ts';
import type { ModelListing } from './model-lists.ts';
import type { ComparisonReach } from './nothing-compared.ts';
import type { JudgedApart } from './judged-differently.ts';

/**
 * Version 2 added the statuses `flaky` and `inconclusive`, `trials`, list `expected`, `timing` and `totals.latency`; versions
 * 3 to 6 each a gate that fails what the version before (whose reader recomputes it) passes: OLDER_RULES says what.
 */
export const MATRIX_FORMAT = MATRIX_FORMATS[5];
/** The formats a matrix is written in: a format 1 file is read, and written again, as format 2. */
export type WrittenFormat = Exclude<(typeof MATRIX_FORMATS)[number], (typeof MATRIX_FORMATS)[0]>;
/** What each older format's build judged that the next format judges otherwise (report and merge say every one after a file's: older-rules.ts). */
export const OLDER_RULES: Record<Exclude<WrittenFormat, typeof MATRIX_FORMAT>, string> = {
  'mantle-conformance.matrix/2': "a spent budget or a typo another model answered may read as the endpoint's",
  'mantle-conformance.matrix/3': 'listed ids it could not use as model ids did not fail the gate it wrote (the gate judged here again does)',
  'mantle-conformance.matrix/4': 'a --baseline that compared nothing (every target another endpoint or not in the baseline) did not fail the gate it wrote (the gate judged here again does)',
  'mantle-conformance.matrix/5': 'a replayed cell whose recording was missing or could not be used counted against --max-errors instead of gating, a model the --baseline observed that the run observed nothing of was no regression, and a --baseline that did not reach cells of the run passed (the gate judged here again fails all three)',
};

/** The key of a (target, model) pair in a matrix's per-pair maps (latency, shapes, history cells): `target/model`. */
export const cellKey = (target: string, model: string): string => `${target}/${model}`;

/** A (target, model) pair as a map key no two pairs share, whatever their ids hold (a NUL joins them); a cell likewise (`cellKey` is matrix.json's). */
export const pairKey = (target: string, model: string): string => `${target}\u0000${model}`;
export const resultKey = (r: { target: string; model: string; check: string }): string => `${r.target}\u0000${r.model}\u0000${r.check}`;

/**
 * Results grouped by (target, model), keyed by `pairKey`, in matrix order within each; `keep` leaves some
 * out. Not `cellKey`: a matrix.json from elsewhere may hold a target with a slash, and two cells must never merge.
 */
export function resultsByCell<R extends Pick<MatrixResult, 'target' | 'model'>>(results: readonly R[], keep: (r: R) => boolean = () => true): Map<string, R[]> {
  const byCell = new Map<string, R[]>();
  // A run lists a pair's results one after another: the list of the result before is taken again without a key
  // made and looked up for every result.
  let previous: R | undefined;
  let list: R[] = [];
  for (const r of results) {
    if (!keep(r)) continue;
    if (previous?.target !== r.target || previous.model !== r.model) {
      const key = pairKey(r.target, r.model);
      const found = byCell.get(key);
      if (found) list = found;
      else byCell.set(key, (list = []));
    }
    list.push(r);
    previous = r;
  }
  return byCell;
}

/** A `target/model` key split at its first slash (target ids have none); a key without one is a target alone. */
export function splitCellKey(key: string): { target: string; model: string } {
  const slash = key.indexOf('/');
  return slash === -1 ? { target: key, model: '' } : { target: key.slice(0, slash), model: key.slice(slash + 1) };
}

/**
 * Whether the model is one the target's model list named (a target that read one runs only those, and --models).
 * A matrix holds a cell for every check of every (target, model) pair, except a pair with no cells whose model
 * this says the target did not list: read-matrix requires it, and merge fills a pair a target did not select.
 */
export function listedOn(target: Pick<MatrixTarget, 'modelList'>, model: Pick<MatrixModel, 'id' | 'inCatalog'>): boolean {
  const list = target.modelList;
  return !list || (model.inCatalog ? !list.notListed.includes(model.id) : list.new.includes(model.id));
}

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
  /** True when the run was stopped from outside (Ctrl-C): the gate says `interrupted`, never pass. */
  interrupted?: boolean;
  suites: string;
  catalog: string;
  /** A merge of runs of different catalogs (report/merge.ts): each run's catalog; `catalog` is then only the first input's. */
  catalogs?: string[];
  selection: { models: string[]; checks: string[]; filters: string[]; shard?: string };
  /** What the cells were judged against (run/judging-digest.ts): SHA-256 prefixes of the files (expectations null for none), the trials per case; absent in older files. */
  judging?: { expectations: string | null; catalog: string; suites?: string; openapi?: string | null; repeat?: number };
  /** The CI run it is part of when the environment said so (run-matrix.ts ciOf): a re-run keeps it; the history reads it. */
  ci?: MatrixCi;
}

export interface MatrixCi { system: 'github' | 'gitlab'; runId: string; attempt?: number }

export interface MatrixTarget {
  id: string;
  mode: 'live' | 'record' | 'replay';
  endpointHost: string | null;
  region: string | null;
  /** The endpoint surface: `mantle`, `runtime` or `custom` (absent in runs made before surfaces: read as mantle). */
  surface?: 'mantle' | 'runtime' | 'custom';
  /** What the target is a surface of (its region, or a local endpoint's name): the migration view pairs by it. */
  site?: string;
  /** With `--models listed` / `catalog+listed`: what the target's model list said, against the catalog. */
  modelList?: ModelListing;
  /** A record run's cases it kept unrecorded (transport/kept-cases.ts): the gate fails on each, whatever the cells say. */
  recordingKept?: import('../transport/kept-cases.ts').RecordingKept;
  provenance: {
    /** Where the data came from: a live endpoint, or recordings of one, or of the emulator. */
    sources: ('live' | 'emulator')[];
    recordedFrom?: string;
    recordedTo?: string;
    harnessVersions?: string[];
  };
}

/** A target's model list against the catalog (`--models listed`), in report/model-lists.ts with what reads it. */
export type { ModelListing };

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
  /** For a model id that is not in the catalog: the catalog id closest to it ("did you mean"), if one is close. */
  suggestion?: string;
  /** Found on a target's model list and not in the catalog (`--models listed`): a new model, every cell informational. */
  discovered?: true;
}

export interface MatrixResult extends Pick<CheckResult, 'skippedByAnswer'> {
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
  /** Answers in another model's name among the cell's, counted before its evidence was cut (checks/answered-by.ts). */
  otherModel?: OtherModelCount;
  /** models.listed: the list's other models, hashed, when it names the model only as a same-model id (checks/listed-names.ts). */
  listedOthers?: ListedOthers;
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** From the first request sent for the model to the last answer, in milliseconds (0 in replay). */
  wallMs?: number;
}

/** The 50th and 95th percentile of a latency, in milliseconds. */
export interface Pct {
  p50: number;
  p95: number;
}

/** Latency of one (target, model) on one API: `n` exchanges, times from when each request was sent. */
export interface ApiLatency {
  n: number;
  /** Until the response headers. */
  headersMs: Pct;
  /** Until the first content token, for streams. */
  firstTokenMs?: Pct;
  /** Until the last byte. */
  totalMs: Pct;
}

export interface MatrixTotals {
  byStatus: Record<CheckStatus, number>;
  usage: UsageTotals;
  /** Per `target/model`. */
  perModel: Record<string, UsageTotals>;
  wallMs: number;
  /** Per `target/model`, per API: latency percentiles (live and record runs, and replays of their recordings). */
  latency?: Record<string /* target/model */, Record<string /* api */, ApiLatency>>;
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

export interface MatrixComparison extends ComparisonReach, JudgedApart {
  baseline: { runId: string; finishedAt: string; ci?: Pick<MatrixCi, 'system' | 'runId'> };
  newFailures: CellChange[];
  fixes: CellChange[];
  /** Stable before, flaky now (a single value became several), and the other way round. */
  becameFlaky?: CellChange[];
  becameStable?: CellChange[];
  /** Observed before, now inconclusive or skipped though the run selected it (absent in older files). */
  noLongerObserved?: CellChange[];
  /** Changed observed values that are not already a new failure, a fix or a change of flakiness. */
  changedObserved: CellChange[];
  newModels: string[];
  vanishedModels: string[];
  newChecks: string[];
  vanishedChecks: string[];
  newTargets: string[];
  vanishedTargets: string[];
  /**
   * Models and checks one run covered and the other did not select (`--models` ids, `--checks`): not compared, and
   * neither new nor vanished (absent in older files). A lone shard's: `target/model`, or `target: every model` when it
   * ran none of the target's, and `byShard` (another shard ran them).
   */
  notSelected?: { models: string[]; checks: string[]; byShard?: true };
  /** Checks defined otherwise in the baseline (another build: report/check-definitions.ts): their cells not compared. */
  changedChecks?: { check: string; cells: number; difference: string }[];
  /** How the structure of the answers changed per (target, model, API), for the exchanges both runs made; never gates. */
  shapeDrift?: ShapeDrift[];
  /** True when anything got worse (a new fail or error). */
  regressed: boolean;
}

export interface Matrix {
  format: WrittenFormat; // A saved run read again keeps its judges' format (read-matrix.ts).
  /** Set when the run was compared with a baseline (`--baseline`). */
  comparison?: MatrixComparison;
  run: MatrixRun;
  targets: MatrixTarget[];
  checks: MatrixCheck[];
  models: MatrixModel[];
  results: MatrixResult[];
  totals: MatrixTotals;
  gate: MatrixGate;
  /**
   * The structure of every answer (JSON paths and types, stream event types, header names), each distinct
   * fingerprint once, and which ones each (target/model, API, exchange) had: what `compare` reports as shape drift.
   */
  shapes?: ShapeTable;
}

/** What the run as a whole fails on, beyond single cells. */
export type GateProblemKind = 'interrupted' | 'partial' | 'unobserved-model' | 'too-many-errors' | 'recording-kept' | 'budget-exceeded' | 'unusable-listed-ids' | 'nothing-compared' | 'baseline-unfinished';

export interface GateProblem {
  kind: GateProblemKind;
  /** One line, naming the model or what is missing, and the fix. */
  message: string;
  target?: string;
  model?: string;
}

export interface MatrixGate {
  /** 0 pass, 1 fail, 130 interrupted (the run stopped: it proves nothing). */
  exitCode: 0 | 1 | 130;
  verdict: 'pass' | 'fail' | 'interrupted';
  /** Cells that fail the gate one by one: a stated expectation not met (`fail`; `flaky` where one value is stated), or not checked (`error`). */
  gating: { target: string; model: string; check: string; status: CheckStatus; reason: string }[];
  /** Run-level reasons the gate fails: interrupted, partial (a spend cap, an incomplete merge), a model with nothing observed, too many errors, a --baseline that compared nothing. */
  problems: GateProblem[];
  /** Errors of cells with no stated expectation (they do not gate one by one) and the most the run accepts (`--max-errors`). */
  errors: { unexpected: number; max: number };
  /** Set with a baseline: a cell that now fails or errors and did not before also fails the gate. */
  regressedSinceBaseline?: boolean;
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

/**
 * What each status means, in the words reports show next to its symbol. `unsupported` reads "n/a" first, so a
 * glance never takes it for "supported".
 */
export const STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'pass',
  fail: 'fail',
  flaky: 'flaky (trials disagree)',
  inconclusive: 'inconclusive (behaviour hidden)',
  unsupported: 'n/a (API not served)',
  skipped: 'skipped (not run)',
  error: 'error (nothing observed)',
};
