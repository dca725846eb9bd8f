/**
 * @module run/run-matrix
 * The matrix of a run, from the results it produced: every selected cell that produced nothing (filtered out,
 * another shard's, not reached before a stop) is `skipped` with the reason, and the reports are written from it.
 */
import { percentiles, type LatencySample } from '../checks/latency.ts';
import { shapeTable, type ShapeSample } from '../checks/shape.ts';
import { modelsOn, plannedOn } from '../plan/plan.ts';
import { buildMatrix, finishMatrix } from '../report/build-matrix.ts';
import { ELSEWHERE_REASON } from '../report/gate.ts';
import { compareMatrices } from '../report/compare.ts';
import { cellKey, resultKey, type ApiLatency, type Matrix, type MatrixCi, type MatrixRun, type MatrixTarget, type UsageTotals } from '../report/matrix.ts';
import type { CellResult } from './cell-result.ts';
import type { LoadedPlan } from './load-plan.ts';
import type { RecordingProvenance } from './model-session.ts';
import type { RunConfig } from './run-config.ts';
import type { RecordingKept } from '../transport/kept-cases.ts';

/** Why a run did not cover what it selected. */
export interface PartialRun {
  reason: string;
  /** Ctrl-C: the run proves nothing. */
  interrupted: boolean;
}

export interface RunMatrixInput {
  config: RunConfig;
  loaded: LoadedPlan;
  results: readonly CellResult[];
  startedAt: Date;
  finishedAt: Date;
  partial?: PartialRun;
  /** Filters, `-t` and vitest arguments, for the record. */
  filters: readonly string[];
  shard?: string;
  /** A previous run to compare with (`--baseline`): the matrix gets a `comparison`, and a new failure gates. */
  baseline?: Matrix;
  /** Latency samples per `target/model` (run-engine keeps them when it drops a session). */
  latency?: ReadonlyMap<string, readonly LatencySample[]>;
  /** Shape fingerprints per `target/model`, kept like the latency samples. */
  shapes?: ReadonlyMap<string, readonly ShapeSample[]>;
  /**
   * The cells and checks this run selected (its shard's, after filters and -t). A stopped run calls only these "not
   * reached" when they produced nothing; the others were never its to run. Without it, every missing cell of a
   * stopped run is "not reached".
   */
  work?: readonly { target: string; model: string; checks: readonly { id: string }[] }[];
  /** What the cells were judged against (run/judging-digest.ts). */
  judging?: MatrixRun['judging'];
  /** Per target, the cases a record run kept unrecorded (transport/kept-cases.ts): the gate fails on each. */
  recordingKept?: ReadonlyMap<string, RecordingKept>;
  /** The environment the CI identity is read from (ciOf); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Plans the cells of these models only (the vitest view's matrix of one pair); every model stays in `models`. Default: all. */
  onlyModels?: readonly string[];
}

/** What a CI system's id may be to be kept: it is a name in the history, never text to show as is. */
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The CI run this run is part of, when the environment says so: GitHub Actions (GITHUB_RUN_ID, kept by "Re-run failed
 * jobs" and "Re-run all jobs", and GITHUB_RUN_ATTEMPT, which they count up) or GitLab CI (CI_PIPELINE_ID, kept by a
 * job's retry). An id that is not a short plain name is left out (the run is then read as one outside known CI).
 */
export function ciOf(env: Readonly<Record<string, string | undefined>>): MatrixCi | undefined {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID && SAFE_ID.test(env.GITHUB_RUN_ID)) {
    const attempt = Number(env.GITHUB_RUN_ATTEMPT);
    return { system: 'github', runId: env.GITHUB_RUN_ID, ...(Number.isInteger(attempt) && attempt >= 1 && attempt <= 100000 ? { attempt } : {}) };
  }
  if (env.GITLAB_CI === 'true' && env.CI_PIPELINE_ID && SAFE_ID.test(env.CI_PIPELINE_ID)) return { system: 'gitlab', runId: env.CI_PIPELINE_ID };
  return undefined;
}


export function buildRunMatrix(input: RunMatrixInput): Matrix {
  const { config, loaded, partial } = input;
  const usage: Record<string, UsageTotals> = {};
  // A session hands every result the same provenance entries (updated in place): one of each is enough.
  const provenance = new Map<string, Set<RecordingProvenance>>();
  for (const cell of input.results) {
    const key = cellKey(cell.target, cell.model);
    const seen = usage[key];
    // Usage is cumulative per session: the result that finished last saw the most.
    if (!seen || cell.usage.requests >= seen.requests) usage[key] = { ...cell.usage };
    const entries = provenance.get(cell.target) ?? new Set();
    for (const entry of cell.provenance) entries.add(entry);
    provenance.set(cell.target, entries);
  }
  const ci = ciOf(input.env ?? process.env);
  // A wall clock stepped back during the run (NTP) would write an end before the start, which the readers refuse.
  const finishedAt = new Date(Math.max(input.finishedAt.getTime(), input.startedAt.getTime()));
  const built = buildMatrix({
    run: {
      id: config.runId,
      startedAt: input.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - input.startedAt.getTime(),
      harnessVersion: config.harnessVersion,
      node: process.version,
      partial: partial !== undefined,
      ...(partial ? { partialReason: partial.reason } : {}),
      ...(partial?.interrupted ? { interrupted: true } : {}),
      suites: config.suitesDir,
      catalog: config.catalogFile,
      selection: { models: config.models, checks: config.checks, filters: [...input.filters], ...(input.shard ? { shard: input.shard } : {}) },
      ...(input.judging ? { judging: input.judging } : {}),
      ...(ci ? { ci } : {}),
    },
    targets: config.targets.map((t): MatrixTarget => {
      const kept = input.recordingKept?.get(t.id);
      return { ...targetProvenance(t, config, [...(provenance.get(t.id) ?? [])]), ...(kept?.count ? { recordingKept: structuredClone(kept) } : {}) };
    }),
    checks: loaded.plan.checks.map((c) => ({ id: c.id, title: c.title, api: c.api, vocabulary: c.vocabulary, reference: c.reference?.value ?? null })),
    models: loaded.plan.models.map((m) => ({
      id: m.id,
      family: m.family,
      familyTitle: m.familyTitle,
      inCatalog: m.inCatalog,
      ...(!m.inCatalog && config.targets.some((t) => t.discovered?.listing.new.includes(m.id)) ? { discovered: true as const } : {}),
    })),
    planned: config.targets.flatMap((t) =>
      modelsOn(loaded.plan.models, t)
        .filter((m) => !input.onlyModels || input.onlyModels.includes(m.id))
        .map((m) => plannedOn(m, t))
        .flatMap((m) => m.checks.map((c) => ({ target: t.id, model: m.id, check: c.id, expected: c.expectation?.value ?? null, expectedSource: c.expectation?.source ?? null }))),
    ),
    results: input.results.map((cell) => ({ target: cell.target, model: cell.model, check: cell.check, ...cell.result, expectedSource: cell.expectedSource })),
    usage,
    maxErrors: config.maxErrors,
    catalogModels: loaded.catalog.models.map((m) => m.id),
    ...(input.latency ? { latency: latencyTotals(input.latency) } : {}),
    ...(input.shapes?.size ? { shapes: shapeTable(input.shapes) } : {}),
    missingReason: partial ? `not reached: ${partial.reason}` : ELSEWHERE_REASON,
  });
  const labelled = partial && input.work ? elsewhereNotReached(built, input.work) : built;
  return input.baseline ? finishMatrix({ ...labelled, comparison: compareMatrices(input.baseline, labelled) }) : labelled;
}

/**
 * A stopped run's matrix with the missing cells it never selected (another shard's, filtered out) said as such, not
 * "not reached": the stop did not keep them from running, and a merge of the shards must not read them as the run's
 * loss (nor change its words with the order of the files).
 */
function elsewhereNotReached(matrix: Matrix, work: NonNullable<RunMatrixInput['work']>): Matrix {
  const selected = new Set(work.flatMap((cell) => cell.checks.map((c) => resultKey({ target: cell.target, model: cell.model, check: c.id }))));
  let changed = false;
  const results = matrix.results.map((r) => {
    if (!r.notRun || selected.has(resultKey(r))) return r;
    changed = true;
    return { ...r, reason: ELSEWHERE_REASON };
  });
  return changed ? finishMatrix({ ...matrix, results }) : matrix;
}

/**
 * The matrix of one (target, model) pair's results, made as the run's is (buildRunMatrix, so finishMatrix and its
 * unobserved-model rule): whether the gate finds nothing of the model observed depends on all of the pair's cells,
 * so a test of the pair (the vitest view) and a model's progress line are answered once they are all in, by the rule
 * matrix.json and junit.xml apply.
 */
export function pairMatrix(request: Pick<RunMatrixInput, 'config' | 'loaded' | 'filters'>, work: { target: string; model: string }, cells: readonly CellResult[]): Matrix {
  const { config, loaded } = request;
  const now = new Date();
  return buildRunMatrix({
    config: { ...config, targets: config.targets.filter((t) => t.id === work.target) },
    // Every model of the run stays in: the rule reads the run's ids (an answer in the name of another model of the run);
    // only this pair's cells are planned (a matrix of every model's cells per pair made a replay on vitest 2x slower).
    loaded,
    onlyModels: [work.model],
    results: cells,
    startedAt: now,
    finishedAt: now,
    filters: request.filters,
  });
}

/** p50/p95 per `target/model` and API of the times to headers, first token (streams) and last byte. */
export function latencyTotals(samples: ReadonlyMap<string, readonly LatencySample[]>): Record<string, Record<string, ApiLatency>> {
  const totals: Record<string, Record<string, ApiLatency>> = {};
  for (const [cell, all] of samples) {
    const byApi = new Map<string, LatencySample[]>();
    for (const sample of all) byApi.set(sample.api, [...(byApi.get(sample.api) ?? []), sample]);
    for (const [api, list] of [...byApi].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const firstToken = list.flatMap((s) => (s.timing.firstTokenMs === undefined ? [] : [s.timing.firstTokenMs]));
      (totals[cell] ??= {})[api] = {
        n: list.length,
        headersMs: percentiles(list.map((s) => s.timing.headersMs)),
        ...(firstToken.length ? { firstTokenMs: percentiles(firstToken) } : {}),
        totalMs: percentiles(list.map((s) => s.timing.totalMs)),
      };
    }
  }
  return totals;
}

/** Writes every report of a run into `dir`; the formats are loaded only now, when they are needed. */
export async function writeRunReports(matrix: Matrix, dir: string): Promise<string[]> {
  return (await import('../report/index.ts')).writeDefaultReports(matrix, dir);
}

function targetProvenance(target: RunConfig['targets'][number], config: RunConfig, seen: RecordingProvenance[]): MatrixTarget {
  const provenance: MatrixTarget['provenance'] = { sources: [] };
  if (target.mode === 'replay') {
    provenance.sources = [...new Set(seen.map((p) => p.source))].sort();
    const from = seen.map((p) => p.recordedFrom).sort()[0];
    const to = seen.map((p) => p.recordedTo).sort().at(-1);
    if (from) provenance.recordedFrom = from;
    if (to) provenance.recordedTo = to;
    provenance.harnessVersions = [...new Set(seen.flatMap((p) => p.harnessVersions))].sort();
  } else {
    provenance.sources = [config.recordSource];
  }
  return {
    id: target.id,
    mode: target.mode,
    endpointHost: target.endpointHost,
    region: target.region,
    surface: target.surface,
    site: target.site,
    ...(target.discovered ? { modelList: target.discovered.listing } : {}),
    provenance,
  };
}
