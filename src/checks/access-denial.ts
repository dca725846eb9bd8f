/**
 * @module checks/access-denial
 * Refusals about the credentials that are still the endpoint's answer about a request, read the same way by the checks,
 * by record mode (record-target.ts, deniedIn) and by the run's watch for a rejected key (run/session-target.ts).
 * A 403 that denies access (classify-response's `forbidden`: API Gateway's "Missing Authentication Token", AWS's
 * `{"message":"Forbidden"}`, an account without access to the model): about the account, not the model. And a 401
 * whose words say the key may not use the model it asked for (a gateway key scoped to some models: LiteLLM's virtual
 * keys answer "key not allowed to access model. This key can only access models=['a']. Tried to access b"). For an
 * id the harness makes up on purpose (errors.unknown-model's, models.profile-id's us.<model>), a 401 or 403 in those
 * words on a custom endpoint is the gateway's answer, but about a key's scope, not the id: how the endpoint answers
 * such an id was not observed (both checks `inconclusive`), decided from the exchange and the surface alone so that
 * replay decides it the same way. Mantle and bedrock-runtime have no keys scoped to models: there a 401 is a rejected
 * key whatever it says. And Mantle's 401 "Berm is not enabled for this account" on every route a model was asked on
 * (transport/not-enabled.ts): the account's answer, neither "not this route" nor "not this API".
 */
import type { ApiId } from '../suite/suite-schema.ts';
import type { Surface } from '../surfaces.ts';
import { excerpt, requestedModel } from '../transport/body.ts';
import { classifyAnswer } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';
import { bermRule, NOT_ENABLED_FIX, notEnabledOnEvery } from '../transport/not-enabled.ts';
import type { CaseOutcome } from './types.ts';

/** Whether an exchange is a whole 403 that denies access (a stalled body is cut short: not read as anything). */
export function deniedAccess(exchange: Exchange): boolean {
  const response = exchange.response;
  return !exchange.error && response?.status === 403 && response.stalledAfterMs === undefined && classifyAnswer(response).kind === 'forbidden';
}

/** `GET /openai/v1/models: 403 denied access (Missing Authentication Token)`, for a reason naming what was denied. */
export function describeDenial(exchange: Exchange): string {
  const said = classifyAnswer(exchange.response!).message;
  return `${exchange.request.path}: 403 denied access${said ? ` (${excerpt(said, 80)})` : ''}`;
}

/**
 * Words that say the credentials are known and may not use this model: LiteLLM's "key not allowed to access model"
 * (and "team not allowed to access model") and "This key can only access models=[...]", and the like of "Your key is
 * not allowed to use model b" or "token does not have access to model b". Not a wrong or expired key's ("Invalid
 * proxy server token passed", "Expired Key"), nor "does not exist or you do not have access to it" (OpenAI's 404 for
 * an unknown model): only these words make a 401 the key's scope.
 */
const SCOPE_WORDS =
  /\bnot allowed to (?:access|use|call) (?:the |this )?model\b|\bcan only (?:access|use) (?:the )?models?\b|\b(?:key|token)\b[^.]{0,40}\b(?:does not|doesn't|do not|don't) have access to (?:the |this )?model\b/i;

/** Whether a refusal's message says the credentials may not use the model they asked for (their scope). */
export function saysModelScope(message: string | undefined): boolean {
  return message !== undefined && SCOPE_WORDS.test(message.slice(0, 2000));
}


/** Whether an answer is a whole 401 whose words say the credentials may not use the model asked for. */
export function refusedByScope(exchange: Pick<Exchange, 'response'>): boolean {
  const response = exchange.response;
  if (response?.status !== 401 || response.stalledAfterMs !== undefined) return false;
  const classification = classifyAnswer(response);
  return classification.kind === 'auth-rejected' && saysModelScope(classification.message);
}

/** Whether an answer is a whole 401 or 403 whose words say the credentials may not use the model asked for. */
function inScopeWords(response: Exchange['response']): boolean {
  if ((response?.status !== 401 && response?.status !== 403) || response.stalledAfterMs !== undefined) return false;
  const classification = classifyAnswer(response);
  return (classification.kind === 'auth-rejected' || classification.kind === 'forbidden') && saysModelScope(classification.message);
}

/**
 * Whether, on a custom endpoint, a 401 or 403 in a key's scope words answered an id other than `model` (the
 * session's): one the harness made up on purpose. The gateway's answer, never an error of the way nor a stop, but
 * about the key, not the id (checks read it `inconclusive`: scopeAnswerReason). Elsewhere false: a 401 stops the run.
 */
export function scopeRefusedOtherId(exchange: Pick<Exchange, 'request' | 'response' | 'error'>, model: string, surface: Surface | undefined): boolean {
  if (surface !== 'custom' || exchange.error) return false;
  const id = requestedModel(exchange.request);
  return id !== undefined && id !== model && inScopeWords(exchange.response);
}

/**
 * The reason of a check whose made-up id was answered in a key's scope words: what was seen, and that `what` was not
 * observed. Whether the key is scoped is not known (an endpoint may say so of any id): only its words are quoted.
 */
export function scopeAnswerReason(exchange: Pick<Exchange, 'request' | 'response'>, what: string): string {
  const id = requestedModel(exchange.request) ?? 'the id';
  const said = classifyAnswer(exchange.response!).message ?? '';
  return `${excerpt(id, 200)} was answered ${exchange.response!.status} in words of a key's model scope (${excerpt(said, 160)}), not about the id: ${what} was not observed`;
}

/**
 * The route readers' observations (checks/route.ts) with the Berm answer read as no answer when every answer read
 * is one. It is the unprefixed route's refusal of a prefixed model only where some other route (or API) answered
 * otherwise; on every route it is the account's (not enabled for Mantle), and read as "not here" it made every API
 * `unsupported` (a pass where that was expected) and path-prefix `none`. With some answers not read (a timeout) it
 * stays no answer too: nothing served, so a Berm on the routes read cannot be told from the account's.
 */
export function bermUnread<T extends { exchange: Exchange; classification: { rule: string } | null; unread?: string }>(seen: T[]): T[] {
  const read = seen.filter((o) => o.classification);
  if (read.length === 0 || !read.every((o) => bermRule(o.classification!.rule))) return seen;
  return seen.map((o) => (o.classification ? { ...o, classification: null, unread: bermWords(o.exchange) } : o));
}

/** How a Berm answer read as no answer is described, by the route readers and by every check that reads it so. */
export function bermWords(exchange: Pick<Exchange, 'response'>): string {
  return `${exchange.response!.status} "Berm is not enabled for this account" on every route asked: the account's answer, not the route's`;
}

/**
 * bermUnread's reading for the checks that read the answers themselves (answer.ts, across-apis.ts, errors.wrong-route):
 * the first API (or `api`) of the outcomes whose every whole answer, on every route asked, is the Berm one, with why
 * that is no answer; undefined when none is. The route checks then say "could not tell" (api.* `error`), so these
 * answers are no "not served" (n/a) and no wrong route's envelope either. A Berm beside any other answer is the route's.
 */
export function bermOnEveryRoute(outcomes: readonly CaseOutcome[], api?: ApiId): { api: ApiId; reason: string } | undefined {
  const apis = api ? [api] : [...new Set(outcomes.map((o) => o.api))];
  for (const one of apis) {
    const whole = outcomes.flatMap((o) => (o.kind === 'completed' && o.api === one ? o.exchanges : [])).filter((ex) => !ex.error && ex.response && ex.response.stalledAfterMs === undefined);
    if (notEnabledOnEvery(whole)) return { api: one, reason: `could not tell whether the model serves ${one}: ${[...new Set(whole.map((ex) => `${ex.request.path}: ${bermWords(ex)}`))].join(', ')}` };
  }
  return undefined;
}

/**
 * Why nothing of the model can be observed when every probe was answered the Berm words on every route it was sent
 * to (the Anthropic route and the documented prefix included, where it cannot be "the wrong route"): the account is
 * not enabled for Mantle. Every probe must have answered whole: one that broke may be the route that serves it.
 * Its words quoted short, as a JSON string (reports make the line inert).
 */
export function modelNotEnabled(outcomes: readonly CaseOutcome[], model: string): string | undefined {
  if (outcomes.length === 0 || outcomes.some((o) => o.kind !== 'completed')) return undefined;
  const exchanges = outcomes.flatMap((o) => (o.kind === 'completed' ? o.exchanges : []));
  if (!notEnabledOnEvery(exchanges)) return undefined;
  const said = classifyAnswer(exchanges[0]!.response!).message;
  const statuses = [...new Set(exchanges.map((ex) => ex.response!.status))].join('/');
  const routes = [...new Set(exchanges.map((ex) => ex.prefix))].join(', ');
  return `every request for ${model} was answered ${statuses}${said ? ` (${JSON.stringify(excerpt(said, 120))})` : ''} on every route asked (${routes}): the account is not enabled for Mantle, which says nothing about the model and is no bad key; ${NOT_ENABLED_FIX}, or leave the model out of --models`;
}
