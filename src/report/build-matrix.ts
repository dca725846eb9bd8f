/**
 * @module report/build-matrix
 * Assembles a Matrix from the results a run produced, filling every planned cell that produced nothing as
 * `skipped` (filtered out, another shard's, or not reached before an interruption), and computing the gate.
 */
import { CHECK_STATUSES, type CheckStatus, type TrialResult } from '../checks/types.ts';
import { closest } from '../suite/closest.ts';
import { expectationsSource } from '../suite/expectations-source.ts';
import { allowsVariation, describeExpected } from '../suite/expected.ts';
import { boundResult } from './bound-result.ts';
import { stampCatalogModel } from './catalog-answers.ts';
import { DEFAULT_MAX_ERRORS, gateOf } from './gate.ts';
import { OBSERVED, unobservedModels } from './observed-models.ts';
import { recordingDefect, recordingDefectReason, replayedTargets } from './recording-defects.ts';
import { MATRIX_FORMAT, pairKey, resultsByCell, type Matrix, type MatrixCheck, type MatrixModel, type MatrixResult, type MatrixRun, type MatrixTarget, type UsageTotals } from './matrix.ts';

export interface MatrixInput {
  run: MatrixRun;
  targets: MatrixTarget[];
  checks: Omit<MatrixCheck, 'group'>[];
  models: MatrixModel[];
  /** Every (target, model, check) that was planned, with its expectation, in display order. */
  planned: { target: string; model: string; check: string; expected: MatrixResult['expected']; expectedSource: string | null }[];
  results: Omit<MatrixResult, 'gating'>[];
  usage: Record<string, UsageTotals>;
  /** Reason to give planned cells with no result. */
  missingReason: string;
  /** Errors of cells with no stated expectation the run accepts before the gate fails (`--max-errors`). @default DEFAULT_MAX_ERRORS */
  maxErrors?: number;
  /** Every model id of the catalog, to suggest the closest one for an id that is not in it. */
  catalogModels?: readonly string[];
  /** Latency per target/model and API, when the run measured it. */
  latency?: Matrix['totals']['latency'];
  /** The shape fingerprints of the run's answers, when it has any. */
  shapes?: Matrix['shapes'];
}

export { DEFAULT_MAX_ERRORS };

/**
 * Whether an expectation comes from the expectations file: its source begins as expectationsSource (suite/) names
 * the file, for the target it names if any (`expectations: ...`, `expectations (us-west-2): ...`).
 */
export function statedInFile(source: string | null): boolean {
  const target = /^[^(:]* \(([^)]*)\): /.exec(source ?? '')?.[1];
  return source !== null && source.startsWith(`${expectationsSource(target)}: `);
}

/** Whether a cell observed nothing of what it reads: n/a, or skipped because of what the endpoint answered (not a filter, a shard or a stop). */
export function observedNothing(result: Pick<MatrixResult, 'status' | 'skippedByAnswer'>): boolean {
  return result.status === 'unsupported' || (result.status === 'skipped' && result.skippedByAnswer === true);
}

/**
 * The reason of a cell that observed nothing and gates (isGating), as every report gives it (matrix.json, junit.xml,
 * the vitest view): the stated value is named as not observed, before the check's why. Any other result's own reason.
 */
export function gatingReason(result: Pick<MatrixResult, 'status' | 'skippedByAnswer' | 'expected' | 'expectedSource' | 'reason'>): string {
  if (!observedNothing(result) || !statedInFile(result.expectedSource)) return result.reason;
  const why = result.status === 'unsupported' ? "the model does not serve this check's API here" : "the endpoint's answers left nothing to read";
  return `not observed: the expectations file states ${result.expected === null ? 'a value' : describeExpected(result.expected)}, and ${why} (${result.reason})`;
}


/**
 * A result fails the run when it is `fail` or `error` against an expectation that is actually stated, or `flaky`
 * where the expectation states a single value (it used to be stable and is no longer) or where a trial observed a
 * value the stated list does not allow (a list lets its values vary, not a trial see another). `inconclusive` never
 * gates. `unsupported` (n/a: the model does not serve the check's API here), and `skipped` where the endpoint's
 * answers left nothing to read (`skippedByAnswer`), gate only against an entry of the expectations file: a team stated
 * that it observes the behaviour, and nothing was observed, as with an error; the catalog's and the reference's values
 * are for the models that serve the API, and such cells stay informational against them. A skip a filter, a shard, a
 * stop or a cap caused never gates: the run, not the endpoint, left the cell unobserved.
 */
export function isGating(result: Pick<MatrixResult, 'status' | 'expectedSource' | 'expected' | 'skippedByAnswer'> & { trials?: readonly Pick<TrialResult, 'status'>[] | undefined }): boolean {
  if (result.expectedSource === null) return false;
  if (observedNothing(result)) return statedInFile(result.expectedSource);
  if (result.status === 'flaky') return result.expected === null || !allowsVariation(result.expected) || (result.trials ?? []).some((trial) => trial.status === 'fail');
  return result.status === 'fail' || result.status === 'error';
}

/** Display groups of checks, by id prefix, in the order reports show them. */
export const CHECK_GROUPS: readonly { group: string; prefixes: readonly string[] }[] = [
  { group: 'Routes and APIs', prefixes: ['path-prefix', 'api.'] },
  { group: 'Typing and defaults', prefixes: ['created-at.', 'content.', 'defaults.'] },
  { group: 'Streaming', prefixes: ['stream.'] },
  { group: 'Responses lifecycle', prefixes: ['responses.'] },
  { group: 'Anthropic Messages', prefixes: ['messages.'] },
  { group: 'Reasoning', prefixes: ['reasoning.'] },
  { group: 'Tools and structured output', prefixes: ['tools.', 'structured-output.'] },
  { group: 'Parameters', prefixes: ['params.'] },
  { group: 'Errors and discovery', prefixes: ['errors.', 'models.'] },
  { group: 'Headers', prefixes: ['headers.'] },
  { group: 'Schemas', prefixes: ['schema.'] },
  { group: 'SDKs', prefixes: ['sdk.'] },
  { group: 'Images, prompt caching, service tiers', prefixes: ['images.', 'prompt-cache.', 'service-tier.'] },
  { group: 'Fields clients send, answers they get', prefixes: ['requests.', 'answer.'] },
];

export function groupOf(checkId: string): string {
  return CHECK_GROUPS.find((g) => g.prefixes.some((p) => checkId === p || checkId.startsWith(p)))?.group ?? 'Other';
}

export function buildMatrix(input: MatrixInput): Matrix {
  const got = resultsByCell(input.results);
  // The ids an answer in another model's name is told against (catalog-answers.ts): the catalog's and the run's.
  const catalogIds = [...new Set([...(input.catalogModels ?? []), ...input.models.map((m) => m.id)])];
  // The planned cells come a (target, model) pair after another: a pair's results are found once, not per cell, and
  // by check (of two results of one cell, the later).
  let pair: (typeof input.planned)[number] | undefined;
  let row: ReadonlyMap<string, MatrixInput['results'][number]> | undefined;
  const results: MatrixResult[] = input.planned.map((cell) => {
    if (pair?.target !== cell.target || pair.model !== cell.model) row = new Map((got.get(pairKey(cell.target, cell.model)) ?? []).map((r) => [r.check, r]));
    pair = cell;
    const result = row?.get(cell.check);
    if (!result) return { ...cell, status: 'skipped', observed: null, reason: input.missingReason, evidence: [], gating: false, notRun: true };
    // boundResult's copy is the matrix's own, made at one place so that every result has the same shape (the reports
    // read them several times over, and read copies of that one shape much faster than the run's own objects): the
    // gating flag is added to it, not to a copy of its own first.
    const gating = isGating(result);
    const bounded = boundResult(gating && observedNothing(result) ? { ...result, reason: gatingReason(result) } : result) as MatrixResult;
    bounded.gating = gating;
    if (bounded.otherModel) stampCatalogModel(bounded, catalogIds);
    return bounded;
  });
  return finishMatrix({
    format: MATRIX_FORMAT,
    run: input.run,
    targets: input.targets,
    checks: input.checks.map((c) => ({ ...c, group: groupOf(c.id) })),
    models: input.models.map((m) => withSuggestion(m, input.catalogModels ?? [])),
    results,
    totals: {
      byStatus: countStatuses(results),
      usage: sumUsage(Object.values(input.usage)),
      perModel: sortedKeys(input.usage),
      wallMs: input.run.durationMs,
      ...(input.latency && Object.keys(input.latency).length ? { latency: sortedKeys(input.latency) } : {}),
    },
    gate: { exitCode: 0, verdict: 'pass', gating: [], problems: [], errors: { unexpected: 0, max: input.maxErrors ?? DEFAULT_MAX_ERRORS } },
    ...(input.shapes && Object.keys(input.shapes.exchanges).length ? { shapes: input.shapes } : {}),
  });
}

/** A model id the catalog does not know gets the closest catalog id, for the "did you mean" of the gate. */
function withSuggestion(model: MatrixModel, catalog: readonly string[]): MatrixModel {
  if (model.inCatalog || catalog.length === 0) return model;
  const guess = closest(model.id, catalog);
  return guess && guess !== model.id ? { ...model, suggestion: guess } : model;
}

/** The same record with its keys in order, so that matrix.json does not depend on which test finished first. */
export function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Recomputes the derived parts (gating, status counts, gate) after results change (merge, expectations). A cell that
 * read something (pass, fail, flaky, n/a) of a model the gate found nothing of observed does not gate of its own:
 * what it judged is not the model's (another model's answers, a typo'd id's error bodies), and it counts once, as
 * that model's problem (observed-models.ts), in every report alike, as the coverage line and the status counts set
 * it apart (readOfUnobservedModels); its errors still say what could not be checked. Judged again (isGating) when a
 * merge finds the model observed after all. A replay's cell whose recording is missing or unusable gates whatever
 * `--max-errors` allows, here, so a matrix.json of an older build gates so too when `report` or `merge` reads it.
 */
export function finishMatrix(matrix: Matrix): Matrix {
  const unobserved = unobservedModels(matrix).cells;
  const replayed = replayedTargets(matrix.targets);
  const results = matrix.results.map((r) => {
    const gating = isGating(r) && !(unobserved.has(r) && OBSERVED.has(r.status));
    // A replay's missing or unusable recording gates on its own (recording-defects.ts), its reason saying why; a model
    // with nothing observed is the gate's unobserved-model problem, which names its cells once.
    if (!gating && replayed.has(r.target) && !unobserved.has(r) && recordingDefect(r)) return { ...r, gating: true, reason: recordingDefectReason(r) };
    return gating === r.gating ? r : { ...r, gating };
  });
  const finished = { ...matrix, results };
  return { ...finished, totals: { ...matrix.totals, byStatus: countStatuses(results) }, gate: gateOf(finished) };
}

export function countStatuses(results: readonly { status: CheckStatus }[]): Record<CheckStatus, number> {
  const counts = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
  for (const r of results) counts[r.status] += 1;
  return counts;
}

export function sumUsage(all: readonly UsageTotals[]): UsageTotals {
  return all.reduce((a, b) => ({ requests: a.requests + b.requests, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens }), {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
  });
}

/** Sorted check groups with their checks, for reports. */
export function groupedChecks(matrix: Pick<Matrix, 'checks'>): { group: string; checks: MatrixCheck[] }[] {
  const groups = new Map<string, MatrixCheck[]>();
  for (const check of matrix.checks) groups.set(check.group, [...(groups.get(check.group) ?? []), check]);
  const order = CHECK_GROUPS.map((g) => g.group);
  return [...groups.entries()].sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99)).map(([group, checks]) => ({ group, checks }));
}
