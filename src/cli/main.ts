/**
 * @module cli/main
 * The `mantle-conformance` command line. Exit codes: 0 nothing gates, 1 a result gates (or compare found a
 * regression), 2 usage/configuration/credentials, 3 the harness itself broke.
 */
import { CommanderError, type Command } from 'commander';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { internalErrorText } from './internal-error.ts';
import { buildProgram } from './program.ts';
import { EXIT, type Io } from './project.ts';

export { EXIT, PROJECT_ROOT, VERSION, type Io } from './project.ts';

export async function main(argv: string[], io: Io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const dash = argv.indexOf('--');
  const vitestArgs = dash === -1 ? [] : argv.slice(dash + 1);
  const args = dash === -1 ? argv : argv.slice(0, dash);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, vitestArgs, (code) => {
    exitCode = code;
  });
  try {
    refuseRepeatedOptions(program, args);
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * An option that takes one value, given twice (`--shard 2/3 --shard 1/3`): commander keeps the last one silently,
 * and a CI template that appends a flag would change the run without a word. Lists (`--header-env a=B c=D`) may repeat.
 */
function refuseRepeatedOptions(program: Command, args: readonly string[]): void {
  const top = program.commands.find((c) => c.name() === args[0]);
  if (!top) return;
  let command: Command = top;
  let seen = new Set<string>();
  for (const arg of args.slice(1)) {
    // A subcommand's options are checked too (`catalog diff --mode live --mode replay`), apart from its parent's: one
    // given on both (`catalog --catalog F diff --catalog F`) is one value when the two agree, which only the
    // subcommand's action can tell (cli/parent-options.ts withParentOptions refuses two different values).
    const sub: Command | undefined = command.commands.find((c) => c.name() === arg);
    if (sub) {
      command = sub;
      seen = new Set<string>();
      continue;
    }
    const name = arg.startsWith('--') ? arg.split('=')[0]! : /^-[A-Za-z]$/.test(arg) ? arg : undefined;
    const option = name && command.options.find((o) => o.long === name || o.short === name);
    if (!option || option.variadic || !(option.required || option.optional)) continue;
    const flag = option.long ?? option.short!;
    if (seen.has(flag)) throw new HarnessError('HARNESS_USAGE', `${flag}: given twice; give it once`);
    seen.add(flag);
  }
}

/** A line of an error message: long enough for a path and its fix, never megabytes of an endpoint's text. */
const MESSAGE_LINE_MAX_BYTES = 16_000;

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    // commander has printed its message; add how to get help.
    io.err.write('Run mantle-conformance --help (or <command> --help) for usage.\n');
    return EXIT.usage;
  }
  if (error instanceof HarnessError) {
    // Messages quote what came from outside (an endpoint's answer, a file's text, a flag's value): each line of
    // one is printed inert, so none can move the cursor, forge a line or become a CI command.
    io.err.write(`${error.code}: ${error.message.split('\n').map((line) => inertLine(line, MESSAGE_LINE_MAX_BYTES)).join('\n')}\n`);
    // A bug's report needs where it arose: the stack of the error it wraps, credentials replaced.
    if (error.code === 'HARNESS_INTERNAL' && error.cause instanceof Error && error.cause.stack) io.err.write(`${internalErrorText(error.cause)}\n`);
    return error.code === 'HARNESS_INTERNAL' ? EXIT.internal : EXIT.usage;
  }
  io.err.write(`HARNESS_INTERNAL: ${internalErrorText(error)}\nThis is a bug in mantle-conformance; please report it with the command line you ran.\n`);
  return EXIT.internal;
}
