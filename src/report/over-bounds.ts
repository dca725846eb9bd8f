/**
 * @module report/over-bounds
 * Where a matrix.json holds more than a run writes (RESULT_BOUNDS, report/bound-result.ts): a reason, an observed
 * value or an evidence text longer than a run keeps, more evidence entries or answering names than it keeps. Read,
 * such a cell would be cut to the bounds without a word, and `report` would write the cut back over its input (5 KB
 * of a reason's evidence gone): the file was edited by hand, and is refused naming the JSON path instead. So is a
 * `listedOthers` no run writes, which reading dropped without a word.
 */
import { MAX_IDS, readListedOthers } from '../checks/listed-names.ts';
import type { Evidence, TrialResult } from '../checks/types.ts';
import { MATRIX_FORMATS } from '../suite/matrix-schema.ts';
import { boundResult, RESULT_BOUNDS } from './bound-result.ts';
import type { Matrix, MatrixResult } from './matrix.ts';

/**
 * The first formats were written by builds that did not bound every cell yet (format 2 took the bounds on the way):
 * their files are read cut to the bounds, as they always were.
 */
const BOUNDED_SINCE = MATRIX_FORMATS.indexOf('mantle-conformance.matrix/3');

/** The answering names a cell keeps (bound-result.ts). */
const NAMES_KEPT = 3;

const tooLong = (path: string, value: string, max: number) =>
  `${path}: ${Buffer.byteLength(value, 'utf8')} UTF-8 bytes, more than the ${max} a run writes (it cuts the rest, marked "... (N bytes more)")`;

/** A text field against its bounded form: the same, or the problem. */
function text(path: string, value: unknown, bounded: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== bounded ? tooLong(path, value, max) : undefined;
}

const EVIDENCE_FIELDS = ['case', 'step', 'request', 'requestId', 'error', 'answeredBy'] as const;

function evidenceProblem(path: string, list: readonly Evidence[], bounded: readonly Evidence[], max: number): string | undefined {
  // A cut keeps `max` entries and ends with one counting the rest: another count or last entry is more than a run keeps.
  const last = list.at(-1);
  const cutAgain = bounded.length === max + 1 && (last?.case !== '' || last.step !== '' || last.request !== bounded.at(-1)?.request);
  if (list.length !== bounded.length || cutAgain) {
    return `${path}: ${list.length} entries, more than a run writes (${max} exchanges, then one entry "... N more exchange(s) not shown (see the fixtures)")`;
  }
  for (const [j, e] of list.entries()) {
    const b = bounded[j]!;
    for (const key of EVIDENCE_FIELDS) {
      const problem = text(`${path}[${j}].${key}`, e[key], b[key], RESULT_BOUNDS.evidenceField);
      if (problem) return problem;
    }
    const excerpt = text(`${path}[${j}].excerpt`, e.excerpt, b.excerpt, RESULT_BOUNDS.excerpt);
    if (excerpt) return excerpt;
  }
  return undefined;
}

function trialProblem(path: string, trial: TrialResult, bounded: TrialResult): string | undefined {
  return (
    text(`${path}.observed`, trial.observed, bounded.observed, RESULT_BOUNDS.observed) ??
    text(`${path}.reason`, trial.reason, bounded.reason, RESULT_BOUNDS.trialReason) ??
    evidenceProblem(`${path}.evidence`, trial.evidence, bounded.evidence, RESULT_BOUNDS.evidencePerTrial)
  );
}

function resultProblem(path: string, result: MatrixResult): string | undefined {
  const bounded = boundResult(result);
  const cell =
    text(`${path}.observed`, result.observed, bounded.observed, RESULT_BOUNDS.observed) ??
    text(`${path}.reason`, result.reason, bounded.reason, RESULT_BOUNDS.reason) ??
    evidenceProblem(`${path}.evidence`, result.evidence, bounded.evidence, RESULT_BOUNDS.evidencePerCell);
  if (cell) return cell;
  for (const [j, trial] of (result.trials ?? []).entries()) {
    const problem = trialProblem(`${path}.trials[${j}]`, trial, bounded.trials![j]!);
    if (problem) return problem;
  }
  const names = result.otherModel?.names ?? [];
  if (names.length > NAMES_KEPT) return `${path}.otherModel.names: ${names.length} names, more than the ${NAMES_KEPT} a run writes`;
  for (const [j, name] of names.entries()) {
    const problem = text(`${path}.otherModel.names[${j}]`, name, bounded.otherModel!.names[j], RESULT_BOUNDS.evidenceField);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A models.listed cell's `listedOthers` that no run writes (more hashed than listed, or past MAX_IDS): the schema
 * lets it through, and read, it was dropped without a word, though the gate reads it (a same-model listed id's vouch).
 */
function listedOthersProblem(path: string, result: MatrixResult): string | undefined {
  const others = result.listedOthers;
  if (others === undefined || readListedOthers(others)) return undefined;
  return `${path}.listedOthers: not as a run writes it (${others.hashed} hashed of ${others.ids} ids: a run hashes at most ${MAX_IDS}, and never more than it counts)`;
}

/**
 * The first value of `matrix`'s results over the bounds a run writes them within, or a `listedOthers` no run writes
 * (in a file of any format), with its JSON path; else undefined.
 */
export function overBoundsProblem(matrix: Matrix): string | undefined {
  const bounded = MATRIX_FORMATS.indexOf(matrix.format) >= BOUNDED_SINCE;
  for (const [i, result] of matrix.results.entries()) {
    const problem = listedOthersProblem(`results[${i}]`, result) ?? (bounded ? resultProblem(`results[${i}]`, result) : undefined);
    if (problem) return problem;
  }
  return undefined;
}
