/**
 * @module cli/history-reports
 * The files `history` writes into --report-dir. A file of one of their names that history did not write (a project's
 * own history.md or changelog) is refused, never replaced: history's earlier files are known by how they start.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { readHead } from './earlier-reports.ts';

/** Each file history writes, with the start that shows history wrote it. */
const OWN_HISTORY_FILES: readonly (readonly [string, RegExp])[] = [
  ['history.json', /^\{"format":"mantle-conformance\.history\//],
  ['history.html', /^<!doctype html>[\s\S]*?<title>Mantle conformance history<\/title>/],
  ['history.md', /^## Mantle conformance: what changed in the last /],
];

/** Throws HARNESS_USAGE naming the first file of history's names in `dir` that history did not write (a link or a folder included). */
export async function refuseForeignHistoryFiles(dir: string): Promise<void> {
  for (const [name, start] of OWN_HISTORY_FILES) {
    const file = join(dir, name);
    if (!(await lstat(file).catch(() => undefined))) continue;
    const head = await readHead(file);
    if (head !== undefined && start.test(head)) continue;
    throw new HarnessError(
      'HARNESS_USAGE',
      `--report-dir ${inertLine(dir, 300)}: ${name} there was not written by mantle-conformance history, and history would replace it; pick another --report-dir (or move the file). Nothing was written.`,
    );
  }
}
