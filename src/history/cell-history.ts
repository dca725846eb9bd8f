/**
 * @module history/cell-history
 * One (target, model, check)'s history from its row of the builder's grid: its segments (every state, errors and
 * runs that did not have it included), its flakiness, and its change points. A change point is a change of what
 * was observed, measured between two runs that observed the cell (OBSERVED: pass, fail, flaky, unsupported): a run
 * that did not have it (`absent`: not run, another shard, not reached by a stopped run), an infrastructure error (an
 * outage night observed nothing), `inconclusive` (the model's budget or choice hid the behaviour) or `skipped` is
 * not a state the cell changed to, so `pass -> error -> pass` and `fail -> inconclusive -> fail` are no change, and a
 * standing failure does not read as a new one. A flaky cell is one behaviour with the values its trials saw: a
 * flipped majority (the same set) is no change, and neither is one night its trials agreed on a value both flaky
 * nights around it saw (`flaky {a, b} -> a -> flaky {a, b}`: that night is passed over, the two flaky nights are
 * compared). Every other turn between flaky and a stable value is a change: it became flaky, or it settled on a
 * value (the latest run too: what follows is not known), so `flaky -> a -> exponent` and "fails every time since" are named.
 */
import type { Observed } from '../checks/types.ts';
import { flakySaw, flakyValuesChanged } from '../report/flaky-values.ts';
import { OBSERVED } from '../report/observed-models.ts';
import { describeTargetChanges, targetChanges, type TargetFields } from '../report/target-identity.ts';
import type { CellHistory, CellState, ChangePoint, HistoryRunInfo } from './history-model.ts';

const ABSENT: CellState = { status: 'absent', observed: null };
const show = (value: Observed) => (value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value));

/** Whether a state is an observation a change is measured between (the gate's OBSERVED: not absent, an error, inconclusive or skipped). */
export const isChangeState = (state: CellState): boolean => state.status !== 'absent' && OBSERVED.has(state.status);

/** How a state reads in a change: the value where one was observed, else the status. */
export function describeState(state: CellState): string {
  if (state.status === 'pass' || state.status === 'fail') return show(state.observed);
  if (state.status === 'flaky') return `flaky (${show(state.observed)})`;
  if (state.status === 'unsupported') return 'n/a';
  return state.status;
}

function changeText(from: CellState, to: CellState): string {
  const a = describeState(from);
  const b = describeState(to);
  // One majority, another set of trial values: the sets say what changed.
  if (a === b && from.values !== to.values && from.values && to.values) return `${a} of trials ${from.values} -> ${b} of trials ${to.values}`;
  return a === b ? `${from.status} ${a} -> ${to.status} ${b}` : `${a} -> ${b}`;
}

export interface CellRow {
  target: string;
  model: string;
  check: string;
  group: string;
  api: string | null;
  /** The target's runs (run indexes), and per run the cell's state number (-1: no result) and whether it gated. */
  runs: readonly number[];
  states: Int32Array;
  gating: Uint8Array;
}

/**
 * Why a change between two runs may be the harness's, not the endpoint's, or undefined: the check's definition (what
 * it measured, `definition` of a run's run file) differs, or the earlier run's file is older than definitions and the
 * later's is not (an upgrade to the first build that keeps them: what the older build measured is not known).
 */
function harnessChange(before: string | undefined, after: string | undefined): ChangePoint['harness'] {
  if (before && after) return before === after ? undefined : 'changed';
  // One side's file does not say (an older build's): an upgrade, or a downgrade (a rollback, a second pipeline).
  return (before === '' && after) || (after === '' && before) ? 'unknown' : undefined;
}

/** What a change point the harness made, or may have made, says after its values (history.json's text, history.md). */
export const HARNESS_WORDS = {
  changed: ' (the check changed with the harness: its definition differs from the earlier run\'s, so this is not the endpoint\'s change)',
  unknown: ' (one of the two runs\' files does not say what its build\'s check measured: the change may be the harness\'s, not the endpoint\'s)',
} as const;

/** What a change point whose target stood for another endpoint in its two runs says after its values. */
export const targetWords = (changed: string): string => ` (the target is another endpoint than in the earlier run: ${changed}; not the endpoint's change)`;

/**
 * A series' history from its row of the grid; `states` are what its numbers stand for, `definitionIn` gives the
 * check's definition digest in a run ('' when its file does not say; undefined when the run had no such check), and
 * `targetIn` what the run's files say of the series' target's endpoint (report/target-identity.ts).
 */
export function cellHistory(row: CellRow, states: readonly CellState[], runs: readonly HistoryRunInfo[], definitionIn: (run: number) => string | undefined = () => undefined, targetIn: (run: number) => TargetFields | undefined = () => undefined): CellHistory {
  const { target, model, check, group, api } = row;
  const cell: CellHistory = { target, model, check, group, api, segments: [], runs: 0, flaky: 0, flakiness: 0, changes: [] };
  let previous: CellState | undefined;
  let previousRun = -1;
  // The next state a change is measured with after `i` (undefined: none yet, as of the latest run).
  const nextObserved = (i: number): CellState | undefined => {
    for (let j = i + 1; j < row.runs.length; j++) if (row.states[j]! >= 0 && isChangeState(states[row.states[j]!]!)) return states[row.states[j]!]!;
    return undefined;
  };
  for (let i = 0; i < row.runs.length; i++) {
    const runIndex = row.runs[i]!;
    const at = row.states[i]!;
    const state: CellState = at < 0 ? ABSENT : states[at]!;
    const last = cell.segments.at(-1);
    if (last && last.status === state.status && last.observed === state.observed) {
      last.to = runIndex;
      last.runs += 1;
    } else {
      cell.segments.push({ from: runIndex, to: runIndex, runs: 1, ...state });
    }
    if (state.status === 'absent') continue;
    cell.runs += 1;
    if (state.status === 'flaky') cell.flaky += 1;
    if (!isChangeState(state)) continue;
    // A night of one value between two flaky nights whose trials both saw it: a chance agreement, passed over.
    if (previous && flakySaw(previous, state)) {
      const next = nextObserved(i);
      if (next && flakySaw(next, state)) continue;
    }
    // Two flaky states changed when their trials saw another set of values, not when the majority flipped (report/flaky-values.ts).
    const flakyMoved = previous && flakyValuesChanged(previous, state);
    if (previous && (flakyMoved ?? (previous.status !== state.status || previous.observed !== state.observed))) {
      const change: ChangePoint = { run: runIndex, date: runs[runIndex]!.startedAt.slice(0, 10), from: previous, to: state, text: changeText(previous, state) };
      if (row.gating[i]) change.gating = true;
      const harness = harnessChange(definitionIn(previousRun), definitionIn(runIndex));
      if (harness) Object.assign(change, { harness, text: `${change.text}${HARNESS_WORDS[harness]}` });
      // The target's id stood for another endpoint (a --target-name kept while --endpoint or --surface changed).
      const [was, now] = [targetIn(previousRun), targetIn(runIndex)];
      const moved = was && now ? targetChanges(was, now) : [];
      if (moved.length) Object.assign(change, { targetChanged: describeTargetChanges(moved), text: `${change.text}${targetWords(describeTargetChanges(moved))}` });
      cell.changes.push(change);
    }
    previous = state;
    previousRun = runIndex;
  }
  cell.flakiness = cell.runs ? Math.round((cell.flaky / cell.runs) * 100) / 100 : 0;
  return cell;
}
