/**
 * @module report/compare
 * What changed between two runs: new failures (a cell that now fails or errors), fixes, changed observed values,
 * and models, checks and targets that appeared or vanished. Cells one of the runs did not execute are left out.
 */
import type { CellChange, Matrix, MatrixComparison, MatrixResult } from './matrix.ts';

const key = (r: Pick<MatrixResult, 'target' | 'model' | 'check'>) => `${r.target}\u0000${r.model}\u0000${r.check}`;
const bad = (status: MatrixResult['status']) => status === 'fail' || status === 'error';
const snapshot = (r: MatrixResult) => ({ status: r.status, observed: r.observed });
const show = (r: MatrixResult | undefined) => (r ? `${r.status}${r.observed === null ? '' : ` ${JSON.stringify(r.observed)}`}` : 'absent');

export function compareMatrices(before: Matrix, after: Matrix): MatrixComparison {
  const old = new Map(before.results.filter((r) => !r.notRun).map((r) => [key(r), r]));
  const changes = { newFailures: [] as CellChange[], fixes: [] as CellChange[], changedObserved: [] as CellChange[] };
  for (const now of after.results) {
    if (now.notRun) continue;
    const was = old.get(key(now));
    const change = (reason: string): CellChange => ({
      target: now.target,
      model: now.model,
      check: now.check,
      before: was ? snapshot(was) : null,
      after: snapshot(now),
      reason: `${show(was)} -> ${show(now)}: ${reason}`,
    });
    if (bad(now.status) && (!was || !bad(was.status))) changes.newFailures.push(change(now.reason));
    else if (was && bad(was.status) && now.status === 'pass') changes.fixes.push(change(now.reason));
    if (was && was.observed !== now.observed && now.observed !== null && was.observed !== null) changes.changedObserved.push(change(now.reason));
  }
  const diff = <T>(a: T[], b: T[]) => b.filter((x) => !a.includes(x));
  const ids = (m: Matrix) => ({ models: m.models.map((x) => x.id), checks: m.checks.map((x) => x.id), targets: m.targets.map((x) => x.id) });
  const a = ids(before);
  const b = ids(after);
  return {
    baseline: { runId: before.run.id, finishedAt: before.run.finishedAt },
    ...changes,
    newModels: diff(a.models, b.models),
    vanishedModels: diff(b.models, a.models),
    newChecks: diff(a.checks, b.checks),
    vanishedChecks: diff(b.checks, a.checks),
    newTargets: diff(a.targets, b.targets),
    vanishedTargets: diff(b.targets, a.targets),
    regressed: changes.newFailures.length > 0,
  };
}

/** The comparison as plain text, for the terminal. */
export function describeComparison(comparison: MatrixComparison): string {
  const lines = [`compared with run ${comparison.baseline.runId} (${comparison.baseline.finishedAt})`];
  const section = (title: string, changes: CellChange[]) => {
    lines.push(`${title}: ${changes.length}`);
    for (const c of changes.slice(0, 50)) lines.push(`  ${c.model} ${c.check} (${c.target}): ${c.reason}`);
    if (changes.length > 50) lines.push(`  ... and ${changes.length - 50} more`);
  };
  section('new failures', comparison.newFailures);
  section('fixes', comparison.fixes);
  section('changed observed values', comparison.changedObserved);
  for (const [title, list] of [
    ['new models', comparison.newModels],
    ['vanished models', comparison.vanishedModels],
    ['new checks', comparison.newChecks],
    ['vanished checks', comparison.vanishedChecks],
    ['new targets', comparison.newTargets],
    ['vanished targets', comparison.vanishedTargets],
  ] as const) {
    if (list.length) lines.push(`${title}: ${list.join(', ')}`);
  }
  lines.push(comparison.regressed ? 'regressed: yes (exit 1)' : 'regressed: no');
  return lines.join('\n');
}
