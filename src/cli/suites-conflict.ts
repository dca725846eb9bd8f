/**
 * @module cli/suites-conflict
 * What a record run (or `fixtures`) says when it would write over recordings of another --suites folder
 * (run/suites-ownership.ts decides which): how many, the first few, the folders they name, and a fix that works for
 * all of them at once. Hundreds of recordings share one label, so "delete the file" is no fix: the message gives a
 * command that lists every recording of that folder under the fixtures root, to move them or record elsewhere.
 */
import { inertLine } from '../report/inert-text.ts';
import { printedPath } from './printed-path.ts';
import { othersRecordings } from '../run/suites-ownership.ts';
import type { RunConfig } from '../run/run-config.ts';
import { shownPath } from '../shown-path.ts';
import { labelledFolder, realFolder } from '../transport/recorded-suites.ts';
import { shellWord } from './shell-word.ts';

type Where = Pick<RunConfig, 'suitesDir' | 'fixturesDir' | 'fixturesRoot' | 'root'>;

/** Why a record run must not write over another folder's recording of a case id its own folder has too. */
const CASE_OF_BOTH = 'both have their case ids, and recording would replace that folder\'s recordings (fixtures prune with this folder could then remove them)';
/** Why, when what that folder's suites have is not known (`reason`: they do not load, or a lookalike is there). */
const unknownCases = (reason: string) => `${reason}, so whether it still has their case ids is not known, and recording would replace that folder's recordings`;
/** Files and folders a refusal names; the count says how many more. */
const SHOWN = 3;

/**
 * The command that lists every recording under the fixtures root `fixtures` labelled `label`: a fixed string (a label
 * holds dots), as the recording writes it (`"suites": "../x"`), one shell word per argument (grep -r follows a root
 * that is a link). Undefined when the console cannot show it as it is (inertLine): pasted, it would search for another text.
 */
function listCommand(label: string, fixtures: string): string | undefined {
  const command = `grep -rlF ${shellWord(`"suites": ${JSON.stringify(label)}`)} ${shellWord(shownPath(fixtures))}`;
  return inertLine(command, 600) === command ? command : undefined;
}

/**
 * What to say when some of `files`, recordings the run would write (or replace), name another --suites folder that is
 * there now; undefined when none does. `why`: what writing them would do. `notes` (a record run's): that folder's
 * suites are read, and a recording of a case it no longer has (stale there) is taken over, in one line pushed here;
 * the rest are refused, said "both have" only when that folder's suites loaded and have the case.
 */
export async function otherSuitesRecording(config: Where, files: readonly string[], why = CASE_OF_BOTH, notes?: string[]): Promise<string | undefined> {
  const found = await othersRecordings(config, files, notes !== undefined);
  const fixtures = config.fixturesRoot ?? config.fixturesDir;
  const real = await realFolder(fixtures);
  const folderOf = (l: string) => `${inertLine(labelledFolder(l, real, config.root), 300)}, provenance.suites ${JSON.stringify(inertLine(l, 200))}`;
  const stale = found.filter((t) => t.has === false);
  if (stale.length && notes) {
    const labels = [...new Set(stale.map((t) => t.suites))];
    const more = stale.length > SHOWN ? `, and ${stale.length - SHOWN} more` : '';
    notes.push(`note: ${stale.length} recording(s) this run replaces were made from another --suites folder (${labels.slice(0, SHOWN).map(folderOf).join('; ')}${labels.length > SHOWN ? `; and ${labels.length - SHOWN} other folder(s)` : ''}) that no longer has their cases (stale there: its prune would remove them), taken over as this folder's: ${stale.slice(0, SHOWN).map((t) => printedPath(t.file)).join(', ')}${more}`);
  }
  const taken = found.filter((t) => t.has !== false);
  if (taken.length === 0) return undefined;
  // A folder whose cases are not known may or may not have the case: then "both have" is not said, but why not known.
  const reasons = [...new Set(taken.flatMap((t) => (t.has === undefined && t.unknown ? [t.unknown] : [])))];
  if (notes && reasons.length) why = unknownCases(reasons.slice(0, SHOWN).map((r) => inertLine(r, 800)).join('; '));
  const labels = [...new Set(taken.map((t) => t.suites))];
  const folders = labels.slice(0, SHOWN).map(folderOf);
  const moreFolders = labels.length > SHOWN ? `; and ${labels.length - SHOWN} other folder(s)` : '';
  const shown = taken.slice(0, SHOWN).map((t) => printedPath(t.file)).join(', ');
  const moreFiles = taken.length > SHOWN ? `, and ${taken.length - SHOWN} more` : '';
  const commands = labels.slice(0, SHOWN).map((l) => listCommand(l, fixtures));
  // No command that looks runnable and is not: then the field to look for is named instead.
  const list = commands.every((c) => c !== undefined)
    ? `${commands.map((c) => `\`${c}\``).join(', ')} ${commands.length > 1 ? 'list' : 'lists'} them${moreFolders ? ' (those of the first folders)' : ''}`
    : 'each names its folder in provenance.suites (a path here holds a character the console cannot show as typed, so no command is printed to paste)';
  return `${taken.length} recording(s) this run would replace name another --suites folder (${folders.join('; ')}${moreFolders}) than this run's (${printedPath(config.suitesDir)}): ${why}: ${shown}${moreFiles}. Record this folder into another --fixtures root, or first move that folder's recordings out of ${printedPath(fixtures)}: ${list}`;
}
