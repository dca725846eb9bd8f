/**
 * @module kept-whys
 * The words of two reasons a record run keeps a case unrecorded (HARNESS_RECORDING_KEPT), and how each is told from
 * the others by its start: trials a stop, a spend cap or a target that stopped answering left unsent, and a recording
 * holding more trials than the run made. The record target words them (transport/record-target.ts), the run lets a
 * case's own outcomes stand on either (run/case-recording.ts), and the gate words the fix apart (report/kept-unshown.ts):
 * one module, so a change of wording cannot leave a reader matching the old one.
 */

/** The trials of a case a record run left unsent (transport/target.ts TrialsCut). */
export interface CutTrials {
  asked: number;
  notSent: number;
  why: string;
}

/**
 * Why a record run kept a case some of whose trials were not sent (a stop, a spend cap, a target that stopped
 * answering): a recording of fewer trials than asked would replay as a verdict on fewer, a flaky cell as a pass. No
 * flag records such a case: only a run nothing cuts short.
 */
export function trialsCutWhy(cut: CutTrials, recorded: boolean): string {
  const what = recorded ? 'kept the previous recording whole, not replaced by fewer trials than asked' : 'wrote no recording of the case, as one of fewer trials than asked would replay as a verdict on fewer';
  return `${cut.notSent} of ${cut.asked} trial(s) not sent (${cut.why}): ${what} (a flaky cell would replay as a pass); record it again in a run nothing cuts short`;
}

/** How `trialsCutWhy` starts. */
export const TRIALS_CUT = /^\d+ of \d+ trial\(s\) not sent \(/;

/**
 * Why a record run keeps a case's recording that holds `held` trials when the run made `made` (`--repeat 1` over a
 * `--repeat 3` recording), or undefined: replay judges a case on the trials its file holds, so a flaky cell would
 * replay as a pass. No flag replaces it (`--overwrite-failures` records failures, not fewer trials): as many trials do.
 * The counts and the fix come first and the path not at all: the kept entry names the file, and the gate's line cuts
 * a why at 160 characters (report/kept-unshown.ts).
 */
export function fewerTrialsWhy(held: number, made: number): string | undefined {
  if (made >= held) return undefined;
  return `the recording holds ${held} trial(s), this run made ${made}: run with --repeat ${held} to replace it; kept it whole, not replaced by fewer trials (a flaky cell would replay as a pass)`;
}

/** How `fewerTrialsWhy` starts. */
export const FEWER_TRIALS = /^the recording holds \d+ trial\(s\), this run made \d+: /;
