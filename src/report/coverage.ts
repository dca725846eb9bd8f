/**
 * @module report/coverage
 * How much of the matrix a run observed, as every report opens (the console, matrix.md, matrix.html, the step
 * summary): the cells observed, and those not, each by why (errors, inconclusive, skipped, not reached, not run
 * here, in a merge's missing shard, of a model with nothing observed).
 */
import { shardName } from './gate-line.ts';
import type { Matrix, MatrixResult } from './matrix.ts';
import { wasInMissingShard, wasNotReached } from './not-run.ts';
import { OBSERVED, unobservedModels } from './observed-models.ts';

export interface Coverage {
  /** Every planned cell of the matrix. */
  cells: number;
  /**
   * Cells that observed the model: pass, fail, flaky, unsupported (the probes observed the API is not served), but
   * not an unsupported cell whose value the expectations file states (statedNotServed).
   */
  observed: number;
  inconclusive: number;
  errors: number;
  /** Skipped by this run (a spend cap, an interruption) or for what the endpoint answered (a later step it left nothing to build). */
  skipped: number;
  /** Not run by this process: filtered out, or another shard's. */
  notRun: number;
  /**
   * Not run, in a merge, because it lacks the shard that held them: asked for and never run, counted per place as
   * the cells say it (`in the missing shard 2/3 of run x`: missing-shard.ts).
   */
  inMissingShard: Map<string, number>;
  /** Selected here but not reached: the run was interrupted or stopped first. */
  notReached: number;
  /** Read something, but of a model the gate says observed nothing (a typo'd id, one no API serves): not the model. */
  ofUnobservedModels: number;
  /** n/a cells whose value the expectations file states: they gate as not observed (build-matrix isGating), and count so. */
  statedNotServed: number;
  /**
   * Observed cells of which some trials (`--repeat`) were errors or skipped (a stop or a cap left them unsent, an
   * answer left nothing to read): their verdict rests on fewer trials than asked.
   */
  shortTrialCells: number;
  /** The error trials of those cells. */
  errorTrials: number;
  /** The skipped trials of those cells. */
  skippedTrials: number;
}

/**
 * The cells that read something (pass, fail, flaky, unsupported) of a model the gate found nothing of observed: a
 * typo'd id's error bodies, another model's answers. Not the model's: the coverage line and the status counts set
 * them apart.
 */
export function readOfUnobservedModels(matrix: Pick<Matrix, 'results' | 'models'> & Partial<Pick<Matrix, 'targets'>>): Set<MatrixResult> {
  const unobserved = unobservedModels(matrix).cells;
  return new Set(matrix.results.filter((r) => unobserved.has(r) && !r.notRun && OBSERVED.has(r.status)));
}

/** Where a cell a merge placed in a missing shard is, as its reason says it: `in the missing shard 2/3 of run x`. */
const missingShardOf = (r: Pick<MatrixResult, 'reason'>) => r.reason.replace(/^not run: /, '');

const countIn = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

export function coverageOf(matrix: Pick<Matrix, 'results' | 'models'> & Partial<Pick<Matrix, 'targets'>>): Coverage {
  const c: Coverage = { cells: matrix.results.length, observed: 0, inconclusive: 0, errors: 0, skipped: 0, notRun: 0, inMissingShard: new Map(), notReached: 0, ofUnobservedModels: 0, statedNotServed: 0, shortTrialCells: 0, errorTrials: 0, skippedTrials: 0 };
  const apart = readOfUnobservedModels(matrix);
  for (const r of matrix.results) {
    // A cell a stop cut short says so in its reason (run-matrix.ts): it was this run's to observe.
    if (wasNotReached(r)) c.notReached += 1;
    else if (wasInMissingShard(r)) countIn(c.inMissingShard, missingShardOf(r));
    else if (r.notRun) c.notRun += 1;
    else if (r.status === 'inconclusive') c.inconclusive += 1;
    else if (r.status === 'error') c.errors += 1;
    else if (r.status === 'skipped') c.skipped += 1;
    else if (apart.has(r)) c.ofUnobservedModels += 1;
    // An n/a cell observed the API is not served, but not the value a team stated for it: the gate says so, and so here.
    else if (r.gating && r.status === 'unsupported') c.statedNotServed += 1;
    else {
      c.observed += 1;
      // A trial that errored or was skipped never outvotes one that observed (trials.ts), so the cell reads as observed: said here.
      const errored = r.trials?.filter((t) => t.status === 'error').length ?? 0;
      const skipped = r.trials?.filter((t) => t.status === 'skipped').length ?? 0;
      if (errored + skipped > 0) {
        c.shortTrialCells += 1;
        c.errorTrials += errored;
        c.skippedTrials += skipped;
      }
    }
  }
  return c;
}

/** How the cells that did not run split, as coverageOf splits them: a stop cut them, a merge's missing shard held them (per place), or the run was not asked for them. */
export function notRunCounts(results: readonly Pick<MatrixResult, 'notRun' | 'reason'>[]): Pick<Coverage, 'notReached' | 'notRun' | 'inMissingShard'> {
  const c = { notReached: 0, notRun: 0, inMissingShard: new Map<string, number>() };
  for (const r of results) {
    if (wasNotReached(r)) c.notReached += 1;
    else if (wasInMissingShard(r)) countIn(c.inMissingShard, missingShardOf(r));
    else if (r.notRun) c.notRun += 1;
  }
  return c;
}

/**
 * The cells that did not run, said as the coverage line and the status counts both say them: those a stop cut, those
 * the run was not asked for, and, apart, those a merge's missing shard held (asked for, never run).
 */
export function notRunWords(c: Pick<Coverage, 'notReached' | 'notRun' | 'inMissingShard'>): string[] {
  return [
    ...(c.notReached ? [`${c.notReached} not reached (the run stopped first)`] : []),
    ...(c.notRun ? [`${c.notRun} not run here (filtered out or another shard's)`] : []),
    ...[...c.inMissingShard].map(([where, n]) => `${n} not run: ${where}`),
  ];
}

/** `3290 of 3332 cells observed (98.7%); not observed: 40 errors, 2 skipped`. */
export function coverageLine(matrix: Pick<Matrix, 'results' | 'models'> & { run?: Pick<Matrix['run'], 'selection'> }): string {
  const c = coverageOf(matrix);
  // A shard may run no cell, and its gate passes on nothing (nothingRan): a job gating on it alone must be told.
  const shard = matrix.run?.selection?.shard;
  // Not when a stop kept it from its cells (interrupted, a cap): the gate says that, and "ran no cell" would not.
  const empty = shard !== undefined && c.cells > 0 && !matrix.results.some((r) => !r.notRun || wasNotReached(r)) ? `; ${shardName(shard)} ran no cell (each is another shard's or filtered out): gate on the merge of every shard` : '';
  // Rounded down, so a run that missed one cell in thousands never reads 100%.
  const percent = c.cells ? ` (${c.observed === c.cells ? '100' : (Math.floor((1000 * c.observed) / c.cells) / 10).toFixed(1)}%)` : '';
  const missing = [
    c.errors ? `${c.errors} error${c.errors === 1 ? '' : 's'}` : '',
    c.inconclusive ? `${c.inconclusive} inconclusive` : '',
    c.skipped ? `${c.skipped} skipped` : '',
    ...notRunWords(c),
    c.ofUnobservedModels ? `${c.ofUnobservedModels} cell(s) of model(s) with nothing observed` : '',
    c.statedNotServed ? `${c.statedNotServed} n/a with a stated value` : '',
  ].filter(Boolean);
  const short = [c.errorTrials ? `${c.errorTrials} trial(s) errored` : '', c.skippedTrials ? `${c.skippedTrials} ${c.errorTrials ? '' : 'trial(s) '}skipped` : ''].filter(Boolean).join(', ');
  const fewer = c.shortTrialCells ? `; ${c.shortTrialCells} observed cell(s) rest on fewer trials than asked (${short})` : '';
  return `${c.observed} of ${c.cells} cells observed${percent}${missing.length ? `; not observed: ${missing.join(', ')}` : ''}${fewer}${empty}`;
}

