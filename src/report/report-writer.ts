/**
 * @module report/report-writer
 * A report format turns a Matrix into files. Built-in formats are listed by name in `report/index.ts`; every one
 * reads only the Matrix, so any of them can be rendered again later from a saved matrix.json.
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type FileWriter } from '../atomic-write.ts';
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

/**
 * Writes each file atomically (temp + rename), so a reader never sees half a report; the temp file is removed on
 * every failure path, and a full disk is HARNESS_DISK_FULL naming the file.
 */
export async function writeReportFiles(dir: string, files: readonly ReportFile[], io: FileWriter = fs): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(dir, file.path);
    await writeFileAtomic(target, file.content, io);
    written.push(target);
  }
  return written;
}
