/**
 * @module cli/read-matrix
 * A matrix.json from elsewhere (a CI artifact, a teammate's branch, a fork's run) is parsed, not trusted: it is
 * validated against the published schema (`suites/schema/matrix.schema.json`) before any field is used, so a bad
 * file is exit 2 naming the file and the JSON path of the first bad field. What a schema cannot say is checked
 * next, as a run would have written it: every number finite (JSON's 1e400 parses as Infinity), no `__proto__` key
 * (an assignment would turn it into a prototype), names that are names (src/names.ts, regions too), families and
 * times of a sane length, each cell once and only of
 * the targets, models and checks the file lists, no cell missing, no cell "not reached" in a run that does not say
 * it is partial, and every observed and expected value a word of its check's vocabulary. A file is at most what this
 * process's heap reads (cli/matrix-size.ts; refused by its size before it is read) and MAX_MATRIX_DEPTH levels deep.
 * Then it is normalised: members the schema does not name are left out, format 1 is read as format 2, reasons and
 * evidence are bounded as a run bounds them, and every derived part (gating, counts, the gate) is recomputed from the
 * results rather than taken from the file.
 */
import { open } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { CHECK_STATUSES } from '../checks/types.ts';
import { HarnessError } from '../errors.ts';
import { notAFileError, whyNotAFile } from './input-files.ts';
import { knownFields, type LeftOut } from './known-fields.ts';
import { matrixText } from './matrix-text.ts';
import { overBoundsProblem } from '../report/over-bounds.ts';
import { costProblem, readLimits, tooLarge, type ReadLimits } from './matrix-size.ts';
import { trialsClaimProblem } from './trials-claim.ts';
import { comparedClaimProblem, comparisonClaimProblem, modelListClaimProblem, pairKeyProblem, runClaimProblem, runTimeProblem, selectedModelProblem } from './matrix-claims.ts';
import { boundResult } from '../report/bound-result.ts';
import { finishMatrix, isGating } from '../report/build-matrix.ts';
import { wasNotReached } from '../report/gate.ts';
import { inertLine } from '../report/inert-text.ts';
import { schemaProblem } from '../report/schema-problem.ts';
import { MATRIX_FORMAT, listedOn, pairKey, resultKey, type Matrix, type MatrixCheck, type WrittenFormat } from '../report/matrix.ts';
import { MATRIX_FORMATS, MatrixSchema } from '../suite/matrix-schema.ts';
import { describeVocabulary, inVocabulary } from '../suite/check-signature.ts';
import { FLAKY, describeExpected, meets } from '../suite/expected.ts';
import { nameProblem } from '../names.ts';
import { displayPath, pathOf, type PathSegment } from '../json-path.ts';
import { firstProblemIn, pathAt } from '../json-walk.ts';
import { isRunTime, RUN_TIME } from '../transport/recorded-time.ts';
import { formatVersion, newerVersion } from '../format-version.ts';

const validate = new Ajv({ allErrors: false, strict: false }).compile(MatrixSchema);
const FIX = 'give a matrix.json written by mantle-conformance (schema: suites/schema/matrix.schema.json)';
/** Check ids as the registry and the catalog spell them. */
const CHECK_ID = /^[a-z0-9][a-z0-9.-]*$/;
/**
 * The most nesting a matrix.json may have. A run writes about 10 levels (results[].trials[].evidence[].timing); the
 * reports are written by code that recurses (JSON.stringify, Ajv), which a file from elsewhere must not overflow.
 */
export const MAX_MATRIX_DEPTH = 64;

/** Validates and normalises parsed JSON as a Matrix; `file` names it in errors. */
export function parseMatrix(value: unknown, file: string, leftOut?: LeftOut): Matrix {
  const name = inertLine(file, 200);
  const format = (value as { format?: unknown } | null)?.format;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: the top level is not an object; ${FIX}`);
  if (typeof format !== 'string' || !format.startsWith('mantle-conformance.matrix/')) {
    throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: format is ${inertLine(JSON.stringify(format) ?? 'missing', 60)}, expected "${MATRIX_FORMAT}"; ${FIX}`);
  }
  const newer = newerFormat(format);
  if (newer) throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: ${newer}`);
  const unsafe = unsafeValue(value);
  if (unsafe) throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: ${unsafe}; ${FIX}`);
  if (!validate(value)) {
    const statusError = validate.errors?.find((e) => /^\/results\/\d+\/status$/.test(e.instancePath));
    const problem = statusError ? `${displayPath(pathOf(statusError.instancePath))} is not one of ${CHECK_STATUSES.join(', ')}` : schemaProblem(validate.errors ?? [], value);
    throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: ${problem}; ${FIX}`);
  }
  // Members the schema does not name are left out, not refused: a newer version adds optional fields without a new
  // format (README, matrix.json), and its files are still read; what this version does not know it does not copy.
  const matrix = knownFields(value, MatrixSchema, leftOut) as Matrix;
  const inconsistent = inconsistency(matrix) ?? overBoundsProblem(matrix);
  if (inconsistent) throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: ${inconsistent}; ${FIX} (a file edited by hand, or cut and pasted, is read no further)`);
  const byStatus = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Matrix['totals']['byStatus'];
  return finishMatrix({
    ...matrix,
    // Its cells stand as the build that wrote them judged them: rendered or merged again, the file says so still.
    format: (matrix.format as string) === MATRIX_FORMATS[0] ? MATRIX_FORMATS[1] : (matrix.format as WrittenFormat),
    checks: matrix.checks.map((c) => ({ ...c, reference: c.reference ?? null })),
    results: matrix.results.map((r) => boundResult({ ...r, gating: isGating(r) })),
    totals: { ...matrix.totals, byStatus },
  });
}

/**
 * What to say of a format a newer mantle-conformance wrote: its gate may fail on rules this version does not know,
 * so it is not read (a failed run would read as a pass); the fix is to upgrade, not to hand in another file.
 */
function newerFormat(format: string): string | undefined {
  const version = newerVersion(format, MATRIX_FORMAT);
  const newest = Number(formatVersion(MATRIX_FORMAT));
  if (version === undefined) return undefined;
  return `format ${version} was written by a newer mantle-conformance; this version reads formats 1 to ${newest}, and would judge the run by older rules (a run that failed could read as a pass): upgrade mantle-conformance to read it`;
}

/** How `readMatrix` reads: from another path than it names (the file a link led to, resolved once: in-place-input.ts), and who is told what it left out. */
export interface ReadOptions {
  from?: string;
  leftOut?: LeftOut;
}

/**
 * Reads, validates and normalises the matrix.json at `file`. A file larger than this process reads (cli/matrix-size.ts:
 * a share of its heap limit) is refused, by its size, before it is read, and one whose JSON would take more heap to
 * parse than its size says (a file made of `[{},{},...]`) before it is parsed: either names the file and the fix.
 */
export async function readMatrix(file: string, limits: ReadLimits = readLimits(), options: ReadOptions = {}): Promise<Matrix> {
  let value: unknown;
  let text: string | undefined;
  try {
    const handle = await open(options.from ?? file, 'r');
    try {
      const { size } = await handle.stat();
      const large = tooLarge(size, limits);
      if (large) throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: ${large.said}; ${large.fix}`);
      const bytes = await handle.readFile();
      const costly = costProblem(bytes, limits);
      if (costly) throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: ${costly}`);
      // A byte-order mark (a Windows editor, PowerShell's Out-File) is the encoding's, not the JSON's.
      text = matrixText(bytes, file, FIX);
    } finally {
      await handle.close();
    }
    value = JSON.parse(text);
  } catch (cause) {
    if (cause instanceof HarnessError) throw cause;
    if (cause instanceof SyntaxError && text !== undefined) {
      // Said by where, not by JSON.parse's message: that quotes the file's own bytes, which are data, not words to print.
      const { atPosition, syntaxErrorAt } = await import('../transport/fixture-schema.ts');
      const where = atPosition(text, syntaxErrorAt(text)) || ' (the position is not known)';
      throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: not valid JSON${where}; ${FIX}`, { cause });
    }
    // Nothing there is the code every command gives for a path that does not exist (a folder, a FIFO stay invalid input).
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? await whyNotAFile(file) : undefined;
    if (missing?.missing) throw notAFileError(undefined, `${inertLine(file, 200)}:`, missing, 'give the path of a matrix.json written by mantle-conformance (reports/matrix.json of a run)');
    throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: cannot read a matrix.json there (${inertLine((cause as Error).message, 200)}); ${FIX}`, { cause });
  }
  return parseMatrix(value, file, options.leftOut);
}

/**
 * The first value no run writes, anywhere in the document: a number JSON.parse could not keep (1e400 reads as
 * Infinity, which the reports would then write as null), a `__proto__` key, which JSON.parse keeps as data but
 * an assignment or Object.assign (merge sums usage and latency that way) turns into the object's prototype, or
 * nesting deeper than MAX_MATRIX_DEPTH (json-walk.ts: no recursion, whatever the file).
 */
function unsafeValue(document: unknown): string | undefined {
  const at = (path: PathSegment[]) => inertLine(displayPath(path), 400);
  return firstProblemIn(document, MAX_MATRIX_DEPTH, (path) => `${at(path)}: nested more than ${MAX_MATRIX_DEPTH} levels deep (a run writes about 10)`, (key, child, holder) => {
    if (key === '__proto__') return `${at(pathAt(holder, key))}: a key named __proto__ is not allowed (no run writes one)`;
    if (typeof child === 'number' && !Number.isFinite(child)) return `${at(pathAt(holder, key))} is not a finite number (a literal such as 1e400 reads as Infinity)`;
    return undefined;
  });
}

const shown = (value: unknown) => inertLine(JSON.stringify(value) ?? String(value), 120);

/** The first id listed twice, or that is not a name of its kind. */
function listProblem(list: readonly { id: string }[], field: string, problemOf: (id: string) => string | undefined): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, { id }] of list.entries()) {
    const problem = problemOf(id);
    if (problem) return `${field}[${i}].id: ${inertLine(problem, 300)}`;
    const first = seen.get(id);
    if (first !== undefined) return `${field}[${i}].id: ${shown(id)} is listed again (${field}[${first}])`;
    seen.set(id, i);
  }
  return undefined;
}

/** Whether a value is one the check could have observed: a word of its vocabulary, or null (nothing observed). */
const observable = (check: MatrixCheck, value: unknown) => value === null || inVocabulary({ id: check.id, api: null, vocabulary: check.vocabulary }, value);

function valueProblem(check: MatrixCheck, value: unknown, at: string, checkIndex: number): string | undefined {
  return observable(check, value) ? undefined : `${at}: ${shown(value)} is not one of ${inertLine(describeVocabulary({ id: check.id, api: null, vocabulary: check.vocabulary }), 300)} (the vocabulary of ${shown(check.id)}, checks[${checkIndex}])`;
}

/** The longest family id read: a catalog's family ids are far shorter. */
const MAX_FAMILY = 80;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * What describes the cells, checked like the ids: a region is a region name, a family and a recording time are
 * short text (each is shown in every report).
 */
function describedProblem(matrix: Matrix): string | undefined {
  for (const [i, t] of matrix.targets.entries()) {
    const region = t.region === null ? undefined : nameProblem(t.region, 'region');
    if (region) return `targets[${i}].region: ${inertLine(region, 300)}`;
    for (const key of ['recordedFrom', 'recordedTo'] as const) {
      const time = t.provenance[key];
      if (time !== undefined && !isRunTime(time)) {
        return `targets[${i}].provenance.${key}: ${shown(time)} is not ${RUN_TIME}`;
      }
    }
  }
  for (const [i, m] of matrix.models.entries()) {
    if (m.family !== null && (m.family.length === 0 || m.family.length > MAX_FAMILY || CONTROL.test(m.family))) {
      return `models[${i}].family: ${shown(m.family)} is not a family id (1 to ${MAX_FAMILY} characters, no control characters)`;
    }
  }
  return undefined;
}

/**
 * A stated expectation without its source, or a source with nothing stated: a run writes both from one expectation
 * (plan.ts), and only a number-or-null check states null as its value. The gate reads the source alone
 * (build-matrix.ts isGating), so a value whose source was removed would fail and never gate.
 */
function sourceProblem(r: Matrix['results'][number], check: MatrixCheck, i: number): string | undefined {
  if (r.expected !== null && r.expectedSource === null) {
    return `results[${i}].expectedSource: null, but results[${i}].expected states ${inertLine(describeExpected(r.expected), 200)} (a run writes where every stated expectation comes from, and a cell with no source never gates)`;
  }
  if (r.expected === null && r.expectedSource !== null && check.vocabulary !== 'number-or-null') {
    return `results[${i}].expectedSource: ${shown(r.expectedSource)}, but results[${i}].expected is null (a run states null only for a number-or-null check; ${shown(check.id)} is not one)`;
  }
  return undefined;
}

/**
 * What a schema cannot say about a matrix: the names, each cell once and of listed ids only, no cell missing (a
 * target/model pair that has cells has one for every check; a pair has none only when the target's model list did
 * not name the model), and values from the checks' vocabularies. Undefined when the file is as a run writes it.
 */
function inconsistency(matrix: Matrix): string | undefined {
  const runIdProblem = matrix.run.id.split('+').map((part) => nameProblem(part, 'run id')).find(Boolean);
  if (runIdProblem) return `run.id: ${inertLine(runIdProblem, 300)}`;
  const listed =
    listProblem(matrix.targets, 'targets', (id) => nameProblem(id, 'target name')) ??
    listProblem(matrix.models, 'models', (id) => nameProblem(id, 'model id')) ??
    listProblem(matrix.checks, 'checks', (id) => (CHECK_ID.test(id) ? undefined : `${shown(id)} is not a check id (lower-case letters, digits, . and -)`));
  if (listed) return listed;
  const described = describedProblem(matrix) ?? pairKeyProblem(matrix) ?? runTimeProblem(matrix) ?? runClaimProblem(matrix) ?? selectedModelProblem(matrix) ?? comparisonClaimProblem(matrix) ?? comparedClaimProblem(matrix) ?? modelListClaimProblem(matrix);
  if (described) return described;
  const checks = new Map(matrix.checks.map((c, i) => [c.id, { check: c, i }]));
  for (const [i, c] of matrix.checks.entries()) {
    const problem = valueProblem(c, c.reference ?? null, `checks[${i}].reference`, i);
    if (problem) return problem;
  }
  const targets = new Set(matrix.targets.map((t) => t.id));
  const models = new Set(matrix.models.map((m) => m.id));
  const cells = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (const [i, r] of matrix.results.entries()) {
    if (!targets.has(r.target)) return `results[${i}].target: ${shown(r.target)} is not in targets`;
    if (!models.has(r.model)) return `results[${i}].model: ${shown(r.model)} is not in models`;
    const listedCheck = checks.get(r.check);
    if (!listedCheck) return `results[${i}].check: ${shown(r.check)} is not in checks`;
    const k = resultKey(r);
    const first = cells.get(k);
    if (first !== undefined) return `results[${i}]: the cell of results[${first}] again (target ${shown(r.target)}, model ${shown(r.model)}, check ${shown(r.check)}); a matrix holds each cell once`;
    cells.set(k, i);
    // Only a run that stopped says "not reached" (run-matrix.ts), and it says partial too: the file lost that.
    if (!matrix.run.partial && wasNotReached(r)) {
      return `results[${i}].reason: ${shown(r.reason)}, but run.partial is false (a run that stopped before a cell says partial, and its gate fails)`;
    }
    pairs.set(pairKey(r.target, r.model), (pairs.get(pairKey(r.target, r.model)) ?? 0) + 1);
    const { check, i: c } = listedCheck;
    const expected = r.expected === FLAKY ? [] : Array.isArray(r.expected) ? r.expected : [r.expected];
    const problem =
      valueProblem(check, r.observed, `results[${i}].observed`, c) ??
      expected.map((v, j) => valueProblem(check, v, `results[${i}].expected${Array.isArray(r.expected) ? `[${j}]` : ''}`, c)).find(Boolean) ??
      (r.trials ?? []).map((t, j) => valueProblem(check, t.observed, `results[${i}].trials[${j}].observed`, c)).find(Boolean) ??
      trialsClaimProblem(r, i);
    if (problem) return problem;
    const source = sourceProblem(r, check, i);
    if (source) return source;
    // A verdict is the comparison of the two: a status that says otherwise was edited (a failure turned into a pass).
    if ((r.status === 'pass' || r.status === 'fail') && r.expected !== null && meets(r.expected, r.observed) !== (r.status === 'pass')) {
      return `results[${i}].status: ${shown(r.status)}, but the observed ${shown(r.observed)} ${r.status === 'pass' ? 'does not meet' : 'meets'} the expected ${inertLine(describeExpected(r.expected), 200)}`;
    }
  }
  for (const target of matrix.targets) {
    for (const model of matrix.models) {
      const count = pairs.get(pairKey(target.id, model.id)) ?? 0;
      if (count === matrix.checks.length || (count === 0 && !listedOn(target, model))) continue;
      const check = matrix.checks.find((c) => !cells.has(resultKey({ target: target.id, model: model.id, check: c.id })))!;
      return `results: no cell for target ${shown(target.id)}, model ${shown(model.id)}, check ${shown(check.id)} (every target runs every check of every model it runs; a cell another shard ran, or in a merge one its target did not select, is in the file as notRun)`;
    }
  }
  return undefined;
}
