/**
 * @module run/vitest-usage
 * vitest refusing the arguments given after `--` (a reporter it cannot load, a project filter that matches
 * nothing, a coverage provider that is not installed) before any check ran is the user's input to fix, exit 2
 * naming those arguments; not a harness bug.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors.ts';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One option as written: `--reporter=x`, `--coverage` (vitest's `{ enabled: true }`), `--coverage.provider=istanbul`. */
function flagsOf(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    // vitest reads `--coverage` as `coverage: { enabled: true }`: said as written, not as an object.
    return entries.flatMap(([key, inner]) => (key === 'enabled' && inner === true ? [`--${name}`] : flagsOf(`${name}.${kebab(key)}`, inner)));
  }
  return [`--${name}${value === true ? '' : `=${[value].flat().join(',')}`}`];
}

/**
 * The options the user gave after `--`, as [key, value] pairs: vitest's parser adds `--` (the positional rest) and
 * `color` itself, which are not the user's. None left is a run given no vitest arguments, whatever the parser added.
 */
export function givenVitestOptions(options: Record<string, unknown>): [string, unknown][] {
  return Object.entries(options).filter(([key]) => key !== '--' && key !== 'color');
}

/** The vitest arguments a run was given, as the user wrote them near enough: `--reporter=x --project=y`. */
export function describeVitestOptions(options: Record<string, unknown>): string {
  const shown = givenVitestOptions(options).flatMap(([key, value]) => flagsOf(kebab(key), value));
  return shown.length ? shown.join(' ') : '(none)';
}

/** Whether a package is installed where `root`'s resolution would find it (a node_modules folder of it or above). */
function installed(root: string, name: string): boolean {
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** Why vitest refused, when the harness can tell: coverage asked for without its provider package (vitest only prints it). */
function knownCause(options: Record<string, unknown>, root: string | undefined): string | undefined {
  const coverage = options.coverage as { enabled?: boolean; provider?: string } | undefined;
  if (!root || coverage?.enabled !== true || (coverage.provider && coverage.provider !== 'v8' && coverage.provider !== 'istanbul')) return undefined;
  const provider = `@vitest/coverage-${coverage.provider ?? 'v8'}`;
  return installed(root, provider) ? undefined : `--coverage needs ${provider}, which is not installed (npm install -D ${provider}, or drop --coverage)`;
}

/** The environments vitest ships, by the package each needs (vitest's own table: `node` needs none). */
const ENVIRONMENT_PACKAGES: Record<string, string> = { jsdom: 'jsdom', 'happy-dom': 'happy-dom', 'edge-runtime': '@edge-runtime/vm' };

/** The pools vitest runs test files in from its command line; any other name runs no file, without a word. */
const POOLS = ['threads', 'forks', 'vmThreads', 'vmForks'];

/**
 * Why vitest could not honour `--environment` or `--pool`, found before anything is sent: an environment whose
 * package is not installed kills vitest's workers after the checks ran (vitest only prints `MISSING DEPENDENCY`),
 * and a pool it does not know leaves every file unrun. Undefined when both are usable (a path is vitest's to read).
 * Installed means findable from `root` (vitest's root: the run's) or from vitest's own folder, as vitest looks.
 */
export function unusableVitestOption(options: Record<string, unknown>, root: string): string | undefined {
  const { environment, pool } = options;
  if (pool !== undefined && !POOLS.includes(String(pool))) return `--pool=${String(pool)}: vitest has no such pool (${POOLS.join(', ')}); give one of them, or drop --pool`;
  if (typeof environment !== 'string' || environment === 'node' || environment.startsWith('.') || isAbsolute(environment)) return undefined;
  const name = ENVIRONMENT_PACKAGES[environment] ?? `vitest-environment-${environment}`;
  const vitestDir = dirname(fileURLToPath(import.meta.resolve('vitest/package.json')));
  if (installed(root, name) || installed(vitestDir, name)) return undefined;
  return `--environment=${environment} needs ${name}, which is not installed (npm install -D ${name}, or drop --environment: the checks run in the main process, whatever a worker's environment)`;
}

/** HARNESS_USAGE for vitest's start-up error, naming the arguments after `--`; `cause` kept for the stack. */
export function vitestStartError(cause: unknown, options: Record<string, unknown>, root?: string): HarnessError {
  const message = knownCause(options, root) ?? (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
  return new HarnessError('HARNESS_USAGE', `vitest refused the arguments after -- (${describeVitestOptions(options)}) before any check ran: ${message}; fix or drop them (vitest --help lists them)`, { cause });
}
