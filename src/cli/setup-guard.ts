/**
 * @module cli/setup-guard
 * Ctrl-C and SIGTERM while `run` gets ready, before the run proper listens for them (run/run-conformance.ts,
 * listenForInterrupt): exit 130 with no reports, never a death by signal mid-way.
 */
import { signalListenersBesidesTemps } from '../atomic-write.ts';
import { SAME_SIGNAL_MS } from '../run/run-conformance.ts';
import { INTERRUPTED_EXIT, INTERRUPTING_SIGNALS, type Interruption } from '../signals.ts';

/** Thrown by {@link guardSetup}'s race and check once Ctrl-C or SIGTERM came before the run proper. */
export class InterruptedBeforeRun extends Error {
  constructor(readonly by: Interruption) {
    super(`interrupted (${by}) before the run started`);
  }
}

/** What `run` does with Ctrl-C and SIGTERM before its run proper listens for them. */
export interface SetupGuard {
  /** `work`, or InterruptedBeforeRun as soon as a signal comes (what `work` still does is abandoned). */
  race<T>(work: Promise<T>): Promise<T>;
  /** Throws InterruptedBeforeRun when a signal came. */
  check(): void;
  /**
   * The run proper listens now (listenForInterrupt, vitest-view): a signal no other listener takes ends the process
   * (130). Throws InterruptedBeforeRun instead when a signal already came: that one was said to stop the run before it
   * started, and no listener of the run proper would ever hear it (a run went ahead, green, after a Ctrl-C).
   */
  handOver(): void;
  /**
   * The run proper is over and its reports are written: what is left (the history, the job summary, the console)
   * finishes on a first signal, which is said; a second quits now. After a signal the run already took (one that
   * interrupted it, or came while its reports were written), the next one quits now (it is the second).
   */
  runOver(signalled: boolean): void;
  dispose(): void;
}

/**
 * Ctrl-C or SIGTERM while `run` gets ready (files, model lists, the credentials check, the plan): there is no matrix
 * yet to write, so the run stops with 130 and writes none, rather than dying with 143 mid-way. Installed first, so
 * a stop at any point reads as interrupted; after handOver it only covers the moments no other listener does.
 */
export function guardSetup(err: NodeJS.WritableStream): SetupGuard {
  const state: { by?: Interruption; running?: boolean; over?: boolean; told?: boolean; at?: number } = {};
  let reject: (error: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, fail) => (reject = fail));
  stopped.catch(() => undefined);
  const listeners = INTERRUPTING_SIGNALS.map(([signal, by]) => {
    const listener = () => {
      // The run's own listener takes it; between the two (a run on vitest starting), quit now.
      if (state.running && signalListenersBesidesTemps(signal) > 1) return;
      // The same signal twice at once (GNU timeout sends it to the command and to its group) is one (run-conformance.ts).
      if (state.at !== undefined && Date.now() - state.at < SAME_SIGNAL_MS) return;
      state.at = Date.now();
      if (state.over && !state.told) {
        state.told = true;
        err.write(`\nInterrupted (${by}): the run is over and its reports are written; finishing the rest (${by} again to quit now)\n`);
        return;
      }
      if (state.running) err.write(`\nInterrupted (${by}): quitting now\n`);
      if (state.by || state.running) process.exit(INTERRUPTED_EXIT);
      state.by = by;
      err.write(`\nInterrupted (${by}) before the run started: nothing is judged and no reports are written (${by} again to quit now)\n`);
      reject(new InterruptedBeforeRun(by));
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return {
    race: (work) => Promise.race([work, stopped]),
    check: () => {
      if (state.by) throw new InterruptedBeforeRun(state.by);
    },
    handOver: () => {
      if (state.by) throw new InterruptedBeforeRun(state.by);
      state.running = true;
    },
    runOver: (signalled) => {
      state.over = !signalled;
    },
    dispose: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
