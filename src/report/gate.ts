/**
 * @module report/gate
 * Whether a run passes, from what it observed. Green means observed: besides the cells that fail their stated
 * expectation, the gate fails when the run was interrupted or is partial (a spend cap, an incomplete merge), when a
 * requested model has no observation at all (a typo'd id, no recording, every request failed), and when more cells
 * with no stated expectation errored than the run accepts (`--max-errors`): a run that observed little cannot pass;
 * and when a record run kept earlier recordings because the endpoint failed (HARNESS_RECORDING_KEPT).
 */
import { resultsByCell, type GateProblem, type Matrix, type MatrixGate, type MatrixResult } from './matrix.ts';

/** Errors of cells with no stated expectation that a run accepts (`--max-errors`): a few timeouts, not a run that observed little. */
export const DEFAULT_MAX_ERRORS = 5;

/**
 * Statuses that say something about the endpoint: it answered and the check could read what it looks for. Not
 * `inconclusive`: the model's budget or choice hid the behaviour, so a model whose every cell is inconclusive was
 * not observed (as the coverage line counts it).
 */
const OBSERVED: ReadonlySet<MatrixResult['status']> = new Set(['pass', 'fail', 'flaky', 'unsupported']);

/** Whether the run was stopped from outside; older runs say so only in partialReason. */
export function wasInterrupted(run: Matrix['run']): boolean {
  return run.interrupted === true || (run.partial && /^interrupted\b/i.test(run.partialReason ?? ''));
}

/** The error codes a cell names (evidence first, then the reason's prefix), for messages. */
function errorCodes(results: readonly MatrixResult[]): string[] {
  const codes = new Set<string>();
  for (const r of results) {
    for (const e of r.evidence) if (e.error && /^HARNESS_[A-Z_]+$/.test(e.error)) codes.add(e.error);
    const prefix = /^(HARNESS_[A-Z_]+)\b/.exec(r.reason)?.[1];
    if (prefix) codes.add(prefix);
  }
  return [...codes].sort();
}

/** Models (per target) that ran in this matrix and observed nothing. */
function unobservedModels(matrix: Matrix): { problems: GateProblem[]; cells: Set<MatrixResult> } {
  const byCell = resultsByCell(matrix.results, (r) => !r.notRun);
  const problems: GateProblem[] = [];
  const cells = new Set<MatrixResult>();
  for (const results of byCell.values()) {
    const { target, model } = results[0]!;
    const info = matrix.models.find((m) => m.id === model);
    const catalog = info && !info.inCatalog ? `; "${model}" is not in the catalog${info.suggestion ? `: did you mean "${info.suggestion}"?` : ''}` : '';
    if (results.some(showsService)) continue;
    const known = info?.inCatalog === true || info?.discovered === true || results.some((r) => r.check === 'models.listed' && r.observed === 'listed');
    if (results.some(showsRefusal)) {
      const refused = servedNoApi(results, known);
      if (refused) problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing of the model observed, no API serves it here (${refused}${catalog}` });
      continue;
    }
    // A run filtered to checks that need no model (--checks 'errors.*') observed what it asked, of a model known to
    // exist; an id nothing vouches for, or one the endpoint said does not exist, was not observed.
    const notFound = errorCodes(results.filter((r) => r.status === 'error')).includes('HARNESS_MODEL_NOT_FOUND');
    if (known && !notFound && results.every((r) => ASKS_NO_MODEL.test(r.check)) && results.some((r) => OBSERVED.has(r.status))) continue;
    problems.push({ kind: 'unobserved-model', target, model, message: `${model} (${target}): nothing observed, ${unobservedCells(results)}${catalog}` });
    results.forEach((r) => cells.add(r));
  }
  return { problems, cells };
}

/**
 * Checks whose verdict does not need the model to answer: they read what the endpoint says to a wrong route, an
 * unknown id or a bad parameter, its model list, its headers, its error bodies. A typo'd id gets all of them.
 */
const ASKS_NO_MODEL = /^(errors|models|headers)\.|^schema\.error$/;

/** The probes of the four APIs a model may speak. */
const API_PROBES = ['api.chat-completions', 'api.responses', 'api.messages', 'api.count-tokens'] as const;

/** A cell that shows an API served the model: a probe that found it, or a check that read one of its answers. */
function showsService(r: MatrixResult): boolean {
  if (r.check.startsWith('api.')) return r.observed === 'supported';
  if (r.check === 'path-prefix') return typeof r.observed === 'string' && r.observed !== 'none';
  return (r.status === 'pass' || r.status === 'fail' || r.status === 'flaky') && !ASKS_NO_MODEL.test(r.check);
}

/** A cell that shows the model's APIs refused it: a probe that found one not served, or a check that needed one. */
function showsRefusal(r: MatrixResult): boolean {
  if (r.status === 'unsupported') return true;
  return (r.check.startsWith('api.') || r.check === 'path-prefix') && OBSERVED.has(r.status);
}

/**
 * Why no API serving the model is a problem, for a model no cell shows served (every API refused it); undefined
 * when it is an observation. An endpoint answers an id it does not know with route errors on every API: the model
 * was never observed, whatever the other checks read from those errors. It is an observation when it is what is
 * stated for every probe the run kept, or when the model is known (in the catalog, or on the endpoint's own list)
 * and not all four probes were answered with bare 404s (an endpoint that refuses each API by name, or a run
 * filtered to a probe the model does not speak). Bare 404s on every probe for a known model say a wrong id or a
 * wrong --endpoint path as likely as a model withdrawn.
 */
function servedNoApi(results: readonly MatrixResult[], known: boolean): string | undefined {
  const probes = results.filter((r) => (r.check.startsWith('api.') && r.observed === 'unsupported') || (r.check === 'path-prefix' && r.observed === 'none'));
  if (probes.length > 0 && probes.every((r) => r.expected === (r.check === 'path-prefix' ? 'none' : 'unsupported'))) return undefined;
  const refused = results.filter((r) => r.status === 'unsupported' || probes.includes(r));
  if (refused.length === 0) return undefined;
  const main = API_PROBES.map((id) => probes.find((r) => r.check === id));
  const answers = main.flatMap((r) => r?.evidence ?? []).filter((e) => e.status !== undefined);
  const every404 = main.every(Boolean) && answers.length > 0 && answers.every((e) => e.status === 404);
  if (known && !every404) return undefined;
  const what = probes.length ? `${probes.map((r) => r.check).join(', ')} found no API serving it` : `${refused.length} check(s) found no API serving it`;
  if (every404) return `${what}, every probe a bare 404): is the id right, and the --endpoint path?`;
  // A run that did not probe every API cannot tell a typo from a model served only by another API.
  const unasked = API_PROBES.filter((_, i) => !main[i]);
  return `${what}${unasked.length ? `; not seen: ${unasked.join(', ')} (--checks 'api.*' probes every API)` : ''}): is the id right?`;
}

/**
 * What a model's cells were instead of observations: `4 of 6 cells are errors (HARNESS_TIMEOUT), 2 inconclusive (...)`;
 * cells that read the endpoint without the model (its list, error bodies) are counted as such.
 */
function unobservedCells(results: readonly MatrixResult[]): string {
  const errors = results.filter((r) => r.status === 'error');
  const inconclusive = results.filter((r) => r.status === 'inconclusive').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const withoutModel = results.length - errors.length - inconclusive - skipped;
  if (skipped === results.length) return `all ${results.length} cells were skipped`;
  const codes = errorCodes(errors);
  const parts = [
    errors.length ? `${errors.length} of ${results.length} cells are errors${codes.length ? ` (${codes.join(', ')})` : ''}` : '',
    inconclusive ? `${inconclusive}${errors.length ? '' : ` of ${results.length} cells`} inconclusive (the model's output budget or its choices hid what the checks look for)` : '',
    skipped ? `${skipped} skipped` : '',
    withoutModel ? `${withoutModel} read without the model (its place on the model list, error answers)` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

export function gateOf(matrix: Matrix): MatrixGate {
  const gating = matrix.results.filter((r) => r.gating).map((r) => ({ target: r.target, model: r.model, check: r.check, reason: r.reason }));
  const regressed = matrix.comparison?.regressed;
  const old = matrix.gate as Partial<MatrixGate> & { maxErrors?: number };
  const max = old?.errors?.max ?? old?.maxErrors ?? DEFAULT_MAX_ERRORS;
  const problems: GateProblem[] = [];
  const interrupted = wasInterrupted(matrix.run);
  if (interrupted) {
    problems.push({ kind: 'interrupted', message: `interrupted (${matrix.run.partialReason ?? 'stopped'}): cells not reached are skipped; the run proves nothing` });
  } else if (matrix.run.partial) {
    problems.push({ kind: 'partial', message: `partial run: ${matrix.run.partialReason ?? 'it did not finish'}` });
  }
  const unobserved = unobservedModels(matrix);
  problems.push(...unobserved.problems);
  const unexpected = matrix.results.filter((r) => r.status === 'error' && !r.gating && !unobserved.cells.has(r)).length;
  if (unexpected > max) {
    problems.push({
      kind: 'too-many-errors',
      message: `${unexpected} errors in cells with no stated expectation (at most ${max} accepted, --max-errors): a run that observed this little cannot pass`,
    });
  }
  // A record run that kept earlier fixtures because the endpoint failed did not record what it was asked to.
  const kept = matrix.results.filter((r) => r.status === 'error' && r.reason.startsWith('HARNESS_RECORDING_KEPT')).length;
  if (kept) {
    problems.push({ kind: 'recording-kept', message: `${kept} result(s) rest on previous recordings, kept because the endpoint failed during this record run (--overwrite-failures records the outage)` });
  }
  const failed = gating.length > 0 || problems.length > 0 || regressed === true;
  return {
    exitCode: interrupted ? 130 : failed ? 1 : 0,
    verdict: interrupted ? 'interrupted' : failed ? 'fail' : 'pass',
    gating,
    problems,
    errors: { unexpected, max },
    ...(regressed !== undefined ? { regressedSinceBaseline: regressed } : {}),
  };
}

/** The gate in one line: `pass (exit 0)`, `fail (exit 1): 3 results ...; ...`, `interrupted (exit 130)`. */
export function gateLine(gate: MatrixGate): string {
  if (gate.verdict === 'interrupted') return 'interrupted (exit 130): the run did not finish, so it neither passes nor fails';
  if (gate.verdict === 'pass') return 'pass (exit 0)';
  const why = [
    gate.gating.length ? `${gate.gating.length} result(s) do not meet their stated expectation` : '',
    ...gate.problems.map((p) => (p.kind === 'unobserved-model' ? '' : p.kind === 'partial' ? 'partial run' : p.kind === 'too-many-errors' ? `${gate.errors.unexpected} errors (max ${gate.errors.max})` : p.kind === 'recording-kept' ? p.message : p.kind)),
    unobservedLine(gate.problems),
    gate.regressedSinceBaseline ? 'new failures since the baseline' : '',
  ].filter(Boolean);
  return `fail (exit 1): ${why.join('; ')}`;
}

/** `2 model(s) with nothing observed`, counting a model once however many targets it failed on. */
function unobservedLine(problems: MatrixGate['problems']): string {
  const unobserved = problems.filter((p) => p.kind === 'unobserved-model');
  if (unobserved.length === 0) return '';
  const models = new Set(unobserved.map((p) => p.model)).size;
  const targets = new Set(unobserved.map((p) => p.target)).size;
  return `${models} model(s) with nothing observed${targets > 1 ? ` (on ${targets} targets)` : ''}`;
}

/** The statuses a person should look at: they fail, error, vary, or hide the behaviour. */
export const LOOK_AT: readonly MatrixResult['status'][] = ['fail', 'error', 'flaky', 'inconclusive'];

/** Counts of one key's cells to look at. */
export interface LookAtCounts {
  gating: number;
  fail: number;
  error: number;
  flaky: number;
  inconclusive: number;
}

/** The cells to look at, counted per key (a model, a check), only keys that have any; worst first (gating, then fail + error). */
export function cellsToLookAt(results: readonly MatrixResult[], keyOf: (r: MatrixResult) => string): [string, LookAtCounts][] {
  const counts = new Map<string, LookAtCounts>();
  for (const r of results) {
    if (!LOOK_AT.includes(r.status) || r.notRun) continue;
    const c = counts.get(keyOf(r)) ?? { gating: 0, fail: 0, error: 0, flaky: 0, inconclusive: 0 };
    c[r.status as keyof LookAtCounts] += 1;
    if (r.gating) c.gating += 1;
    counts.set(keyOf(r), c);
  }
  return [...counts.entries()].sort(([, a], [, b]) => b.gating - a.gating || b.fail + b.error - (a.fail + a.error));
}

export interface Coverage {
  /** Every planned cell of the matrix. */
  cells: number;
  /** Cells that observed the model: pass, fail, flaky, unsupported (the probes observed the API is not served). */
  observed: number;
  inconclusive: number;
  errors: number;
  /** Skipped by this run (a spend cap, an interruption). */
  skipped: number;
  /** Not run by this process: filtered out, or another shard's. */
  notRun: number;
  /** Selected here but not reached: the run was interrupted or stopped first. */
  notReached: number;
}

export function coverageOf(matrix: Pick<Matrix, 'results'>): Coverage {
  const c: Coverage = { cells: matrix.results.length, observed: 0, inconclusive: 0, errors: 0, skipped: 0, notRun: 0, notReached: 0 };
  for (const r of matrix.results) {
    // A cell a stop cut short says so in its reason (run-matrix.ts): it was this run's to observe.
    if (r.notRun && r.reason.startsWith('not reached')) c.notReached += 1;
    else if (r.notRun) c.notRun += 1;
    else if (r.status === 'inconclusive') c.inconclusive += 1;
    else if (r.status === 'error') c.errors += 1;
    else if (r.status === 'skipped') c.skipped += 1;
    else c.observed += 1;
  }
  return c;
}

/** `3290 of 3332 cells observed (98.7%); not observed: 40 errors, 2 skipped`. */
export function coverageLine(matrix: Pick<Matrix, 'results'>): string {
  const c = coverageOf(matrix);
  // Rounded down, so a run that missed one cell in thousands never reads 100%.
  const percent = c.cells ? ` (${c.observed === c.cells ? '100' : (Math.floor((1000 * c.observed) / c.cells) / 10).toFixed(1)}%)` : '';
  const missing = [
    c.errors ? `${c.errors} error${c.errors === 1 ? '' : 's'}` : '',
    c.inconclusive ? `${c.inconclusive} inconclusive` : '',
    c.skipped ? `${c.skipped} skipped` : '',
    c.notReached ? `${c.notReached} not reached (the run stopped first)` : '',
    c.notRun ? `${c.notRun} not run here (filtered out or another shard's)` : '',
  ].filter(Boolean);
  return `${c.observed} of ${c.cells} cells observed${percent}${missing.length ? `; not observed: ${missing.join(', ')}` : ''}`;
}
