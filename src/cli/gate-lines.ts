/**
 * @module cli/gate-lines
 * What fails the gate, as the console lists it after `run` and `merge`: the gate's problems and its gating cells, each
 * list bounded (report/problem-list.ts), so an outage on many targets is a screenful, not thousands of lines. The
 * verdict and exit code are the gate's; the reports list every problem and cell.
 */
import { inertLine, modelIdLine } from '../report/inert-text.ts';
import type { GateProblem, MatrixGate } from '../report/matrix.ts';
import { boundProblems, PROBLEM_BYTES } from '../report/problem-list.ts';

/** Lines of each list the console shows. */
export const CONSOLE_LINES = 20;

/** `problems` as indented console lines, at most `max` and a line counting the rest; `width` bounds each (bytes). */
export function problemLines(problems: readonly GateProblem[], max = CONSOLE_LINES, width?: number): string[] {
  const { shown, more } = boundProblems(problems, max, 'matrix.md');
  return [...shown.map((p) => p.message), ...(more ? [more] : [])].map((line) => `  ${inertLine(line, width)}`);
}

/** The problems, then the gating cells, each list bounded. */
export function gateLines(problems: readonly GateProblem[], gating: MatrixGate['gating'], max = CONSOLE_LINES): string[] {
  const lines = problemLines(problems, max, PROBLEM_BYTES);
  for (const g of gating.slice(0, max)) lines.push(`  gating: ${modelIdLine(g.model)} ${g.check} (${g.target}): ${inertLine(g.reason)}`);
  if (gating.length > max) lines.push(`  ... and ${gating.length - max} more (see the reports)`);
  return lines;
}
