/**
 * @module run/replay-threads
 * A replay waits on nothing: its time is CPU (reading fixtures, judging, fingerprinting). With `--threads n` it is
 * shared between this thread and n - 1 worker threads: each runs the same engine on cells it takes from one queue,
 * the longest first, so a thread that starts late (it loads the modules and the plan first) simply takes fewer. A worker hands each finished cell back whole (results, latency samples, shapes); the matrix is built here
 * from all of them, as from one thread. A worker that fails fails the run: its cells never read as filtered out.
 */
import type { Worker } from 'node:worker_threads';
import type { LatencySample } from '../checks/latency.ts';
import type { ShapeSample } from '../checks/shape.ts';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import { startHarnessWorker, type StartWorker } from '../package-root.ts';
import { cellKey } from '../report/matrix.ts';
import type { CellResult } from './cell-result.ts';
import type { PlannedCheck } from '../plan/plan.ts';
import { longestFirst, type EngineEvents, type RunEngine } from './run-engine.ts';
import { DEFAULTS, type RunConfig } from './run-config.ts';
import type { CellWork } from './selection.ts';
import type { RunRequest } from './run-conformance.ts';

/** A cell as a thread is told it: its target and model, and the checks selected on it with what they expect. */
export interface CellOrder {
  target: string;
  model: string;
  checks: { id: string; expects: string }[];
}

/** What a planned check expects, as one string: a thread's plan must say the same as this thread's. */
export function expectsOf(check: PlannedCheck): string {
  return JSON.stringify([check.expectation?.value ?? null, check.expectation?.source ?? null]);
}

export interface ThreadData {
  config: RunConfig;
  /** Every cell of the run, in the order they are taken. */
  cells: CellOrder[];
  /** One Int32: the index of the next cell to take, shared by every thread (Atomics.add). */
  next: SharedArrayBuffer;
}

/** Main thread -> worker. */
export type ToThread = { type: 'stop'; code: HarnessErrorCode; message: string };

/** Worker -> main thread. */
export type ToMain =
  | { type: 'fatal'; code: 'HARNESS_AUTH_REJECTED'; message: string }
  | { type: 'cell-done'; target: string; model: string; results: readonly CellResult[]; latency: readonly LatencySample[]; shapes: readonly ShapeSample[] }
  | { type: 'finished' }
  | { type: 'failed'; code: HarnessErrorCode; message: string };

/**
 * Threads a run judges on: `requested` (`--threads`), never more than there are cells, and 1 unless every target
 * replays. One by default: on the development machine (2 vCPU) a second thread did not pay for itself (every
 * isolate loads the modules and the plan and warms up its own JIT, and V8's GC already keeps the second core busy;
 * README, Benchmark (b)); more cores may well.
 */
export function replayThreads(config: Pick<RunConfig, 'targets'>, work: readonly CellWork[], requested: number = DEFAULTS.threads): number {
  if (!config.targets.every((t) => t.mode === 'replay')) return 1;
  return Math.max(1, Math.min(requested, work.length));
}


/** What the reports need from a run, whether one engine or several threads produced it. */
export interface RunOutput {
  readonly results: readonly CellResult[];
  readonly latency: ReadonlyMap<string, readonly LatencySample[]>;
  readonly shapes: ReadonlyMap<string, readonly ShapeSample[]>;
}

export class ReplayThreads {
  readonly #request: RunRequest;
  readonly #engine: RunEngine;
  readonly #events: EngineEvents;
  readonly #queue: CellWork[];
  /**
   * The next cell's index in `#queue`, taken with Atomics by every thread: a thread never waits on another to be
   * handed its work (this one is busy judging its own).
   */
  readonly #next = new Int32Array(new SharedArrayBuffer(4));
  readonly #workers: Worker[] = [];
  /** Each worker's end: resolved when it finished, rejected when it failed. */
  readonly #ended: Promise<void>[];
  readonly #byKey: Map<string, CellWork>;
  readonly #results: CellResult[] = [];
  readonly #latency = new Map<string, readonly LatencySample[]>();
  readonly #shapes = new Map<string, readonly ShapeSample[]>();

  /**
   * `workers` threads besides this one, whose engine is `engine`; every worker is listened to from the start.
   * `start` starts a worker (default: startHarnessWorker).
   */
  constructor(request: RunRequest, workers: number, engine: RunEngine, events: EngineEvents, start: StartWorker = startHarnessWorker) {
    this.#request = request;
    this.#engine = engine;
    this.#events = events;
    this.#queue = longestFirst(request.work, request.loaded.plan);
    this.#byKey = new Map(request.work.map((cell) => [cellKey(cell.target, cell.model), cell]));
    const cells = this.#queue.map((cell): CellOrder => ({ target: cell.target, model: cell.model, checks: cell.checks.map((c) => ({ id: c.id, expects: expectsOf(c) })) }));
    const data: ThreadData = { config: request.config, cells, next: this.#next.buffer as SharedArrayBuffer };
    for (let i = 0; i < workers; i++) this.#workers.push(start({ source: 'src/run/replay-thread.ts', built: 'dist/run/replay-thread.js' }, { workerData: data }));
    this.#ended = this.#workers.map((worker, index) => this.#drive(worker, index + 1));
    // Surfaced by run(); never an unhandled rejection before it.
    for (const ended of this.#ended) ended.catch(() => undefined);
  }

  /** Runs every cell: this thread's engine and the workers take from one queue. Rejects when a worker fails. */
  async run(): Promise<void> {
    const engine = this.#engine;
    // A failed worker stops the others and this thread; the first failure is the run's error.
    const failed = Promise.all(this.#ended).catch((error: unknown) => {
      const why = 'not run: a replay thread failed';
      this.stop('HARNESS_INTERNAL', why);
      engine.stop('HARNESS_INTERNAL', why);
      throw error;
    });
    await Promise.all([engine.runFrom(() => this.#take(), this.#queue.length), failed]);
  }

  /** No more cells are handed out; the workers finish what they hold (a replay cell takes milliseconds). */
  stop(code: HarnessErrorCode, message: string): void {
    Atomics.store(this.#next, 0, this.#queue.length);
    for (const worker of this.#workers) worker.postMessage({ type: 'stop', code, message } satisfies ToThread);
  }

  /** Every thread's results, latency and shapes, the workers' after this thread's; maps in the run's cell order. */
  outcome(): RunOutput {
    const engine = this.#engine;
    const inOrder = <T>(own: ReadonlyMap<string, T>, theirs: ReadonlyMap<string, T>) => {
      const merged = new Map<string, T>();
      for (const cell of this.#request.work) {
        const key = cellKey(cell.target, cell.model);
        const value = own.get(key) ?? theirs.get(key);
        if (value !== undefined) merged.set(key, value);
      }
      return merged;
    };
    return { results: [...engine.results, ...this.#results], latency: inOrder(engine.latency, this.#latency), shapes: inOrder(engine.shapes, this.#shapes) };
  }

  #take(): CellWork | undefined {
    return this.#queue[Atomics.add(this.#next, 0, 1)];
  }

  #drive(worker: Worker, index: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let finished = false;
      const fail = (code: HarnessErrorCode, why: string) =>
        reject(new HarnessError(code, `replay thread ${index} ${why}; run again with --threads 1 (one thread) and report it if it persists`));
      worker.on('message', (message: ToMain) => {
        if (message.type === 'cell-done') {
          this.#cellDone(message);
        } else if (message.type === 'fatal') {
          // A rejected key stops the run as it does on one thread: this engine's fatal, and every thread stops.
          this.#engine.fail({ code: message.code, message: message.message });
        } else if (message.type === 'finished') {
          finished = true;
          resolve();
        } else {
          finished = true;
          // The thread's own error (a suite file changed under the run, say) keeps its code and its fix.
          reject(new HarnessError(message.code, message.message));
        }
      });
      worker.on('error', (error) => fail('HARNESS_INTERNAL', `failed: ${error.message}`));
      worker.on('exit', (code) => (finished ? undefined : fail('HARNESS_INTERNAL', `stopped (exit code ${code}) before its cells were done`)));
    });
  }

  #cellDone(message: Extract<ToMain, { type: 'cell-done' }>): void {
    const key = cellKey(message.target, message.model);
    const cell = this.#byKey.get(key);
    this.#results.push(...message.results);
    this.#latency.set(key, message.latency);
    this.#shapes.set(key, message.shapes);
    for (const result of message.results) this.#events.onResult?.(result);
    if (cell) this.#events.onCellEnd?.(cell, message.results);
  }

  /** Ends every worker (after a failure; a worker that finished has ended already). */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
