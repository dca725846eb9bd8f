/**
 * @module run/session-target
 * What a model session wraps around the run's target: every answer is counted (requests, tokens, wall time,
 * latency) and watched for a real authentication failure (a 401/403 that is not a route error stops the run, unless
 * route-credentials.ts found it a route's refusal of credentials another route accepted, or a key's scope refusing the
 * model, or, on a custom endpoint, it is the scope's refusal of an id the harness made up: checks/access-denial.ts;
 * Mantle and bedrock-runtime take no key scoped to models, so there any 401 stops it). A gateway's spent budget (a
 * 401 included) is no refused key: its requests' error (budget-refusals.ts), and the run carries on.
 * `shared: true` cases get one answer per (target, request) for every model of the run.
 */
import { scopeRefusedOtherId } from '../checks/access-denial.ts';
import { exchangeTiming, type LatencySample } from '../checks/latency.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import { requestKey } from '../transport/request-key.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { CountedResponses, responseIdOf, usageOf } from '../transport/usage.ts';

/** Requests, tokens and wall time (first request out to last answer in) a session has used so far. */
export interface SessionUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  wallMs: number;
}

export interface WatchOptions {
  usage: SessionUsage;
  latency: LatencySample[];
  /** The API of a case, to file latency under. */
  apiOf(caseId: string): string;
  /** Called when an exchange shows a real authentication failure (a 401 that is not Berm). */
  onAuthRejected?(exchange: Exchange, message: string): void;
}

/** Refusals route-credentials.ts judged not to be the key's: the run carries on. */
const NO_STOP: ReadonlySet<string> = new Set(['HARNESS_ROUTE_AUTH', 'HARNESS_MODEL_SCOPE', 'HARNESS_INTERRUPTED']);

/** The target, counting every answer and watching it for a real authentication failure. */
export function watchedTarget(target: Target, options: WatchOptions): Target {
  const { usage, latency } = options;
  let firstSentAt: number | undefined;
  /** The Responses whose usage the session's figures have counted. */
  const counted = new CountedResponses();
  return {
    id: target.id,
    mode: target.mode,
    surface: target.surface,
    caseFinished: (...args) => target.caseFinished(...args),
    ...(target.trialsRecorded ? { trialsRecorded: (model: string, caseId: string) => target.trialsRecorded!(model, caseId) } : {}),
    close: () => target.close(),
    async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
      const started = (firstSentAt ??= performance.now());
      const exchange = await target.send(request, context);
      // Replay has no network: its timings measure the harness, not the endpoint, and would differ run to run.
      if (exchange.attempts > 0 && target.mode !== 'replay') usage.wallMs = Math.max(usage.wallMs, Math.round(performance.now() - started));
      // Count every request that went out, whatever becomes of its case (a probe cut short by a cap included).
      const used = usageOf(exchange);
      usage.requests += exchange.attempts;
      if (!counted.readsBack(request, responseIdOf(exchange), used.input + used.output)) {
        usage.inputTokens += used.input;
        usage.outputTokens += used.output;
      }
      // Latency is the API's time to serve the model: a refusal (a probe of an API the model does not serve, a 400
      // to a bad parameter) is timed by other work, and read beside the API it would say the model serves it.
      const timing = exchange.response && exchange.response.status < 300 ? exchangeTiming(exchange) : undefined;
      if (timing) latency.push({ api: options.apiOf(context.caseId), timing });
      // A route refused credentials another accepted, or a key's scope refused the model (route-credentials.ts): its
      // cases' error, no stop; nor one the run's own stop cut short while it waited to tell which it was. Nor the
      // scope's refusal of an id the harness made up: the gateway's answer about that id, read from the exchange
      // alone, so replay reads it the same way.
      if (NO_STOP.has(exchange.error?.code ?? '') || scopeRefusedOtherId(exchange, context.model, target.surface)) return exchange;
      if (exchange.response && (exchange.response.status === 401 || exchange.response.status === 403)) {
        const classification = classifyAnswer(exchange.response);
        if (classification.kind === 'auth-rejected') {
          // route-credentials.ts may have said more of a stop (a model never accepted while another was).
          const told = exchange.error?.code === 'HARNESS_AUTH_REJECTED' ? exchange.error.message : undefined;
          const message = told ?? `${request.method} ${request.path} answered ${exchange.response.status}: ${classification.message ?? 'unauthorized'}`;
          options.onAuthRejected?.(exchange, message);
          return { ...exchange, error: { code: 'HARNESS_AUTH_REJECTED', message } };
        }
      }
      return exchange;
    },
  };
}

/** Shared across the sessions of one process: one answer per (target, request) for `shared: true` cases. */
const sharedAnswers = new WeakMap<Target, Map<string, Promise<Exchange>>>();

/** `watched` (a session's view of `target`), answering each distinct request once per target. */
export function sharedTarget(target: Target, watched: Target): Target {
  let answers = sharedAnswers.get(target);
  if (!answers) {
    answers = new Map();
    sharedAnswers.set(target, answers);
  }
  const cache = answers;
  return {
    ...watched,
    send(request, context) {
      const key = requestKey(request);
      let answer = cache.get(key);
      if (!answer) {
        answer = watched.send(request, context);
        cache.set(key, answer);
      }
      return answer;
    },
  };
}
