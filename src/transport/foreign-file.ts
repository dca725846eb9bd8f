/**
 * @module transport/foreign-file
 * A file at a case's fixture path that the harness did not write: notes by hand, a file of another tool, a copy of
 * another case's fixture. `fixtures prune` and `fixtures` treat it as the user's (fixture-file's isHarnessFixture,
 * the one rule) and keep it; a record run keeps it too, writes nothing for the case, and says so (record-target.ts),
 * rather than replace someone's file with a recording. A newer version's fixture is not foreign: the record run keeps
 * it by its own rule (newerFixture), or replaces it when --overwrite-failures asks.
 */
import { lstat } from 'node:fs/promises';
import { shownPath } from '../shown-path.ts';
import { isHarnessFixture, newerFixture } from './fixture-file.ts';

/** What to say of `file` when it is a regular file the harness did not write, else undefined (nothing there, a fixture). */
export async function foreignFileAt(file: string, caseId: string): Promise<string | undefined> {
  if (!(await lstat(file).catch(() => undefined))?.isFile()) return undefined;
  if ((await isHarnessFixture(file)) || (await newerFixture(file)) !== undefined) return undefined;
  return `kept ${shownPath(file)}, which is not a recording the harness wrote (not a fixture of this model and case: notes, or another tool's file), and recorded nothing for case ${caseId}: move the file away to record the case`;
}
