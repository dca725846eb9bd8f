/**
 * @module run/suites-ownership
 * A record run's --suites folder as its recordings name it (provenance.suites, transport/recorded-suites.ts), and
 * the rule that keeps two suites folders sharing a fixtures root from taking each other's recordings: the same case
 * id in both folders is one file, so a run of folder B would write over folder A's recording without a word, and B's
 * prune could then remove it (A's replay finds no recording). A record run that would write over a recording naming
 * another suites folder that is there now stops before anything is sent. Taken over as ever: a recording naming no
 * folder (an earlier version's, or a far folder's), its own folder, the bundled suites (a copy of them in ./suites
 * taking over their recordings is the usual first customisation, not a conflict), or a folder that is not there
 * (renamed, moved, another machine's: nothing is left to replay it). A record run also takes over, and says so, a
 * recording of a case the other folder no longer has (its suites loaded: that folder's stale recording, which its
 * prune would remove); one of a folder whose suites do not load, or that holds a file named almost as a suite file
 * that may hold cases not loaded, stays refused. Only the files the run would write
 * are read; cli/suites-conflict.ts says what to do.
 */
import { basename } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { folderName } from '../names.ts';
import { shownPath } from '../shown-path.ts';
import { loadSuites, SUITE_SUFFIX } from '../suite/load-suites.ts';
import { firstBlocking, lookalikeCases, lookalikeFix, lookalikeIs } from '../suite/suite-lookalikes.ts';
import { fixturePath } from '../transport/fixture-file.ts';
import { BUNDLED_SUITES, folderOfLabel, labelledFolderExists, realFolder, recordedSuites, suitesLabel } from '../transport/recorded-suites.ts';
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
 * The case file names (`<case>.json`, as fixturePath writes them) of the suites folder a label names, or why they are
 * not known: its suites do not load, or it holds a file named almost as a suite file (or one in a subfolder) that may
 * hold cases not loaded (suite-lookalikes.ts; one holding only loaded cases, a backup, changes nothing). Then its recordings stay its own.
 */
async function caseFilesOf(label: string, realFixtures: string, root: string): Promise<{ files: Set<string> } | { unknown: string }> {
  const suites = await loadSuites(folderOfLabel(label, realFixtures, root), ALL_CHECKS).catch(() => undefined);
  if (!suites) return { unknown: "that folder's suites do not load (validate --suites with it says why)" };
  const first = firstBlocking(suites.lookalikes);
  if (first) {
    const { near, more } = first;
    const { notRun } = lookalikeCases(near);
    return { unknown: `that folder holds ${shownPath(near.file)}${more}, which ${lookalikeIs(near, SUITE_SUFFIX)}: ${notRun} (to fix there: ${lookalikeFix(near, SUITE_SUFFIX)})` };
  }
  return { files: new Set(suites.cases.map((c) => `${folderName(c.id)}.json`)) };
}

/** A recording of another folder the run would write: `has` says whether that folder still has its case (undefined: not known, `unknown` says why). */
interface OthersRecording {
  file: string;
  suites: string;
  has?: boolean;
  unknown?: string;
}

/**
 * The recordings among `files` (the ones a record run would write, or replace) that name another --suites folder
 * (othersLabel), with the label each carries; none when the run may write them all. A file not there reads as
 * nothing (a link was refused before: fixture-links.ts). `readCases`: each says whether that folder still has its
 * case (its suites loaded once per folder): one it dropped is that folder's stale recording, which a record run takes over.
 */
export async function othersRecordings(config: Where, files: readonly string[], readCases = false): Promise<OthersRecording[]> {
  const label = await runSuitesLabel(config);
  const real = await realFolder(config.fixturesRoot ?? config.fixturesDir);
  const taken: OthersRecording[] = [];
  const judged = new Map<string, boolean>();
  const cases = new Map<string, Awaited<ReturnType<typeof caseFilesOf>>>();
  // A few at a time: a run over many models may have thousands to look at, most of them absent or unnamed.
  for (let i = 0; i < files.length; i += 64) {
    const named = await Promise.all(files.slice(i, i + 64).map(async (file) => ({ file, suites: await recordedSuites(file) })));
    for (const { file, suites } of named) {
      if (suites === undefined) continue;
      if (!judged.has(suites)) judged.set(suites, await othersLabel(suites, label, config.suitesDir, real, config.root));
      if (!judged.get(suites)) continue;
      if (!readCases) {
        taken.push({ file, suites });
        continue;
      }
      if (!cases.has(suites)) cases.set(suites, await caseFilesOf(suites, real, config.root));
      const known = cases.get(suites)!;
      taken.push({ file, suites, ...('files' in known ? { has: known.files.has(basename(file)) } : known) });
    }
  }
  return taken;
}
