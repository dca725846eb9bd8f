/**
 * @module run/run-engine
 * Runs the selected checks of a run in this process. The run's concurrency is its requests, not threads: one
 * scheduler bounds what is in flight (global and per-model limits, token budgets, spend caps), and enough models
 * are worked on at once to keep it busy, the longest first. A model's session is dropped when its checks are done,
 * so memory holds the sessions in progress plus the results, which is what the reports need.
 */
import type { LatencySample } from '../checks/latency.ts';
import type { RecordingKept } from '../transport/kept-cases.ts';
import type { SchemaSet } from '../checks/schema.ts';
import type { ShapeSample } from '../checks/shape.ts';
import type { HarnessErrorCode } from '../errors.ts';
import type { PlannedCheck, Plan } from '../plan/plan.ts';
import { boundResult } from '../report/bound-result.ts';
import { EndpointBreaker, ENDPOINT_DOWN, type TargetDown } from '../transport/endpoint-breaker.ts';
import { LocalScheduler } from '../transport/scheduler.ts';
import type { Target } from '../transport/target.ts';
import { CapWatch } from './cap-watch.ts';
import { createTarget } from './create-target.ts';
import { catalogMaxOutput } from './output-ceiling.ts';
import type { LoadedPlan } from './load-plan.ts';
import { ModelSession } from './model-session.ts';
import type { RunConfig } from './run-config.ts';
import type { CellWork } from './selection.ts';
import type { CellResult } from './cell-result.ts';
import { pairKey } from '../report/matrix.ts';
import { proxyFor } from '../transport/proxy.ts';

export interface EngineEvents {
  /** A check's result, as soon as it is known. Results of an interrupted run that did not run never arrive. */
  onResult?(result: CellResult): void;
  /** Every selected check of a cell has a result (or the run stopped first): `results` are those that ran. */
  onCellEnd?(cell: CellWork, results: readonly CellResult[]): void;
  /** A failure that stops the run (a rejected key): the other threads of a shared replay must stop too. */
  onFatal?(fatal: { code: 'HARNESS_AUTH_REJECTED'; message: string }): void;
  /** A target stopped answering (`--give-up-after`): nothing more is sent to it. Once per target. */
  onTargetDown?(down: TargetDown): void;
  /** A route refused the credentials another route of the target accepted, or a key's scope a model (its cases are errors, the run goes on). */
  onRouteRefused?(refused: { target: string; message: string }): void;
}

export interface EngineOptions {
  config: RunConfig;
  loaded: LoadedPlan;
  /** `--openapi` schemas for the schema.* checks; default the project's. */
  schemas?: SchemaSet;
  events?: EngineEvents;
  /** Models worked on at once. @default modelsAtOnce(config) */
  modelsAtOnce?: number;
  /**
   * Keep every result for `results` (the reports need them). A replay thread hands each cell's results to the main
   * thread as the cell ends and keeps nothing of it. @default true
   */
  keepResults?: boolean;
}

/**
 * Live and record: twice `--concurrency`. A model's requests are mostly a chain (probe, then case; create, then
 * poll), so one model rarely fills a slot for long; twice as many models as slots keep the scheduler's queue full
 * while models wait on polls. Replay has no network: a few models at once keep the CPU busy.
 */
export function modelsAtOnce(config: RunConfig): number {
  return config.targets.every((t) => t.mode === 'replay') ? 8 : 2 * config.concurrency;
}

/** Rough work of a model: the steps of the cases it is expected to run, a polling step counting for a long wait. */
export function modelWeight(plan: Plan, modelId: string): number {
  const model = plan.models.find((m) => m.id === modelId);
  const served = (api: string) => {
    const expectation = model?.checks.find((c) => c.id === `api.${api}`)?.expectation;
    return !expectation || expectation.value === 'supported';
  };
  let weight = 0;
  for (const spec of plan.cases.values()) {
    if (!spec.probe && !served(spec.api)) continue;
    for (const step of spec.steps) weight += step.poll ? 20 : 1;
  }
  return weight;
}

/** The cells in the order a run takes them: the most work first, so that no long model starts last. */
export function longestFirst(work: readonly CellWork[], plan: Plan): CellWork[] {
  const weights = new Map(work.map((cell) => [pairKey(cell.target, cell.model), modelWeight(plan, cell.model)]));
  return [...work].sort((a, b) => weights.get(pairKey(b.target, b.model))! - weights.get(pairKey(a.target, a.model))!);
}


/** One cell in progress: its session, and each check's result once asked for. */
interface CellRun {
  work: CellWork;
  session: ModelSession | undefined;
  checks: Map<string, Promise<CellResult>>;
}

export class RunEngine {
  readonly #options: EngineOptions;
  readonly #targets: Promise<Map<string, Target>>;
  readonly #cells = new Map<string, CellRun>();
  readonly #results: CellResult[] = [];
  /** Results cut short by a stop: they did not run (see `ran`). */
  readonly #notRun = new WeakSet<CellResult>();
  /** Each finished cell's latency samples (`target/model`), kept when its session is dropped, for the reports. */
  readonly latency = new Map<string, readonly LatencySample[]>();
  /** Each finished cell's shape fingerprints (`target/model`), kept like the latency samples. */
  readonly shapes = new Map<string, readonly ShapeSample[]>();
  /** The run's scheduler (live and record only): requests sent, tokens, peak in flight, and the spend caps. */
  readonly scheduler: CapWatch | undefined;
  /** Which targets stopped answering (live and record, unless --give-up-after 0). */
  readonly breaker: EndpointBreaker | undefined;
  #stopped: { code: HarnessErrorCode; message: string } | undefined;
  /** The first failure that must stop the run (a rejected key). */
  fatal: { code: 'HARNESS_AUTH_REJECTED'; message: string } | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    const { config } = options;
    const live = config.targets.some((t) => t.mode !== 'replay');
    this.scheduler = live
      ? new CapWatch(new LocalScheduler({ concurrency: config.concurrency, perModel: config.modelConcurrency, tpm: config.tpm, maxRequests: config.maxRequests, maxTokensTotal: config.maxTokensTotal }))
      : undefined;
    // A target given up on is stopped alone: the scheduler denies its requests, the other targets carry on.
    const scheduler = this.scheduler;
    this.breaker =
      scheduler && config.giveUpAfter > 0
        ? new EndpointBreaker({
            limit: config.giveUpAfter,
            silentMs: config.timeoutMs,
            proxyOf: (id) => proxyShown(config.targets.find((t) => t.id === id)?.baseUrl),
            onDown: (down) => {
              scheduler.stopTarget(down.target, ENDPOINT_DOWN, down.message);
              options.events?.onTargetDown?.(down);
            },
          })
        : undefined;
    const refused = (target: string) => (message: string) => options.events?.onRouteRefused?.({ target, message });
    const catalog = { maxOutputOf: catalogMaxOutput(options.loaded.catalog), catalogModels: options.loaded.catalog.models.map((m) => m.id) };
    this.#targets = Promise.all(config.targets.map(async (t) => [t.id, await createTarget(t, config, this.scheduler, this.breaker, refused(t.id), catalog)] as const)).then((entries) => new Map(entries));
    // Surfaced by run() and result(); never an unhandled rejection in between.
    this.#targets.catch(() => undefined);
  }

  /** Results of the checks that ran, in the order they finished. */
  get results(): readonly CellResult[] {
    return this.#results;
  }

  /** Why the run stopped early (Ctrl-C, a rejected key), if it did. */
  get stopped(): { code: HarnessErrorCode; message: string } | undefined {
    return this.#stopped;
  }

  /** Runs the cells, `modelsAtOnce` at a time, the longest first; resolves when all are done or the run stopped. */
  async run(work: readonly CellWork[]): Promise<void> {
    const queue = longestFirst(work, this.#options.loaded.plan);
    await this.runFrom(() => queue.shift(), queue.length);
  }

  /**
   * Runs cells taken one at a time from `next` (a queue other threads may take from too: replay-threads.ts), up to
   * `modelsAtOnce` at once, until it has no more or the run stopped.
   */
  async runFrom(next: () => CellWork | undefined, expected = Infinity): Promise<void> {
    await this.#targets;
    const lanes = Math.max(1, Math.min(this.#options.modelsAtOnce ?? modelsAtOnce(this.#options.config), expected));
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        // Checked before each take: a stopped thread takes no cell from a shared queue, to drop it.
        while (!this.#stopped) {
          const cell = next();
          if (!cell) break;
          await this.#runCell(cell);
          // A replay never waits on I/O: without a turn of the event loop between cells, Ctrl-C and the results of
          // other threads would only be seen once every cell was done.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
  }

  /** One check's result: the one run ahead when there is one, else run now (vitest asks per test). */
  async result(work: CellWork, check: PlannedCheck): Promise<CellResult> {
    const known = this.#cells.get(pairKey(work.target, work.model))?.checks.get(check.id);
    if (known) return known;
    // Once stopped, nothing new starts: a check not yet asked for did not run.
    if (this.#stopped) return this.#notRunResult(work, check);
    const targets = await this.#targets;
    return this.#check(this.#cellRun(work, targets), check, targets);
  }

  #notRunResult(work: CellWork, check: PlannedCheck): CellResult {
    const expected = check.expectation?.value ?? null;
    const cell: CellResult = {
      target: work.target,
      model: work.model,
      check: check.id,
      result: { status: 'skipped', observed: null, expected, reason: this.#stopped?.message ?? 'not run', evidence: [] },
      expectedSource: check.expectation?.source ?? null,
      usage: { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 },
      provenance: [],
    };
    this.#notRun.add(cell);
    return cell;
  }

  /** A failure that stops the run: the first one is the run's (`fatal`), and everything stops. */
  fail(fatal: { code: 'HARNESS_AUTH_REJECTED'; message: string }): void {
    if (this.fatal) return;
    this.fatal = fatal;
    this.stop(fatal.code, `not sent: the run stopped because ${fatal.message}`);
    this.#options.events?.onFatal?.(fatal);
  }

  /** Stop sending: waiting requests are denied, those in flight abandoned, no other model starts. */
  stop(code: HarnessErrorCode, message: string): void {
    this.#stopped ??= { code, message };
    this.scheduler?.stop(code, message);
    for (const run of this.#cells.values()) run.session?.abort(message);
  }

  async close(): Promise<void> {
    const targets = await this.#targets.catch(() => new Map<string, Target>());
    await Promise.all([...targets.values()].map((t) => t.close()));
  }

  /** Per target, the cases a record run kept unrecorded (transport/kept-cases.ts); none for live and replay targets. */
  async recordingKept(): Promise<Map<string, RecordingKept>> {
    const targets = await this.#targets.catch(() => new Map<string, Target>());
    return new Map([...targets].flatMap(([id, t]) => (t.recordingKept?.count ? [[id, t.recordingKept] as const] : [])));
  }

  async #runCell(work: CellWork): Promise<void> {
    const targets = await this.#targets;
    const run = this.#cellRun(work, targets);
    const settled = await Promise.all(work.checks.map((check) => this.#check(run, check, targets)));
    // The session holds every exchange of the model; the results and the latency samples are all the reports need.
    if (run.session) {
      this.latency.set(`${work.target}/${work.model}`, run.session.latencySamples());
      this.shapes.set(`${work.target}/${work.model}`, run.session.shapeSamples());
    }
    run.session = undefined;
    targets.get(work.target)?.modelFinished?.(work.model);
    this.#options.events?.onCellEnd?.(work, settled.filter((r) => this.ran(r)));
    // A replay thread has handed them on: it keeps nothing of a finished cell.
    if (this.#options.keepResults === false) this.#cells.delete(pairKey(work.target, work.model));
  }

  #cellRun(work: CellWork, targets: Map<string, Target>): CellRun {
    const key = pairKey(work.target, work.model);
    let run = this.#cells.get(key);
    if (!run) {
      run = { work, session: undefined, checks: new Map() };
      this.#cells.set(key, run);
    }
    run.session ??= this.#session(work, targets);
    return run;
  }

  #session(work: CellWork, targets: Map<string, Target>): ModelSession {
    const target = targets.get(work.target);
    if (!target) throw new Error(`no target ${work.target} in this run`);
    const surface = this.#options.config.targets.find((t) => t.id === work.target)?.surface;
    const session = new ModelSession(this.#options.loaded.plan, work.planned, target, {
      repeat: this.#options.config.repeat,
      ...(surface ? { surface } : {}),
      ...(this.#options.schemas ? { schemas: this.#options.schemas } : {}),
      onAuthRejected: (_exchange, message) => this.fail({ code: 'HARNESS_AUTH_REJECTED', message }),
    });
    if (this.#stopped) session.abort(this.#stopped.message);
    return session;
  }

  #check(run: CellRun, check: PlannedCheck, targets: Map<string, Target>): Promise<CellResult> {
    let result = run.checks.get(check.id);
    if (!result) {
      const session = run.session ?? (run.session = this.#session(run.work, targets));
      result = session.runCheck(check).then((outcome) => {
        const cell: CellResult = {
          target: run.work.target,
          model: run.work.model,
          check: check.id,
          // Bounded as soon as it exists: a reason that quotes a 6 MB body keeps a few KiB, in memory and on loopback.
          result: boundResult(outcome),
          expectedSource: check.expectation?.source ?? null,
          usage: { ...session.usage },
          provenance: session.provenance(),
        };
        // Once the run is stopped, a check that comes back skipped or in error was cut short by the stop itself.
        if (this.#stopped && (outcome.status === 'skipped' || outcome.status === 'error')) {
          this.#notRun.add(cell);
        } else {
          if (this.#options.keepResults !== false) this.#results.push(cell);
          this.#options.events?.onResult?.(cell);
        }
        return cell;
      });
      run.checks.set(check.id, result);
    }
    return result;
  }

  /**
   * Whether a result counts as observed. A check cut short by a stop (Ctrl-C, a rejected key) did not run: the
   * matrix says "not reached" for it instead of passing a `skipped` or `error` off as a finding.
   */
  ran(cell: CellResult): boolean {
    return !this.#notRun.has(cell);
  }
}

/** How messages name the proxy a base URL's requests go through (transport/proxy.ts), if any. */
function proxyShown(baseUrl: string | null | undefined): string | undefined {
  try {
    return baseUrl ? proxyFor(new URL(baseUrl))?.shown : undefined;
  } catch {
    // A bad proxy value was refused before the run (run-options.ts): nothing to name here.
    return undefined;
  }
}
