/**
 * @module cli/read-matrix
 * A matrix.json from elsewhere (a CI artifact, a teammate's branch, a fork's run) is parsed, not trusted: it is
 * validated against the published schema (`suites/schema/matrix.schema.json`) before any field is used, so a bad
 * file is exit 2 naming the file and the JSON path of the first bad field. Then it is normalised: format 1 is read
 * as format 2, reasons and evidence are bounded as a run bounds them, and every derived part (gating, counts, the
 * gate) is recomputed from the results rather than taken from the file.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { CHECK_STATUSES } from '../checks/types.ts';
import { HarnessError } from '../errors.ts';
import { boundResult } from '../report/bound-result.ts';
import { finishMatrix, isGating } from '../report/build-matrix.ts';
import { inertLine } from '../report/inert-text.ts';
import { schemaProblem } from '../report/schema-problem.ts';
import { MATRIX_FORMAT, type Matrix } from '../report/matrix.ts';
import { MatrixSchema } from '../suite/matrix-schema.ts';
import { displayPath, pathOf } from '../json-path.ts';

const validate = new Ajv({ allErrors: false, strict: false }).compile(MatrixSchema);
const FIX = 'give a matrix.json written by mantle-conformance (schema: suites/schema/matrix.schema.json)';

/** Validates and normalises parsed JSON as a Matrix; `file` names it in errors. */
export function parseMatrix(value: unknown, file: string): Matrix {
  const name = inertLine(file, 200);
  const format = (value as { format?: unknown } | null)?.format;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: the top level is not an object; ${FIX}`);
  if (typeof format !== 'string' || !format.startsWith('mantle-conformance.matrix/')) {
    throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: format is ${inertLine(JSON.stringify(format) ?? 'missing', 60)}, expected "${MATRIX_FORMAT}"; ${FIX}`);
  }
  if (!validate(value)) {
    const statusError = validate.errors?.find((e) => /^\/results\/\d+\/status$/.test(e.instancePath));
    const problem = statusError ? `${displayPath(pathOf(statusError.instancePath))} is not one of ${CHECK_STATUSES.join(', ')}` : schemaProblem(validate.errors ?? [], value);
    throw new HarnessError('HARNESS_REPORT_INVALID', `${name}: ${problem}; ${FIX}`);
  }
  const matrix = value as unknown as Matrix;
  const byStatus = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Matrix['totals']['byStatus'];
  return finishMatrix({
    ...matrix,
    format: MATRIX_FORMAT,
    checks: matrix.checks.map((c) => ({ ...c, reference: c.reference ?? null })),
    results: matrix.results.map((r) => boundResult({ ...r, gating: isGating(r) })),
    totals: { ...matrix.totals, byStatus },
  });
}

export async function readMatrix(file: string): Promise<Matrix> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: cannot read a matrix.json there (${inertLine((cause as Error).message, 200)}); ${FIX}`, { cause });
  }
  return parseMatrix(value, file);
}
