/**
 * @module cli/vitest-args
 * The arguments after `--` of `run` (the run then happens on vitest), read as vitest reads them, and refused where
 * vitest would do something other than show the run. vitest's parser accepts any option without a word (it never
 * checks unknown ones), so a harness flag written after `--` (a CI template appending `--baseline` to a command line
 * that already ends in `-- --reporter=junit`) would be dropped silently: the regression gate off, a live run
 * replayed. vitest exports no list of its own options; the harness's run flags are what is checked, with the few
 * vitest options whose effect the gate would never know: a test timeout that fails checks the matrix passes, and
 * vitest's own file selection, which drops models from the run as if they had been filtered out.
 */
import { HarnessError } from '../errors.ts';

/** Harness run flags that mean the same, or are vitest's own, after `--`: taken over (selectionFlags) or passed on. */
const ALLOWED_HARNESS = new Set(['shard', 'testNamePattern', 'project']);

/** vitest options the harness runs with values of its own, and why, with what to use instead. */
const HARNESS_OWNED: Record<string, string> = {
  testTimeout: 'vitest\'s test timeout would fail checks the matrix passes (the harness bounds each request with --timeout and --retries); use --timeout before --',
  hookTimeout: 'vitest\'s hook timeout would fail checks the matrix passes (the harness bounds each request with --timeout and --retries); use --timeout before --',
  mode: 'a mantle-conformance flag (after --, vitest takes it as vite\'s mode and the run would replay); put it before --',
  ui: 'a mantle-conformance flag; put it before --',
};

/** vitest's file selection: it would drop model files from the run unseen by the gate (the matrix would call them filtered out). */
const FILE_SELECTION = ['exclude', 'dir', 'root', 'changed', 'related', 'config'];

/** The flag as written: `--max-errors`, `--no-expectations` (vitest's parser gives `expectations: false`). */
const flagName = (key: string, value: unknown) => `--${value === false ? 'no-' : ''}${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The run command's own flags, by the key vitest's parser gives them (`--max-errors` and `--no-expectations` alike). */
async function harnessRunFlags(): Promise<Set<string>> {
  const { buildProgram } = await import('./program.ts');
  const run = buildProgram({ out: process.stdout, err: process.stderr }, [], () => undefined).commands.find((c) => c.name() === 'run');
  return new Set((run?.options ?? []).map((o) => o.attributeName()));
}

/**
 * The first argument after `--` that is refused, with why (exit 2 naming it); undefined when vitest may have them all.
 * `options` is vitest's parse of the arguments (camel-cased keys).
 */
async function refusedVitestOption(options: Record<string, unknown>): Promise<HarnessError | undefined> {
  const harness = await harnessRunFlags();
  for (const [key, value] of Object.entries(options)) {
    if (key === '--' || key === 'color' || key.length === 1) continue;
    const why =
      HARNESS_OWNED[key] ??
      (FILE_SELECTION.includes(key) ? 'vitest\'s file selection would drop models from the run, unseen by the gate; select models with filters, --models, -t or --shard' : undefined) ??
      (harness.has(key) && !ALLOWED_HARNESS.has(key) ? 'a mantle-conformance flag, which vitest would ignore; put it before --' : undefined);
    if (why) return new HarnessError('HARNESS_USAGE', `${flagName(key, value)} after --: ${why}`);
  }
  return undefined;
}

/** vitest's reading of the arguments after `--`: its file filters (model filters here) and options; exit 2 on what it or the harness refuses. */
export async function parseVitestArgs(args: string[]): Promise<{ filter: string[]; options: Record<string, unknown> }> {
  const { parseCLI } = await import('vitest/node');
  let parsed: { filter: string[]; options: Record<string, unknown> };
  try {
    parsed = parseCLI(['vitest', ...args]) as typeof parsed;
  } catch (cause) {
    throw new HarnessError('HARNESS_USAGE', `arguments after --: ${(cause as Error).message}`, { cause });
  }
  const refused = await refusedVitestOption(parsed.options);
  if (refused) throw refused;
  return parsed;
}
