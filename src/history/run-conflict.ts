/**
 * @module history/run-conflict
 * The files of one run id are one run: its shards (other models), its targets' files (other regions) and a
 * duplicate upload (the same content) never say two things about one cell, one latency or one shape. Two that do
 * were not both written by that run (a forged file, or a file from another run given the same `--run-id`), and
 * neither can be chosen honestly: keeping the later one would invent a change point (`/openai/v1 -> /v1` and back
 * within one night). `history` refuses the folder instead, naming both files and what they disagree on.
 */
import { HarnessError } from '../errors.ts';
import { displayPath } from '../json-path.ts';
import { inertLine } from '../report/inert-text.ts';
import type { CellState } from './history-model.ts';
import { LATENCY_FIELD_NAMES, LATENCY_FIELDS } from './run-digest.ts';

/** One file's side of a disagreement: the file and what it says. */
export interface Side {
  file: string;
  says: string;
}

/** The error for two files of run `runId` that disagree at `path` (the JSON path in both files). */
export function runConflict(runId: string, path: readonly string[], first: Side, second: Side): HarnessError {
  const file = (side: Side) => inertLine(side.file, 300);
  const says = (side: Side) => inertLine(side.says, 120);
  return new HarnessError(
    'HARNESS_HISTORY_INVALID',
    `${file(second)}: ${inertLine(displayPath(path), 300)} is ${says(second)}, but ${says(first)} in ${file(first)}, a file of the same run ${inertLine(JSON.stringify(runId), 120)}; ` +
      'the files of one run id (its shards, its regions, a duplicate upload) agree on everything they share, so one of them was not written by that run: move that one out of the folder',
  );
}

/** Two files of one run with another status or observed value for one cell. */
export function cellConflict(runId: string, cell: { target: string; model: string; check: string }, first: { file: string; state: CellState }, second: { file: string; state: CellState }): HarnessError {
  const side = ({ file, state }: { file: string; state: CellState }) => ({ file, says: `${state.status} ${JSON.stringify(state.observed)}` });
  return runConflict(runId, ['cells', `${cell.target}/${cell.model}`, cell.check], side(first), side(second));
}

/** One latency entry of a file: its LATENCY_FIELDS numbers from `at` in its digest's `latency`. */
export interface LatencyEntry {
  file: string;
  latency: Float64Array;
  at: number;
}

/** Two files of one run with other latency for one (target/model, API), or undefined when they agree. */
export function latencyConflict(runId: string, key: { cellKey: string; api: string }, first: LatencyEntry, second: LatencyEntry): HarnessError | undefined {
  for (let f = 0; f < LATENCY_FIELDS; f++) {
    // Object.is: a first-token NaN (none measured) is the same as another.
    if (Object.is(first.latency[first.at + f], second.latency[second.at + f])) continue;
    const side = ({ file, latency, at }: LatencyEntry) => ({ file, says: `${LATENCY_FIELD_NAMES[f]} ${latency[at + f]}` });
    return runConflict(runId, ['latency', key.cellKey, key.api], side(first), side(second));
  }
  return undefined;
}
