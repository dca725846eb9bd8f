/**
 * @module cli/stale-recordings
 * What a record run says about the recordings of cases its suites do not have: it names them and removes none (a
 * run with another --suites folder would take a second suite's recordings for stale ones), and gives the
 * `fixtures prune` command that lists and removes them. That command carries the run's own --suites and --fixtures
 * whenever prune, left to its defaults, would read others: prune compares every recording of its fixtures root with
 * its suites' cases, so run with the bundled suites (or ./fixtures) it would call stale, and remove, what this run
 * recorded a moment ago from its own suites.
 */
import { resolve } from 'node:path';
import { inertLine } from '../report/inert-text.ts';
import { shownPath } from '../shown-path.ts';
import { resolveSuitesDir } from './input-files.ts';
import { shellWord } from './shell-word.ts';

/** Where the run read its cases and wrote its recordings (absolute paths). */
export interface RecordedFrom {
  suitesDir: string;
  fixturesDir: string;
}

/** A path as the hint shows it: short when inside the working folder, one shell word, inert. */
const shownWord = (path: string) => inertLine(shellWord(shownPath(path)), 300);

/**
 * The `fixtures prune --dry-run` command for this run's recordings: its --suites and --fixtures, each given when it
 * is not what prune takes without the flag (./suites when it holds a suite file, else the bundled suites; ./fixtures).
 */
export async function pruneCommand(from: RecordedFrom, root: string): Promise<string> {
  const flags: string[] = [];
  if (resolve(from.fixturesDir) !== resolve('fixtures')) flags.push(`--fixtures ${shownWord(from.fixturesDir)}`);
  if (resolve(from.suitesDir) !== (await resolveSuitesDir({}, root))) flags.push(`--suites ${shownWord(from.suitesDir)}`);
  return ['mantle-conformance fixtures prune --dry-run', ...flags].join(' ');
}

/** The recordings a record run found for cases its suites do not have, and how to remove them; nothing when none. */
export async function staleLines(target: string, stale: { removed: string[] }, from: RecordedFrom, root: string): Promise<string[]> {
  if (stale.removed.length === 0) return [];
  const shown = (f: string) => inertLine(shownPath(f), 300);
  return [
    `fixtures of ${inertLine(target)}: ${stale.removed.length} recording(s) of cases the suites do not have (a case renamed or deleted, or another suites folder's); kept: \`${await pruneCommand(from, root)}\` lists them, without --dry-run removes them`,
    ...stale.removed.map((f) => `  stale ${shown(f)}`),
  ].map((l) => `${l}\n`);
}
