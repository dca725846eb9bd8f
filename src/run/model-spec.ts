/**
 * @module run/model-spec
 * What a generated spec file calls on a run on vitest: one `describe` per (target, model), one concurrent `test`
 * per check. The checks run in the main process (run-engine, one scheduler for the run); a test asks for its
 * result over loopback and reports it. A test fails in vitest exactly when its result gates the run, and passes
 * only on a pass: an error, inconclusive, flaky or failing cell that does not gate is skipped with its status and
 * reason (none observed a conformant answer), so vitest's summary, reporters and UI agree with the matrix and
 * junit.xml. What fails the run as a whole (junit.xml's `gate` testsuite: a model with nothing observed, too many
 * errors, a partial run, new failures since the baseline) is a spec file of its own, one failing test per problem:
 * vitest never reads green for a run whose gate fails. This module loads little besides vitest: workers start fast.
 */
import { describe, inject, test } from 'vitest';
import { inertLine } from '../report/inert-text.ts';
import type { GateAnswer, ResultAnswer, ResultQuestion } from './result-server.ts';
import type { CellSpec } from './spec-files.ts';
import type {} from './vitest-types.ts';

async function ask(url: string, question: ResultQuestion, signal: AbortSignal): Promise<ResultAnswer> {
  const response = await fetch(`${url}/result`, { method: 'POST', body: JSON.stringify(question), headers: { 'content-type': 'application/json' }, signal });
  if (!response.ok) throw new Error(`the run did not answer for ${question.model} ${question.check}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as ResultAnswer;
}

export function defineModelSpec(spec: CellSpec): void {
  const url = inject('mantleConformanceResults');
  describe.concurrent(spec.title, () => {
    for (const check of spec.checks) {
      test(check, async (context) => {
        const answer = await ask(url, { target: spec.target, model: spec.model, check }, context.signal);
        if (answer.kind === 'not-run') return context.skip(answer.reason);
        const { cell, gating } = answer;
        context.task.meta.mantle = cell;
        const { status, reason } = cell.result;
        // An n/a or skipped cell the expectations file states a value for gates (build-matrix isGating): it fails here
        // too, with the reason matrix.md and junit.xml give it ("not observed: the expectations file states ..."), which
        // the run put in the cell it answered with (vitest-view.ts).
        if ((status === 'skipped' || status === 'unsupported') && !gating) return context.skip(`${status}: ${inertLine(reason, 1000)}`);
        if (gating) {
          const failure = new Error(failureMessage(status, reason));
          failure.stack = failure.message;
          throw failure;
        }
        if (status !== 'pass') return context.skip(`${status} (not gating): ${inertLine(reason, 1000)}`);
      });
    }
  });
}

/**
 * A gating test's failure: `fail: <reason>`; a cell that observed nothing (n/a, skipped) has the run's reason alone,
 * which says `not observed: the expectations file states ...` as matrix.md and junit.xml do.
 */
export function failureMessage(status: string, reason: string): string {
  return status === 'skipped' || status === 'unsupported' ? inertLine(reason, 1000) : `${status}: ${inertLine(reason, 1000)}`;
}

/**
 * The gate file: its tests are known only once the run's matrix is (its problems), so they are declared after the
 * main process answers, which is when the run's engine is done (it runs apart from vitest's files: nothing waits on this).
 */
export function defineGateSpec(): void {
  const url = inject('mantleConformanceResults');
  describe('gate', async () => {
    const response = await fetch(`${url}/gate`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    if (!response.ok) throw new Error(`the run did not answer for its gate: HTTP ${response.status} ${await response.text()}`);
    const { tests } = (await response.json()) as GateAnswer;
    for (const { name, failure, skip } of tests) {
      test(inertLine(name, 300), (context) => {
        if (skip !== undefined) return context.skip(inertLine(skip, 1000));
        if (failure === undefined) return;
        const error = new Error(inertLine(failure, 2000));
        error.stack = error.message;
        throw error;
      });
    }
  });
}
