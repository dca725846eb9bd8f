/**
 * A spent gateway budget across many models, in the history: the run file keeps its run-level problems first (it kept
 * the first 50 problems, all "nothing observed", and lost the budget), and a target the run observed nothing of says
 * the budget was spent, not "is the id right?".
 */
import { describe, expect, it } from 'vitest';
import { blindLatestRuns } from '../src/history/blind-runs.ts';
import { historyRunOf } from '../src/history/history-file.ts';
import type { GateProblem } from '../src/report/matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('a spent budget in the history', () => {
  const matrix = smallMatrix();
  const unobserved: GateProblem[] = Array.from({ length: 55 }, (_, i) => ({ kind: 'unobserved-model', target: 'emulator', model: `m${i}`, message: `m${i} (emulator): nothing observed` }));
  matrix.gate = { ...matrix.gate, verdict: 'fail', exitCode: 1, problems: [...unobserved, { kind: 'budget-exceeded', message: '55 cell(s) not observed because a spend budget on the gateway was spent (HARNESS_BUDGET_EXCEEDED): raise it' }] };

  it('the run file keeps the run-level problem first', () => {
    const kept = historyRunOf(matrix).run.gate!.problems;
    expect(kept).toHaveLength(50);
    expect(kept[0]!.kind).toBe('budget-exceeded');
  });

  it('a target it observed nothing of says the budget was spent, not "is the id right?"', () => {
    const run = historyRunOf(matrix).run;
    const blind = blindLatestRuns({ targets: [{ id: 'emulator', runs: [0] }], cells: [], runs: [run] } as unknown as Parameters<typeof blindLatestRuns>[0]);
    expect(blind[0]!.why).toMatch(/a spend budget on the gateway was spent/);
    expect(blind[0]!.why).not.toMatch(/is the id right/);
  });
});
