/**
 * @module cli/vitest-args
 * The arguments after `--` of `run` (the run then happens on vitest), read as vitest reads them, and refused where
 * vitest would do something other than show the run. vitest's exported parser accepts any option without a word (it
 * never checks unknown ones), so a harness flag written after `--` (a CI template appending `--baseline` to a command
 * line that already ends in `-- --reporter=junit`), single-dashed or misspelt, would be dropped silently: the
 * regression gate off, a live run replayed. The harness's run flags are refused by name; any other option vitest's
 * own command line does not know is refused as vitest refuses it (knownToVitest); and so are the few vitest options
 * whose effect the gate would never know: a test timeout that fails checks the matrix passes, and vitest's own file
 * selection, which drops models from the run as if they had been filtered out.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.ts';
import { unusableVitestOption } from '../run/vitest-usage.ts';
import { closest } from '../suite/closest.ts';

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

type Cac = { parse(argv: string[], options: { run: boolean }): unknown; matchedCommand?: { checkUnknownOptions(): void }; globalCommand: { checkUnknownOptions(): void } };

/**
 * vitest's own check of unknown options (cac's, which its command line runs and its exported parseCLI skips): the
 * message it gives (`Unknown option \`-b\``), or undefined when it knows them all. vitest exports no list of its
 * options, so its CLI is built from the chunk its parseCLI comes from; undefined too when that cannot be reached
 * (another vitest's layout), leaving the harness's own refusals.
 */
async function unknownToVitest(args: string[]): Promise<string | undefined> {
  let createCLI: (() => Cac) | undefined;
  try {
    const entry = fileURLToPath(import.meta.resolve('vitest/node'));
    const chunk = /\bas parseCLI\s*\}\s*from\s*['"](\.\/chunks\/[^'"]+)['"]/.exec(await readFile(entry, 'utf8'))?.[1];
    if (!chunk) return undefined;
    const file = join(dirname(entry), chunk);
    const name = /\bcreateCLI as (\w+)\b/.exec(await readFile(file, 'utf8'))?.[1];
    createCLI = name ? ((await import(pathToFileURL(file).href)) as Record<string, () => Cac>)[name] : undefined;
  } catch {
    return undefined;
  }
  if (typeof createCLI !== 'function') return undefined;
  try {
    const cli = createCLI();
    cli.parse(['node', '/index.js', ...args], { run: false });
    (cli.matchedCommand ?? cli.globalCommand).checkUnknownOptions();
    return undefined;
  } catch (cause) {
    return (cause as Error).message;
  }
}

/** Exit 2 naming an option vitest does not know, as written (`-b` of `-baseline`), with the harness flag it may be a slip of. */
async function unknownOptionError(args: string[], message: string): Promise<HarnessError> {
  const name = /`(-{1,2}[^`]+)`/.exec(message)?.[1] ?? '';
  const written = name.startsWith('--') ? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : (args.find((a) => a.startsWith(name) && !a.startsWith('--')) ?? name);
  const word = written.replace(/^-+/, '').replace(/=.*$/, '');
  const flags = [...(await harnessRunFlags())].map((key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  const slip = word ? closest(word, flags) : undefined;
  const hint = slip ? `; if --${slip} was meant, it is a mantle-conformance flag: put it before --` : '; vitest --help lists its options';
  return new HarnessError('HARNESS_USAGE', `arguments after --: vitest does not know ${written.replace(/=.*$/, '')} (${message})${hint}`);
}

/**
 * vitest's reading of the arguments after `--`: its file filters (model filters here) and options; exit 2 on what it
 * or the harness refuses. With `root` (the run's), an environment or pool vitest could not use is refused too.
 */
export async function parseVitestArgs(args: string[], root?: string): Promise<{ filter: string[]; options: Record<string, unknown> }> {
  const { parseCLI } = await import('vitest/node');
  let parsed: { filter: string[]; options: Record<string, unknown> };
  try {
    parsed = parseCLI(['vitest', ...args]) as typeof parsed;
  } catch (cause) {
    throw new HarnessError('HARNESS_USAGE', `arguments after --: ${(cause as Error).message}`, { cause });
  }
  const refused = await refusedVitestOption(parsed.options);
  if (refused) throw refused;
  const unknown = await unknownToVitest(args);
  if (unknown) throw await unknownOptionError(args, unknown);
  const unusable = root === undefined ? undefined : unusableVitestOption(parsed.options, root);
  if (unusable) throw new HarnessError('HARNESS_USAGE', `arguments after --: ${unusable}. Nothing was sent.`);
  return parsed;
}
