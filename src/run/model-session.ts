/**
 * @module run/model-session
 * One model on one target: runs each case at most once (every check that reads it shares the exchange), decides
 * routes from the probes, records finished cases, and turns a check into a result without ever letting a check's
 * exception escape as anything but `error`.
 */
import { setMaxListeners } from 'node:events';
import { getCheck } from '../checks/registry.ts';
import { resolveApiRoute, type ApiRoute } from '../checks/route.ts';
import type { SchemaSet } from '../checks/schema.ts';
import type { CaseOutcome, CheckResult } from '../checks/types.ts';
import type { PlannedCheck, PlannedModel, Plan } from '../plan/plan.ts';
import { toHarnessError } from '../errors.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { bodyText } from '../transport/body.ts';
import { classifyResponse } from '../transport/classify-response.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import { requestKey } from '../transport/request-key.ts';
import { usageOf } from '../transport/usage.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { prefixesFor, runCase } from './case-runner.ts';

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
  /** Wait `interval_ms` between polls. @default true except in replay */
  waitBetweenPolls?: boolean;
}

/** Shared across the sessions of one worker: one answer per (target, request) for `shared: true` cases. */
const sharedAnswers = new WeakMap<Target, Map<string, Promise<Exchange>>>();

export class ModelSession {
  readonly model: PlannedModel;
  readonly #plan: Plan;
  readonly #target: Target;
  readonly #hooks: SessionHooks;
  readonly #outcomes = new Map<string, Promise<CaseOutcome>>();
  readonly #routes = new Map<ApiId, Promise<ApiRoute>>();
  readonly #abort = new AbortController();
  readonly #schemas: SchemaSet | undefined;
  /** Requests, tokens and wall time (first request out to last answer in) this session has used so far. */
  readonly usage = { requests: 0, inputTokens: 0, outputTokens: 0, wallMs: 0 };
  #firstSentAt: number | undefined;
  readonly #provenance = new Map<'live' | 'emulator', RecordingProvenance>();

  constructor(plan: Plan, model: PlannedModel, target: Target, hooks: SessionHooks = {}) {
    this.#plan = plan;
    this.model = model;
    this.#target = target;
    this.#hooks = hooks;
    this.#schemas = hooks.schemas;
    // Every request in flight listens to this signal (AbortSignal.any): dozens at once are expected.
    setMaxListeners(1000, this.#abort.signal);
  }

  /** Stops sending for this session (the run was cancelled). */
  abort(): void {
    this.#abort.abort();
  }

  outcome(caseId: string): Promise<CaseOutcome> {
    let outcome = this.#outcomes.get(caseId);
    if (!outcome) {
      outcome = this.#runCase(caseId);
      this.#outcomes.set(caseId, outcome);
    }
    return outcome;
  }

  async #runCase(caseId: string): Promise<CaseOutcome> {
    const spec = this.#plan.cases.get(caseId);
    if (!spec) return { kind: 'skipped', caseId, api: 'chat-completions', reason: `no case "${caseId}" in the suites` };
    // Replay answers every model from its own fixture; sharing only saves requests against a live endpoint.
    const target = spec.shared && this.#target.mode !== 'replay' ? this.#sharedTarget() : this.#guardedTarget();
    const outcome = await runCase(spec, {
      model: this.model.id,
      target,
      route: (api) => this.route(api),
      signal: this.#abort.signal,
      waitBetweenPolls: this.#hooks.waitBetweenPolls ?? this.#target.mode !== 'replay',
    });
    if (outcome.kind === 'completed' || outcome.kind === 'error') {
      try {
        await this.#target.caseFinished(this.model.id, caseId, outcome.exchanges);
      } catch (error) {
        // A fixture that could not be written (e.g. it held a credential) must not look like a clean recording.
        const harness = toHarnessError(error);
        return { kind: 'error', caseId, api: outcome.api, exchanges: outcome.exchanges, error: { code: harness.code, message: harness.message } };
      }
      const provenance = await this.#target.provenanceOf?.(this.model.id, caseId);
      if (provenance) this.#noteProvenance(provenance);
    }
    return outcome;
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
    const family = prefixesFor(api);
    if (family.length === 1) return { state: 'supported', prefix: family[0]! };
    // No probe for this API (e.g. GET /models): use the prefix any probed OpenAI API is served on.
    const probed = [...new Set([...this.#plan.cases.values()].filter((c) => c.probe && prefixesFor(c.api).length > 1).map((c) => c.api))];
    for (const other of probed) {
      const route = await this.route(other);
      if (route.state === 'supported') return route;
    }
    return { state: 'supported', prefix: this.model.preferredPrefixes[0] ?? '/v1' };
  }

  async runCheck(planned: PlannedCheck, signal?: AbortSignal): Promise<CheckResult> {
    signal?.addEventListener('abort', () => this.abort(), { once: true });
    const definition = getCheck(planned.id);
    const expected = planned.expectation?.value ?? null;
    if (!definition) {
      return { status: 'error', observed: null, expected, reason: `HARNESS_INTERNAL: no check "${planned.id}" in the registry`, evidence: [] };
    }
    const outcomes = await Promise.all(planned.cases.map((id) => this.outcome(id)));
    try {
      return await definition.run({ model: this.model.id, expectation: planned.expectation, outcomes, ...(this.#schemas ? { schemas: this.#schemas } : {}) });
    } catch (error) {
      return { status: 'error', observed: null, expected, reason: `HARNESS_INTERNAL: check ${planned.id} threw: ${(error as Error).message}`, evidence: [] };
    }
  }

  /** The target, watching every answer for a real authentication failure. */
  #guardedTarget(): Target {
    const target = this.#target;
    const hooks = this.#hooks;
    const usage = this.usage;
    const clock = { start: () => (this.#firstSentAt ??= performance.now()) };
    return {
      id: target.id,
      mode: target.mode,
      caseFinished: (...args) => target.caseFinished(...args),
      close: () => target.close(),
      async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
        const started = clock.start();
        const exchange = await target.send(request, context);
        // Replay has no network: its timings measure the harness, not the endpoint, and would differ run to run.
        if (exchange.attempts > 0 && target.mode !== 'replay') usage.wallMs = Math.max(usage.wallMs, Math.round(performance.now() - started));
        // Count every request that went out, whatever becomes of its case (a probe cut short by a cap included).
        const used = usageOf(exchange);
        usage.requests += exchange.attempts;
        usage.inputTokens += used.input;
        usage.outputTokens += used.output;
        if (exchange.response && (exchange.response.status === 401 || exchange.response.status === 403)) {
          const classification = classifyResponse(exchange.response.status, bodyText(exchange.response));
          if (classification.kind === 'auth-rejected') {
            const message = `${request.method} ${request.path} answered ${exchange.response.status}: ${classification.message ?? 'unauthorized'}`;
            hooks.onAuthRejected?.(exchange, message);
            return { ...exchange, error: { code: 'HARNESS_AUTH_REJECTED', message } };
          }
        }
        return exchange;
      },
    };
  }

  #sharedTarget(): Target {
    const guarded = this.#guardedTarget();
    let answers = sharedAnswers.get(this.#target);
    if (!answers) {
      answers = new Map();
      sharedAnswers.set(this.#target, answers);
    }
    const cache = answers;
    return {
      ...guarded,
      send(request, context) {
        const key = requestKey(request);
        let answer = cache.get(key);
        if (!answer) {
          answer = guarded.send(request, context);
          cache.set(key, answer);
        }
        return answer;
      },
    };
  }
}
