/**
 * @module report
 * The built-in report formats by name (an explicit map, no path-built imports).
 */
import { htmlReport } from './html-report.ts';
import { jsonReport } from './json-report.ts';
import { junitReport } from './junit-report.ts';
import { markdownReport } from './markdown-report.ts';
import { writeReportFiles, type ReportWriter } from './report-writer.ts';
import type { Matrix } from './matrix.ts';

export const REPORT_WRITERS: Readonly<Record<string, ReportWriter>> = {
  json: jsonReport,
  markdown: markdownReport,
  html: htmlReport,
  junit: junitReport,
};

/** Every run writes these into --report-dir. */
export const DEFAULT_REPORTS = ['json', 'markdown', 'html', 'junit'] as const;

/**
 * Writes every default report of `matrix` into `dir`; returns the paths. One format at a time: a full replay's
 * matrix.json and matrix.html are over 10 MB each, and none has to wait in memory for the others.
 */
export async function writeDefaultReports(matrix: Matrix, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const name of DEFAULT_REPORTS) written.push(...(await writeReportFiles(dir, REPORT_WRITERS[name]!.render(matrix, {}))));
  return written;
}
