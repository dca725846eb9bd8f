/**
 * @module suite/suite-lookalikes
 * Files of a --suites folder the loader does not read but that look like suite files: at its top level, a name
 * slightly off (`params.suite.yml`, `params.Suite.yaml`, `params.suites.yaml`, `params.suite.yaml.off`), and in a
 * subfolder (`team-a/params.suite.yaml`, or a lookalike there), since the loader reads the top level only. Their cases
 * are silently not run, and `fixtures prune` and `fixtures`, which take the loaded cases for all the folder has, would
 * drop every recording of them. The rule, ignoring case: a file (not a folder) whose name holds `.suite.` or `.suites.`
 * followed by `yaml` or `yml`, and that the loader does not read. Left out as clearly no suite: names led by `.`
 * (editor swap files such as `.params.suite.yaml.swp`, .DS_Store) and editor backups ending in `~` or led by `#`
 * (`params.suite.yaml~`, `#params.suite.yaml#`); models.yaml, expectations.yaml, README.md and schema/ never match.
 * Subfolders are looked through, never loaded: not through a link, nor a folder led by `.` or node_modules, and only
 * so deep and so many (a run reads this at every start; a suites folder is a handful of folders).
 * Each is read as a suite: one whose every case id is loaded from the real files (a backup of one, say) risks no
 * recording and only gets a warning; one that does not read as a suite, or declares a case no loaded file has, is
 * warned about by `validate` and a run, and blocks prune and `fixtures` while they would drop a recording of its cases
 * (cli/lookalike-refusal.ts), until it is renamed or moved.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { shownPath } from '../shown-path.ts';
import { SuiteSchema, type SuiteFile } from './suite-schema.ts';
import { readYamlSource, validateAgainstSchema } from './yaml-source.ts';

/** A lookalike, read as a suite file against the cases the loader loaded. */
export interface Lookalike {
  file: string;
  /** In a subfolder of --suites (whatever its name): the loader reads the folder's top level only. */
  nested?: boolean;
  /** The case ids it declares that no loaded file has; undefined when it does not read as a suite (what it holds is not known). */
  unloaded?: string[];
  /** The name it would be loaded under is there already: renaming it would overwrite that suite file. */
  taken: boolean;
}

/** Case ids a line names before counting the rest. */
const SHOWN = 3;
/** Subfolder levels looked through (`a/b/c/d/x.suite.yaml` is the deepest seen), and folders read at most: start-up time. */
const NESTED_LEVELS = 4;
const NESTED_FOLDERS = 200;

/** Whether a name looks like a suite file's, the loaded name included (the rule above). */
function suiteLike(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('#') || name.endsWith('~')) return false;
  return /\.suites?\.ya?ml/i.test(name);
}

/** Whether a name the loader skips looks like a suite file's (the rule above); `suffix` is what the loader reads. */
export function looksLikeSuiteFile(name: string, suffix: string): boolean {
  return !name.endsWith(suffix) && suiteLike(name);
}

/**
 * The lookalikes of the folder `root`, whose entries are `entries` (absolute paths, sorted): at its top level, the
 * names the loader skips; in its subfolders, any suite-like name, the loaded one too. A name that is a folder is none.
 */
export async function suiteLookalikes(root: string, entries: readonly Dirent[], suffix: string): Promise<string[]> {
  const top = entries.filter((e) => looksLikeSuiteFile(e.name, suffix)).map((e) => join(root, e.name));
  const nested = await nestedSuiteFiles(root, entries);
  const files = await Promise.all([...top, ...nested].map(async (file) => ((await stat(file).catch(() => undefined))?.isDirectory() === false ? file : undefined)));
  return files.filter((file): file is string => file !== undefined).sort();
}

/** A subfolder the walk goes into: a folder itself (a link is never followed), not a hidden one, nor installed packages. */
const walked = (e: Dirent) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules';

/** The suite-like names in the subfolders of `root` (its `entries`), level by level, within NESTED_LEVELS and NESTED_FOLDERS. */
async function nestedSuiteFiles(root: string, entries: readonly Dirent[]): Promise<string[]> {
  const found: string[] = [];
  let level = entries.filter(walked).map((e) => join(root, e.name));
  let read = 0;
  for (let depth = 1; depth <= NESTED_LEVELS && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (read++ >= NESTED_FOLDERS) return found;
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (walked(e)) next.push(join(dir, e.name));
        else if (suiteLike(e.name)) found.push(join(dir, e.name));
      }
    }
    level = next;
  }
  return found;
}

/**
 * Each lookalike of the folder `root` read as a suite file, with the case ids of `loaded` (every case the loader
 * loaded) it does not have. Read as the loader reads a suite (YAML, then the suite schema): a file that fails either is
 * not known to hold only loaded cases. Whether its loaded name is there at the top level (where the fix puts it) is
 * asked of the file system (a folder that ignores case has it too).
 */
export async function readLookalikes(root: string, files: readonly string[], loaded: ReadonlySet<string>, suffix: string): Promise<Lookalike[]> {
  return Promise.all(
    files.map(async (file) => {
      const where = { file, ...(dirname(file) !== root ? { nested: true } : {}) };
      const taken = (await stat(join(root, loadedName(basename(file), suffix))).catch(() => undefined)) !== undefined;
      const { source, problems } = await readYamlSource(file).catch(() => ({ source: null, problems: ['unreadable'] }));
      if (!source || problems.length || validateAgainstSchema(source, SuiteSchema).length) return { ...where, taken };
      const ids = (source.data as SuiteFile).cases.map((c) => c.id);
      return { ...where, taken, unloaded: [...new Set(ids.filter((id) => !loaded.has(id)))] };
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

/** Why a lookalike is not loaded, after its path: its name, or its place (a subfolder). */
export function lookalikeIs(lookalike: Lookalike, suffix: string): string {
  if (lookalike.nested) return `is in a subfolder of --suites, which is not loaded (only *${suffix} files at its top level are)`;
  return `looks like a suite file but is not loaded (only *${suffix} names are)`;
}

/**
 * The fix for a lookalike: never a rename onto a suite file that is there (it would be overwritten). The text names
 * "the --suites folder" once, for a refusal to name the folder instead (lookalike-refusal.ts).
 */
export function lookalikeFix(lookalike: Lookalike, suffix: string): string {
  const name = loadedName(basename(lookalike.file), suffix);
  if (!blocks(lookalike)) return 'move it out of the --suites folder (or delete it) to silence this';
  const move = lookalike.nested ? `moving it up as ${name}` : `renaming it to ${name}`;
  if (lookalike.taken) return `move it out of the --suites folder, or merge its cases into ${name} by hand (${move} would overwrite that suite file)`;
  if (lookalike.nested) return `move it to the top level of the --suites folder as ${name} (subfolders are not loaded), or out of that folder`;
  return `rename it to ${name}, or move it out of the --suites folder`;
}

/** The warning `validate`, a run and prune give for a lookalike (endpoint-free, but file text: callers make it inert). */
export function lookalikeWarning(lookalike: Lookalike, suffix: string): string {
  const { notRun, cases } = lookalikeCases(lookalike);
  // Not "refuse while it is here": they refuse only when they would drop a recording of its cases (cli/lookalike-refusal.ts).
  const stops = blocks(lookalike) ? `, and fixtures prune and fixtures refuse while it is here if they would drop a recording of ${cases}` : '';
  return `${shownPath(lookalike.file)} ${lookalikeIs(lookalike, suffix)}: ${notRun}${stops}; ${lookalikeFix(lookalike, suffix)}`;
}
