/**
 * @module cli/parent-options
 * A subcommand's options given before its name (`catalog --catalog F diff`, `fixtures --suites S prune`) go to the
 * parent command: dropped silently, the subcommand worked on its defaults (prune removed the recordings of S's own
 * cases). They are the subcommand's own, unless both are given and name different files.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { HarnessError } from '../errors.ts';

/**
 * Whether two spellings of a path name one file: the same path once resolved (`suites/models.yaml`,
 * `./suites/models.yaml`, `$PWD/suites//models.yaml`), or the same file through a link (as report-dir-guard.ts
 * fileIdentity tells). A path that names nothing yet is compared as spelt, resolved: the command says it is missing.
 */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  // As bigints: a file id of NTFS or ReFS does not fit a double, and two files could compare equal.
  const identity = (path: string) => {
    try {
      const found = statSync(path, { bigint: true, throwIfNoEntry: false });
      return found ? `${found.dev}:${found.ino}` : undefined;
    } catch {
      // Not readable, or a file in the path's folder part (ENOTDIR): no file to compare; the command names the problem.
      return undefined;
    }
  };
  const first = identity(a);
  return first !== undefined && first === identity(b);
}

/**
 * `flags` with each of `names` the parent was given on the command line; two values that name different files are
 * HARNESS_USAGE. Every option handled here is a path (`--catalog`, `--suites`, `--fixtures`): the README's "given
 * twice, the same file" is one file however it is spelt, and the subcommand's own spelling is kept.
 */
export function withParentOptions<T extends object>(parent: Command, child: Command, flags: T, names: readonly (keyof T & string)[]): T {
  let merged = flags;
  for (const name of names) {
    if (parent.getOptionValueSource(name) !== 'cli') continue;
    const value = (parent.opts() as Record<string, unknown>)[name];
    if (child.getOptionValueSource(name) === 'cli') {
      if (sameFile(String(value), String(flags[name]))) continue;
      const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new HarnessError('HARNESS_USAGE', `${parent.name()} ${flag} ${String(value)} ${child.name()} ${flag} ${String(flags[name])}: two values; give ${flag} once, after ${child.name()}`);
    }
    merged = { ...merged, [name]: value };
  }
  return merged;
}
