/**
 * @module cli/lookalike-refusal
 * The refusal of a command that takes the loaded cases for all a --suites folder has (`fixtures prune`, `fixtures`)
 * while a file there named almost as a suite file, or a suite file in a subfolder, may hold cases not loaded
 * (suite/suite-lookalikes.ts) and the command would drop recordings of them. Only then: a lookalike none of whose
 * cases has a recording the command would drop (a second team's suites folder kept inside this one, recorded apart
 * or not at all) risks nothing, and is warned about; the refusal's fix (move it up) would merge another team's
 * suites into this folder for nothing. One message for both commands, naming the file, what of it is not run, the
 * recordings at stake, and the fix.
 */
import { basename } from 'node:path';
import { HarnessError } from '../errors.ts';
import { folderName } from '../names.ts';
import { inertLine } from '../report/inert-text.ts';
import { printedPath } from './printed-path.ts';
import { shownPath } from '../shown-path.ts';
import { blocks, type Lookalike, lookalikeCases, lookalikeFix, lookalikeIs } from '../suite/suite-lookalikes.ts';

/** Recordings named at most in a refusal. */
const SHOWN = 3;

/**
 * Of `dropped` (the recordings the command would drop: of cases not loaded), those that may be a case of `lookalike`:
 * its undeclared cases' recordings, or every one when what it holds is not known (it does not read as a suite).
 */
export function recordingsAtStake(lookalike: Lookalike, dropped: readonly string[]): string[] {
  if (!blocks(lookalike)) return [];
  if (lookalike.unloaded === undefined) return [...dropped];
  const names = new Set(lookalike.unloaded.map((id) => `${folderName(id)}.json`));
  return dropped.filter((file) => names.has(basename(file)));
}

/**
 * The refusal while a lookalike in `dir` blocks and the command would drop a recording of its cases (`dropped`, the
 * recordings of cases not loaded it would drop); undefined when none does. `drops`: what the command would do to the
 * recordings of `cases`; `undone`: what was not done.
 */
export function lookalikeRefusal(lookalikes: readonly Lookalike[] | undefined, dir: string, suffix: string, drops: (cases: string) => string, undone: string, dropped: readonly string[]): HarnessError | undefined {
  const risky = (lookalikes ?? []).map((near) => ({ near, files: recordingsAtStake(near, dropped) })).filter((r) => r.files.length > 0);
  const first = risky[0];
  if (!first) return undefined;
  const { near, files } = first;
  const more = risky.length > 1 ? ` (and ${risky.length - 1} other such file(s))` : '';
  const { notRun, cases } = lookalikeCases(near);
  const named = files.slice(0, SHOWN).map((f) => shownPath(f)).join(', ') + (files.length > SHOWN ? ` and ${files.length - SHOWN} more` : '');
  const fix = lookalikeFix(near, suffix).replace('the --suites folder', shownPath(dir));
  const said = `${notRun}, and ${drops(cases)} (${files.length} recording(s): ${named}). ${fix[0]!.toUpperCase()}${fix.slice(1)}`;
  return new HarnessError('HARNESS_USAGE', `--suites: ${printedPath(near.file)} ${lookalikeIs(near, suffix)}${more}: ${inertLine(said, 1500)}; ${undone}`);
}
