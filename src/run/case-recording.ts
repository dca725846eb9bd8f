/**
 * @module run/case-recording
 * A finished case handed to its target (record writes its fixture there) with the trials a stop, a spend cap or a
 * target that stopped answering left unsent: a recording of fewer trials than asked would replay as a verdict on
 * fewer (a recorded flaky cell as a pass), so record keeps the previous one and names the case (kept-whys.ts, transport/kept-cases.ts).
 */
import type { CaseOutcome } from '../checks/types.ts';
import { toHarnessError } from '../errors.ts';
import { FEWER_TRIALS } from '../kept-whys.ts';
import { ENDPOINT_DOWN } from '../transport/endpoint-breaker.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { CaseTrials, Target, TrialsCut } from '../transport/target.ts';

/** Whether a stop or a spend cap left the trial unsent (`skipped`, case-runner.ts). */
export function stoppedTrial(outcome: CaseOutcome): outcome is Extract<CaseOutcome, { kind: 'skipped' }> {
  return outcome.kind === 'skipped';
}

/** The error that kept the trial, wholly or in part, from a target given up on (endpoint-breaker.ts), or undefined. */
function downError(outcome: CaseOutcome): { code: string; message: string } | undefined {
  if (outcome.kind !== 'error') return undefined;
  if (outcome.error.code === ENDPOINT_DOWN) return outcome.error;
  return outcome.exchanges.find((ex) => ex.error?.code === ENDPOINT_DOWN)?.error ?? undefined;
}

/**
 * Whether the trial was not sent, wholly or in part: a stop's or a cap's, or a target given up on. Record keeps such a
 * case (trialsCut), and a pass resting on the other trials is no verdict (model-session.ts runCheck).
 */
export function unsentTrial(outcome: CaseOutcome): boolean {
  return stoppedTrial(outcome) || downError(outcome) !== undefined;
}

/**
 * Why a trial was not sent (unsentTrial), or undefined when it was. After a stop, the stop's own words (`stoppedBy`):
 * a request in flight abandoned by it says only that the run was interrupted, a rejected key's stop included.
 */
function notSent(outcome: CaseOutcome, stoppedBy: string | undefined): string | undefined {
  if (stoppedTrial(outcome)) return stoppedBy?.replace(/^not sent: /, '') ?? outcome.reason;
  const down = downError(outcome);
  return down ? `${down.code}: ${down.message}` : undefined;
}

/**
 * The trials of a case not sent, when some were and some were not; undefined when every trial was sent (or none).
 * `stoppedBy`: what stopped the run, when something did (run-engine.ts `stop`).
 */
export function trialsCut(outcomes: readonly CaseOutcome[], stoppedBy?: string): TrialsCut | undefined {
  const whys = outcomes.map((outcome) => notSent(outcome, stoppedBy));
  const unsent = whys.filter((why) => why !== undefined);
  if (unsent.length === 0 || unsent.length === outcomes.length) return undefined;
  return { asked: outcomes.length, notSent: unsent.length, why: unsent[0]! };
}

/**
 * Hands the case's exchanges to the target once some trial was sent, and returns the outcomes the checks read. A
 * fixture that could not be written (it held a credential) makes every trial `error`: never a clean recording. A
 * case kept for trials not sent keeps its outcomes: the trials that ran are what the run observed, and the checks
 * say what the cut leaves unjudged (checks/trials.ts); so does one kept for holding more trials than the run made.
 * The target has noted the case for the gate. `trials`: whether a check reads the case per trial (target.ts).
 */
export async function finishCase(target: Target, model: string, caseId: string, outcomes: CaseOutcome[], exchanges: readonly Exchange[], stoppedBy?: string, trials?: CaseTrials): Promise<CaseOutcome[]> {
  const cut = trialsCut(outcomes, stoppedBy);
  try {
    await target.caseFinished(model, caseId, exchanges, cut, ...(trials ? [trials] : []));
  } catch (error) {
    const harness = toHarnessError(error);
    // Fewer trials than the recording holds are this run's own observations: they stand; the recording stays.
    if ((cut || FEWER_TRIALS.test(harness.message)) && harness.code === 'HARNESS_RECORDING_KEPT') return outcomes;
    return outcomes.map((o) => ({ kind: 'error', caseId, api: o.api, exchanges: 'exchanges' in o ? o.exchanges : [], error: { code: harness.code, message: harness.message } }));
  }
  return outcomes;
}
