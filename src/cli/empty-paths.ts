/**
 * @module cli/empty-paths
 * A path flag given an empty value (`--history "$UNSET_VAR"` in a CI job) resolves to the working folder: the run file
 * lands in the checkout, `fixtures prune --fixtures ""` prunes it, and the job is green. Every option and argument
 * that names a file or folder is refused empty, once, before any command runs.
 */
import type { Command } from 'commander';
import { HarnessError } from '../errors.ts';

/** The placeholders that name a file or folder in this CLI's options and arguments. */
const PATH_VALUE = /<(dir|file|matrix\.json|path)(\.\.\.)?>|\[(dir|file|matrix\.json|path)(\.\.\.)?\]/;

/** Throws HARNESS_USAGE naming the first path option or argument of `command` that was given an empty value. */
export function refuseEmptyPaths(command: Command): void {
  const empty = (value: unknown) => typeof value === 'string' && value.trim() === '';
  // A parent's options too: `catalog --catalog "" diff` hands the parent's value to the subcommand.
  for (let at: Command | null = command; at; at = at.parent) {
    for (const option of at.options) {
      if (!PATH_VALUE.test(option.flags)) continue;
      const value: unknown = at.getOptionValue(option.attributeName());
      if (empty(value) || (Array.isArray(value) && value.some(empty))) {
        throw new HarnessError('HARNESS_USAGE', `${option.long ?? option.flags}: an empty path would be the current folder; give the path (is the variable it came from set?)`);
      }
    }
  }
  command.registeredArguments.forEach((argument, i) => {
    if (!PATH_VALUE.test(`<${argument.name()}>`)) return;
    const value: unknown = command.processedArgs[i];
    if (empty(value) || (Array.isArray(value) && value.some(empty))) {
      throw new HarnessError('HARNESS_USAGE', `<${argument.name()}>: an empty path would be the current folder; give the path (is the variable it came from set?)`);
    }
  });
}
