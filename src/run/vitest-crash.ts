/**
 * @module run/vitest-crash
 * vitest failing after the run's checks began (a worker that dies: `--environment` of a package that cannot load,
 * a setup file that exits) throws where the harness cannot catch it: an 'error' event of vitest's pool that nothing
 * listens to, which would end the process with a stack trace, exit 1 (read as "the gate fails") and no reports.
 * So does vitest reporting an error and going on (a reporter named after `--` that throws, a worker that never
 * started). The checks run in this process apart from vitest, so their results are whole: the run writes them, and
 * exits saying vitest's view broke (vitestViewError).
 */
import { HarnessError } from '../errors.ts';
import { asError, hasReporterFrame } from './uncaught-errors.ts';
import { describeVitestOptions, givenVitestOptions } from './vitest-usage.ts';

/** A frame of vitest's own code, or of the packages it runs its pools and server on. */
const VITEST_FRAME = /[\\/]node_modules[\\/](?:vitest|@vitest[\\/][^\\/]+|vite|tinypool)[\\/]/;

/** Whether an uncaught error is vitest's view breaking, or the harness's own bug (uncaught-errors.ts). */
export type CrashKind = 'view' | 'bug';

/**
 * While a run is on vitest: an uncaught error goes to `onCrash` instead of ending the process when it is thrown from
 * vitest's code or from a reporter named after `--` (a reporter's timer has no frame of vitest's): the view broke.
 * Once the run's engine has `began`, any other is a bug of the harness's (`bug`): the reports are still written, and
 * the arguments after `--` are not blamed. Before, it is thrown again once this listener is off, ending the process
 * as it would have. Returns the undo.
 */
export function catchVitestCrash(onCrash: (error: Error, kind: CrashKind) => void, began: () => boolean, options: Record<string, unknown> = {}): () => void {
  const listener = (error: unknown) => {
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    if (VITEST_FRAME.test(stack) || hasReporterFrame(stack, options)) return onCrash(asError(error), 'view');
    if (began()) return onCrash(asError(error), 'bug');
    process.off('uncaughtException', listener);
    setImmediate(() => {
      throw error;
    });
  };
  process.on('uncaughtException', listener);
  return () => process.off('uncaughtException', listener);
}

/** What vitest did in a test run whose engine began, and ended without throwing. */
export interface ViewEnding {
  /** The engine's run was finished (vitest called the harness's onTestRunEnd). */
  ended: boolean;
  /** A model file's test asked for a result. */
  asked: boolean;
  /** How many model files vitest was given: a shard or selection with none (fewer models than shards) asks nothing, and is no break. */
  modelFiles: number;
  /** Errors vitest printed as "Unhandled Error" and did not throw (a reporter's, a worker that failed to start). */
  unhandled: readonly unknown[];
}

/**
 * Why vitest's view of a run broke though vitest returned: an error it reported and swallowed, an end of its test
 * run that never came, or not one model file run (its workers never started). The engine ran whatever vitest did,
 * so each is the same as a crash: the reports written, the exit code the view's (vitestViewError).
 */
export function viewBreak(view: ViewEnding): Error | undefined {
  if (view.unhandled.length) return asError(view.unhandled[0]);
  if (!view.ended) return new Error('vitest stopped before its test run ended (it printed why above)');
  if (!view.asked && view.modelFiles > 0) return new Error('vitest ran none of the model files');
  return undefined;
}

/**
 * Why a run whose reports were written exits other than by its gate: vitest broke after its checks began. With
 * arguments after `--`, they are what vitest could not honour: exit 2 naming them; with none (`--ui` alone), the
 * harness's own use of vitest broke: exit 3, a bug to report.
 */
export function vitestViewError(cause: unknown, options: Record<string, unknown>): HarnessError {
  const message = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
  const written = 'the run\'s checks ran on in this process and their reports were written (their gate, above, is not the exit code)';
  if (givenVitestOptions(options).length === 0) {
    return new HarnessError('HARNESS_INTERNAL', `vitest broke during the run (${message}); ${written}. This is a bug in mantle-conformance; please report it with the command line you ran`, { cause });
  }
  return new HarnessError('HARNESS_USAGE', `vitest broke during the run with the arguments after -- (${describeVitestOptions(options)}): ${message}; ${written}; fix or drop those arguments (vitest --help lists them)`, { cause });
}
