/**
 * @module report
 * The built-in report formats by name (an explicit map, no path-built imports).
 */
import { htmlReport } from './html-report.ts';
import { jsonReport } from './json-report.ts';
import { junitReport } from './junit-report.ts';
import { markdownReport } from './markdown-report.ts';
import { writeReportFiles, type ReportFile, type ReportWriter } from './report-writer.ts';
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
 * Writes every default report of `matrix` into `dir` (`placed`: a report written elsewhere, by name: `report`'s input
 * that is a link is written through to the file it points at); returns the paths. Each format is rendered only when the one
 * before it is written (one report's text in memory at a time), and none replaces the previous run's until all
 * are written: a format that fails to render leaves the previous reports as they were, not half replaced.
 */
export function writeDefaultReports(matrix: Matrix, dir: string, placed: Readonly<Record<string, string>> = {}): Promise<string[]> {
  return writeReportFiles(dir, renderEach(matrix, placed));
}

/** Each report file, at the path `placed` gives its name instead (relative to the folder), if it gives one. */
function* renderEach(matrix: Matrix, placed: Readonly<Record<string, string>>): Generator<ReportFile> {
  for (const name of DEFAULT_REPORTS) {
    for (const file of REPORT_WRITERS[name]!.render(matrix, {})) yield Object.hasOwn(placed, file.path) ? { ...file, path: placed[file.path]! } : file;
  }
}
