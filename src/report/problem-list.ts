/**
 * @module report/problem-list
 * The gate's problems as a summary lists them: bounded, as its cell tables are. An outage across many targets makes
 * one "nothing observed" problem per target and model (3,600 for 300 ids on 12 targets); listed whole, they bury the
 * rest on the console and pass GitHub's 1 MiB job-summary limit, so the summary is lost when it matters most. The
 * run-level problems come first, then the models with nothing observed, up to a number of lines; what is left is
 * counted per target. The verdict and exit code are the gate's; matrix.json, matrix.md and matrix.html keep every one.
 */
import type { GateProblem } from './matrix.ts';

/**
 * A problem line's bound (bytes) in every report that lists it (console, matrix.md, the step summary; junit keeps it
 * whole): a problem's fix comes last (the --endpoint URL to check, the id meant), and at 400 or 600 it was cut off in
 * some reports and kept in others.
 */
export const PROBLEM_BYTES = 2000;

/** Targets named, with their counts, in the line that counts what is not listed. */
const MAX_TARGETS_NAMED = 10;

export interface BoundedProblems {
  /** The problems listed, run-level ones first. */
  shown: GateProblem[];
  /** The line that counts the rest ("... and N more ..."), undefined when every problem is shown. */
  more?: string;
}

/**
 * The first `max` of `problems`, run-level ones (partial, too many errors, a target that ran nothing) before the
 * models with nothing observed, and a line that counts the rest, models per target (`where` names the full list).
 */
export function boundProblems(problems: readonly GateProblem[], max: number, where: string): BoundedProblems {
  // A list that fits is listed as the gate found it.
  if (problems.length <= max) return { shown: [...problems] };
  const ordered = [...problems.filter((p) => p.kind !== 'unobserved-model'), ...problems.filter((p) => p.kind === 'unobserved-model')];
  const shown = ordered.slice(0, max);
  const rest = ordered.slice(shown.length);
  if (rest.length === 0) return { shown };
  const models = rest.filter((p) => p.kind === 'unobserved-model');
  const perTarget = new Map<string, number>();
  for (const p of models) perTarget.set(p.target ?? '?', (perTarget.get(p.target ?? '?') ?? 0) + 1);
  const targets = [...perTarget].slice(0, MAX_TARGETS_NAMED).map(([t, n]) => `${t} ${n}`);
  if (perTarget.size > MAX_TARGETS_NAMED) targets.push(`${perTarget.size - MAX_TARGETS_NAMED} more targets`);
  const others = rest.length - models.length;
  const parts = [
    ...(others ? [`${others} more run-level problem(s)`] : []),
    ...(models.length ? [`${models.length} more target/model pair(s) with nothing observed (per target: ${targets.join(', ')})`] : []),
  ];
  return { shown, more: `... and ${parts.join(', and ')}: every one in ${where}` };
}
