/**
 * @module cli/report-dir-guard
 * The checks a command that writes reports (`merge`, `report`, `run`) makes of its report folder before it reads,
 * writes or sends anything: the report folder is a folder (for `run`, one it can write to), none of the files it would
 * write or remove there is one of its inputs (a merge into the `reports/` that holds shard 1's matrix.json would
 * replace shard 1 with the merge), and none is a file of a report's name that mantle-conformance did not write.
 */
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirForWrites } from '../atomic-write.ts';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { foreignReport, REPORT_FILES } from './earlier-reports.ts';

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
 * than `check.rewrites`, or that holds a report file mantle-conformance did not write (refuseForeignReports). A
 * folder that does not exist yet is fine: it is made when the reports are written.
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
  const rewritten: string[] = [];
  for (const name of REPORT_FILES) {
    const id = await fileIdentity(join(dir, name));
    if (id !== undefined && id === allowed) rewritten.push(name);
    if (id === undefined || id === allowed) continue;
    const input = identities.indexOf(id);
    if (input < 0) continue;
    const shown = inertLine(inputs[input], 300);
    const fix = check.inputFlag ? `copy it elsewhere first (cp ${inertLine(join(dir, name), 300)} last.json, then ${check.inputFlag} last.json) or give --report-dir another folder` : 'give --report-dir another folder (for example a new one)';
    throw new HarnessError('HARNESS_USAGE', `${flag}: it holds ${check.inputFlag ? `the ${check.inputFlag} file` : 'the input'} ${shown} (as ${name}), which ${check.command} would replace with its own reports; ${fix}. Nothing was read or written.`);
  }
  // The input may be written again only as matrix.json: under another report's name (matrix.json a link to matrix.md,
  // or a hard link) that report's rendering would take the place of the run's data.
  const other = rewritten.find((name) => name !== 'matrix.json');
  if (other) throw new HarnessError('HARNESS_USAGE', `${flag}: its ${other} is the input ${inertLine(check.rewrites!, 300)} (the same file, by a link or another name), and ${check.command} writes its ${other} there: the run's data would be replaced by that report; make the input a file of its own (not one of ${REPORT_FILES.join(', ')} by another name), or give --report-dir another folder. Nothing was read or written.`);
  // The input `report` renders in place was read as a matrix: it is the one file of the folder it may replace unread.
  await refuseForeignReports(dir, check.command, rewritten);
}

/**
 * Refuses (HARNESS_USAGE) a report folder holding a file of a report's name (matrix.json, matrix.md, matrix.html,
 * junit.xml; but `skip`) that mantle-conformance did not write (earlier-reports.ts foreignReport): the command would
 * replace it. Its own earlier reports, of any build, go as they always went.
 */
export async function refuseForeignReports(dir: string, command: string, skip: readonly string[] = []): Promise<void> {
  const found = await foreignReport(dir, skip);
  if (!found) return;
  const file = inertLine(join(dir, found.name), 300);
  const nothing = command === 'run' ? 'Nothing was sent.' : 'Nothing was read or written.';
  throw new HarnessError('HARNESS_USAGE', `--report-dir ${inertLine(dir, 300)}: ${file} is ${found.what} that is not a report mantle-conformance wrote, and ${command} would replace it with its ${found.name}; move it elsewhere, or give --report-dir another folder. ${nothing}`);
}

/**
 * `run`'s report folder, before anything is sent: a --baseline among the reports it removes is refused (as by
 * `report`: a run that stopped would lose it), as is a file of theirs it did not write; then the folder is made if
 * needed and written to once.
 */
export async function checkRunReportDir(dir: string, baseline: string | undefined): Promise<void> {
  if (baseline) await checkReportDir(dir, [baseline], { command: 'run', inputFlag: '--baseline' });
  else await refuseForeignReports(dir, 'run');
  await checkWritable(dir);
}

/**
 * A folder a run writes into (--report-dir, --history), made if needed and written to once, before anything is sent:
 * a folder that cannot take the reports is found before a live run has spent its tokens, not after.
 */
export async function checkWritable(dir: string, flag = '--report-dir', what = 'write the reports'): Promise<void> {
  const probe = join(dir, `.mantle-conformance-write-check-${process.pid}`);
  try {
    // Tracked by the atomic writer: a run that stops before its first write removes the folders it made here.
    await makeDirForWrites(dir);
    await writeFile(probe, '');
  } catch (cause) {
    throw new HarnessError('HARNESS_USAGE', `${flag} ${dir}: cannot ${what} there (${(cause as Error).message}); pick a folder you can write to. Nothing was sent.`, { cause });
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
