/**
 * @module report/report-writer
 * A report format turns a Matrix into files. Built-in formats are listed by name in `report/index.ts`; every one
 * reads only the Matrix, so any of them can be rendered again later from a saved matrix.json.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Matrix } from './matrix.ts';

export interface ReportFile {
  /** Path relative to the report folder. */
  path: string;
  content: string;
}

export interface ReportContext {
  /** A previous matrix to show changes against (`--baseline`). */
  baseline?: Matrix;
}

export interface ReportWriter {
  readonly name: string;
  render(matrix: Matrix, context: ReportContext): ReportFile[];
}

/** Writes each file atomically (temp + rename), so a reader never sees half a report. */
export async function writeReportFiles(dir: string, files: readonly ReportFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, file.content, 'utf8');
    await rename(temp, target);
    written.push(target);
  }
  return written;
}
