/**
 * @module checks/route-guess
 * A case sent on a route no probe asked about. With no probe case for its API (nor another OpenAI API's probe to
 * borrow a prefix from), the session sends it on the catalog's documented prefix: a guess. A refusal there says
 * only that the guess was wrong, not that the model is unserved, so it is an error naming the missing probe cases,
 * never `unsupported`.
 */
import type { ApiId } from '../suite/suite-schema.ts';
import type { CaseOutcome } from './types.ts';

/** The bundled suite file that holds each API's probe cases (a test keeps it true to suites/). */
export const BUNDLED_PROBE_FILES: Readonly<Record<ApiId, string>> = {
  'chat-completions': 'routes.suite.yaml',
  responses: 'routes.suite.yaml',
  messages: 'routes.suite.yaml',
  'count-tokens': 'routes.suite.yaml',
  models: 'errors.suite.yaml',
};

/** How a route was guessed, for the reason of a refusal on it. */
export function describeGuess(api: ApiId, prefix: string, borrowedFrom?: ApiId): string {
  const taken = borrowedFrom ? `the ${borrowedFrom} probe's prefix ${prefix} was taken` : `the prefix ${prefix} was taken from the catalog`;
  return `no probe case for ${api} in the loaded suites, so ${taken}, not found by a probe of ${api}; add the probe cases of ${api} (the bundled suites hold them in ${BUNDLED_PROBE_FILES[api]})`;
}

/** The outcome marked as sent on a guessed route (a copy); as it is with no guess, or when it is not completed. */
export function withRouteGuess(outcome: CaseOutcome, guess: string | undefined): CaseOutcome {
  if (!guess || outcome.kind !== 'completed') return outcome;
  return { ...outcome, routeGuess: guess };
}

/** How the route of the outcomes a check read was guessed, when any of them was sent on a guess. */
export function routeGuessOf(outcomes: readonly CaseOutcome[]): string | undefined {
  for (const outcome of outcomes) {
    const guess = outcome.kind === 'completed' ? outcome.routeGuess : undefined;
    if (guess) return guess;
  }
  return undefined;
}
