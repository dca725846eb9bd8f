/**
 * @module run/suites-ownership
 * A record run's --suites folder as its recordings name it (provenance.suites, transport/recorded-suites.ts), and
 * the rule that keeps two suites folders sharing a fixtures root from taking each other's recordings: the same case
 * id in both folders is one file, so a run of folder B would write over folder A's recording without a word, and B's
 * prune could then remove it (A's replay finds no recording). A record run that would write over a recording naming
 * another folder stops before anything is sent; one naming no folder (an earlier version's) or its own folder is
 * overwritten as ever. Only the files the run would write are read.
 */
import { readFile } from 'node:fs/promises';
import { shownPath } from '../shown-path.ts';
import { inertLine } from '../report/inert-text.ts';
import { fixturePath } from '../transport/fixture-file.ts';
import { labelledFolder, namesSuitesFolder, suitesLabel, suitesOf } from '../transport/recorded-suites.ts';
import type { RunConfig } from './run-config.ts';

type Where = Pick<RunConfig, 'suitesDir' | 'fixturesDir' | 'fixturesRoot' | 'root'>;

/** The label of the run's suites folder, from the fixtures root the recordings end up in (not a folder they are made in first). */
export function runSuitesLabel(config: Where): Promise<string | undefined> {
  return suitesLabel(config.suitesDir, config.fixturesRoot ?? config.fixturesDir, config.root);
}

/** Why a record run must not write over another folder's recording of a case id its own folder has too. */
const CASE_OF_BOTH = 'both have its case id, and recording would replace that folder\'s recording (fixtures prune with this folder could then remove it)';

/** The fixture files a record run of `cells` may write: each case of its target and model. */
export function filesOf(fixturesDir: string, cells: readonly { target: string; model: string; cases: readonly string[] }[]): string[] {
  return cells.flatMap((cell) => cell.cases.map((id) => fixturePath(fixturesDir, cell.target, cell.model, id)));
}

/**
 * What to say when one of `files`, recordings the run would write (or replace), names another --suites folder: the
 * first such file, both folders and the fix; undefined when none does. A file not there reads as nothing (a link
 * was refused before: fixture-links.ts).
 */
export async function otherSuitesRecording(config: Where, files: readonly string[], why = CASE_OF_BOTH): Promise<string | undefined> {
  const label = await runSuitesLabel(config);
  const root = config.fixturesRoot ?? config.fixturesDir;
  const taken: { file: string; suites: string }[] = [];
  // A few at a time: a run over many models may have thousands to look at, most of them absent or unnamed.
  for (let i = 0; i < files.length; i += 64) {
    const named = await Promise.all(files.slice(i, i + 64).map(async (file) => ({ file, suites: suitesOf(await readFile(file, 'utf8').catch(() => '')) })));
    for (const { file, suites } of named) {
      if (suites !== undefined && !(await namesSuitesFolder(suites, label, config.suitesDir, root, config.root))) taken.push({ file, suites });
    }
  }
  const [first] = taken;
  if (!first) return undefined;
  const other = inertLine(labelledFolder(first.suites, root, config.root), 300);
  const ours = inertLine(shownPath(config.suitesDir), 300);
  const more = taken.length > 1 ? ` (and ${taken.length - 1} more recording(s) of that folder or another)` : '';
  return `${inertLine(shownPath(first.file), 300)}${more} is a recording of another --suites folder (${other}, provenance.suites ${JSON.stringify(inertLine(first.suites, 200))}) than this run's (${ours}): ${why}. Record one of the folders into another --fixtures root, or delete the file if ${other} is gone`;
}
