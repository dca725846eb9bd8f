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
 * Writes every default report of `matrix` into `dir`; returns the paths. All are rendered before the first is
 * written: a format that fails to render leaves the previous run's reports as they were, not half replaced.
 */
export function writeDefaultReports(matrix: Matrix, dir: string): Promise<string[]> {
  return writeReportFiles(dir, DEFAULT_REPORTS.flatMap((name) => REPORT_WRITERS[name]!.render(matrix, {})));
}
