/**
 * @module run/vitest-view
 * A run on vitest, for what only vitest gives: its UI (`--ui`) and its own flags and reporters (arguments after
 * `--`). The checks still run in this process on the same engine as the default run (one scheduler, so the same
 * limits, caps and results); vitest shows them: one generated spec file per model, one test per check, and each
 * test asks the main process for its result over loopback. Workers only wait, so there are as many as cores,
 * not one per concurrency slot, and each carries many models: the engine runs ahead of the file vitest is on.
 */
import { PassThrough } from 'node:stream';
import type { Vitest } from 'vitest/node';
import { HarnessError } from '../errors.ts';
import { INTERRUPTED_EXIT, STOPPING_SIGNALS, type Interruption } from '../signals.ts';
import { atCommandEnd } from '../transport/command-end.ts';
import { startResultServer, type GateAnswer, type ResultAnswer, type ResultQuestion } from './result-server.ts';
import { RunEngine } from './run-engine.ts';
import { finishRun, interruptedMessage, progressEvents, SAME_SIGNAL_MS, type RunEnd, type RunRequest } from './run-conformance.ts';
import type { CellResult } from './cell-result.ts';
import type { CellWork } from './selection.ts';
import { makeSpecDir, removeSpecFiles, removeSpecFilesNow, writeGateSpec, writeSpecFiles } from './spec-files.ts';
import { gateTests, resultAnswer, sessionVerdict } from './vitest-answers.ts';
import { pairMatrix } from './run-matrix.ts';
import { vitestConfig } from './vitest-config.ts';
import { harnessBugError } from './uncaught-errors.ts';
import { catchVitestCrash, viewBreak, vitestViewError, type CrashKind } from './vitest-crash.ts';
import { givenVitestOptions, vitestStartError } from './vitest-usage.ts';
import { pairKey, type Matrix } from '../report/matrix.ts';

export interface VitestRunRequest extends RunRequest {
  ui: boolean;
  /** vitest options from the arguments after `--` (the selection flags already taken out). */
  vitestOptions: Record<string, unknown>;
  /** Where the UI's address is said. */
  err: NodeJS.WritableStream;
}

type Crash = { error: unknown; kind: CrashKind; afterRun: boolean };

/** The last two segments of a spec file's path, `<target>/<model>.spec.ts`, whatever the temp folder resolves to. */
const specKey = (file: string) => file.replace(/\\/g, '/').split('/').slice(-2).join('/');

export async function runOnVitest(request: VitestRunRequest): Promise<RunEnd> {
  const { startVitest } = await import('vitest/node');
  const { config } = request;
  const byCell = new Map(request.work.map((cell) => [pairKey(cell.target, cell.model), cell]));
  const byFile = new Map<string, CellWork>();
  // A UI re-run of some files is shown only: sent, never recorded, or the fixtures would hold answers no gate judged.
  const unrecorded = { ...config, targets: config.targets.map((t) => (t.mode === 'record' ? { ...t, mode: 'live' as const } : t)) };
  /** `over`: the engine's run is done (its reports are being written, or were); `told`: a signal came since. `rerun`: the
   * current test run is a UI re-run of some of the model files (how many of how many); `selected`: its cells' keys. `busy`:
   * a test run is going (until its end is handled); `serving`: the vitest test runs its engine answers; `queued`: test runs vitest started meanwhile. */
  const state: {
    engine?: RunEngine;
    running?: Promise<void>;
    finishing?: Promise<RunEnd>;
    startedAt: Date;
    end?: RunEnd;
    interrupted?: Interruption;
    over?: boolean;
    told?: boolean;
    endAsked?: boolean;
    busy?: boolean;
    rerun?: { ran: number; of: number };
    selected?: ReadonlySet<string>;
    serving: number;
    queued: ReadonlyArray<{ moduleId: string }>[];
    /** A model file's test asked (a test run whose workers never started asks nothing); the errors vitest reported and went on. */
    asked?: boolean;
    unhandled: unknown[];
  } = { startedAt: new Date(), serving: 0, queued: [], unhandled: [] };
  /** Resolves when the next engine begins (a test of a queued re-run waits for it). */
  let turned: () => void = () => undefined;
  let turn = new Promise<void>((resolve) => (turned = resolve));
  /** Ends a UI session (set once the UI waits): Ctrl-C, and SIGTERM once no run is in progress. */
  let endSession: (() => void) | undefined;
  /** The matrix of the current test run, once its engine is done (from the run's end, or from Ctrl-C). */
  const finish = (): Promise<RunEnd> =>
    (state.finishing ??= (async () => {
      const engine = state.engine!;
      await state.running;
      await engine.close();
      request.progress?.end({ interrupted: state.interrupted !== undefined, ...(engine.fatal ? { stopped: engine.fatal.message } : {}) });
      // A UI re-run of some models is shown in the UI only, finished or interrupted, and so is an interrupted re-run of
      // them all: written, its matrix would replace the whole run's reports (and the history's entry) with fewer observations.
      if (state.end && (state.rerun || state.interrupted)) {
        const keep = 'the reports, the history and the gate keep the last whole run';
        const files = state.rerun ? `${state.rerun.ran} of ${state.rerun.of}` : `all ${request.work.length}`;
        if (state.interrupted) request.err.write(`note: the vitest UI re-run of ${files} model file(s) was interrupted (${state.interrupted}); ${keep}\n`);
        else if (state.rerun) request.err.write(`note: vitest re-ran ${state.rerun.ran} of ${state.rerun.of} model file(s): shown in the UI only${config.targets.some((t) => t.mode === 'record') ? ' (sent, not recorded: the fixtures stay the ones the reports judged)' : ''}; ${keep} (re-run all to replace them)\n`);
        return state.end;
      }
      // A first run of some files only (vitest's own selection is refused after --: cli/vitest-args.ts) says so.
      const filters = state.rerun ? [...request.filters, `vitest ran ${state.rerun.ran} of ${state.rerun.of} model file(s)`] : request.filters;
      state.end = await finishRun({ ...request, filters }, engine, state.startedAt, state.interrupted);
      // The session stays open after the run: its verdict is said now, not only once Ctrl-C ends the session.
      if (request.ui && !state.interrupted) request.err.write(sessionVerdict(state.end));
      return state.end;
    })());
  let interruptedEnd: (end: RunEnd) => void = () => undefined;
  const interrupted = new Promise<RunEnd>((resolve) => (interruptedEnd = resolve));

  /**
   * Per engine, each pair's matrix (pairMatrix), judged once from the pair's cells that ran, whichever asks first: the
   * tests' answers and the CI line per model (progressEvents) read the same one.
   */
  const matrices = new WeakMap<RunEngine, Map<string, Matrix>>();
  const judgedOnce = (pairs: Map<string, Matrix>) => (work: CellWork, results: readonly CellResult[]): Matrix => {
    const key = pairKey(work.target, work.model);
    return pairs.get(key) ?? pairs.set(key, pairMatrix(request, work, results)).get(key)!;
  };
  const answer = async (question: ResultQuestion): Promise<ResultAnswer> => {
    const work = byCell.get(pairKey(question.target, question.model));
    const check = work?.planned.checks.find((c) => c.id === question.check);
    const key = pairKey(question.target, question.model);
    state.asked = true;
    // A test of a re-run queued behind the engine going waits for its own (merged) engine to begin.
    while (!state.selected?.has(key) && !state.interrupted && state.queued.some((specs) => keysOf(specs).has(key))) await turn;
    const engine = state.engine;
    if (!engine || !work || !check) return { kind: 'not-run', reason: `${question.model} ${question.check} is not in this run` };
    // The engine runs what its test run selected, never a cell it was not asked for (requests sent twice, paid twice).
    if (!state.selected?.has(key)) return { kind: 'not-run', reason: `${question.model} is not in the files of the test run going` };
    const cell = await engine.result(work, check);
    if (!engine.ran(cell)) return { kind: 'not-run', reason: `not reached: ${engine.stopped?.message ?? 'the run stopped'}` };
    // Whether the gate finds the model observed takes all of its pair's cells (observed-models.ts): waited for, then judged once per pair.
    const all = await Promise.all(work.checks.map((c) => engine.result(work, c)));
    return resultAnswer(cell, judgedOnce(matrices.get(engine)!)(work, all.filter((c) => engine.ran(c))));
  };

  // The gate file's tests: what fails the run as a whole (junit.xml's gate testsuite), else one test of the verdict.
  const gate = async (): Promise<GateAnswer> => (state.engine ? gateTests(await finish()) : { tests: [] });

  const server = await startResultServer(answer, gate);
  let vitest: Awaited<ReturnType<typeof startVitest>> | undefined;
  const before = new Set(STOPPING_SIGNALS.flatMap((signal) => process.listeners(signal)));
  let signalledAt = 0;
  const interrupt = (by: Interruption) => {
    if (state.interrupted || state.told || state.endAsked) {
      // The same signal twice at once (GNU timeout sends it to the command and to its group) is one (run-conformance.ts).
      if (Date.now() - signalledAt < SAME_SIGNAL_MS) return;
      process.exit(INTERRUPTED_EXIT);
    }
    signalledAt = Date.now();
    // A UI re-run after the whole run (of some files or all) only shows until it has ended: stopped, it leaves the
    // reports alone, and the session ends with the last whole run's outcome.
    const partOnly = request.ui && state.end !== undefined && !state.over;
    if (partOnly) {
      state.interrupted = by;
      request.err.write(`\nInterrupted (${by}): stopping the vitest UI re-run; the reports, the history and the gate keep the last whole run (${by} again to quit now)\n`);
      state.engine?.stop('HARNESS_INTERRUPTED', interruptedMessage(by));
      void vitest?.cancelCurrentRun('keyboard-input');
    }
    if (state.over || partOnly) {
      // Nothing is left to stop. With the UI, the session ends (once the UI waits, at once); else the reports of
      // the run that ended are written whole, and a second signal quits now.
      if (request.ui) {
        state.endAsked = true;
        endSession?.();
        return;
      }
      state.told = true;
      request.err.write(`\nInterrupted (${by}): the run is over; writing its reports (${by} again to quit now, without them)\n`);
      return;
    }
    state.interrupted = by;
    request.err.write(`\nInterrupted (${by}): no new requests; abandoning those in flight and writing the partial matrix (${by} again to quit now)\n`);
    state.engine?.stop('HARNESS_INTERRUPTED', interruptedMessage(by));
    void vitest?.cancelCurrentRun('keyboard-input');
    // vitest still walks every remaining file after a cancel (each test skipped): the matrix does not wait for it.
    if (state.engine) void finish().then(interruptedEnd);
  };
  // With the UI, Ctrl-C during the run interrupts it, as without; after the run it ends the session (interrupt()).
  const onSigint = () => interrupt('Ctrl-C');
  // A UI session between runs has nothing to interrupt: SIGTERM (a CI cancel, docker stop) ends it as Ctrl-C does.
  const onSigterm = () => interrupt('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  /** The harness's own signal listeners. */
  const ours = new Set<unknown>([onSigint, onSigterm]);
  // vitest exits the process on SIGINT and SIGTERM itself; its handlers are replaced once installed (and after each re-run).
  const takeOver = () => {
    for (const signal of STOPPING_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!before.has(listener) && !ours.has(listener)) process.off(signal, listener as () => void);
    }
  };

  // Every test run (the first, and each re-run from the UI) gets a fresh engine for the files vitest runs.
  const keysOf = (specifications: ReadonlyArray<{ moduleId: string }>) =>
    new Set(specifications.flatMap((s) => {
      const cell = byFile.get(specKey(s.moduleId));
      return cell ? [pairKey(cell.target, cell.model)] : [];
    }));
  const begin = (specifications: ReadonlyArray<{ moduleId: string }>, runs = 1) => {
    state.busy = true;
    state.serving = runs;
    state.over = false;
    state.told = false;
    state.finishing = undefined;
    const selected = [...new Set(specifications.map((s) => byFile.get(specKey(s.moduleId))).filter((cell): cell is CellWork => cell !== undefined))];
    const pairs = new Map<string, Matrix>();
    state.engine = new RunEngine({ config: state.end !== undefined && selected.length < request.work.length ? unrecorded : config, loaded: request.loaded, ...(request.schemas ? { schemas: request.schemas } : {}), events: progressEvents(request.progress, request.err, judgedOnce(pairs)) });
    matrices.set(state.engine, pairs);
    state.startedAt = new Date();
    request.progress?.start(state.engine.scheduler);
    state.selected = keysOf(specifications);
    state.rerun = selected.length < request.work.length ? { ran: selected.length, of: request.work.length } : undefined;
    const running = state.engine.run(selected);
    state.running = running;
    turned();
    turn = new Promise<void>((resolve) => (turned = resolve));
    // Ctrl-C while vitest was still starting (no engine to stop then): this run stops at once and writes its matrix.
    if (state.interrupted && !state.end) {
      state.engine.stop('HARNESS_INTERRUPTED', interruptedMessage(state.interrupted));
      void finish().then(interruptedEnd);
    }
    void running.then(
      () => {
        if (state.running === running) state.over = true;
      },
      () => undefined,
    );
  };
  let shownUi = false;
  const reporter = {
    onInit(ctx: Vitest) {
      takeOver();
      // vitest's watch mode (the UI's) would re-run every file, every request sent again, when the harness's build changes.
      if (request.ui) void ctx.vite.watcher.close();
      // The UI listens before the first run starts: its address is said now, so the run can be watched in it.
      if (!request.ui || shownUi) return;
      shownUi = true;
      const address = ctx.vite.httpServer?.address();
      const port = typeof address === 'object' && address ? address.port : ctx.vite.config.server.port;
      request.err.write(`vitest UI: http://${ctx.config.api?.host ?? 'localhost'}:${port}${ctx.config.uiBase} (Ctrl-C stops the run; once it has ended, Ctrl-C ends the session)\n`);
    },
    onTestRunStart(specifications: ReadonlyArray<{ moduleId: string }>) {
      takeOver();
      // vitest starts a test run before awaiting the one going (a UI re-run asked during the run): begun now, its
      // engine would replace the run's, and its matrix be written as the run's. It waits its turn instead.
      if (state.busy) {
        state.queued.push(specifications);
        request.err.write('note: a vitest UI re-run asked while a run is going waits until that run has ended and its reports are written (re-runs asked meanwhile run as one)\n');
        return;
      }
      begin(specifications);
    },
    async onTestRunEnd(_modules: unknown, unhandled: readonly unknown[] = []) {
      state.unhandled.push(...unhandled);
      try {
        if (state.engine) await finish();
      } finally {
        // Re-runs merged into one engine each end their own vitest run: the engine is free once the last has.
        state.serving -= 1;
        if (state.serving <= 0) {
          state.busy = false;
          // vitest starts every test run queued meanwhile at once when the one going ends (its runFiles has each
          // await the same running promise), while an engine runs one selection: they are one engine, of their files' union.
          const queued = state.queued;
          state.queued = [];
          if (queued.length) begin(queued.flat(), queued.length);
        }
      }
    },
  };

  const specDir = await makeSpecDir(config.runId);
  // A process.exit (a second signal) skips the finally below: the folder goes then too.
  const removeNow = () => removeSpecFilesNow(specDir);
  process.on('exit', removeNow);
  let cut = false;
  // vitest broke after the run began, or the harness did (`kind`; vitest-crash.ts); `afterRun`: in a UI session after the run ended.
  let [crash, crashed]: [Crash | undefined, (error: unknown, kind?: CrashKind) => void] = [undefined, () => undefined];
  const broke = new Promise<void>((resolve) => (crashed = (error, kind = 'view') => void ((crash ??= { error, kind, afterRun: state.end !== undefined && !state.busy }), resolve())));
  const stopCatching = catchVitestCrash(crashed, () => state.engine !== undefined, request.vitestOptions);
  try {
    const files = [...(await writeSpecFiles(specDir, request.work)), await writeGateSpec(specDir)];
    files.slice(0, -1).forEach((file, i) => byFile.set(specKey(file), request.work[i]!));
    const session = (async () => {
      vitest = await startVitest('test', [], vitestConfig({ root: config.root, specDir, files: files.length, resultsUrl: server.url, reporter, ui: request.ui, vitestOptions: request.vitestOptions }), undefined, {
        // Not the terminal: on one, vitest's keyboard shortcuts would take Ctrl-C (cancel, then exit the process)
        // from the harness, which stops the run, writes its matrix and ends the session with the gate's exit code.
        stdin: new PassThrough() as unknown as NodeJS.ReadStream,
      }).catch((cause: unknown): undefined => {
        // Before any check ran, vitest can only be refusing what was given after `--`; after, the run's results stand.
        if (state.engine) return void crashed(cause);
        throw givenVitestOptions(request.vitestOptions).length === 0 ? cause : vitestStartError(cause, request.vitestOptions, config.root);
      });
      if (request.ui) {
        await new Promise<void>((resolve) => {
          endSession = resolve;
          // A signal that came between the run's end and this wait ends the session now.
          if (state.endAsked) resolve();
        });
      }
    })();
    // After Ctrl-C (or vitest broke) the matrix is written once the engine has stopped, without waiting on vitest.
    cut = (await Promise.race([session.then(() => false), interrupted.then(() => true), broke.then(() => true)])) === true;
    if (cut) session.catch(() => undefined);
  } finally {
    // vitest left running after it broke may throw again (its other workers) until the process ends.
    if (crash === undefined) stopCatching();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    if (!cut) {
      await vitest?.close();
      await server.close();
    }
    await removeSpecFiles(specDir);
    process.off('exit', removeNow);
  }
  // A session a signal ended while the reports were written: they are the run's (or vitest broke: crashEnd).
  const crashOf = crash as Crash | undefined; // set by a listener, which narrowing does not see
  if (crashOf !== undefined) return crashEnd(crashOf.error, crashOf.kind, crashOf.afterRun);
  await state.finishing?.catch(() => undefined);
  // Once the engine began, vitest going wrong without throwing (an error it printed, no end, no file run) is a crash too.
  const broken = state.engine && !state.interrupted ? viewBreak({ ended: state.end !== undefined, asked: state.asked === true, modelFiles: request.work.length, unhandled: [...state.unhandled, ...(vitest?.state.getUnhandledErrors() ?? [])] }) : undefined;
  if (broken) return crashEnd(broken);
  // No check ran: with arguments after `--` (a --project filter that matched nothing), they are why.
  if (!state.end && givenVitestOptions(request.vitestOptions).length > 0) throw vitestStartError(new Error('vitest ran no check'), request.vitestOptions, config.root);
  if (!state.end) throw new HarnessError('HARNESS_INTERNAL', 'vitest finished without running the checks; rerun with -- --reporter=verbose to see why');
  return state.told ? { ...state.end, signalledAfterRun: true } : state.end;
  // After vitest broke: the engine's results written (finish); vitest is left as it is, and the process ends with the command.
  async function crashEnd(cause: unknown, kind: CrashKind = 'view', afterRun = false): Promise<RunEnd> {
    if (!state.engine) throw givenVitestOptions(request.vitestOptions).length > 0 ? vitestStartError(cause, request.vitestOptions, config.root) : cause;
    atCommandEnd(async () => true);
    return { ...(await finish()), viewBroke: kind === 'bug' ? harnessBugError(cause, afterRun) : vitestViewError(cause, request.vitestOptions) };
  }
}

export { resultAnswer } from './vitest-answers.ts';
