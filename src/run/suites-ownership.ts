/**
 * @module run/suites-ownership
 * A record run's --suites folder as its recordings name it (provenance.suites, transport/recorded-suites.ts), and
 * the rule that keeps two suites folders sharing a fixtures root from taking each other's recordings: the same case
 * id in both folders is one file, so a run of folder B would write over folder A's recording without a word, and B's
 * prune could then remove it (A's replay finds no recording). A record run that would write over a recording naming
 * another suites folder that is there now stops before anything is sent. Taken over as ever: a recording naming no
 * folder (an earlier version's, or a far folder's), its own folder, the bundled suites (a copy of them in ./suites
 * taking over their recordings is the usual first customisation, not a conflict), or a folder that is not there
 * (renamed, moved, another machine's: nothing is left to replay it). Only the files the run would write are read;
 * cli/suites-conflict.ts says what to do.
 */
import { readFile } from 'node:fs/promises';
import { fixturePath } from '../transport/fixture-file.ts';
import { BUNDLED_SUITES, folderOfLabel, labelledFolderExists, realFolder, suitesLabel, suitesOf } from '../transport/recorded-suites.ts';
import type { RunConfig } from './run-config.ts';

type Where = Pick<RunConfig, 'suitesDir' | 'fixturesDir' | 'fixturesRoot' | 'root'>;

/** The label of the run's suites folder, from the fixtures root the recordings end up in (not a folder they are made in first). */
export function runSuitesLabel(config: Where): Promise<string | undefined> {
  return suitesLabel(config.suitesDir, config.fixturesRoot ?? config.fixturesDir, config.root);
}

/** The fixture files a record run of `cells` may write: each case of its target and model. */
export function filesOf(fixturesDir: string, cells: readonly { target: string; model: string; cases: readonly string[] }[]): string[] {
  return cells.flatMap((cell) => cell.cases.map((id) => fixturePath(fixturesDir, cell.target, cell.model, id)));
}

/**
 * Whether a recording labelled `recorded` is another folder's that this run must not take: not this run's label, not
 * the bundled suites, and naming a folder that is there and is not this run's (an older label of this very folder is ours).
 */
async function othersLabel(recorded: string, label: string | undefined, suitesDir: string, realFixtures: string, root: string): Promise<boolean> {
  if (recorded === label || recorded === BUNDLED_SUITES) return false;
  if (!(await labelledFolderExists(recorded, realFixtures, root))) return false;
  return (await realFolder(folderOfLabel(recorded, realFixtures, root))) !== (await realFolder(suitesDir));
}

/**
 * The recordings among `files` (the ones a record run would write, or replace) that name another --suites folder
 * (othersLabel), with the label each carries; none when the run may write them all. A file not there reads as
 * nothing (a link was refused before: fixture-links.ts).
 */
export async function othersRecordings(config: Where, files: readonly string[]): Promise<{ file: string; suites: string }[]> {
  const label = await runSuitesLabel(config);
  const real = await realFolder(config.fixturesRoot ?? config.fixturesDir);
  const taken: { file: string; suites: string }[] = [];
  const judged = new Map<string, boolean>();
  // A few at a time: a run over many models may have thousands to look at, most of them absent or unnamed.
  for (let i = 0; i < files.length; i += 64) {
    const named = await Promise.all(files.slice(i, i + 64).map(async (file) => ({ file, suites: suitesOf(await readFile(file, 'utf8').catch(() => '')) })));
    for (const { file, suites } of named) {
      if (suites === undefined) continue;
      if (!judged.has(suites)) judged.set(suites, await othersLabel(suites, label, config.suitesDir, real, config.root));
      if (judged.get(suites)) taken.push({ file, suites });
    }
  }
  return taken;
}
