/**
 * @module history/run-drift
 * Shape drift of each (target, model, API), each exchange compared with the latest earlier run that made that same
 * exchange: a filtered or partial run between two full ones (probes only, a spend cap) lacks most exchanges, and its
 * lack is no answer, so it hides no drift. Of files of one run, the one that started last is the run's (the builder
 * orders them so), and no drift is read within one run; a signature identical to the key's last costs nothing.
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

/** Per exchange of a key, the fingerprints it last had, the run that made them, and that run's signature of the key. */
interface Seen {
  ids: string[];
  run: number;
  signature: number;
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

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
  // Per key: its last run and signature, and each exchange's last fingerprints (a run of an identical signature
  // updates only `last`: the exchanges' runs are brought up to it when the signature next changes).
  const last = new Map<number, { run: number; signature: number }>();
  const seen = new Map<number, Map<string, Seen>>();
  const events: DriftEvent[] = [];
  for (const { run, shapes } of parts) {
    for (let i = 0; i < shapes.length; i += 2) {
      const key = shapes[i]!;
      const before = last.get(key);
      if (before?.run === run) continue;
      const signature = ofRun.get(key)!.get(run)!;
      last.set(key, { run, signature });
      if (before?.signature === signature) continue;
      let memory = seen.get(key);
      if (!memory) seen.set(key, (memory = new Map()));
      // The runs of the key's last signature since it was set made its exchanges again: their run is the last of them.
      if (before) for (const entry of memory.values()) if (entry.signature === before.signature) entry.run = before.run;
      // Each exchange the key made before against the latest run that made it: one comparison (as `compare` makes one
      // of two runs), read when one of them changed; `since` is the earliest run a changed exchange is compared with.
      const was: Record<string, string[]> = {};
      const now: Record<string, string[]> = {};
      let since: number | undefined;
      for (const [exchange, ids] of Object.entries(names.signatures[signature]!)) {
        const prior = memory.get(exchange);
        if (prior) {
          was[exchange] = prior.ids;
          now[exchange] = ids;
          if (!sameIds(prior.ids, ids)) since = Math.min(since ?? prior.run, prior.run);
        }
        memory.set(exchange, { ids, run, signature });
      }
      if (since === undefined) continue;
      const { cellKey, api } = names.keys[key]!;
      const table = (exchanges: Record<string, string[]>): ShapeTable => ({ fingerprints: names.fingerprints, exchanges: { [cellKey]: { [api]: exchanges } } });
      for (const drift of shapeDrift(table(was), table(now))) events.push({ run, date: runs[run]!.startedAt.slice(0, 10), since, drift });
    }
  }
  return events;
}
