/**
 * @module run/model-session
 * One model on one target: runs each case once per trial (every check that reads it shares the exchanges), decides
 * routes from the probes and whether the model gets room to think, records finished cases, and turns a check into a
 * result (its trials combined) without ever letting a check's exception escape as anything but `error`.
 */
import { setMaxListeners } from 'node:events';
import { getCheck } from '../checks/registry.ts';
import { modelFinding, resolveApiRoute, type ApiRoute } from '../checks/route.ts';
import type { SchemaSet } from '../checks/schema.ts';
import { answerOf } from '../checks/answer.ts';
import { showsReasoning } from '../checks/budget.ts';
import type { LatencySample } from '../checks/latency.ts';
import { exchangeKey, shapeOf, type ShapeSample } from '../checks/shape.ts';
import { describeGuess } from '../checks/route-guess.ts';
import { combineTrials, judgedPerTrial } from '../checks/trials.ts';
import { withAnsweredBy } from '../checks/answered-by.ts';
import type { CaseOutcome, CheckResult } from '../checks/types.ts';
import type { PlannedCheck, PlannedModel, Plan } from '../plan/plan.ts';
import type { LoadedCase } from '../suite/load-suites.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import type { Surface } from '../surfaces.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { Target } from '../transport/target.ts';
import { prefixesFor, runCase } from './case-runner.ts';
import { casesReadPerTrial } from './per-trial-cases.ts';
import { finishCase, unsentTrial } from './case-recording.ts';
import { runOnObserved, withGuessKept } from './observed-steps.ts';
import { boundsRefusedBy } from './output-bounds.ts';
import { sharedTarget, watchedTarget, type SessionUsage } from './session-target.ts';
import { claimedThinking, shownThinking, type Thinking } from './room-to-think.ts';

export interface RecordingProvenance {
  source: 'live' | 'emulator';
  recordedFrom: string;
  recordedTo: string;
  harnessVersions: string[];
}

export interface SessionHooks {
  /** Called when an exchange shows a real authentication failure (a 401 that is not Berm). */
  onAuthRejected?(exchange: Exchange, message: string): void;
  /** Schemas for the schema.* checks (`--openapi`); default the project's. */
  schemas?: SchemaSet;
  /** The target's endpoint surface (its route prefixes). @default mantle */
  surface?: Surface;
  /** Wait `interval_ms` between polls. @default true except in replay */
  waitBetweenPolls?: boolean;
  /**
   * Independent trials of every case read by a check that depends on the model (`--repeat`); probes and shared
   * cases run once. In replay a case runs as many trials as were recorded, when that is more. @default 1
   */
  repeat?: number;
}

export class ModelSession {
  readonly model: PlannedModel;
  readonly #plan: Plan;
  readonly #target: Target;
  readonly #hooks: SessionHooks;
  /** Every trial's outcome of a case, in trial order. */
  readonly #outcomes = new Map<string, Promise<CaseOutcome[]>>();
  readonly #routes = new Map<ApiId, Promise<ApiRoute>>();
  /** APIs whose route no probe found (the catalog's prefix taken): a refusal there is the guess's (checks/route-guess.ts). */
  readonly #guessedRoutes = new Map<ApiId, string>();
  readonly #abort = new AbortController();
  #stoppedBy: string | undefined;
  readonly #schemas: SchemaSet | undefined;
  /** Requests, tokens and wall time (first request out to last answer in) this session has used so far. */
  readonly usage: SessionUsage = { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 };
  readonly #provenance = new Map<'live' | 'emulator', RecordingProvenance>();
  #thinking: Promise<Thinking | undefined> | undefined;
  #probesRun: Promise<Map<string, CaseOutcome>> | undefined;
  #probeIds: string[] | undefined;
  #refusedByApi: Promise<Map<ApiId, Set<string>>> | undefined;
  #perTrialCases: ReadonlySet<string> | undefined;
  readonly #latency: LatencySample[] = [];
  readonly #shapes: ShapeSample[] = [];
  /** The target as this session sends through it: counted and watched for a rejected key. */
  readonly #watched: Target;

  constructor(plan: Plan, model: PlannedModel, target: Target, hooks: SessionHooks = {}) {
    this.#plan = plan;
    this.model = model;
    this.#target = target;
    this.#hooks = hooks;
    this.#schemas = hooks.schemas;
    // Every request in flight listens to this signal (AbortSignal.any): dozens at once are expected.
    setMaxListeners(1000, this.#abort.signal);
    this.#watched = watchedTarget(target, {
      usage: this.usage,
      latency: this.#latency,
      apiOf: (id) => plan.cases.get(id)?.api ?? 'unknown',
      ...(hooks.onAuthRejected ? { onAuthRejected: hooks.onAuthRejected } : {}),
    });
  }

  /** Stops sending for this session; `why` is what stopped the run (a kept case names it: case-recording.ts). */
  abort(why?: string): void {
    this.#stoppedBy ??= why;
    this.#abort.abort();
  }

  /** The outcome of one trial of a case (trial 1 by default; a case run fewer times answers with its last trial). */
  async outcome(caseId: string, trial = 1): Promise<CaseOutcome> {
    return trialOf(await this.#trialsOf(caseId), trial);
  }

  #trialsOf(caseId: string): Promise<CaseOutcome[]> {
    let outcomes = this.#outcomes.get(caseId);
    if (!outcomes) {
      outcomes = this.#modelProbeIds().includes(caseId) ? this.#modelProbes().then((all) => [all.get(caseId)!]) : this.#runCase(caseId);
      this.#outcomes.set(caseId, outcomes);
    }
    return outcomes;
  }

  /**
   * The probes that ask about this model (not shared ones like GET /models), for the APIs its planned checks use:
   * run together, because only all of them can tell that the endpoint does not know (or denies) the model. Then every
   * probe outcome is that finding (HARNESS_MODEL_NOT_FOUND, or HARNESS_ACCESS_DENIED), and no case is sent to it.
   */
  #modelProbes(): Promise<Map<string, CaseOutcome>> {
    this.#probesRun ??= (async () => {
      const ids = this.#modelProbeIds();
      const outcomes = (await Promise.all(ids.map((id) => this.#runCase(id)))).map((trials) => trials[0]!);
      const finding = modelFinding(outcomes, this.model.id);
      const adjusted = finding
        ? outcomes.map((o): CaseOutcome => ({ kind: 'error', caseId: o.caseId, api: o.api, exchanges: 'exchanges' in o ? o.exchanges : [], error: finding }))
        : outcomes;
      return new Map(adjusted.map((o) => [o.caseId, o]));
    })();
    return this.#probesRun;
  }

  #modelProbeIds(): string[] {
    if (!this.#probeIds) {
      const cases = [...this.#plan.cases.values()];
      const read = new Set(this.model.checks.flatMap((c) => c.cases));
      const apis = new Set(cases.filter((c) => read.has(c.id)).map((c) => c.api));
      this.#probeIds = cases.filter((c) => c.probe && !c.shared && (apis.has(c.api) || read.has(c.id))).map((c) => c.id);
    }
    return this.#probeIds;
  }

  /**
   * How many trials a case gets: `repeat` for a case read per trial (per-trial-cases.ts), else one. Replay gives as
   * many as were recorded, whatever `repeat` says: a trial more would replay trial 1's answers and outvote them.
   */
  async #trialCount(spec: LoadedCase): Promise<number> {
    if (!this.#readPerTrial(spec)) return 1;
    const recorded = await this.#target.trialsRecorded?.(this.model.id, spec.id);
    return recorded ?? this.#hooks.repeat ?? 1;
  }

  /** Whether the case's trials follow `--repeat`: a check judged on every trial reads it. */
  #readPerTrial(spec: LoadedCase): boolean {
    return !spec.probe && !spec.shared && this.#perTrialCaseIds().has(spec.id);
  }

  /** The cases a check judged on every trial reads, in a record run of every check, selected or not (worked out once: per-trial-cases.ts). */
  #perTrialCaseIds(): ReadonlySet<string> {
    this.#perTrialCases ??= casesReadPerTrial(this.model.checks, this.#target.mode === 'record' ? this.#plan.cases.values() : undefined);
    return this.#perTrialCases;
  }

  async #runCase(caseId: string): Promise<CaseOutcome[]> {
    const spec = this.#plan.cases.get(caseId);
    if (!spec) return [{ kind: 'skipped', caseId, api: 'chat-completions', reason: `no case "${caseId}" in the suites` }];
    // Replay answers every model from its own fixture; sharing only saves requests against a live endpoint.
    const target = spec.shared && this.#target.mode !== 'replay' ? sharedTarget(this.#target, this.#watched) : this.#watched;
    const count = await this.#trialCount(spec);
    // Trials are independent questions: ask them at once (the scheduler still bounds what is in flight).
    const outcomes = (await Promise.all(
      Array.from({ length: count }, (_, i) =>
        runCase(spec, {
          model: this.model.id,
          target,
          ...(this.#hooks.surface ? { surface: this.#hooks.surface } : {}),
          route: (api) => this.route(api),
          signal: this.#abort.signal,
          waitBetweenPolls: this.#hooks.waitBetweenPolls ?? this.#target.mode !== 'replay',
          trial: i + 1,
          thinking: () => this.thinking(),
          refusedBounds: (api) => this.#refusedBounds(api),
        }),
      ),
    )).map((o) => (spec.probe ? o : withGuessKept(o, this.#guessedRoutes.get(spec.api))));
    const exchanges = outcomes.flatMap((o) => (o.kind === 'completed' || o.kind === 'error' ? o.exchanges : []));
    for (const exchange of exchanges) {
      const fingerprint = shapeOf(exchange);
      if (fingerprint) this.#shapes.push({ api: spec.api, key: exchangeKey(caseId, exchange), fingerprint });
    }
    if (outcomes.some((o) => o.kind === 'completed' || o.kind === 'error')) {
      const finished = await finishCase(this.#target, this.model.id, caseId, outcomes, exchanges, this.#stoppedBy, { perTrial: this.#readPerTrial(spec) });
      if (finished !== outcomes) return finished;
      const provenance = await this.#target.provenanceOf?.(this.model.id, caseId);
      if (provenance) this.#noteProvenance(provenance);
    }
    return outcomes;
  }

  /**
   * Whether the model reasons, and so gets room to think in cases that need visible output: the catalog's word
   * when it states one, else what the probes' answers showed (reasoning tokens, reasoning text or items).
   */
  thinking(): Promise<Thinking | undefined> {
    this.#thinking ??= this.#decideThinking();
    return this.#thinking;
  }

  async #decideThinking(): Promise<Thinking | undefined> {
    const claim = this.model.reasoning;
    if (claim) return claimedThinking(claim);
    for (const outcome of (await this.#modelProbes()).values()) {
      if (outcome.kind !== 'completed') continue;
      for (const exchange of outcome.exchanges) {
        const answer = answerOf(exchange);
        if (answer.kind === 'ok' && answer.body && showsReasoning(answer.body)) {
          return shownThinking(`the ${outcome.caseId} answer on ${exchange.prefix} showed reasoning`);
        }
      }
    }
    return undefined;
  }

  /** Output bounds the model's probes were refused (learned once; every case waits for the probes anyway). */
  async #refusedBounds(api: ApiId): Promise<ReadonlySet<string>> {
    // Read from the probes' answers once, not once per case: they never change once the probes ran.
    this.#refusedByApi ??= this.#modelProbes().then((outcomes) => boundsRefusedBy([...outcomes.values()].flatMap((o) => ('exchanges' in o ? [{ api: o.api, exchanges: o.exchanges }] : []))));
    return (await this.#refusedByApi).get(api) ?? new Set();
  }

  /** Latency of every exchange that went over the network (or was recorded from one), by API. */
  latencySamples(): readonly LatencySample[] {
    return this.#latency;
  }

  /** The shape fingerprint of every answer this session received, by API and exchange key. */
  shapeSamples(): readonly ShapeSample[] {
    return this.#shapes;
  }

  /** Where the recordings this session replayed came from, one entry per source. */
  provenance(): RecordingProvenance[] {
    return [...this.#provenance.values()];
  }

  #noteProvenance(p: { source: 'live' | 'emulator'; recordedAt: string; harnessVersion: string }): void {
    const seen = this.#provenance.get(p.source);
    if (!seen) {
      this.#provenance.set(p.source, { source: p.source, recordedFrom: p.recordedAt, recordedTo: p.recordedAt, harnessVersions: [p.harnessVersion] });
      return;
    }
    if (p.recordedAt < seen.recordedFrom) seen.recordedFrom = p.recordedAt;
    if (p.recordedAt > seen.recordedTo) seen.recordedTo = p.recordedAt;
    if (!seen.harnessVersions.includes(p.harnessVersion)) seen.harnessVersions.push(p.harnessVersion);
  }

  /** The route of an API, from every probe case of that API; APIs without probes use the model's OpenAI route. */
  route(api: ApiId): Promise<ApiRoute> {
    let route = this.#routes.get(api);
    if (!route) {
      route = this.#resolveRoute(api);
      this.#routes.set(api, route);
    }
    return route;
  }

  async #resolveRoute(api: ApiId): Promise<ApiRoute> {
    const probes = [...this.#plan.cases.values()].filter((c) => c.probe && c.api === api);
    if (probes.length > 0) {
      const outcomes = await Promise.all(probes.map((probe) => this.outcome(probe.id)));
      return resolveApiRoute(outcomes, api, this.model.preferredPrefixes);
    }
    const family = prefixesFor(api, this.#hooks.surface);
    if (family.length === 1) return { state: 'supported', prefix: family[0]! };
    // No probe for this API: use the prefix any probed OpenAI API is served on.
    const probed = [...new Set([...this.#plan.cases.values()].filter((c) => c.probe && !c.shared && prefixesFor(c.api, this.#hooks.surface).length > 1).map((c) => c.api))];
    for (const other of probed) {
      const route = await this.route(other);
      // Another API's probe found the prefix, not this API's: a refusal there says nothing of this API's routes.
      if (route.state === 'supported') return this.#guess(api, route.prefix, other);
      if (route.state === 'not-found' || (route.state === 'unknown' && route.notSent?.code === 'HARNESS_ACCESS_DENIED')) return route;
    }
    return this.#guess(api, this.model.preferredPrefixes[0] ?? '/v1');
  }

  /** A route no probe of the API found, noted so that a refusal on it is no "not served" (checks/route-guess.ts). */
  #guess(api: ApiId, prefix: string, borrowedFrom?: ApiId): ApiRoute {
    this.#guessedRoutes.set(api, describeGuess(api, prefix, borrowedFrom));
    return { state: 'supported', prefix };
  }

  /**
   * The check's result: judged on each trial of its cases when it depends on the model (the trials combined into
   * one verdict, `flaky` when they disagree), else on the first trial only.
   */
  async runCheck(planned: PlannedCheck, signal?: AbortSignal): Promise<CheckResult> {
    signal?.addEventListener('abort', () => this.abort(), { once: true });
    const definition = getCheck(planned.id);
    const expected = planned.expectation?.value ?? null;
    if (!definition) return { status: 'error', observed: null, expected, reason: `HARNESS_INTERNAL: no check "${planned.id}" in the registry`, evidence: [] };
    // Every trial of each case the check reads, waited for once (a schema check reads every case of its API).
    const byCase = await Promise.all(planned.cases.map((id) => this.#trialsOf(id)));
    const trials = judgedPerTrial(definition) ? Math.max(1, ...byCase.map((all) => all.length)) : 1;
    const results: CheckResult[] = [];
    // A trial a stop, a cap or a target given up on left a case of unsent is no verdict: a pass on the others is none
    // either (trials.ts), as record keeps such a case (case-recording.ts).
    const notRun: boolean[] = [];
    for (let trial = 1; trial <= trials; trial++) {
      const outcomes = byCase.map((all) => trialOf(all, trial));
      notRun.push(outcomes.some(unsentTrial));
      try {
        results.push(await runOnObserved(definition, { model: this.model.id, expectation: planned.expectation, outcomes, ...(this.#schemas ? { schemas: this.#schemas } : {}), ...(this.#hooks.surface ? { surface: this.#hooks.surface } : {}) }));
      } catch (error) {
        results.push({ status: 'error', observed: null, expected, reason: `HARNESS_INTERNAL: check ${planned.id} threw: ${(error as Error).message}`, evidence: [] });
      }
    }
    // Unless the check judged the trial on what was sent (an answer's skip is a verdict): its own skip, or its error on
    // what the target never answered.
    return withAnsweredBy(combineTrials(results, notRun.map((cut, i) => cut && (results[i]!.status === 'error' || (results[i]!.status === 'skipped' && !results[i]!.skippedByAnswer)))));
  }
}

/** A case's outcome for `trial` (from 1): its own, or its last one for a case that ran fewer trials (a probe runs one). */
function trialOf(trials: readonly CaseOutcome[], trial: number): CaseOutcome {
  return trials[Math.min(trial, trials.length) - 1]!;
}
