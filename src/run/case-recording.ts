/**
 * @module run/case-recording
 * A finished case handed to its target (record writes its fixture there) with the trials a stop, a spend cap or a
 * target that stopped answering left unsent: a recording of fewer trials than asked would replay as a verdict on
 * fewer (a recorded flaky cell as a pass), so record keeps the previous one and names the case (transport/kept-cases.ts).
 */
import type { CaseOutcome } from '../checks/types.ts';
import { toHarnessError } from '../errors.ts';
import { ENDPOINT_DOWN } from '../transport/endpoint-breaker.ts';
import { FEWER_TRIALS_KEPT } from '../transport/kept-cases.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { CaseTrials, Target, TrialsCut } from '../transport/target.ts';

/**
 * Why a trial was not sent, wholly or in part, or undefined when it was: `skipped` is a stop's or a cap's
 * (case-runner.ts). After a stop, the stop's own words (`stoppedBy`): a request in flight abandoned by it says only
 * that the run was interrupted, a rejected key's stop included.
 */
function notSent(outcome: CaseOutcome, stoppedBy: string | undefined): string | undefined {
  if (outcome.kind === 'skipped') return stoppedBy?.replace(/^not sent: /, '') ?? outcome.reason;
  if (outcome.kind !== 'error') return undefined;
  if (outcome.error.code === ENDPOINT_DOWN) return `${outcome.error.code}: ${outcome.error.message}`;
  const down = outcome.exchanges.find((ex) => ex.error?.code === ENDPOINT_DOWN)?.error;
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
    if ((cut || FEWER_TRIALS_KEPT.test(harness.message)) && harness.code === 'HARNESS_RECORDING_KEPT') return outcomes;
    return outcomes.map((o) => ({ kind: 'error', caseId, api: o.api, exchanges: 'exchanges' in o ? o.exchanges : [], error: { code: harness.code, message: harness.message } }));
  }
  return outcomes;
}
