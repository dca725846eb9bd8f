/**
 * @module cli/vitest-output-file
 * vitest's `--outputFile` (or `--outputFile.<reporter>`) after `--`, checked before anything is sent: vitest writes
 * it after the harness has written its reports, so one that names a report of the run (matrix.json, matrix.md,
 * matrix.html, junit.xml, a matrix.earlier*.json kept aside) would replace it after the console listed it as written,
 * and one in the history folder would sit among the run files `history` reads. Either is refused, exit 2, naming it.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { ASIDE_NAME, REPORT_FILES } from './earlier-reports.ts';

/** Where the run writes: its report folder, and its history folder when it keeps one. */
export interface RunOutputs {
  reportDir: string;
  historyDir?: string;
  /** The run's root: vitest resolves a relative `--outputFile` from it (its `root`, vitest-view.ts). */
  root: string;
}

/** The folder as the file system has it (links followed), or as written when it does not exist yet. */
async function real(dir: string): Promise<string> {
  return realpath(dir).catch(() => resolve(dir));
}

/** Whether `path` is `dir` or lies below it. */
const within = (path: string, dir: string) => {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/** The `--outputFile` values, each with the flag as written (`--output-file`, `--output-file.junit`). */
function outputFiles(value: unknown): [string, string][] {
  if (typeof value === 'string') return [['--output-file', value]];
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([reporter, file]) => (typeof file === 'string' ? [[`--output-file.${reporter}`, file] as [string, string]] : []));
  return [];
}

/** HARNESS_USAGE for an `--outputFile` after `--` that names a report of the run or a file in its history folder. */
export async function refuseReportOutputFile(options: Record<string, unknown>, run: RunOutputs): Promise<void> {
  for (const [flag, file] of outputFiles(options.outputFile)) {
    const path = resolve(run.root, file);
    const folder = await real(dirname(path));
    const name = basename(path);
    const shown = `${flag}=${inertLine(file, 300)} after --`;
    if ((REPORT_FILES.includes(name) || ASIDE_NAME.test(name)) && folder === (await real(run.reportDir))) {
      throw new HarnessError('HARNESS_USAGE', `${shown}: vitest would write over the run's ${name} in --report-dir ${inertLine(run.reportDir, 300)} after the harness wrote it; name another file (vitest-${name} there, or a file outside it). Nothing was sent.`);
    }
    if (run.historyDir && within(`${folder}${sep}${name}`, await real(run.historyDir))) {
      throw new HarnessError('HARNESS_USAGE', `${shown}: it is in the --history folder ${inertLine(run.historyDir, 300)}, which holds the run files history reads; name a file outside it. Nothing was sent.`);
    }
  }
}
