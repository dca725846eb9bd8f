/**
 * @module run/vitest-answers
 * What the vitest view tells vitest of a run: a check's test (its cell, and whether it gates as the matrix says), the
 * gate file's tests (junit.xml's gate suite), and the line a UI session says when its run ends.
 */
import { gatingReason, isGating } from '../report/build-matrix.ts';
import { pairKey, type Matrix } from '../report/matrix.ts';
import { OBSERVED, unobservedPairs } from '../report/observed-models.ts';
import { coverageLine, gateLine } from '../report/gate.ts';
import { gateTestcases } from '../report/junit-report.ts';
import { inertLine } from '../report/inert-text.ts';
import { saysRecordingDefect } from '../report/recording-defects.ts';
import type { CellResult } from './cell-result.ts';
import type { GateAnswer, ResultAnswer } from './result-server.ts';
import type { RunEnd } from './run-conformance.ts';

/**
 * What a UI session says when its run ends: the coverage and the gate, or, when the run stopped on a rejected key or
 * its reports could not be written, that, with the exit 2 the session will end with (cli/run-command.ts).
 */
export function sessionVerdict(end: RunEnd): string {
  const stays = 'the UI stays open; Ctrl-C ends the session';
  if (end.fatal) return `the run stopped: ${inertLine(end.fatal.message)} (${stays} with exit 2)\n`;
  if (end.writeError) return `the reports could not be written: ${inertLine(end.writeError.message)} (${stays} with exit 2)\n`;
  return `coverage: ${coverageLine(end.matrix)}\ngate: ${gateLine(end.matrix.gate, end.matrix.run)} (${stays} with this exit code)\n`;
}

/**
 * The gate file's tests: what fails the run as a whole (junit.xml's gate testsuite), one failing test each; else one
 * `verdict` test, passing, or skipped with the gate's words when the gate fails on cells only: those cells' own tests
 * already fail, and a failing verdict would count each such run one failure more than junit.xml does.
 */
export function gateTests(end: RunEnd): GateAnswer {
  if (end.fatal) return { tests: [{ name: 'the run stopped', failure: end.fatal.message }] };
  if (end.writeError) return { tests: [{ name: 'the reports could not be written', failure: end.writeError.message }] };
  const problems = gateTestcases(end.matrix);
  if (problems.length) return { tests: problems.map((p) => ({ name: p.name, failure: p.message })) };
  const verdict = gateLine(end.matrix.gate, end.matrix.run);
  return { tests: [{ name: 'verdict', ...(end.matrix.gate.exitCode === 0 ? {} : { skip: `${verdict} (the failing checks' own tests)` }) }] };
}

/**
 * What a spec's test is told of a cell: whether it gates (build-matrix isGating), and, for a gating cell that observed
 * nothing (n/a, or skipped for what the endpoint answered), the reason matrix.md and junit.xml give it, not the check's.
 * Given its pair's matrix (pairMatrix), a cell that read something of a model the gate found nothing of observed does
 * not gate and is no pass of the model (finishMatrix): it is skipped with the gate's words, as junit.xml skips it.
 */
export function resultAnswer(cell: CellResult, pair?: Matrix): ResultAnswer {
  const mine = pair?.results.find((r) => r.check === cell.check && !r.notRun);
  if (pair && mine && unobservedPairs(pair.gate).has(pairKey(cell.target, cell.model))) {
    if (!mine.gating && OBSERVED.has(mine.status)) {
      const problem = pair.gate.problems.find((p) => p.kind === 'unobserved-model' && p.target === cell.target && p.model === cell.model)!;
      return { kind: 'not-run', reason: `${mine.status}, not the model's (not gating): the gate's unobserved-model problem: ${inertLine(problem.message, 1000)}` };
    }
  }
  const judged = { ...cell.result, expectedSource: cell.expectedSource };
  const gating = isGating(judged);
  // A replay's missing or unusable recording gates on its own (finishMatrix, recording-defects.ts): as the matrix says it.
  if (!gating && mine?.gating && saysRecordingDefect(mine.reason)) return { kind: 'result', cell: { ...cell, result: { ...cell.result, reason: mine.reason } }, gating: true };
  return { kind: 'result', cell: gating ? { ...cell, result: { ...cell.result, reason: gatingReason(judged) } } : cell, gating };
}
