/**
 * @module run/uncaught-errors
 * An uncaught error once a run's checks began that is not vitest's view breaking (no frame of vitest's or of a
 * reporter named after `--`) is a bug in the harness: the run's results so far stand, so its reports are written and
 * its gate printed, and the run exits 3 `HARNESS_INTERNAL` with the error's stack, never blaming the user's arguments.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.ts';

/** An Error of what was thrown, or of an error vitest reported (serialized: `{ name, message, stack }`). */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { message, stack } = (error ?? {}) as { message?: unknown; stack?: unknown };
  return Object.assign(new Error(typeof message === 'string' ? message : String(error)), typeof stack === 'string' ? { stack } : {});
}

/**
 * Whether a stack has a frame of a reporter module named after `--` (`--reporter=./my-reporter.mjs`, or a package's
 * name): a reporter throwing from its own timer has no frame of vitest's, yet is part of vitest's view. A built-in
 * reporter's name (`dot`) is vitest's own code, which its frames show.
 */
export function hasReporterFrame(stack: string, options: Record<string, unknown>, cwd = process.cwd()): boolean {
  const named = [options.reporter, options.reporters].flat(2).filter((v): v is string => typeof v === 'string' && v.length > 0);
  return named.some((name) => {
    if (name.startsWith('.') || isAbsolute(name)) {
      const path = resolve(cwd, name);
      return stack.includes(path) || stack.includes(pathToFileURL(path).href);
    }
    return stack.includes(`/node_modules/${name}/`) || stack.includes(`\\node_modules\\${name.replace(/\//g, '\\')}\\`);
  });
}

/**
 * The exit of a run an uncaught error of the harness's own broke: `HARNESS_INTERNAL` (exit 3), its message, and the
 * error as its cause (its stack is printed with the message: cli/main.ts). `afterRun`: it came in an open UI session
 * after the run had ended, which it ends.
 */
export function harnessBugError(cause: unknown, afterRun = false): HarnessError {
  const message = (asError(cause).message || String(cause)).split('\n')[0];
  const when = afterRun ? 'in the vitest UI session after the run had ended, and ended the session; the run\'s reports were written' : 'during the run; the run\'s checks ran on and their reports were written';
  return new HarnessError('HARNESS_INTERNAL', `an uncaught error (${message}) came ${when} (their gate, above, is not the exit code). This is a bug in mantle-conformance; please report it with the command line you ran and the stack below`, { cause: asError(cause) });
}

/**
 * While a run's engine goes (a run not on vitest): an uncaught error is kept (`onError`, the first one) instead of
 * ending the process with Node's exit 1 and no reports. Returns the undo.
 */
export function catchHarnessBug(onError: (error: unknown) => void): () => void {
  const listener = (error: unknown) => onError(error);
  process.on('uncaughtException', listener);
  return () => process.off('uncaughtException', listener);
}
