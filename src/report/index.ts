/**
 * @module report
 * The built-in report formats by name (an explicit map, no path-built imports).
 */
import { htmlReport } from './html-report.ts';
import { jsonReport } from './json-report.ts';
import { junitReport } from './junit-report.ts';
import { markdownReport } from './markdown-report.ts';
import type { ReportWriter } from './report-writer.ts';

export const REPORT_WRITERS: Readonly<Record<string, ReportWriter>> = {
  json: jsonReport,
  markdown: markdownReport,
  html: htmlReport,
  junit: junitReport,
};

/** Every run writes these into --report-dir. */
export const DEFAULT_REPORTS = ['json', 'markdown', 'html', 'junit'] as const;
