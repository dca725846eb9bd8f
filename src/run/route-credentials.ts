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
 * A refusal on a prefix that already answered 2xx (a key revoked or expired mid-run) stops it at once, except one for a
 * model these credentials were never accepted for, on a prefix that accepted them for another model, or in words that
 * say the key may not use the model: a gateway key scoped to some models (model-scope.ts), HARNESS_MODEL_SCOPE, that
 * model's error (a model they were accepted for before is a revoked key all the same). A refusal for a model before
 * any 2xx waits for the requests for other models sent before it came back on its prefix too: their 2xx makes it the
 * key's scope. Mantle and bedrock-runtime keep the stop on every prefix: one engine takes the same credentials on all
 * of them (Mantle answers a model the account may not use with a 403, never a 401).
 */
import { inertLine } from '../report/inert-text.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import { MODEL_SCOPE, requestedModel, saysModelScope, scopeReason } from './model-scope.ts';
import type { HarnessErrorCode } from '../errors.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import type { SendContext, Target } from '../transport/target.ts';
import { TargetDecorator } from '../transport/target-decorator.ts';
import type { AuthConfig, TargetConfig } from './run-config.ts';

/** The code of a route's refusal of credentials another route of the endpoint accepted (no stop of the run). */
export const ROUTE_AUTH: HarnessErrorCode = 'HARNESS_ROUTE_AUTH';

export interface RouteCredentialsOptions {
  auth: AuthConfig;
  /** Redacts the run's secrets from text decoded out of a body (a 401 may echo the key it refused). */
  redact(text: string): string;
  /** Told once per prefix, the first time it refuses the credentials accepted elsewhere: the console says it then. */
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

type Decision = 'route' | 'model' | 'undecided' | 'stop' | 'interrupted';
/** A refusal, as judged: `primary` when on the credentials check's prefix; `model` the id its body asked for. */
interface Refusal {
  prefix: string;
  primary: boolean;
  model: string | undefined;
  /** The endpoint's words say the credentials may not use this model (model-scope.ts). */
  scoped: boolean;
  /** The last request sent before this refusal came: of the same prefix, only those it waits for. */
  horizon: number;
}
/** A refusal waiting for the other requests in flight. */
interface Waiter extends Refusal {
  decide(decision: Decision): void;
}
/** A request on its way: its prefix, the model its body asks for, and its place in the order sent. */
interface Sent {
  prefix: string;
  model: string | undefined;
  seq: number;
}

export class RouteCredentialsTarget extends TargetDecorator {
  readonly #options: RouteCredentialsOptions;
  /** Prefixes that answered a request for a model with 2xx in this run, in the order they first did. */
  readonly #accepted = new Set<string>();
  /** The models each prefix answered with 2xx in this run. */
  readonly #taken = new Map<string, Set<string>>();
  /** Models found outside the credentials' scope (never accepted, refused as the key's scope). */
  readonly #outOfScope = new Set<string>();
  readonly #inFlight = new Set<Sent>();
  #sent = 0;
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
    const sent: Sent = { prefix: context.prefix, model: requestedModel(request), seq: ++this.#sent };
    this.#inFlight.add(sent);
    let exchange: Exchange;
    try {
      exchange = await this.inner.send(request, context);
    } catch (error) {
      // Gone without an answer: a refusal waiting on it alone is decided now.
      this.#inFlight.delete(sent);
      this.#settleWaiting();
      throw error;
    }
    this.#inFlight.delete(sent);
    const response = exchange.response;
    const at = exchange.prefix || sent.prefix;
    if (!exchange.error && response && response.status >= 200 && response.status < 300) {
      if (!isModelList(request) && classifyAnswer(response).kind === 'ok') this.#took(at, sent.model);
    } else if (!exchange.error && response && (response.status === 401 || response.status === 403) && classifyAnswer(response).kind === 'auth-rejected') {
      return this.#refusal(request, exchange, { prefix: at, primary: at === this.#primary, model: sent.model, scoped: response.status === 401 && saysModelScope(classifyAnswer(response).message), horizon: this.#sent }, context);
    }
    this.#settleWaiting();
    return exchange;
  }

  /** A 2xx for `model` (if it names one) on `prefix`. */
  #took(prefix: string, model: string | undefined): void {
    if (model !== undefined) {
      const models = this.#taken.get(prefix) ?? new Set<string>();
      this.#taken.set(prefix, models.add(model));
    }
    // Taken here: a refusal waiting is a route's (one on this very prefix too: the key works on it), or, for a model
    // these credentials were never accepted for, on a prefix that took them for another, the key's scope (send
    // settles them next).
    this.#accepted.add(prefix);
  }

  async #refusal(request: ExchangeRequest, exchange: Exchange, refusal: Refusal, context: SendContext): Promise<Exchange> {
    const now = this.#verdict(refusal);
    // The credentials check's prefix refusing with nothing accepted and nothing else left to answer is the key: said
    // before the others are settled.
    if (now === 'stop' && this.#accepted.size === 0) this.#wake('stop');
    // This request is no longer in flight: a refusal waiting on it alone is decided now, whatever this one is (else
    // none might ever be).
    this.#settleWaiting();
    const decision: Decision = now ?? (await this.#wait(refusal, context.signal));
    // A prefix that took these credentials before (for this model) refuses them now: they changed (revoked, expired).
    if (decision === 'stop') return exchange;
    if (decision === 'interrupted') return { ...exchange, error: { code: 'HARNESS_INTERRUPTED', message: 'the run was interrupted while this refusal waited for the other routes\' answers' } };
    if (decision === 'model') return this.#scopeError(request, exchange, refusal, context);
    const message = this.#reason(request, exchange, refusal.prefix, decision === 'undecided');
    this.#tell(refusal.prefix, `${message}. Its checks on that route are errors; the run carries on`);
    return { ...exchange, error: { code: ROUTE_AUTH, message } };
  }

  /**
   * The key's scope: a model these credentials were never accepted for (on any prefix), refused where they were
   * accepted for another model, or refused in words that say so. A model they were accepted for is never one.
   */
  #forModel(refusal: Refusal): 'model' | undefined {
    const { model } = refusal;
    if (model === undefined || [...this.#taken.values()].some((models) => models.has(model))) return undefined;
    const here = this.#taken.get(refusal.prefix);
    // A scope is the key's, not a route's: a model it refused on one prefix is refused by it on the others too.
    if (!refusal.scoped && !this.#outOfScope.has(model) && ![...(here ?? [])].some((other) => other !== model)) return undefined;
    this.#outOfScope.add(model);
    return 'model';
  }

  /**
   * What a refusal is with what is known now; undefined while a request in flight may still tell. `waited`: it came
   * before a 2xx on its own prefix, which says the key works there (the route's), not that it changed.
   */
  #verdict(refusal: Refusal, waited = false): Decision | undefined {
    const model = this.#forModel(refusal);
    if (model) return model;
    if (this.#accepted.has(refusal.prefix) && !waited) return 'stop';
    // Accepted elsewhere: a route's refusal, unless a request for another model on its own prefix may still say scope.
    if (this.#accepted.size > 0) return this.#othersInFlight(refusal, false) ? undefined : 'route';
    if (this.#othersInFlight(refusal, true)) return undefined;
    return refusal.primary ? 'stop' : 'undecided';
  }

  /**
   * Whether another answer may still come that tells this refusal: a 2xx on another prefix (`elsewhere`) makes it the
   * route's, a 2xx for another model on its own prefix the key's scope. Of its own prefix, only the requests sent
   * before it came back are waited for: a wrong key refused for every model stops the run after one round of them.
   */
  #othersInFlight(refusal: Refusal, elsewhere: boolean): boolean {
    for (const sent of this.#inFlight) {
      if (sent.prefix !== refusal.prefix && elsewhere) return true;
      if (sent.prefix === refusal.prefix && refusal.model !== undefined && sent.model !== refusal.model && sent.seq <= refusal.horizon) return true;
    }
    return false;
  }

  #wait(refusal: Refusal, signal: AbortSignal | undefined): Promise<Decision> {
    if (signal?.aborted) return Promise.resolve('interrupted');
    // No clock of its own: the requests it waits on end by their own --timeout and retries.
    return new Promise((resolve) => {
      const onAbort = () => finish('interrupted');
      const waiter: Waiter = { ...refusal, decide: (decision: Decision) => finish(decision) };
      const finish = (decision: Decision) => {
        signal?.removeEventListener('abort', onAbort);
        this.#waiting.delete(waiter);
        resolve(decision);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.add(waiter);
    });
  }

  /** Decides every waiting refusal that has nothing left in flight to wait for. */
  #settleWaiting(): void {
    for (const waiter of [...this.#waiting]) {
      if (!this.#waiting.has(waiter)) continue;
      const decision = this.#verdict(waiter, true);
      if (decision === undefined) continue;
      // With nothing answered anywhere, the credentials check's prefix refusing is the key: the others stop too.
      if (decision === 'stop' && this.#accepted.size === 0) this.#wake('stop');
      else waiter.decide(decision);
    }
  }

  #wake(decision: Decision): void {
    for (const waiter of [...this.#waiting]) waiter.decide(decision);
  }

  #tell(what: string, message: string): void {
    if (this.#told.has(what)) return;
    this.#told.add(what);
    this.#options.onRefused?.(message);
  }

  #scopeError(request: ExchangeRequest, exchange: Exchange, refusal: Refusal, context: SendContext): Exchange {
    const model = refusal.model!;
    const said = classifyAnswer(exchange.response!).message;
    const message = scopeReason(
      { method: request.method, path: request.path, status: exchange.response!.status, said: said === undefined ? undefined : this.#options.redact(said), model, takenHere: [...(this.#taken.get(refusal.prefix) ?? [])], sessionModel: context.model },
      this.#options.auth,
    );
    // Said once per model; an id the harness made up is not worth a console line of its own.
    if (model === context.model) this.#tell(`model ${model}`, `${message}. Its checks are errors; the other models carry on`);
    return { ...exchange, error: { code: MODEL_SCOPE, message } };
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
  if (auth.kind === 'bearer') return `check the key in ${auth.apiKeyEnv}`;
  if (auth.kind === 'none') return 'none were sent: --auth none';
  return 'check the AWS credentials';
}

/** How the run could send credentials the way the refusing route wants them, as flags. */
function anotherWay(auth: AuthConfig, prefix: string): string {
  const headers = auth.headerEnv ?? [];
  const asSent = headers.length ? `; this run sent ${headers.map(({ header, env }) => `${header} from ${env}`).join(', ')}` : '';
  if (auth.kind === 'none') return `this route may want a key: --api-key-env NAME, or a gateway's header with --header-env HEADER=ENV_VAR${asSent}`;
  if (auth.kind === 'bearer' && prefix.startsWith('/anthropic') && !headers.some((h) => h.header.toLowerCase() === 'x-api-key')) {
    return `this route may want the key another way (a gateway may expect it as x-api-key on its Anthropic routes: --header-env x-api-key=${auth.apiKeyEnv}${asSent})`;
  }
  if (auth.kind === 'bearer') return `this route may want the key another way (a gateway may read it from another header: --header-env HEADER=ENV_VAR${asSent})`;
  // SigV4 or a Bedrock token: nothing to move into a header; the route may sign for another service or want a key.
  return `this route may belong to another service than the one these credentials are for (--surface), or want a key of its own (--header-env HEADER=ENV_VAR${asSent})`;
}

