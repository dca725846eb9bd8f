/**
 * @module suite/suite-lookalikes
 * Files of a --suites folder whose name is a suite file's slightly off (`params.suite.yml`, `params.Suite.yaml`,
 * `params.suites.yaml`, `params.suite.yaml.off`): the loader reads `*.suite.yaml` only, so their cases are silently
 * not run, and `fixtures prune` and `fixtures`, which take the loaded cases for all the folder has, would drop every
 * recording of them. The rule, ignoring case: a file (not a folder) whose name holds `.suite.` or `.suites.` followed
 * by `yaml` or `yml`, and that the loader does not read. Left out as clearly no suite: names led by `.` (editor swap
 * files such as `.params.suite.yaml.swp`, .DS_Store) and editor backups ending in `~` or led by `#`
 * (`params.suite.yaml~`, `#params.suite.yaml#`); models.yaml, expectations.yaml, README.md and schema/ never match.
 * Each is read as a suite: one whose every case id is loaded from the real files (a backup of one, say) risks no
 * recording and only gets a warning; one that does not read as a suite, or declares a case no loaded file has, is
 * warned about by `validate` and a run, and blocks prune and `fixtures` until it is renamed or moved.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { shownPath } from '../shown-path.ts';
import { SuiteSchema, type SuiteFile } from './suite-schema.ts';
import { readYamlSource, validateAgainstSchema } from './yaml-source.ts';

/** A lookalike, read as a suite file against the cases the loader loaded. */
export interface Lookalike {
  file: string;
  /** The case ids it declares that no loaded file has; undefined when it does not read as a suite (what it holds is not known). */
  unloaded?: string[];
  /** The name it would be loaded under is there already: renaming it would overwrite that suite file. */
  taken: boolean;
}

/** Case ids a line names before counting the rest. */
const SHOWN = 3;

/** Whether a name the loader skips looks like a suite file's (the rule above); `suffix` is what the loader reads. */
export function looksLikeSuiteFile(name: string, suffix: string): boolean {
  if (name.endsWith(suffix) || name.startsWith('.') || name.startsWith('#') || name.endsWith('~')) return false;
  return /\.suites?\.ya?ml/i.test(name);
}

/** The lookalikes among the names of the folder `root` (absolute paths, sorted); a name that is a folder is none. */
export async function suiteLookalikes(root: string, names: readonly string[], suffix: string): Promise<string[]> {
  const candidates = names.filter((name) => looksLikeSuiteFile(name, suffix)).sort();
  const files = await Promise.all(candidates.map(async (name) => ((await stat(join(root, name)).catch(() => undefined))?.isDirectory() === false ? join(root, name) : undefined)));
  return files.filter((file): file is string => file !== undefined);
}

/**
 * Each lookalike read as a suite file, with the case ids of `loaded` (every case the loader loaded) it does not have.
 * Read as the loader reads a suite (YAML, then the suite schema): a file that fails either is not known to hold only
 * loaded cases. Whether its loaded name is there is asked of the file system (a folder that ignores case has it too).
 */
export async function readLookalikes(files: readonly string[], loaded: ReadonlySet<string>, suffix: string): Promise<Lookalike[]> {
  return Promise.all(
    files.map(async (file) => {
      const taken = (await stat(join(dirname(file), loadedName(basename(file), suffix))).catch(() => undefined)) !== undefined;
      const { source, problems } = await readYamlSource(file).catch(() => ({ source: null, problems: ['unreadable'] }));
      if (!source || problems.length || validateAgainstSchema(source, SuiteSchema).length) return { file, taken };
      const ids = (source.data as SuiteFile).cases.map((c) => c.id);
      return { file, taken, unloaded: [...new Set(ids.filter((id) => !loaded.has(id)))] };
    }),
  );
}

/** Whether a lookalike may hold cases not loaded, whose recordings prune and `fixtures` would drop. */
export function blocks(lookalike: Lookalike): boolean {
  return lookalike.unloaded === undefined || lookalike.unloaded.length > 0;
}

/** The first of `lookalikes` that blocks, and the words for how many others do; undefined when none does. */
export function firstBlocking(lookalikes: readonly Lookalike[] | undefined): { near: Lookalike; more: string } | undefined {
  const blocking = (lookalikes ?? []).filter(blocks);
  const near = blocking[0];
  return near === undefined ? undefined : { near, more: blocking.length > 1 ? ` (and ${blocking.length - 1} other such file(s))` : '' };
}

/** The name a lookalike would be loaded under: its stem before the suite part, then `suffix`. */
function loadedName(name: string, suffix: string): string {
  const stem = name.replace(/\.suites?\.ya?ml.*$/i, '');
  return `${stem}${suffix}`;
}

/** What of a lookalike is not run: `cases` names them for a consequence (`the recordings of ${cases}`). File text: made inert where shown. */
export function lookalikeCases(lookalike: Lookalike): { notRun: string; cases: string } {
  const { unloaded } = lookalike;
  if (unloaded === undefined) return { notRun: 'it does not read as a suite file, so what cases it holds is not known, and none of them is run', cases: 'any case it holds' };
  if (unloaded.length === 0) return { notRun: 'every case id it declares is loaded from the suite files (a backup of one, say), so it risks no recording; its text is not what runs', cases: 'no case' };
  const ids = unloaded.slice(0, SHOWN).join(', ') + (unloaded.length > SHOWN ? ` and ${unloaded.length - SHOWN} more` : '');
  return { notRun: `its case(s) ${ids}, in no loaded file, are not run`, cases: `its case(s) ${ids}` };
}

/** The fix for a lookalike: never a rename onto a suite file that is there (it would be overwritten). */
export function lookalikeFix(lookalike: Lookalike, suffix: string): string {
  const name = loadedName(basename(lookalike.file), suffix);
  if (!blocks(lookalike)) return 'move it out of the --suites folder (or delete it) to silence this';
  if (lookalike.taken) return `move it out of the --suites folder, or merge its cases into ${name} by hand (renaming it to ${name} would overwrite that suite file)`;
  return `rename it to ${name}, or move it out of the --suites folder`;
}

/** The warning `validate`, a run and prune give for a lookalike (endpoint-free, but file text: callers make it inert). */
export function lookalikeWarning(lookalike: Lookalike, suffix: string): string {
  const stops = blocks(lookalike) ? ', and fixtures prune and fixtures refuse while it is here' : '';
  return `${shownPath(lookalike.file)} looks like a suite file but is not loaded (only *${suffix} names are): ${lookalikeCases(lookalike).notRun}${stops}; ${lookalikeFix(lookalike, suffix)}`;
}
