/**
 * @module cli/report-dir-guard
 * The checks a command that writes reports from saved matrices (`merge`, `report`, and `run` of its --baseline) makes
 * before it reads or writes anything: the report folder is a folder, and none of the files it would write or remove
 * there is one of its inputs (a merge into the `reports/` that holds shard 1's matrix.json would replace shard 1 with
 * the merge).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';

/** The files every command that writes reports writes into its report folder (and removes an earlier run's of). */
const REPORT_FILES = ['matrix.json', 'matrix.md', 'matrix.html', 'junit.xml'] as const;

/** The file a path names (through links, a hard link too), or undefined when there is none to name yet. */
export async function fileIdentity(path: string): Promise<string | undefined> {
  // As bigints: a file id of NTFS or ReFS does not fit a double, and two files could compare equal.
  const found = await stat(path, { bigint: true }).catch(() => undefined);
  return found ? `${found.dev}:${found.ino}` : undefined;
}

export interface ReportDirCheck {
  /** The command, for messages (`merge`, `report`). */
  command: string;
  /**
   * An input that may be written over: `report reports/matrix.json` renders the run where it lies (its matrix.json
   * is written again from what was read). Every other input is refused as a report file.
   */
  rewrites?: string;
  /**
   * The flag that names the inputs (`--baseline` for `run`): the refusal then says to copy the file elsewhere first,
   * the fix for comparing with the last run in the folder that gets the new one.
   */
  inputFlag?: string;
}

/**
 * Refuses (HARNESS_USAGE, exit 2) a --report-dir that is not a folder (a file, or a file in the way of it), or
 * whose report files include one of `inputs` (compared by file identity, so a link or a hard link counts), other
 * than `check.rewrites`. A folder that does not exist yet is fine: it is made when the reports are written.
 */
export async function checkReportDir(dir: string, inputs: readonly string[], check: ReportDirCheck): Promise<void> {
  const flag = `--report-dir ${inertLine(dir, 300)}`;
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
  if (found instanceof Error) {
    const why = found.code === 'ENOTDIR' ? 'a file is in the way of that folder' : inertLine(found.message, 200);
    throw new HarnessError('HARNESS_USAGE', `${flag}: cannot write the reports there (${why}); give a folder you can write to (a missing one is made). Nothing was read or written.`, { cause: found });
  }
  if (found && !found.isDirectory()) throw new HarnessError('HARNESS_USAGE', `${flag}: it is a file, not a folder; give a folder for the reports (a missing one is made). Nothing was read or written.`);
  const identities = await Promise.all(inputs.map(fileIdentity));
  const allowed = check.rewrites === undefined ? undefined : await fileIdentity(check.rewrites);
  for (const name of REPORT_FILES) {
    const id = await fileIdentity(join(dir, name));
    if (id === undefined || id === allowed) continue;
    const input = identities.indexOf(id);
    if (input < 0) continue;
    const shown = inertLine(inputs[input], 300);
    const fix = check.inputFlag ? `copy it elsewhere first (cp ${inertLine(join(dir, name), 300)} last.json, then ${check.inputFlag} last.json) or give --report-dir another folder` : 'give --report-dir another folder (for example a new one)';
    throw new HarnessError('HARNESS_USAGE', `${flag}: it holds ${check.inputFlag ? `the ${check.inputFlag} file` : 'the input'} ${shown} (as ${name}), which ${check.command} would replace with its own reports; ${fix}. Nothing was read or written.`);
  }
}
