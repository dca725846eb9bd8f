/**
 * @module cli/lookalike-refusal
 * The refusal of a command that takes the loaded cases for all a --suites folder has (`fixtures prune`, `fixtures`)
 * while a file there named almost as a suite file, or a suite file in a subfolder, may hold cases not loaded
 * (suite/suite-lookalikes.ts): run, it would drop the recordings of those cases. One message for both, naming the file, what of it is not run, and the fix.
 */
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { shownPath } from '../shown-path.ts';
import { firstBlocking, type Lookalike, lookalikeCases, lookalikeFix, lookalikeIs } from '../suite/suite-lookalikes.ts';

/**
 * The refusal while a lookalike in `dir` blocks; undefined when none does (a backup of a loaded file does not).
 * `drops`: what the command would do to the recordings of `cases`; `undone`: what was not done.
 */
export function lookalikeRefusal(lookalikes: readonly Lookalike[] | undefined, dir: string, suffix: string, drops: (cases: string) => string, undone: string): HarnessError | undefined {
  const first = firstBlocking(lookalikes);
  if (!first) return undefined;
  const { near, more } = first;
  const { notRun, cases } = lookalikeCases(near);
  const fix = lookalikeFix(near, suffix).replace('the --suites folder', shownPath(dir));
  const said = `${notRun}, and ${drops(cases)}. ${fix[0]!.toUpperCase()}${fix.slice(1)}`;
  return new HarnessError('HARNESS_USAGE', `--suites: ${inertLine(shownPath(near.file), 300)} ${lookalikeIs(near, suffix)}${more}: ${inertLine(said, 1500)}; ${undone}`);
}
