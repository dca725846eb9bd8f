/**
 * @module report/report-writer
 * A report format turns a Matrix into files. Built-in formats are listed by name in `report/index.ts`; every one
 * reads only the Matrix, so any of them can be rendered again later from a saved matrix.json.
 */
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { stageFile, type FileWriter, type StagedFile } from '../atomic-write.ts';
import type { Matrix } from './matrix.ts';

export interface ReportFile {
  /** Path relative to the report folder. */
  path: string;
  /** The text, or its pieces in order (made as the file is written: a large report is never one string). */
  content: string | Iterable<string>;
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
 * Writes a set of report files, replacing the previous set only once every file of it is written: each is written
 * to a temp file as it comes (so a lazy `files` holds one format's text at a time, not all of them), then all are
 * renamed into place (`beforeCommit` first: a throw there writes none). A file that fails to render or write leaves
 * the previous reports as they were and no temp file behind; a full disk is HARNESS_DISK_FULL naming the file.
 */
export async function writeReportFiles(dir: string, files: Iterable<ReportFile>, io: FileWriter = fs, beforeCommit?: () => Promise<void>): Promise<string[]> {
  const staged: StagedFile[] = [];
  try {
    for (const file of files) staged.push(await stageFile(join(dir, file.path), file.content, io));
    await beforeCommit?.();
  } catch (error) {
    await Promise.all(staged.map((s) => s.discard()));
    throw error;
  }
  for (const [i, file] of staged.entries()) {
    await file.commit().catch(async (error: unknown) => {
      await Promise.all(staged.slice(i + 1).map((s) => s.discard()));
      throw error;
    });
  }
  return staged.map((s) => s.file);
}
