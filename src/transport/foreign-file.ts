/**
 * @module transport/foreign-file
 * A file at a case's fixture path that this version cannot read as that case's fixture: the harness's own recording
 * damaged (cut short by a full disk or a killed job, a merge's conflict markers), notes by hand, a copy of another
 * case's fixture. Which it is cannot be told from the file, so nothing here blames another tool. `fixtures prune`
 * and `fixtures` keep it (fixture-file's isHarnessFixture, the one rule); a record run keeps it too, records nothing
 * for the case and makes that the case's error (record-target.ts; the gate says so apart, gate.ts), so a re-record
 * job is never green over a fixture set that the next replay refuses; `--overwrite-failures` replaces it, as asked.
 * A newer version's fixture is not such a file: the record run keeps it by its own rule (newerFixture).
 */
import { lstat } from 'node:fs/promises';
import { shownPath } from '../shown-path.ts';
import { isSpecialFile, specialKind } from '../regular-file.ts';
import { isHarnessFixture, newerFixture } from './fixture-file.ts';

/** How a case's error starts when its path held a file it kept (report/gate.ts reads it). */
const UNREADABLE_KEPT = 'not a fixture this version can read: ';

/**
 * The case's error when `file` is a regular file this version cannot read as the case's fixture (`overwrite`: asked to
 * replace it, so none), or a FIFO, a socket or a device (kept whatever is asked: never the harness's, and never read,
 * as opening a FIFO waits for a writer); else undefined (nothing there, a fixture, a link: fixture-links.ts).
 */
export async function foreignFileAt(file: string, caseId: string, overwrite = false): Promise<string | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (info && isSpecialFile(info)) {
    return `${UNREADABLE_KEPT}${shownPath(file)} is not a regular file (${specialKind(info)}), so no recording the harness made; kept it and recorded nothing for case ${caseId}: move it away and record again`;
  }
  if (overwrite || !info?.isFile()) return undefined;
  if ((await isHarnessFixture(file)) || (await newerFixture(file)) !== undefined) return undefined;
  return `${UNREADABLE_KEPT}${shownPath(file)} is no fixture of this model and case (damaged: cut short, or holding a merge's conflict markers; or someone's file: notes, a copy of another case's fixture); kept it and recorded nothing for case ${caseId}: move it away and record again, or pass --overwrite-failures to replace it with this version's recording`;
}
