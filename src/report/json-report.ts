/**
 * @module report/json-report
 * `matrix.json`: the Matrix as is, for machines (CI scripts, compare, merge, table, bless).
 */
import type { ReportWriter } from './report-writer.ts';

export const jsonReport: ReportWriter = {
  name: 'json',
  render: (matrix) => [{ path: 'matrix.json', content: `${JSON.stringify(matrix, null, 2)}\n` }],
};
