/**
 * @module run/vitest-usage
 * vitest refusing the arguments given after `--` (a reporter it cannot load, a project filter that matches
 * nothing) before any check ran is the user's input to fix, exit 2 naming those arguments; not a harness bug.
 */
import { HarnessError } from '../errors.ts';

/** The vitest arguments a run was given, as the user wrote them near enough: `--reporter=x --project=y`. */
export function describeVitestOptions(options: Record<string, unknown>): string {
  // vitest's parser adds `--` (the positional rest) and `color` itself: not the user's.
  const shown = Object.entries(options).filter(([key, value]) => key !== '--' && key !== 'color' && value !== undefined).map(([key, value]) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${value === true ? '' : `=${[value].flat().join(',')}`}`);
  return shown.length ? shown.join(' ') : '(none)';
}

/** HARNESS_USAGE for vitest's start-up error, naming the arguments after `--`; `cause` kept for the stack. */
export function vitestStartError(cause: unknown, options: Record<string, unknown>): HarnessError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new HarnessError('HARNESS_USAGE', `vitest refused the arguments after -- (${describeVitestOptions(options)}) before any check ran: ${message.split('\n')[0]}; fix or drop them (vitest --help lists them)`, { cause });
}
