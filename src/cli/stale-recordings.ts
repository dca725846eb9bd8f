/**
 * @module cli/stale-recordings
 * What a record run says about the recordings of cases its suites do not have: it names those made from its own
 * --suites folder (provenance.suites, recorded-suites.ts) and removes none, and gives the `fixtures prune` command
 * that lists and removes them; another folder's are not stale and go unsaid; those that name no folder (an earlier
 * version's, or a far suites folder's, this run's own included) are named apart, as prune keeps them. That command
 * carries the run's own --suites and --fixtures whenever prune, left to its defaults, would read others: prune
 * compares every recording of its fixtures root with its suites' cases, so run with the bundled suites (or
 * ./fixtures) it would call stale, and remove, what this run recorded a moment ago from its own suites.
 */
import { resolve } from 'node:path';
import { inertLine } from '../report/inert-text.ts';
import { printedPath } from './printed-path.ts';
import { shownPath } from '../shown-path.ts';
import { resolveSuitesDir } from './input-files.ts';
import { shellWord } from './shell-word.ts';

/** Where the run read its cases and wrote its recordings (absolute paths). */
export interface RecordedFrom {
  suitesDir: string;
  fixturesDir: string;
}

/**
 * A path as the hint shows it: short when inside the working folder, one shell word; undefined when the console
 * cannot show that word as it is (inertLine changes a newline, another control character, `::`, or a long word), for
 * the command pasted would then name another folder.
 */
function shownWord(path: string): string | undefined {
  const word = shellWord(shownPath(path));
  return inertLine(word, 300) === word ? word : undefined;
}

/**
 * The `fixtures prune --dry-run` command for this run's recordings: its --suites and --fixtures, each given when it
 * is not what prune takes without the flag (./suites when it holds a suite file, else the bundled suites; ./fixtures).
 * Undefined when one of them cannot be shown as the word a shell reads back as that path (shownWord).
 */
export async function pruneCommand(from: RecordedFrom, root: string): Promise<string | undefined> {
  const flags: [string, string][] = [];
  if (resolve(from.fixturesDir) !== resolve('fixtures')) flags.push(['--fixtures', from.fixturesDir]);
  if (resolve(from.suitesDir) !== (await resolveSuitesDir({}, root))) flags.push(['--suites', from.suitesDir]);
  const words = flags.map(([flag, path]) => [flag, shownWord(path)] as const);
  if (words.some(([, word]) => word === undefined)) return undefined;
  return ['mantle-conformance fixtures prune --dry-run', ...words.map(([flag, word]) => `${flag} ${word}`)].join(' ');
}

/**
 * What `fixtures prune` and a record run say when the run's --suites folder has no label (suitesLabel: too far from
 * the fixtures root): why its recordings name no folder, and where to put it so that they do.
 */
export function unlabelledNote(suitesDir: string, fixturesDir: string): string {
  return `note: --suites ${printedPath(suitesDir)} is too far from the fixtures root ${printedPath(fixturesDir)} to be named in a recording (links resolved, the path between them goes down more than two folders after its ..s, and would carry this machine's folder names): its recordings name no --suites folder, and prune keeps them; keep the suites folder near the fixtures root (./suites beside ./fixtures or ./test/fixtures) to have them named`;
}

/**
 * The recordings a record run found for cases its suites do not have, and how to remove them; nothing when none.
 * `unlabelled`: the run's suites folder has no label (too far from the fixtures root), so its own recordings are among
 * the unnamed ones, and the run says why.
 */
export async function staleLines(target: string, stale: { removed: string[]; unnamed?: string[] }, from: RecordedFrom, root: string, unlabelled = false): Promise<string[]> {
  const shown = (f: string) => printedPath(f);
  const unnamed = stale.unnamed ?? [];
  const whose = unlabelled ? 'recorded from these suites, which no label can name, by an earlier version, or from another far suites folder' : 'recorded by an earlier version, or from a suites folder too far from the fixtures root to be named';
  const older = unnamed.length === 0 ? [] : [
    ...(unlabelled ? [unlabelledNote(from.suitesDir, from.fixturesDir)] : []),
    `fixtures of ${inertLine(target)}: ${unnamed.length} recording(s) of cases the suites do not have that name no --suites folder (${whose}; a case renamed or deleted, or another suites folder's): kept, and fixtures prune keeps them too; delete by hand those no suites folder of yours has`,
    ...unnamed.map((f) => `  unnamed ${shown(f)}`),
  ].map((l) => `${l}\n`);
  if (stale.removed.length === 0) return older;
  const command = await pruneCommand(from, root);
  // No command that looks runnable and is not: the flags are named, the user gives their values as typed for this run.
  const how = command
    ? `\`${command}\` lists them, without --dry-run removes them`
    : "list them with mantle-conformance fixtures prune --dry-run given this run's --fixtures and --suites (a path of this run holds a character the console cannot show as typed, so no command is printed to paste); without --dry-run it removes them";
  return [
    `fixtures of ${inertLine(target)}: ${stale.removed.length} recording(s) of cases the suites do not have (recorded from these suites: a case renamed or deleted); kept: ${how}`,
    ...stale.removed.map((f) => `  stale ${shown(f)}`),
  ].map((l) => `${l}\n`).concat(older);
}
