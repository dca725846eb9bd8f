/**
 * @module report/json-report
 * `matrix.json`: the Matrix as is, for machines (CI scripts, compare, merge, table, bless).
 */
import { jsonPieces } from './json-pieces.ts';
import type { Matrix } from './matrix.ts';
import type { ReportWriter } from './report-writer.ts';

/** The text of matrix.json, in pieces (results a run at a time): JSON.stringify(matrix, null, 2) and a newline. */
function* matrixJson(matrix: Matrix): Generator<string> {
  yield* jsonPieces(matrix, { indent: 2 });
  yield '\n';
}

export const jsonReport: ReportWriter = {
  name: 'json',
  render: (matrix) => [{ path: 'matrix.json', content: matrixJson(matrix) }],
};
