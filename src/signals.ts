/**
 * @module signals
 * The signals that stop a command from outside (Ctrl-C; SIGTERM from a CI job cancelled, `docker stop`, `kill`), and
 * the exit code an interrupted command takes: one list, read by the run, its setup, the vitest view, the emulator and
 * the atomic writer, so none of them listens for a signal the others ignore.
 */

/** What stopped a run from outside: Ctrl-C (SIGINT), or SIGTERM (a CI job cancelled, `docker stop`, `kill`). */
export type Interruption = 'Ctrl-C' | 'SIGTERM';

/** The signals that interrupt a command, and how reports name them. */
export const INTERRUPTING_SIGNALS: readonly (readonly [NodeJS.Signals, Interruption])[] = [
  ['SIGINT', 'Ctrl-C'],
  ['SIGTERM', 'SIGTERM'],
];

/** The signals alone. */
export const STOPPING_SIGNALS: readonly NodeJS.Signals[] = INTERRUPTING_SIGNALS.map(([signal]) => signal);

/** The exit code of a command interrupted by either signal (README's exit-code table: one code for "interrupted"). */
export const INTERRUPTED_EXIT = 130;
