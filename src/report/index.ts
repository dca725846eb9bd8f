/**
 * @module report
 * The built-in report formats by name (an explicit map, no path-built imports).
 */
import { jsonReport } from './json-report.ts';
import { markdownReport } from './markdown-report.ts';
import type { ReportWriter } from './report-writer.ts';

export const REPORT_WRITERS: Readonly<Record<string, ReportWriter>> = {
  json: jsonReport,
  markdown: markdownReport,
};

export const DEFAULT_REPORTS = ['json', 'markdown'] as const;
