/**
 * @module cli/fixtures-root
 * The one check of a fixtures root a command writes into (`run --mode record`, `fixtures`, `fixtures prune`): a
 * folder, or nothing at all where the command makes it. Anything else there (a file, a link to no folder, a path
 * through a file) is the user's to move: found before anything is recorded or sent, since a record run that found it
 * only when writing would have spent the tokens and made every cell an error.
 */
import { inertLine } from '../report/inert-text.ts';
import { notAFileError, whyNotAFile } from './input-files.ts';

/**
 * Refuses `root` as `--fixtures` (HARNESS_FILE_NOT_FOUND when nothing is there and `missingIsMade` is not set, else
 * HARNESS_USAGE), naming the path and `fix`. The path is named even when no flag gave it: the default ./fixtures.
 */
export async function checkFixturesRoot(root: string, fix: string, missingIsMade = false): Promise<void> {
  const not = await whyNotAFile(root, 'folder');
  if (!not || (not.missing && missingIsMade)) return;
  throw notAFileError('--fixtures', inertLine(root, 300), not, fix);
}
