/**
 * @module cli/output-target
 * What a file a command was told to write (`table --out`, `schema`) may already be: nothing, a regular file, or a
 * link to one (written through). The write renames a temp file over its path (atomic-write.ts), which turns anything
 * else into a regular file: `--out /dev/null` run as root would replace the machine's /dev/null, a FIFO or
 * `/dev/stdout` (a link to the pipe when stdout is piped) would stop being one. Such a path is refused before
 * anything is read or written, with the fix (print to stdout and redirect it), never replaced.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { specialKind } from '../suite/read-text-file.ts';

/**
 * Why `path` must not be written over, or undefined: nothing is there yet, a regular file or a link to one is (a
 * folder, a file in the way of its folder, no permission are left to the write, which says each).
 */
export async function outputTargetProblem(path: string): Promise<string | undefined> {
  const here = await lstat(path).catch(() => undefined);
  if (!here) return undefined;
  const link = here.isSymbolicLink() ? inertLine(await readlink(path).catch(() => '?'), 200) : undefined;
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    if (link === undefined) return undefined;
    // `pipe:[123]` (a process substitution whose pipe is gone) or a file not made yet: there is nothing to write through to.
    return found.code === 'ELOOP' ? 'is a symbolic link that leads in a loop' : `is a symbolic link to ${link}, which does not exist (no file to write through to)`;
  }
  if (found.isFile() || found.isDirectory()) return undefined;
  const kind = specialKind(found);
  return link === undefined ? `is ${kind}, not a regular file` : `is a symbolic link to ${kind} (${link}), not to a regular file`;
}

/**
 * Refuses (HARNESS_USAGE, exit 2, naming `asker` and `fix`) a path `outputTargetProblem` refuses: writing the file
 * would replace a device, a FIFO, a socket or a link with a regular file.
 */
export async function checkOutputTarget(path: string, asker: string, fix: string): Promise<void> {
  const problem = await outputTargetProblem(path);
  if (problem) throw new HarnessError('HARNESS_USAGE', `${asker} ${inertLine(path, 300)}: ${problem}; the file is written by renaming a new one over its path, which would leave a regular file in its place; ${fix}. Nothing was written.`);
}
