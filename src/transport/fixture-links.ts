/**
 * @module transport/fixture-links
 * A record run writes only inside the fixtures folder, and never through a symbolic link in it (the harness makes
 * real folders and files; a link there was made by someone else). Through a linked target or model folder it would
 * replace files wherever the link points; over a linked fixture file it would replace the link with a file of its
 * own (written to a temp file and renamed), so the link someone made (a recording shared by two targets) is gone
 * without a word. Replay refuses a linked fixture and `fixtures prune` keeps and names one: a record run refuses
 * them too, before anything is sent (run-command) and again at each write (record-target), as a link may appear while
 * the run goes. The root itself may be a link: the user named it with --fixtures, so following it is what was asked
 * (a fixtures folder kept on another disk).
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { folderName } from '../names.ts';
import { fixturePath } from './fixture-file.ts';

/**
 * What to say of the first link a record run of `model` on `target` would write through or over, or undefined: the
 * target folder, the model folder, then the fixture of each of `cases` (the cases it may record). A link of another
 * name (a case the suites do not have) is never written: it stays, as `fixtures prune` keeps it.
 */
export async function linkedFixture(root: string, target: string, model: string, cases: readonly string[]): Promise<string | undefined> {
  const targetDir = join(root, folderName(target));
  const modelDir = join(targetDir, folderName(model));
  for (const dir of [targetDir, modelDir]) {
    if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) return linkedFolderProblem(dir);
  }
  for (const file of cases.map((id) => fixturePath(root, target, model, id))) {
    if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) return fileProblem(file);
  }
  return undefined;
}

/** Why a record run refuses the linked folder `dir` in the fixtures folder (the target or model folder), and the fix. */
export function linkedFolderProblem(dir: string): string {
  return `${dir} is a symbolic link; a record run writes only inside the fixtures folder and never through a link in it (it would overwrite the files the link points to). Replace the link with a real folder (copy what it points to), or point --fixtures at a folder without links inside`;
}

function fileProblem(file: string): string {
  return `${file} is a symbolic link; a record run never writes over a link in the fixtures folder (it would replace the link with a file of its own, and replay reads no linked fixture). Replace the link with a copy of the file it points to (or remove it), then record again`;
}
