/**
 * @module run/route-credentials
 * Tells a key refused from a route that wants it another way, for a `custom` target (any OpenAI-compatible base URL).
 * A gateway can accept the key on its OpenAI routes and relay a 401 on another family (LiteLLM's `/anthropic/*`
 * pass-through answers Anthropic's "invalid x-api-key" when the proxy holds no Anthropic key): stopping the run and
 * saying "check the key" there blamed a key the same endpoint had just accepted. So a credentials refusal on a route
 * prefix that never answered 2xx in this run, from a target that answered a request for a model (not its model
 * list, which a gateway may serve to anyone) with 2xx on another prefix, is that route's answer: HARNESS_ROUTE_AUTH,
 * an infrastructure error for the cases sent there (never a fail, a pass, or "not served"), and the run carries on.
 * A refusal that comes before any such 2xx waits for the other prefixes' requests in flight (each bounded by its own
 * --timeout and retries): a 2xx among them makes it the route's. Which refusal is the key's: one on the prefix the
 * credentials check asked (`primaryPrefix`, /v1: the run's first question of every model goes there) with nothing
 * accepted anywhere stops the run (a wrong key). One on another prefix with nothing accepted is undecided: the route's
 * error, saying the key may be wrong or the route may want it another way, and the run goes on (from the wire a wrong
 * key and a gateway's /anthropic that wants x-api-key look the same); a refusal on /v1 later still stops it. The run
 * stopped meanwhile (Ctrl-C) leaves a waiting refusal interrupted, never a verdict on the key.
 * A refusal on a prefix that already answered 2xx (a key revoked or expired mid-run) stops it at once; when the model
 * refused was never accepted while another was, the stop says a key scoped to some models without saying so would
 * look the same (model-scope.ts). Only a 401 whose words say the key may not use the model (checks/access-denial.ts)
 * is the key's scope, decided at once: for the session's model on a prefix that never took the key for it,
 * HARNESS_MODEL_SCOPE, that model's error there (the run goes on); for a model it was accepted for there before, a
 * revoked key (stop); for an id the harness made up (errors.unknown-model, models.profile-id), the gateway's answer
 * about that id, left as it came for the checks to read. Mantle and bedrock-runtime keep the stop on every prefix: one
 * engine takes the same credentials on all of them (Mantle answers a model the account may not use with a 403).
 */
import { refusedByScope } from '../checks/access-denial.ts';
import { requestedModel } from '../transport/body.ts';
import { inertLine } from '../report/inert-text.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import { MODEL_SCOPE, scopeReason, stopClause } from './model-scope.ts';
import type { HarnessErrorCode } from '../errors.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { TargetDecorator } from '../transport/target-decorator.ts';
import { headerFromShown, keyInShown, plausibleEnvName } from '../transport/auth/env-name-shown.ts';
import type { AuthConfig, TargetConfig } from './run-config.ts';

/** The code of a route's refusal of credentials another route of the endpoint accepted (no stop of the run). */
export const ROUTE_AUTH: HarnessErrorCode = 'HARNESS_ROUTE_AUTH';

export interface RouteCredentialsOptions {
  auth: AuthConfig;
  /** Redacts the run's secrets from text decoded out of a body (a 401 may echo the key it refused). */
  redact(text: string): string;
  /** Told once per prefix (or model a key's scope refuses), the first time: the console says it then. */
  onRefused?(message: string): void;
  /** The prefix the credentials check asked (the surface's first OpenAI prefix): its refusal is never undecided. */
  primaryPrefix?: string;
}

/** `sending` wrapped for a live or record target whose surface is `custom`; any other target is returned as it is. */
export function watchRouteCredentials(target: Pick<TargetConfig, 'surface' | 'mode'>, sending: Target, options: RouteCredentialsOptions): Target {
  return target.surface === 'custom' && target.mode !== 'replay' ? new RouteCredentialsTarget(sending, options) : sending;
}

/** A model list may be public: its 2xx says nothing of the credentials. */
const isModelList = (request: ExchangeRequest) => request.method === 'GET' && /\/models$/.test(request.path.split('?')[0]!);

type Decision = 'route' | 'undecided' | 'stop' | 'interrupted';
/** A refusal waiting for the other prefixes; `primary`: on the credentials check's prefix, it is the key's. */
interface Waiter {
  prefix: string;
  primary: boolean;
  decide(decision: Decision): void;
}

export class RouteCredentialsTarget extends TargetDecorator {
  readonly #options: RouteCredentialsOptions;
  /** Prefixes that answered a request for a model with 2xx in this run, in the order they first did. */
  readonly #accepted = new Set<string>();
  /** The prefixes that answered each model with 2xx in this run. */
  readonly #taken = new Map<string, Set<string>>();
  readonly #inFlight = new Map<string, number>();
  /** Refusals waiting for the other prefixes' answers. */
  readonly #waiting = new Set<Waiter>();
  /** Prefixes (and `model <id>`s) whose refusal was told (onRefused). */
  readonly #told = new Set<string>();

  readonly #primary: string;

  constructor(inner: Target, options: RouteCredentialsOptions) {
    super(inner);
    this.#options = options;
    this.#primary = options.primaryPrefix ?? '/v1';
  }

  async send(request: ExchangeRequest, context: SendContext): Promise<Exchange> {
    const prefix = context.prefix;
    this.#inFlight.set(prefix, (this.#inFlight.get(prefix) ?? 0) + 1);
    let exchange: Exchange;
    try {
      exchange = await this.inner.send(request, context);
    } catch (error) {
      // Gone without an answer: a refusal waiting on it alone is decided now.
      this.#inFlight.set(prefix, this.#inFlight.get(prefix)! - 1);
      this.#settleWaiting();
      throw error;
    }
    this.#inFlight.set(prefix, this.#inFlight.get(prefix)! - 1);
    const response = exchange.response;
    const at = exchange.prefix || prefix;
    if (!exchange.error && response && response.status >= 200 && response.status < 300) {
      // A made-up id a gateway answered (its default model) is no model these credentials were accepted for.
      if (!isModelList(request) && classifyAnswer(response).kind === 'ok') this.#took(at, requestedModel(request) === context.model ? context.model : undefined);
    } else if (!exchange.error && refusedByScope(exchange) && requestedModel(request) !== undefined) {
      // The words decide: nothing to wait for. This request is no longer in flight, for the refusals that wait.
      this.#settleWaiting();
      return this.#scoped(request, exchange, at, context);
    } else if (!exchange.error && response && (response.status === 401 || response.status === 403) && classifyAnswer(response).kind === 'auth-rejected') {
      return this.#refusal(request, exchange, at, context);
    }
    this.#settleWaiting();
    return exchange;
  }

  /** A 2xx on `prefix`, for the session's `model` when the request asked for it. */
  #took(prefix: string, model: string | undefined): void {
    if (model !== undefined) this.#taken.set(model, (this.#taken.get(model) ?? new Set<string>()).add(prefix));
    if (this.#accepted.has(prefix)) return;
    this.#accepted.add(prefix);
    // Taken here: every refusal waiting is a route's (one on this very prefix too: the key works on it).
    this.#wake(() => true, 'route');
  }

  /**
   * A 401 in words that say the key may not use the model asked for. An id other than the session's model is one the
   * harness made up: left as it came (the checks read it as the gateway's answer about that id; the session's watch
   * never stops on it). The session's model refused where the key was taken for it before: the key changed (stop).
   */
  #scoped(request: ExchangeRequest, exchange: Exchange, prefix: string, context: SendContext): Exchange {
    const model = requestedModel(request)!;
    if (model !== context.model || this.#taken.get(model)?.has(prefix)) return exchange;
    const said = classifyAnswer(exchange.response!).message;
    const answeredOn = [...(this.#taken.get(model) ?? [])];
    const message = scopeReason({ method: request.method, path: request.path, prefix, status: exchange.response!.status, said: said === undefined ? undefined : this.#options.redact(said), model, answeredOn }, this.#options.auth);
    this.#tell(`model ${model}`, `${message}; the run carries on`);
    return { ...exchange, error: { code: MODEL_SCOPE, message } };
  }

  async #refusal(request: ExchangeRequest, exchange: Exchange, prefix: string, context: SendContext): Promise<Exchange> {
    // The credentials check's prefix refusing with nothing accepted and nothing else left to answer is the key: said
    // before the others are settled.
    if (this.#accepted.size === 0 && prefix === this.#primary && !this.#othersInFlight(prefix)) this.#wake(() => true, 'stop');
    // This request is no longer in flight: a refusal waiting on it alone is decided now, whatever this one is (else
    // none might ever be).
    this.#settleWaiting();
    // A prefix that took these credentials before refuses them now: they changed (revoked, expired). Stop.
    if (this.#accepted.has(prefix)) return this.#stop(request, exchange, context);
    const decision: Decision = this.#accepted.size > 0 ? 'route' : await this.#wait(prefix, context.signal);
    if (decision === 'stop') return this.#stop(request, exchange, context);
    if (decision === 'interrupted') return { ...exchange, error: { code: 'HARNESS_INTERRUPTED', message: 'the run was interrupted while this refusal waited for the other routes\' answers' } };
    const message = this.#reason(request, exchange, prefix, decision === 'undecided');
    this.#tell(prefix, `${message}. Its checks on that route are errors; the run carries on`);
    return { ...exchange, error: { code: ROUTE_AUTH, message } };
  }

  /**
   * A refusal that stops the run (the session's watch stops it on this exchange). For a model never accepted while
   * others were, the stop says a key scoped to some models would look the same, and the way out.
   */
  #stop(request: ExchangeRequest, exchange: Exchange, context: SendContext): Exchange {
    const model = requestedModel(request);
    const accepted = [...this.#taken.keys()];
    if (model === undefined || this.#taken.has(model) || accepted.length === 0) return exchange;
    const said = classifyAnswer(exchange.response!).message;
    const message = `${request.method} ${request.path} answered ${exchange.response!.status}: ${said === undefined ? 'unauthorized' : this.#options.redact(said)}${stopClause(model, accepted, model !== context.model)}`;
    return { ...exchange, error: { code: 'HARNESS_AUTH_REJECTED', message } };
  }

  #tell(what: string, message: string): void {
    if (this.#told.has(what)) return;
    this.#told.add(what);
    this.#options.onRefused?.(message);
  }

  /** Whether another prefix's answer may still come: a 2xx there makes this refusal the route's. */
  #othersInFlight(prefix: string): boolean {
    return [...this.#inFlight].some(([other, n]) => other !== prefix && n > 0);
  }

  #wait(prefix: string, signal: AbortSignal | undefined): Promise<Decision> {
    if (signal?.aborted) return Promise.resolve('interrupted');
    const primary = prefix === this.#primary;
    if (!this.#othersInFlight(prefix)) return Promise.resolve(this.#decided(primary));
    // No clock of its own: the requests it waits on end by their own --timeout and retries.
    return new Promise((resolve) => {
      const onAbort = () => finish('interrupted');
      const waiter: Waiter = { prefix, primary, decide: (decision: Decision) => finish(decision) };
      const finish = (decision: Decision) => {
        signal?.removeEventListener('abort', onAbort);
        this.#waiting.delete(waiter);
        resolve(decision);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  /** Decides every waiting refusal that has nothing left in flight elsewhere to wait for. */
  #settleWaiting(): void {
    for (const waiter of [...this.#waiting]) if (this.#waiting.has(waiter) && !this.#othersInFlight(waiter.prefix)) waiter.decide(this.#decided(waiter.primary));
  }

  /** With nothing answered elsewhere: the credentials check's prefix refusing is the key (the other waiters stop too). */
  #decided(primary: boolean): Decision {
    if (!primary) return 'undecided';
    this.#wake(() => true, 'stop');
    return 'stop';
  }

  #wake(which: (waiter: Waiter) => boolean, decision: Decision): void {
    for (const waiter of [...this.#waiting]) if (which(waiter)) waiter.decide(decision);
  }

  #reason(request: ExchangeRequest, exchange: Exchange, prefix: string, undecided: boolean): string {
    // Decoded from the (redacted) body: redacted again as decoded, and kept to one bounded line.
    const said = classifyAnswer(exchange.response!).message;
    const quoted = said ? ` (${inertLine(this.#options.redact(said), 300)})` : '';
    const elsewhere = [...this.#accepted].join(' and ');
    const { auth } = this.#options;
    const taken = auth.kind === 'none' ? `requests without credentials (--auth none) were answered on ${elsewhere}` : `the same credentials were accepted on ${elsewhere}`;
    // Nothing answered elsewhere: the credentials may be wrong, or this route may want them another way.
    const context = undecided
      ? `and no other route has answered a request for a model with 2xx yet in this run: whether the credentials are wrong (${checkThe(auth)}) or ${prefix} wants them another way is not known, nor whether it serves the model`
      : `though ${taken} in this run: whether ${prefix} serves the model is not known`;
    return `${request.method} ${request.path} answered ${exchange.response!.status}${quoted} ${context}; ${anotherWay(auth, prefix)}, or leave out the checks that use ${prefix} (--checks names the ones to run)`;
  }
}

/** What to check when the credentials themselves may be wrong. */
function checkThe(auth: AuthConfig): string {
  if (auth.kind === 'bearer') return `check ${keyInShown(auth.apiKeyEnv)}`;
  if (auth.kind === 'none') return 'none were sent: --auth none';
  return 'check the AWS credentials';
}

/** How the run could send credentials the way the refusing route wants them, as flags. */
function anotherWay(auth: AuthConfig, prefix: string): string {
  const headers = auth.headerEnv ?? [];
  // A variable is named only when its name is no key given in its place (env-name-shown.ts).
  const asSent = headers.length ? `; this run sent ${headers.map(({ header, env }) => `${headerFromShown(header, env)}`).join(', ')}` : '';
  if (auth.kind === 'none') return `this route may want a key: --api-key-env NAME, or a gateway's header with --header-env HEADER=ENV_VAR${asSent}`;
  if (auth.kind === 'bearer' && prefix.startsWith('/anthropic') && !headers.some((h) => h.header.toLowerCase() === 'x-api-key')) {
    return `this route may want the key another way (a gateway may expect it as x-api-key on its Anthropic routes: --header-env x-api-key=${plausibleEnvName(auth.apiKeyEnv) ? auth.apiKeyEnv : 'NAME, the variable --api-key-env names'}${asSent})`;
  }
  if (auth.kind === 'bearer') return `this route may want the key another way (a gateway may read it from another header: --header-env HEADER=ENV_VAR${asSent})`;
  // SigV4 or a Bedrock token: nothing to move into a header; the route may sign for another service or want a key.
  return `this route may belong to another service than the one these credentials are for (--surface), or want a key of its own (--header-env HEADER=ENV_VAR${asSent})`;
}

