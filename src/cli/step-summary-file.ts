/**
 * @module cli/step-summary-file
 * Appends the job summary GitHub Actions shows on the job's page (GITHUB_STEP_SUMMARY, when set), as `run` and
 * `merge` write it: also for a run stopped by rejected credentials, whose page should say why it stopped.
 */
import { appendFile } from 'node:fs/promises';
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';
import type { StepSummaryOptions } from '../report/step-summary.ts';

/**
 * Appends `matrix`'s step summary, with `notes` (warnings the command gave on the console, for the job's page too)
 * and `exit` (an exit code that is not the gate's, and why). A
 * file that cannot take it gets a warning on `err`, naming it, and changes no exit code: the gate decided that (0, 1,
 * 130), the reports are written, and a job gating on the exit code must not read a missing summary page as the run's
 * verdict.
 */
export async function appendStepSummary(matrix: Matrix, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env, notes: readonly string[] = [], exit?: StepSummaryOptions['exit']): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const { ciRunUrl, renderStepSummary } = await import('../report/step-summary.ts');
  await appendFile(file, renderStepSummary(matrix, { runUrl: ciRunUrl(env), notes, ...(exit ? { exit } : {}) })).catch((cause: unknown) => {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    err.write(`warning: cannot write the GITHUB_STEP_SUMMARY file ${inertLine(file, 200)} (${inertLine(String(code), 80)}): the reports were written and the exit code is the gate's; only the job summary is missing\n`);
  });
}
