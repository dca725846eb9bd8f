/**
 * @module run/vitest-crash
 * vitest failing after the run's checks began (a worker that dies: `--environment` of a package that cannot load,
 * a setup file that exits) throws where the harness cannot catch it: an 'error' event of vitest's pool that nothing
 * listens to, which would end the process with a stack trace, exit 1 (read as "the gate fails") and no reports.
 * The checks run in this process apart from vitest, so their results are whole: the run writes them, and exits
 * saying vitest's view broke (vitestViewError).
 */
import { HarnessError } from '../errors.ts';
import { describeVitestOptions } from './vitest-usage.ts';

/** A frame of vitest's own code, or of the packages it runs its pools and server on. */
const VITEST_FRAME = /[\\/]node_modules[\\/](?:vitest|@vitest[\\/][^\\/]+|vite|tinypool)[\\/]/;

/**
 * While a run is on vitest: an uncaught error thrown from vitest's code goes to `onCrash` instead of ending the
 * process. Any other is thrown again once this listener is off, ending the process as it would have. Returns the undo.
 */
export function catchVitestCrash(onCrash: (error: Error) => void): () => void {
  const listener = (error: unknown) => {
    if (error instanceof Error && VITEST_FRAME.test(error.stack ?? '')) return onCrash(error);
    process.off('uncaughtException', listener);
    setImmediate(() => {
      throw error;
    });
  };
  process.on('uncaughtException', listener);
  return () => process.off('uncaughtException', listener);
}

/**
 * Why a run whose reports were written exits other than by its gate: vitest broke after its checks began. With
 * arguments after `--`, they are what vitest could not honour: exit 2 naming them; with none (`--ui` alone), the
 * harness's own use of vitest broke: exit 3, a bug to report.
 */
export function vitestViewError(cause: unknown, options: Record<string, unknown>): HarnessError {
  const message = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
  const written = 'the run\'s checks ran on in this process and their reports were written (their gate, above, is not the exit code)';
  if (Object.keys(options).filter((key) => key !== '--' && key !== 'color').length === 0) {
    return new HarnessError('HARNESS_INTERNAL', `vitest broke during the run (${message}); ${written}. This is a bug in mantle-conformance; please report it with the command line you ran`, { cause });
  }
  return new HarnessError('HARNESS_USAGE', `vitest broke during the run with the arguments after -- (${describeVitestOptions(options)}): ${message}; ${written}; fix or drop those arguments (vitest --help lists them)`, { cause });
}
