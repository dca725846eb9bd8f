/**
 * @module history/run-drift
 * Shape drift between each (target, model, API)'s consecutive runs, from the parts' shape signatures in run order.
 * Of files of one run, the one that started last is the run's (the builder orders them so), and no drift is read
 * within one run; identical signatures cost nothing.
 */
import type { ShapeFingerprint, ShapeTable } from '../checks/shape.ts';
import { shapeDrift } from '../report/shape-drift.ts';
import type { DriftEvent, HistoryRunInfo } from './history-model.ts';

/** What the builder's numbers name: shape keys, signatures (exchanges by key), fingerprints by id. */
export interface DriftNames {
  keys: readonly { cellKey: string; api: string }[];
  signatures: readonly Record<string, string[]>[];
  fingerprints: Record<string, ShapeFingerprint>;
}

/** The drift events of parts given in run order, each as its run's index and its (key, signature) pairs. */
export function driftEvents(parts: readonly { run: number; shapes: Int32Array }[], names: DriftNames, runs: readonly HistoryRunInfo[]): DriftEvent[] {
  // Each key's signature in each run first: the last part of a run that has the key is the run's.
  const ofRun = new Map<number, Map<number, number>>();
  for (const { run, shapes } of parts) {
    for (let i = 0; i < shapes.length; i += 2) {
      let byRun = ofRun.get(shapes[i]!);
      if (!byRun) ofRun.set(shapes[i]!, (byRun = new Map()));
      byRun.set(run, shapes[i + 1]!);
    }
  }
  const last = new Map<number, { run: number; signature: number }>();
  const events: DriftEvent[] = [];
  for (const { run, shapes } of parts) {
    for (let i = 0; i < shapes.length; i += 2) {
      const key = shapes[i]!;
      const before = last.get(key);
      if (before?.run === run) continue;
      const signature = ofRun.get(key)!.get(run)!;
      last.set(key, { run, signature });
      if (!before || before.signature === signature) continue;
      const { cellKey, api } = names.keys[key]!;
      const table = (sig: number): ShapeTable => ({ fingerprints: names.fingerprints, exchanges: { [cellKey]: { [api]: names.signatures[sig]! } } });
      for (const drift of shapeDrift(table(before.signature), table(signature))) events.push({ run, date: runs[run]!.startedAt.slice(0, 10), since: before.run, drift });
    }
  }
  return events;
}
