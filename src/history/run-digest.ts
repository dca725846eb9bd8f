/**
 * @module history/run-digest
 * One run file as the history keeps it: numbers. A RunDigester takes validated runs one after another, in the
 * command's thread or in a worker's (read-pool.ts), and numbers what it meets the first time it meets it: each
 * (target/model, check) series, each (status, observed) state, each (target/model, API) key, each distinct set of
 * exchanges of a (target/model, API) (a shape signature). A digest carries typed arrays of those numbers and only
 * the entries the digester had not met before, so the 1095th file of a year is a few small arrays, cheap to hand
 * from a worker to the command; HistoryBuilder maps each digester's numbers onto its own (build-history.ts).
 */
import type { ShapeFingerprint } from '../checks/shape.ts';
import type { Observed } from '../checks/types.ts';
import type { HistoryCell, HistoryRun } from '../suite/history-schema.ts';
import { trialValues } from '../report/flaky-values.ts';

/** A latency entry is this many numbers: n, headers p50, first-token p50 and p95 (NaN: none measured), total p50 and p95. */
export const LATENCY_FIELDS = 6;

export interface RunDigest {
  file: string;
  run: HistoryRun['run'];
  targets: HistoryRun['targets'];
  /** The ids of the run's models. */
  models: string[];
  /** The ids of the run's checks: with the models, what a filtered run selected (its latency is compared only with runs that selected the same). */
  checkIds: string[];
  /** Per check id of `checkIds`, its definition digest ('' in files older than it). */
  definitions: string[];
  /** What the digester met for the first time in this file, in the order it met it; numbered on from the last. */
  fresh: {
    series: [cellKey: string, check: string][];
    /** `values`: a flaky cell's trial values (report/flaky-values.ts), part of what makes two states one. */
    states: [status: HistoryCell['status'], observed: Observed, values?: string][];
    keys: [cellKey: string, api: string][];
    /** The signature's exchanges, and their JSON (what makes two signatures one). */
    signatures: [json: string, exchanges: Record<string, string[]>][];
    checks: HistoryRun['checks'];
    families: [model: string, family: string | null][];
    fingerprints: [id: string, fingerprint: ShapeFingerprint][];
  };
  /** Series, state: one pair per cell. */
  cells: Int32Array;
  /** The pairs of `cells` (their index / 2) whose cell failed the run's gate: a change into them leads the digest. */
  gating: Int32Array;
  /** The key of each latency entry... */
  latencyKeys: Int32Array;
  /** ...and its LATENCY_FIELDS numbers. */
  latency: Float64Array;
  /** Key, signature: one pair per (target/model, API) with exchanges, in the file's order. */
  shapes: Int32Array;
}

/** Numbers things by first meeting: `id(a, b)` is the same number for the same pair every time. */
class Numbering<A, B> {
  readonly #index = new Map<A, Map<B, number>>();
  #count = 0;
  /** The pair's number; `fresh` is called with a pair met for the first time. */
  id(a: A, b: B, fresh: (a: A, b: B) => void): number {
    let inner = this.#index.get(a);
    if (!inner) this.#index.set(a, (inner = new Map()));
    let at = inner.get(b);
    if (at === undefined) {
      inner.set(b, (at = this.#count++));
      fresh(a, b);
    }
    return at;
  }
}

/** Whether two exchange maps have one JSON text (the same keys in the same order, the same ids): what makes one signature. */
function sameExchanges(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const keys = Object.keys(a);
  let n = 0;
  for (const key in b) {
    if (keys[n++] !== key) return false;
    const x = a[key]!;
    const y = b[key]!;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return n === keys.length;
}

export class RunDigester {
  readonly #series = new Numbering<string, string>();
  readonly #states = new Numbering<string, Observed>();
  readonly #keys = new Numbering<string, string>();
  /** A signature's JSON -> its number. */
  readonly #signatures = new Map<string, number>();
  /** Per key, the exchanges last numbered and their signature. */
  readonly #lastExchanges: { exchanges: Record<string, string[]>; signature: number }[] = [];
  /** Per target/model, the checks of the last file that had it, in its order: their series and last state. */
  readonly #rows = new Map<string, { checks: string[]; series: number[]; states: number[]; status: string[]; observed: Observed[] }>();
  readonly #checks = new Set<string>();
  readonly #models = new Set<string>();
  readonly #fingerprints = new Set<string>();

  /** The run (already validated) as numbers. */
  digest(file: string, run: HistoryRun): RunDigest {
    const fresh: RunDigest['fresh'] = { series: [], states: [], keys: [], signatures: [], checks: [], families: [], fingerprints: [] };
    const addSeries = (cellKey: string, check: string) => fresh.series.push([cellKey, check]);
    // A flaky state is numbered with the values its trials saw (`flaky\u0000[...]`): a flipped majority is no change.
    const addState = (key: string, observed: Observed) => {
      const [status, values] = key.split('\u0000') as [HistoryCell['status'], string | undefined];
      fresh.states.push(values === undefined ? [status, observed] : [status, observed, values]);
    };
    const addKey = (cellKey: string, api: string) => fresh.keys.push([cellKey, api]);
    const cells: number[] = [];
    const gating: number[] = [];
    // A run that stopped early (a spend cap) wrote the cells it never reached as skipped in older files: not observed,
    // so not a state of the cell (no change point, no model gone), as an interrupted run's "not reached" cells.
    const unreached = run.run.partial ? 'skipped' : undefined;
    for (const cellKey in run.cells) {
      const byCheck = run.cells[cellKey]!;
      let row = this.#rows.get(cellKey);
      if (!row) this.#rows.set(cellKey, (row = { checks: [], series: [], states: [], status: [], observed: [] }));
      // Most nights a target/model has the checks of the night before, mostly in the states of the night before:
      // compared in place, numbered only when they differ.
      let j = 0;
      for (const check in byCheck) {
        const cell = byCheck[check]!;
        if (cell.status === unreached) continue;
        if (row.checks[j] !== check) {
          row.checks[j] = check;
          row.series[j] = this.#series.id(cellKey, check, addSeries);
          row.states[j] = -1;
        }
        const values = cell.status === 'flaky' ? trialValues(cell.trials) : undefined;
        const key = values === undefined ? cell.status : `${cell.status}\u0000${values}`;
        if (row.states[j] === -1 || row.status[j] !== key || row.observed[j] !== cell.observed) {
          row.status[j] = key;
          row.observed[j] = cell.observed;
          row.states[j] = this.#states.id(key, cell.observed, addState);
        }
        if (cell.gating) gating.push(cells.length / 2);
        cells.push(row.series[j]!, row.states[j]!);
        j++;
      }
    }
    const latencyKeys: number[] = [];
    const latency: number[] = [];
    for (const cellKey in run.latency) {
      const byApi = run.latency[cellKey]!;
      for (const api in byApi) {
        const l = byApi[api]!;
        latencyKeys.push(this.#keys.id(cellKey, api, addKey));
        latency.push(l.n, l.headersMs.p50, l.firstTokenMs?.p50 ?? Number.NaN, l.firstTokenMs?.p95 ?? Number.NaN, l.totalMs.p50, l.totalMs.p95);
      }
    }
    const shapes: number[] = [];
    if (run.shapes) {
      for (const id in run.shapes.fingerprints) {
        if (this.#fingerprints.has(id)) continue;
        this.#fingerprints.add(id);
        fresh.fingerprints.push([id, run.shapes.fingerprints[id]!]);
      }
      for (const cellKey in run.shapes.exchanges) {
        const byApi = run.shapes.exchanges[cellKey]!;
        for (const api in byApi) {
          const exchanges = byApi[api]!;
          const key = this.#keys.id(cellKey, api, addKey);
          // Most nights a (target/model, API) made the same exchanges as the night before: compared, not serialized.
          const previous = this.#lastExchanges[key];
          let signature = previous && sameExchanges(previous.exchanges, exchanges) ? previous.signature : undefined;
          if (signature === undefined) {
            const json = JSON.stringify(exchanges);
            signature = this.#signatures.get(json);
            if (signature === undefined) {
              this.#signatures.set(json, (signature = this.#signatures.size));
              fresh.signatures.push([json, exchanges]);
            }
            this.#lastExchanges[key] = { exchanges, signature };
          }
          shapes.push(key, signature);
        }
      }
    }
    for (const c of run.checks) {
      if (this.#checks.has(c.id)) continue;
      this.#checks.add(c.id);
      // Its definition is per run (definitions, below), not the check's for the whole history.
      const { definition: _, ...check } = c;
      fresh.checks.push(check);
    }
    for (const m of run.models) {
      if (this.#models.has(m.id)) continue;
      this.#models.add(m.id);
      fresh.families.push([m.id, m.family]);
    }
    return {
      file,
      run: run.run,
      targets: run.targets,
      models: run.models.map((m) => m.id),
      checkIds: run.checks.map((c) => c.id),
      definitions: run.checks.map((c) => c.definition ?? ''),
      fresh,
      cells: new Int32Array(cells),
      gating: new Int32Array(gating),
      latencyKeys: new Int32Array(latencyKeys),
      latency: new Float64Array(latency),
      shapes: new Int32Array(shapes),
    };
  }
}

/** The typed arrays of a digest, to hand to another thread without copying. */
export const transferablesOf = (digest: RunDigest): ArrayBuffer[] => [digest.cells, digest.gating, digest.latencyKeys, digest.latency, digest.shapes].map((a) => a.buffer as ArrayBuffer);
