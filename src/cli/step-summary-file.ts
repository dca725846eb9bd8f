/**
 * @module cli/step-summary-file
 * Appends the job summary GitHub Actions shows on the job's page (GITHUB_STEP_SUMMARY, when set), as `run` and
 * `merge` write it: also for a run stopped by rejected credentials, whose page should say why it stopped.
 */
import { appendFile } from 'node:fs/promises';
import { writeError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';

/** Appends `matrix`'s step summary; a file that cannot take it is HARNESS_WRITE_FAILED (or DISK_FULL) naming it. */
export async function appendStepSummary(matrix: Matrix, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const { renderStepSummary } = await import('../report/step-summary.ts');
  await appendFile(file, renderStepSummary(matrix)).catch((cause: unknown) => {
    throw writeError(`the GITHUB_STEP_SUMMARY file ${inertLine(file, 200)} (the reports were written; only the step summary is missing)`, cause);
  });
}
