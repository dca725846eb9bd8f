/**
 * @module cli/bless-default-file
 * Which expectations file `bless` writes when no --expectations names one. A run that read its suites from ./suites or
 * the bundled ones read `./suites/expectations.yaml` when it exists (input-files.ts): that is the default, where
 * `./suites` exists. A run of another suites folder (`run --suites custom`, matrix.json's run.suites) read that
 * folder's expectations.yaml: blessed into ./suites, the values would change a file the next run of it never reads,
 * and its gate would stay red. Its file is the default only when it is the very file the run judged with (its digest
 * is the one run.judging.expectations keeps), and bless names it; else (the folder moved or another machine's, the
 * file changed since, or the run read another file) bless writes nothing and asks for --expectations.
 */
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';
import { digestOf } from '../run/judging-digest.ts';
import { realFolder } from '../transport/recorded-suites.ts';
import { shellWord } from './shell-word.ts';

const isFolder = async (path: string) => (await stat(path).catch(() => null))?.isDirectory() === true;

/**
 * The file to bless into by default, and a note naming it when it is not ./suites/expectations.yaml; a HARNESS_USAGE
 * error when there is none to take without asking: no ./suites folder here, or a run of another suites folder whose
 * expectations file cannot be shown to be the one it judged with.
 */
export async function defaultExpectationsFile(matrix: Pick<Matrix, 'run'>, root: string): Promise<{ file: string; note?: string }> {
  const local = resolve('suites');
  const read = matrix.run.suites;
  // A relative path is no run's (run writes the absolute folder): nothing to compare, the documented default holds.
  if (isAbsolute(read)) {
    const [ran, here, bundled] = await Promise.all([realFolder(read), realFolder(local), realFolder(join(root, 'suites'))]);
    if (ran !== here && ran !== bundled) {
      const file = join(read, 'expectations.yaml');
      const shown = inertLine(file, 300);
      const run = `run ${inertLine(matrix.run.id, 80)} read the suites folder ${inertLine(read, 300)} (--suites)`;
      const judged = matrix.run.judging?.expectations;
      const digest = await digestOf(file).catch(() => undefined);
      if (digest !== undefined && digest === judged) return { file, note: `bless: no --expectations given; ${run}, and judged with ${shown}: blessing into that file` };
      const why = !(await isFolder(read))
        ? 'and that folder is not here (moved, or another machine\'s run)'
        : digest === undefined
          ? `which has no expectations.yaml`
          : `and ${shown} is not the file it judged with, as it was then (changed since, or the run was given another --expectations${judged === null ? ' or none' : ''})`;
      throw new HarnessError('HARNESS_USAGE', `--expectations: ${run}, ${why}; ./suites/expectations.yaml is not what that run reads, so nothing was written. Name the file to bless into: --expectations ${shown} when that is the file the next run of those suites reads, else --expectations FILE`);
    }
  }
  if (await isFolder(local)) return { file: join(local, 'expectations.yaml') };
  throw new HarnessError('HARNESS_USAGE', '--expectations: there is no ./suites folder here; to bless into ./suites/expectations.yaml, which `run` reads from there, make the folder first (mkdir suites), or name the file to write with --expectations FILE');
}

/**
 * A HARNESS_USAGE error when `file` does not exist and neither does its folder: bless makes no folder, given or not.
 * A `./suites` made by bless would change what every later run here reads (its expectations.yaml, holding only the
 * blessed values, instead of the bundled file the run judged with), and a mistyped folder would hide the file.
 */
export async function refuseMissingFolder(file: string): Promise<void> {
  const folder = dirname(file);
  if (await isFolder(folder)) return;
  const shown = inertLine(folder, 4096);
  throw new HarnessError(
    'HARNESS_USAGE',
    `--expectations ${inertLine(file, 4096)}: there is no folder ${shown}, and bless makes no folder (a ./suites made by bless would change what later runs here read); nothing was written. Make the folder first (${inertLine(`mkdir -p ${shellWord(folder)}`, 4200)}), or name a file in a folder that exists`,
  );
}
