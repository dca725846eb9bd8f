/**
 * @module run/observed-steps
 * A case that broke on a later step (a 503 after its retries, a reset) still answered the steps before it. A check
 * that names the steps it reads (`readsSteps`), every one answered before the break, is judged on those steps: what
 * broke is a step it never reads. Every other check (one that names none, or reads the broken step or a later one)
 * gets the case's `error` as it stood. A case cut by a stop or a spend cap is `skipped`, never read in part.
 */
import { withRouteGuess } from '../checks/route-guess.ts';
import { withBrokenEvidence } from '../checks/broken-evidence.ts';
import { cutInconclusive } from '../checks/judge.ts';
import type { CaseOutcome, CheckDefinition, CheckInput, CheckResult } from '../checks/types.ts';

type BrokenLater = Extract<CaseOutcome, { kind: 'error' }> & { laterStepBroke: NonNullable<Extract<CaseOutcome, { kind: 'error' }>['laterStepBroke']> };

/** The outcome a check reads: the steps answered before a later step broke when it reads only those, else as it is. */
export function outcomeReadBy(readsSteps: readonly string[] | undefined, outcome: CaseOutcome): CaseOutcome {
  if (outcome.kind !== 'error' || !outcome.laterStepBroke || !readsSteps?.length) return outcome;
  const { step: broken, earlier } = outcome.laterStepBroke;
  const answered = (step: string) => {
    const own = earlier.exchanges.filter((ex) => ex.step === step);
    return own.length > 0 && own.every((ex) => ex.response && !ex.error);
  };
  return readsSteps.every(answered) ? { ...earlier, brokenStep: { step: broken, error: outcome.error } } : outcome;
}

/**
 * Runs the check on what each case observed for it (each trial's outcome on its own), its reason saying which case
 * broke later and on what step, so a verdict on part of a case never reads as one on the whole.
 */
export async function runOnObserved(definition: Pick<CheckDefinition, 'readsSteps' | 'run'> & Partial<Pick<CheckDefinition, 'api'>>, input: CheckInput): Promise<CheckResult> {
  const outcomes = input.outcomes.map((outcome) => outcomeReadBy(definition.readsSteps, outcome));
  const cut = input.outcomes.filter((outcome, i): outcome is BrokenLater => outcomes[i] !== outcome);
  const read = { ...input, outcomes };
  // An error shows what broke, a route probe's too (its codes: a missing recording, which gates in a replay). An
  // inconclusive beside a case a stop or a spend cap did not run is that cut's doing, whichever check said it.
  const result = withBrokenEvidence(cutInconclusive(definition, read, await definition.run(read)), outcomes);
  // No verdict (a step it looks up only at times, at or after the break, that this one needed: params.* control)
  // rests on part of the case: the result's own reason says which step was not observed.
  if (cut.length === 0 || result.status === 'error' || result.status === 'skipped') return result;
  const notes = cut.map((o) => `judged on the steps of case ${o.caseId} answered before step ${o.laterStepBroke.step} broke (${o.error.code}), a step this check does not read`);
  return { ...result, reason: `${result.reason}; ${notes.join('; ')}` };
}

/** The outcome marked as sent on a guessed route, the steps kept from before a later step broke too. */
export function withGuessKept(outcome: CaseOutcome, guess: string | undefined): CaseOutcome {
  if (!guess || outcome.kind !== 'error' || !outcome.laterStepBroke) return withRouteGuess(outcome, guess);
  const { step, earlier } = outcome.laterStepBroke;
  return { ...outcome, laterStepBroke: { step, earlier: { ...earlier, routeGuess: guess } } };
}
