/**
 * @module suite/suite-lookalikes
 * Files of a --suites folder whose name is a suite file's slightly off (`params.suite.yml`, `params.Suite.yaml`,
 * `params.suites.yaml`, `params.suite.yaml.off`): the loader reads `*.suite.yaml` only, so their cases are silently
 * not run, and `fixtures prune`, which takes the loaded cases for all the folder has, would remove every recording of
 * them. The rule, ignoring case: a file (not a folder) whose name holds `.suite.` or `.suites.` followed by `yaml` or
 * `yml`, and that the loader does not read. Left out as clearly no suite: names led by `.` (editor swap files such as
 * `.params.suite.yaml.swp`, .DS_Store) and editor backups ending in `~` or led by `#` (`params.suite.yaml~`,
 * `#params.suite.yaml#`); models.yaml, expectations.yaml, README.md and schema/ never match. `validate` and a run
 * warn about each; prune refuses until it is renamed or moved.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

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

/** The name a lookalike would be loaded under: its stem before the suite part, then `suffix`. */
export function loadedName(name: string, suffix: string): string {
  const stem = name.replace(/\.suites?\.ya?ml.*$/i, '');
  return `${stem}${suffix}`;
}
