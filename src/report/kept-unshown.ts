/**
 * @module report/kept-unshown
 * The cases a record run kept unrecorded (matrix.json `targets[].recordingKept`, transport/kept-cases.ts) that no
 * error cell of the run shows: a check that reads every case (schema.*) judged the others, and a check that reads
 * several cases may settle on one that was recorded. The gate fails on each, as on a cell kept (gate.ts), so a
 * re-record job is never green over a fixture set the next replay refuses.
 */
import { FEWER_TRIALS, TRIALS_CUT } from '../kept-whys.ts';
import { inertLine } from './inert-text.ts';
import type { GateProblem, Matrix, MatrixResult } from './matrix.ts';

/** How many such cases the problem names; the rest are counted. */
const NAMED = 3;

/** Whether an error cell of the case's model says its case was kept (the case's path, or `case <id>`, in its reason). */
function shownBy(results: readonly MatrixResult[], target: string, model: string, caseId: string): boolean {
  return results.some((r) => r.target === target && r.model === model && r.status === 'error' && r.reason.includes('HARNESS_RECORDING_KEPT') && (r.reason.includes(`/${caseId}.json`) || r.reason.includes(`case ${caseId}`)));
}

/** The gate's problem for the kept cases no error cell shows, or undefined when there are none. */
export function keptUnshownProblem(matrix: Pick<Matrix, 'targets' | 'results'>): GateProblem | undefined {
  const unshown: string[] = [];
  let unlisted = 0;
  // Kept for trials a stop or a cap left unsent: no flag records those, only a run nothing cuts short.
  let cutOnly = true;
  // Kept for holding more trials than the run made: only a run of as many trials replaces them.
  let fewerOnly = true;
  for (const target of matrix.targets) {
    const kept = target.recordingKept;
    if (!kept) continue;
    // Cases past the list (a run that kept hundreds) are counted: which cells show them cannot be told.
    unlisted += Math.max(0, kept.count - kept.cases.length);
    for (const c of kept.cases) {
      if (shownBy(matrix.results, target.id, c.model, c.case)) continue;
      unshown.push(`${inertLine(c.file, 200)} (${inertLine(c.why, 160)})`);
      cutOnly &&= TRIALS_CUT.test(c.why);
      fewerOnly &&= FEWER_TRIALS.test(c.why);
    }
  }
  if (unshown.length === 0 && unlisted === 0) return undefined;
  const named = unshown.slice(0, NAMED).join('; ');
  const more = unshown.length > NAMED ? `; and ${unshown.length - NAMED} more` : '';
  const past = unlisted ? `${unshown.length ? '; ' : ''}${unlisted} more kept case(s) past the ones matrix.json lists` : '';
  if (cutOnly && unlisted === 0) {
    return { kind: 'recording-kept', message: `${unshown.length} case(s) this record run kept unrecorded (HARNESS_RECORDING_KEPT) because a stop, a spend cap or a target that stopped answering left some of their trials unsent: ${named}${more}; record them again in a run nothing cuts short` };
  }
  if (fewerOnly && unlisted === 0) {
    return { kind: 'recording-kept', message: `${unshown.length} case(s) this record run kept unrecorded (HARNESS_RECORDING_KEPT) because it made fewer trials than their recordings hold: ${named}${more}; record them again with as many trials (--repeat)` };
  }
  return {
    kind: 'recording-kept',
    message: `${unshown.length + unlisted} case(s) this record run kept unrecorded (HARNESS_RECORDING_KEPT) that no error cell shows (the checks reading them read other cases too): ${named}${more}${past}; fix what each says and record again, or pass --overwrite-failures to replace them`,
  };
}
