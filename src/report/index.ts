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

/** How `report` writes its input's folder: some reports elsewhere or not at all, and a last look before anything is replaced. */
export interface ReportPlacing {
  /** A report written elsewhere, by name (relative to the folder): `report`'s input that is a link, through it. */
  placed?: Readonly<Record<string, string>>;
  /** Reports not written (`report`'s input left as it is: it holds fields this version would drop). */
  left?: readonly string[];
  /** Run once every report is written beside its place, before any is renamed into place; a throw writes none. */
  beforeCommit?: () => Promise<void>;
}

/**
 * Writes every default report of `matrix` into `dir` (placed as `placing` says); returns the paths. Each format is
 * rendered only when the one before it is written (one report's text in memory at a time), and none replaces the
 * previous run's until all are written: a format that fails to render leaves the previous reports as they were, not
 * half replaced.
 */
export function writeDefaultReports(matrix: Matrix, dir: string, placing: ReportPlacing = {}): Promise<string[]> {
  return writeReportFiles(dir, renderEach(matrix, placing), undefined, placing.beforeCommit);
}

/** Each report file, at the path `placed` gives its name instead (relative to the folder), if it gives one. */
function* renderEach(matrix: Matrix, { placed = {}, left = [] }: ReportPlacing): Generator<ReportFile> {
  for (const name of DEFAULT_REPORTS) {
    for (const file of REPORT_WRITERS[name]!.render(matrix, {})) {
      if (left.includes(file.path)) continue;
      yield Object.hasOwn(placed, file.path) ? { ...file, path: placed[file.path]! } : file;
    }
  }
}
