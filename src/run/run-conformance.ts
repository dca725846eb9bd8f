/**
 * @module run/run-conformance
 * A conformance run in this process, the default: plan -> sessions -> results -> matrix -> reports. The scheduler,
 * the progress line and Ctrl-C all live here; no test runner starts, and threads only when a replay asks for them
 * (`--threads`, replay-threads.ts). (A run on vitest, for the UI or vitest's own flags, is run/vitest-view.ts: the
 * same engine, with vitest reporting its results.)
 */
import type { TargetDown } from '../transport/endpoint-breaker.ts';
import type { HarnessError } from '../errors.ts';
import type { SchemaSet } from '../checks/schema.ts';
import { catchHarnessBug, harnessBugError } from './uncaught-errors.ts';
import { inertLine, modelIdLine } from '../report/inert-text.ts';
import type { CapWatch } from './cap-watch.ts';
import { estimatedWords } from '../transport/scheduler.ts';
import { INTERRUPTED_EXIT, INTERRUPTING_SIGNALS, type Interruption } from '../signals.ts';
import { ENDPOINT_DOWN_PARTIAL } from '../report/gate.ts';
import type { Matrix } from '../report/matrix.ts';
import type { CellResult } from './cell-result.ts';
import type { LoadedPlan } from './load-plan.ts';
import type { ProgressReporter } from './progress-reporter.ts';
import { ReplayThreads, replayThreads, type RunOutput } from './replay-threads.ts';
import { RunEngine, type EngineEvents } from './run-engine.ts';
import type { RunConfig } from './run-config.ts';
import { judgingOf } from './judging-digest.ts';
import { buildRunMatrix, pairMatrix, writeRunReports, type PartialRun } from './run-matrix.ts';
import type { CellWork } from './selection.ts';

export interface RunRequest {
  config: RunConfig;
  loaded: LoadedPlan;
  /** The selected cells and checks (run/selection.ts). */
  work: readonly CellWork[];
  schemas?: SchemaSet;
  baseline?: Matrix;
  /** Filters, `-t` and vitest arguments, for the record in matrix.json. */
  filters: readonly string[];
  shard?: string;
  /** Threads a replay is judged on (`--threads`). @default 1 */
  threads?: number;
  progress?: ProgressReporter;
  /** Where "Interrupted" is said. */
  err: NodeJS.WritableStream;
}

/** How a run ended: its matrix (written, unless `writeError`), and why it stopped early, if it did. */
export interface RunEnd {
  matrix: Matrix;
  files: string[];
  writeError?: Error;
  interrupted: boolean;
  fatal?: { code: 'HARNESS_AUTH_REJECTED'; message: string };
  /** Results of the checks that ran. */
  results: readonly CellResult[];
  /** The scheduler's figures (live and record). */
  figures?: { requests: number; peakInFlight: number };
  /** A signal came after the run's last check, while its reports were written: the next one quits now. */
  signalledAfterRun?: boolean;
  /** The run broke after its checks began: vitest's view (run/vitest-crash.ts) or an uncaught error of the harness's (run/uncaught-errors.ts). The reports are written, and the run exits with this. */
  viewBroke?: HarnessError;
}

/**
 * How soon after the first a second signal is the same one, not "quit now": GNU `timeout` (as CI steps use it) sends
 * SIGTERM to the command and then to its process group, so the command gets two at once, and quit without its
 * reports. A person pressing Ctrl-C twice is slower than this.
 */
export const SAME_SIGNAL_MS = 500;

export function interruptedMessage(by: Interruption): string {
  return `not sent: the run was interrupted (${by})`;
}

/**
 * Events that keep the progress line current. A target that stopped answering is said once, when it happens, even
 * with --quiet (no progress): a run that will not send the rest of a target's requests is not progress news.
 */
export function progressEvents(progress: ProgressReporter | undefined, err: NodeJS.WritableStream | undefined, pairOf: (cell: CellWork, results: readonly CellResult[]) => Matrix): EngineEvents {
  const warn = (text: string) => {
    const line = `warning: ${inertLine(text, 2000)}`;
    if (progress) progress.notice(line);
    else err?.write(`${line}\n`);
  };
  return {
    onResult: (result) => progress?.result(result),
    // The model's line is judged as the summary will judge it (`pairOf`: run-matrix.ts pairMatrix, or the vitest view's
    // one matrix per pair, which its tests' answers read too), so the two never disagree.
    onCellEnd: (cell, results) => progress?.cellEnd(cell, results, cell.checks.length, () => pairOf(cell, results)),
    onTargetDown: (down) => warn(targetDownLine(down)),
    // Said once per route (or model a key's scope refuses), even with --quiet: a family of checks in error for a reason
    // the summary does not give. The message says which, and what becomes of its checks.
    onRouteRefused: (refused) => warn(`target ${refused.target}: ${refused.message}.`),
  };
}

/** What the console says when a target goes down: its requests' reason, told as news. */
export function targetDownLine(down: TargetDown): string {
  // The endpoint's reason names the target first (`not sent: T stopped answering`); the proxy's names the proxy.
  const reason = down.message.replace(/^not sent: /, '');
  const said = reason.startsWith(`${down.target} `) ? `target ${reason}` : `target ${down.target}: ${reason}`;
  return `${said}. Its requests not sent yet will not be (their checks are error, and the run is then partial); the other targets carry on.`;
}

export async function runInProcess(request: RunRequest): Promise<RunEnd> {
  const startedAt = new Date();
  const events = progressEvents(request.progress, request.err, (cell, results) => pairMatrix(request, cell, results));
  let shared: ReplayThreads | undefined;
  // A rejected key seen by this thread stops the workers too, with the reason this engine stopped for.
  const onFatal: EngineEvents['onFatal'] = (fatal) => shared?.stop(fatal.code, engine.stopped?.message ?? fatal.message);
  const engine = new RunEngine({ config: request.config, loaded: request.loaded, ...(request.schemas ? { schemas: request.schemas } : {}), events: { ...events, onFatal } });
  const threads = replayThreads(request.config, request.work, request.threads);
  if (threads > 1) shared = new ReplayThreads(request, threads - 1, engine, events);
  const interrupt = listenForInterrupt(request.err, (by) => {
    shared?.stop('HARNESS_INTERRUPTED', interruptedMessage(by));
    engine.stop('HARNESS_INTERRUPTED', interruptedMessage(by));
  });
  request.progress?.start(engine.scheduler);
  // An uncaught error from here on is the harness's bug: the run goes on, writes its reports and exits 3 (uncaught-errors.ts).
  let bug: { error: unknown } | undefined;
  const stopCatching = catchHarnessBug((error) => void (bug ??= { error }));
  try {
    await (shared ? shared.run() : engine.run(request.work));
  } finally {
    // From here the reports of the run are written: a first signal waits for them (a finished run's results were
    // lost to one Ctrl-C while they were written), a second quits now.
    interrupt.runOver();
    await Promise.all([engine.close(), shared?.close()]);
  }
  request.progress?.end({ interrupted: interrupt.interrupted, ...(engine.fatal ? { stopped: engine.fatal.message } : {}) });
  try {
    const end = await finishRun(request, engine, startedAt, interrupt.by, shared?.outcome());
    if (interrupt.told) end.signalledAfterRun = true;
    const broke = bug as { error: unknown } | undefined; // set by a listener, which narrowing does not see
    if (broke) end.viewBroke = harnessBugError(broke.error);
    return end;
  } finally {
    stopCatching();
    interrupt.dispose();
  }
}

/**
 * Builds the matrix of what ran and writes the reports; a report folder that cannot be written is kept as
 * `writeError`. `output` is what the run produced when several threads shared it (default: the engine's own).
 */
export async function finishRun(request: RunRequest, engine: RunEngine, startedAt: Date, interruptedBy: Interruption | undefined, output: RunOutput = engine): Promise<RunEnd> {
  const interrupted = interruptedBy !== undefined;
  const partial = partialOf(engine, interruptedBy);
  const matrix = buildRunMatrix({
    config: request.config,
    loaded: request.loaded,
    results: output.results,
    startedAt,
    finishedAt: new Date(),
    ...(partial ? { partial } : {}),
    filters: request.filters,
    work: request.work,
    judging: await judgingOf(request.config).catch(() => undefined),
    ...(request.shard ? { shard: request.shard } : {}),
    ...(request.baseline ? { baseline: request.baseline } : {}),
    latency: output.latency,
    shapes: output.shapes,
    recordingKept: await engine.recordingKept(),
  });
  const end: RunEnd = {
    matrix,
    files: [],
    interrupted,
    results: output.results,
    ...(engine.fatal ? { fatal: engine.fatal } : {}),
    ...(engine.scheduler ? { figures: { requests: engine.scheduler.figures.requests, peakInFlight: engine.scheduler.figures.peakInFlight } } : {}),
  };
  try {
    end.files = await writeRunReports(matrix, request.config.reportDir);
  } catch (error) {
    end.writeError = error as Error;
  }
  return end;
}

/**
 * Why a run covers less than it selected: Ctrl-C or SIGTERM, a rejected key, a spend cap that denied a request or a
 * retry, or a target that stopped answering (--give-up-after) with a request or a retry left to send; each cause is
 * said, the interruption or the stop first. A target given up on with nothing left to send (its last requests were
 * already out, none retried) left nothing undone: the console's warning says it, the run is whole.
 */
export function partialOf(engine: RunEngine, interruptedBy: Interruption | undefined): PartialRun | undefined {
  const reasons: string[] = [];
  const cap = engine.scheduler?.capReached;
  // What each such request became is its cell's to say (an error, or a stall not tried again): the count only here.
  const retried = (n: number) => (n > 0 ? `; ${n} retr${n === 1 ? 'y was' : 'ies were'} not made (each request keeps what its last attempt met: its cell says)` : '');
  const unfit = engine.scheduler?.unfit;
  if (cap || unfit) {
    const { denied, deniedRetries } = engine.scheduler!;
    const unsent = denied > 0 ? `; ${denied} request(s) were not sent and the checks that needed them are skipped` : '';
    const head = cap ? cap.replace(/^not sent: /, '') : `some requests' estimates were more than what was left under --max-tokens-total ${unfit!.cap}${estimatedWords(engine.scheduler!.figures)}`;
    reasons.push(`spend cap: ${head}${unsent}${unfit ? `; ${unfitWords(unfit)}` : ''}${retried(deniedRetries)}`);
  }
  for (const down of engine.breaker?.down ?? []) {
    const denied = engine.scheduler?.deniedDown.get(down.target) ?? { requests: 0, retries: 0 };
    if (denied.requests + denied.retries === 0) continue;
    // Counted as permits: a case whose probe was not sent is never asked for one, so the count says "at least".
    const unsent = denied.requests > 0 ? `its later requests were not sent (${denied.requests} or more) and the checks that needed them are error` : 'no request was left unsent';
    reasons.push(`${ENDPOINT_DOWN_PARTIAL}${down.message.replace(/^not sent: /, '')}; ${unsent}${retried(denied.retries)}`);
  }
  const also = reasons.length ? `; ${reasons.join('; ')}` : '';
  if (interruptedBy) return { reason: `interrupted (${interruptedBy})${also}`, interrupted: true };
  if (engine.fatal) return { reason: `stopped: ${engine.fatal.message}${also}`, interrupted: false };
  return reasons.length ? { reason: reasons.join('; '), interrupted: false } : undefined;
}

/** The largest request the token cap kept back, and the way out. */
function unfitWords(unfit: NonNullable<CapWatch['unfit']>): string {
  const whose = unfit.caseId === undefined ? '' : ` (case ${unfit.caseId} on ${modelIdLine(unfit.model)})`;
  return (
    `the largest of those${whose} was estimated at ${unfit.tokens} tokens, with ${unfit.room} left: ` +
    `raise --max-tokens-total above it (a route probe states no max on purpose), or give the case a max tokens`
  );
}

/**
 * Ctrl-C (or SIGTERM) stops sending, abandons what is in flight and still writes the matrix of what finished. A
 * second one quits at once (exit 130).
 */
export function listenForInterrupt(
  err: NodeJS.WritableStream,
  stop: (by: Interruption) => void,
): { readonly interrupted: boolean; readonly by: Interruption | undefined; readonly told: boolean; runOver(): void; dispose(): void } {
  const state: { by?: Interruption; over?: boolean; told?: boolean; at?: number } = {};
  const listeners = INTERRUPTING_SIGNALS.map(([signal, by]) => {
    const listener = () => {
      if (state.by || state.told) {
        if (Date.now() - state.at! < SAME_SIGNAL_MS) return;
        process.exit(INTERRUPTED_EXIT);
      }
      state.at = Date.now();
      if (state.over) {
        // Nothing is left to stop: the matrix is whole, and is being written.
        state.told = true;
        err.write(`\nInterrupted (${by}): the run is over; writing its reports (${by} again to quit now, without them)\n`);
        return;
      }
      state.by = by;
      err.write(`\nInterrupted (${by}): no new requests; abandoning those in flight and writing the partial matrix (${by} again to quit now)\n`);
      stop(by);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return {
    get interrupted() {
      return state.by !== undefined;
    },
    get by() {
      return state.by;
    },
    get told() {
      return state.told === true;
    },
    runOver: () => {
      state.over = true;
    },
    dispose: () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
