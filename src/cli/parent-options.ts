/**
 * @module cli/parent-options
 * A subcommand's options given before its name (`catalog --catalog F diff`, `fixtures --suites S prune`) go to the
 * parent command: dropped silently, the subcommand worked on its defaults (prune removed the recordings of S's own
 * cases). They are the subcommand's own, unless both are given and disagree.
 */
import type { Command } from 'commander';
import { HarnessError } from '../errors.ts';

/** `flags` with each of `names` the parent was given on the command line; two different values are HARNESS_USAGE. */
export function withParentOptions<T extends object>(parent: Command, child: Command, flags: T, names: readonly (keyof T & string)[]): T {
  let merged = flags;
  for (const name of names) {
    if (parent.getOptionValueSource(name) !== 'cli') continue;
    const value = (parent.opts() as Record<string, unknown>)[name];
    if (child.getOptionValueSource(name) === 'cli' && flags[name] !== value) {
      const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new HarnessError('HARNESS_USAGE', `${parent.name()} ${flag} ${String(value)} ${child.name()} ${flag} ${String(flags[name])}: two values; give ${flag} once, after ${child.name()}`);
    }
    merged = { ...merged, [name]: value };
  }
  return merged;
}
