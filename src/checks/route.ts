/**
 * @module checks/route
 * Which route prefix serves a model and which APIs it speaks, read from the probe cases (the same tiny request sent
 * on every prefix). A route error says "not here"; an API error says "not this API"; a timeout says nothing, and
 * neither does an error in a 2xx that says neither (the endpoint said no with a success status: `error`, never
 * "supported").
 */
import type { HarnessErrorCode } from '../errors.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { SURFACE_RULES } from '../surfaces.ts';
import { bodyText, excerpt, isRecord, jsonBody } from '../transport/body.ts';
import { classifyAnswer, refusesModel, servesModel, type Classification } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';
import { bermUnread, deniedAccess, modelNotEnabled } from './access-denial.ts';
import { evidenceOf, judge, settleWithout, type CompletedOutcome } from './judge.ts';
import { routeGuessOf } from './route-guess.ts';
import { stalledBody } from './stalled-body.ts';
import type { CaseOutcome, CheckDefinition, CheckInput, CheckResult, Evidence, RouteProbe } from './types.ts';

/**
 * The OpenAI route prefixes, in the order path-prefix names them. Every surface probes both (bedrock-runtime
 * documents `/openai/v1`, older pages `/v1`), each in its own order (src/surfaces.ts).
 */
export const OPENAI_PREFIXES = ['/v1', '/openai/v1'] as const;
export const ANTHROPIC_PREFIX = SURFACE_RULES.mantle.anthropicPrefix;

type PrefixState = 'serves' | 'refuses' | 'unknown';
type ErrorOutcome = Extract<CaseOutcome, { kind: 'error' }>;

interface Observation {
  caseId: string;
  api: ApiId;
  exchange: Exchange;
  /** Null when the answer tells nothing about the route (`unread` says why). */
  classification: Classification | null;
  unread?: string;
}

/**
 * `broken`: read the exchanges of outcomes in error too (each one unread), for a check that must not decide from
 * the other probes alone when one probe's every prefix failed. Berm on every route read is no route's answer (bermUnread).
 */
function observations(input: CheckInput, api?: ApiId, broken = false): Observation[] {
  return bermUnread(input.outcomes
    .filter((o): o is CompletedOutcome | ErrorOutcome => (o.kind === 'completed' || (broken && o.kind === 'error')) && (api === undefined || o.api === api))
    .flatMap((o) =>
      o.exchanges.map((exchange) => {
        const unread = unreadAnswer(exchange);
        return { caseId: o.caseId, api: o.api, exchange, classification: unread === undefined ? classifyAnswer(exchange.response!) : null, ...(unread ? { unread } : {}) };
      }),
    ));
}

/** Control characters JSON text never holds raw, and the mark a decoder puts where the bytes were not UTF-8. */
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;

/**
 * Why an exchange's answer says nothing about whether the route serves the model, or undefined when it is read. A
 * 4xx says "not here" or "not this model" in its words, so words the harness could not read (a body that stalled,
 * one compressed twice but labelled once, one in another charset) are no answer: counted, any 4xx but a route error
 * was "the route serves the model".
 */
function unreadAnswer(exchange: Exchange): string | undefined {
  const response = exchange.response;
  if (exchange.error || !response) return exchange.error?.code ?? 'no answer';
  if (stalledBody(response)) return `${response.status} whose body stalled after ${bodyText(response).length} character(s)`;
  // Not JSON and not text: a JSON body with a U+FFFD in a string is still the endpoint's words.
  if (response.status >= 400 && NOT_TEXT.test(bodyText(response).slice(0, 4096)) && !jsonBody(response).ok) return `${response.status} whose body is not readable text`;
  return undefined;
}

/** A refusal in words that name the route ("isn't supported on this route", Berm, in a 2xx too): of the model there, whatever the API. */
const ROUTE_WORDS = /^(2xx-)?(berm|not-on-route)$/;
/** Answers that say nothing of the model: the endpoint (or what is in front of it) did not get to the question. */
const INFRASTRUCTURE: ReadonlySet<string> = new Set(['server-error', 'throttled']);

/**
 * A route-level refusal settles the prefix, and on Mantle any route error is one (it answers a wrong prefix before it
 * reads the API). Elsewhere (vLLM, Ollama, a gateway) a 404 or "does not exist" on one API says only that this API is
 * not there: with another API's probe unanswered on the prefix (no answer, a 5xx, a throttle) or never sent to it
 * (`gap`), only words that name the route, or the OpenAI error envelope Mantle answers in, settle it; else the
 * prefix is unknown (a timeout read as a gating "none").
 */
function prefixState(seen: Observation[], gap = false, envelopeSettles = true): PrefixState {
  if (seen.some((o) => o.classification && servesModel(o.classification.kind))) return 'serves';
  const unanswered = gap || seen.some((o) => !o.classification || INFRASTRUCTURE.has(o.classification.kind));
  const routeRefusal = (o: Observation) => o.classification !== null && (o.classification.kind === 'route-unsupported' || o.classification.kind === 'model-unknown');
  if (seen.some((o) => routeRefusal(o) && (!unanswered || ROUTE_WORDS.test(o.classification!.rule) || (envelopeSettles && inEnvelope(o))))) return 'refuses';
  if (!unanswered && seen.length > 0 && seen.every((o) => o.classification && refusesModel(o.classification.kind))) return 'refuses';
  return 'unknown';
}

/**
 * A refusal in the OpenAI error envelope (`{"error":{...}}`): on Mantle and bedrock-runtime, the bare wrong-route 404,
 * which they answer before they read the API, settles the prefix though another probe was throttled there (Mantle's
 * per-model quotas make that common). On a custom endpoint it does not: LiteLLM, OpenRouter and Ollama wrap any 404,
 * an API they lack included, in the same envelope.
 */
function inEnvelope(o: Observation): boolean {
  const body = o.exchange.response ? jsonBody(o.exchange.response) : undefined;
  return body?.ok === true && isRecord(body.value) && isRecord(body.value.error);
}

/** ` (probe.chat got no answer there; another API's refusal says only that API is not there)`, or '' when none. */
function unansweredOn(seen: Observation[], prefixes: readonly string[]): string {
  const cases = [...new Set(seen.filter((o) => prefixes.includes(o.exchange.prefix) && (!o.classification || INFRASTRUCTURE.has(o.classification.kind))).map((o) => o.caseId))];
  return cases.length ? ` (${cases.join(', ')} got no answer there; another API's refusal says only that API is not there)` : '';
}

function describe(o: Observation): string {
  if (!o.classification) return `${o.exchange.request.path}: ${o.unread ?? 'no answer'}`;
  const status = o.exchange.response?.status;
  // A success status with an error in it: neither served nor refused, and the words say why.
  if (o.classification.kind === 'error-in-2xx') return `${o.exchange.request.path}: ${status} with an error (${excerpt(o.classification.message ?? 'no message', 120)})`;
  return `${o.exchange.request.path}: ${status} ${o.classification.kind}`;
}

/**
 * Every observation described, an "API not supported" wording read by its cause: believed only when no other
 * prefix serves that API; otherwise it is a route answer (GPT-5.6 on /v1 said "does not support the
 * '/v1/responses' API" while /openai/v1 served it, hermes-agent #65076), and the text says so.
 */
function describeAll(seen: Observation[]): string {
  return seen
    .map((o) => {
      if (o.classification?.kind !== 'api-unsupported') return describe(o);
      const other = seen.find((s) => s.api === o.api && s.exchange.prefix !== o.exchange.prefix && s.classification && servesModel(s.classification.kind));
      if (!other) return describe(o);
      return `${o.exchange.request.path}: ${o.exchange.response?.status} route-unsupported (API wording, route cause: ${other.exchange.prefix} serves ${o.api})`;
    })
    .join(', ');
}

function evidence(seen: Observation[]): Evidence[] {
  return seen.map((o) => evidenceOf(o.caseId, o.exchange));
}

function notProbed(input: CheckInput, seen: Observation[]): CheckResult | undefined {
  if (seen.length > 0) return undefined;
  return settleWithout(input);
}

/**
 * A probe not run (a stop, a spend cap) may be the one that decides, so nothing is judged from the others; a model
 * the endpoint says does not exist is settled by that finding.
 */
function notAllAsked(input: CheckInput): CheckResult | undefined {
  const unread = input.outcomes.some((o) => o.kind === 'skipped' || (o.kind === 'error' && o.error.code === 'HARNESS_MODEL_NOT_FOUND'));
  return unread ? settleWithout(input) : undefined;
}

export const pathPrefix: CheckDefinition = {
  id: 'path-prefix',
  title: 'Which OpenAI route prefix serves the model',
  api: null,
  vocabulary: ['/v1', '/openai/v1', 'both', 'none'],
  run(input) {
    const openai = (o: { exchange: Exchange }) => (OPENAI_PREFIXES as readonly string[]).includes(o.exchange.prefix);
    const early = notProbed(input, observations(input).filter(openai)) ?? notAllAsked(input);
    if (early) return early;
    // A probe whose every prefix broke still counts: its prefixes are unknown unless the other probes settle them.
    const seen = observations(input, undefined, true).filter(openai);
    const broken = input.outcomes.filter((o): o is ErrorOutcome => o.kind === 'error' && o.api !== 'messages' && o.api !== 'count-tokens');
    const gap = (prefix: string) => broken.some((o) => !o.exchanges.some((ex) => ex.prefix === prefix));
    const states = OPENAI_PREFIXES.map((prefix) => ({ prefix, state: prefixState(seen.filter((o) => o.exchange.prefix === prefix), gap(prefix), input.surface !== 'custom') }));
    const serving = states.filter((s) => s.state === 'serves').map((s) => s.prefix);
    const unknown = states.filter((s) => s.state === 'unknown').map((s) => s.prefix);
    const detail = describeAll(seen);
    if (unknown.length > 0) {
      return {
        status: 'error',
        observed: null,
        expected: input.expectation?.value ?? null,
        reason: `could not tell whether ${unknown.join(' and ')} serves the model${unansweredOn(seen, unknown)}: ${detail}`,
        evidence: evidence(seen),
      };
    }
    const observed = serving.length === 2 ? 'both' : (serving[0] ?? 'none');
    return judge(pathPrefix, input, observed, evidence(seen), detail);
  },
};

export type ApiRoute =
  /** `probed`: the API's own probes found the model served there (else the route was assumed: no probe asked it). */
  | { state: 'supported'; prefix: string; probed?: true }
  | { state: 'unsupported'; reason: string }
  /** The endpoint says the model does not exist on any route it was asked on. */
  | { state: 'not-found'; reason: string }
  /** A probe was not run (a spend cap, Ctrl-C): the cases that depend on it are not run either. */
  | { state: 'skipped'; reason: string }
  /**
   * `notSent`: the cases are not sent, and why: the probe was not sent as its target stopped answering (HARNESS_ENDPOINT_DOWN), or the
   * probes found the credentials have no access to the model (HARNESS_ACCESS_DENIED). `probe`: the probe that broke (the cases' evidence).
   */
  | { state: 'unknown'; reason: string; notSent?: { code: HarnessErrorCode; message: string }; probe?: RouteProbe };

/** Probe errors that keep every case of the API from being sent, in their own words (case-runner.ts). */
const NOT_SENT: ReadonlySet<HarnessErrorCode> = new Set(['HARNESS_ENDPOINT_DOWN', 'HARNESS_ACCESS_DENIED']);

/**
 * Whether the model serves `api` and on which prefix, from the probe outcomes. The runner uses it to send every
 * other case on the right route; the api.* checks use it for their verdict. `preferred` orders the prefixes
 * (the documented one first) for a model served on several.
 */
export function resolveApiRoute(outcomes: readonly CaseOutcome[], api: ApiId, preferred: readonly string[] = []): ApiRoute {
  const seen = observations({ model: '', expectation: null, outcomes }, api);
  const detail = describeAll(seen);
  const serving = seen.filter((o) => o.classification && servesModel(o.classification.kind)).map((o) => o.exchange.prefix);
  if (serving.length > 0) {
    const prefix = preferred.find((p) => serving.includes(p)) ?? serving[0]!;
    return { state: 'supported', prefix, probed: true };
  }
  if (seen.length > 0 && seen.every((o) => o.classification && refusesModel(o.classification.kind))) {
    // Cases sent on the catalog's prefix because no probe asked (route-guess.ts): the refusal is of the guess.
    const guess = routeGuessOf(outcomes.filter((o) => o.api === api));
    if (guess) return { state: 'unknown', reason: `could not tell whether the model serves ${api}: the endpoint refused it (${detail}); ${guess}` };
    return { state: 'unsupported', reason: `the model does not serve ${api} (${detail})` };
  }
  const pending = outcomes.find((o) => o.api === api && o.kind !== 'completed');
  if (seen.length === 0 && pending && pending.kind !== 'completed') {
    // The case's own request was never asked for: the reason names the probe it waited on (a spend cap's words say "its estimate").
    if (pending.kind === 'skipped') return { state: 'skipped', reason: `the route probe ${pending.caseId} was not sent (${pending.reason.replace(/^not sent: /, '')})` };
    if (pending.kind === 'error' && pending.error.code === 'HARNESS_MODEL_NOT_FOUND') return { state: 'not-found', reason: pending.error.message };
    if (pending.kind === 'error' && NOT_SENT.has(pending.error.code)) return { state: 'unknown', reason: `${pending.error.code}: ${pending.error.message}`, notSent: pending.error };
    return pending.kind === 'error' ? { state: 'unknown', reason: `${pending.error.code}: ${pending.error.message}`, probe: pending } : { state: 'unknown', reason: pending.reason };
  }
  return { state: 'unknown', reason: seen.length ? `could not tell whether the model serves ${api}: ${detail}` : `no probe case for ${api}` };
}

/**
 * Why the model does not exist, when the probes say so: no route served it, at least one answer says the model
 * does not exist (404 "The model '...' does not exist", Mantle's answer to a typo or a profile id), and every other
 * answer is a bare 404. A route error that names the model (400 "isn't supported on this route", 401 Berm) or an
 * API error means it exists somewhere; a timeout means nothing can be told.
 */
export function modelNotFound(outcomes: readonly CaseOutcome[], model: string): string | undefined {
  const seen = observations({ model, expectation: null, outcomes });
  if (seen.length === 0 || seen.some((o) => !o.classification)) return undefined;
  const unknown = seen.filter((o) => o.classification!.kind === 'model-unknown');
  const bare404 = (o: Observation) => o.classification!.rule === '404';
  if (unknown.length === 0 || !seen.every((o) => o.classification!.kind === 'model-unknown' || bare404(o))) return undefined;
  // A probe that broke or was not run is said: the finding rests on the others (every cell is an error either way,
  // which is what a probe that broke makes of the cells it feeds; undecided, the "does not exist" answers would read
  // as every API refusing the model, a gating fail).
  const unanswered = outcomes.filter((o) => o.kind !== 'completed').map((o) => o.caseId);
  const said = seen.map(describe).join(', ');
  // With a probe unanswered, "does not exist" may be how the endpoint refuses an API it does not serve the model on:
  // nothing can be told (every cell an error, none a verdict), and the id is not called a typo.
  if (unanswered.length) return `the endpoint answered that model ${model} does not exist (${said}), but ${unanswered.join(', ')} did not answer: whether the model exists, or is only not served on those APIs, cannot be told`;
  return `the endpoint says model ${model} does not exist (${said}): check the id for a typo, the region, or whether it is a cross-region profile id`;
}

/** The APIs a model may be served on, each with its probes. */
const MODEL_APIS: readonly ApiId[] = ['chat-completions', 'responses', 'messages', 'count-tokens'];

/**
 * Why the credentials cannot use the model, when the probes say so: no route served it, at least one answer is a 403
 * that denies access (access-denial.ts: Mantle's "You don't have access to the model with the specified model ID", a
 * gateway's "Your key is not allowed to use model b"), and every other answer is a route's refusal (a gateway with no
 * /anthropic routes answers them 404). Every probe must have answered: one that broke or was not run may be of the
 * API that serves the model. That is no "could not tell which route serves it": the endpoint said who may not ask.
 * Its words come redacted over the wire; quoted short, as a JSON string (reports make the line inert).
 */
export function modelDenied(outcomes: readonly CaseOutcome[], model: string): string | undefined {
  if (outcomes.length === 0 || outcomes.some((o) => o.kind !== 'completed')) return undefined;
  const seen = observations({ model, expectation: null, outcomes });
  if (seen.length === 0 || seen.some((o) => !o.classification)) return undefined;
  const denied = seen.filter((o) => deniedAccess(o.exchange));
  if (denied.length === 0 || !seen.every((o) => denied.includes(o) || refusesModel(o.classification!.kind))) return undefined;
  const said = classifyAnswer(denied[0]!.exchange.response!).message;
  const rest = seen.length - denied.length;
  const how = `403${said ? ` (${JSON.stringify(excerpt(said, 120))})` : ''}${rest ? ` on ${denied.length} of ${seen.length} probe requests, the rest route errors` : ''}`;
  // API Gateway says "Missing Authentication Token" for a path it does not have as much as for a request unsigned.
  const path = said && /missing authentication token/i.test(said) ? ' (API Gateway answers so for a path it does not have: check the --endpoint URL too)' : '';
  // A run filtered to some APIs (--checks 'api.chat*') saw only those refuse it: the model may be served on another.
  const unprobed = MODEL_APIS.filter((api) => !outcomes.some((o) => o.api === api));
  const where = unprobed.length ? ` on ${[...new Set(denied.map((o) => o.api))].join(', ')} (${unprobed.join(', ')} not probed)` : '';
  return `every request for ${model} was refused ${how}: the credentials have no access to this model${where}; request access to it or use credentials that have it, or leave it out of --models${path}`;
}

/** What the probes found of the model as a whole, which every case of it then is: it does not exist, or it may not be used (a 403, or an account not enabled). */
export function modelFinding(outcomes: readonly CaseOutcome[], model: string): { code: HarnessErrorCode; message: string } | undefined {
  const missing = modelNotFound(outcomes, model);
  if (missing) return { code: 'HARNESS_MODEL_NOT_FOUND', message: missing };
  const denied = modelDenied(outcomes, model) ?? modelNotEnabled(outcomes, model);
  return denied ? { code: 'HARNESS_ACCESS_DENIED', message: denied } : undefined;
}

function apiCheck(id: string, api: ApiId, title: string): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api: null,
    vocabulary: ['supported', 'unsupported'],
    run(input) {
      const seen = observations(input, api);
      const early = notProbed(input, seen);
      if (early) return early;
      const route = resolveApiRoute(input.outcomes, api);
      const detail = describeAll(seen);
      if (route.state === 'unknown' || route.state === 'skipped') {
        return { status: route.state === 'skipped' ? 'skipped' : 'error', observed: null, expected: input.expectation?.value ?? null, reason: route.reason, evidence: evidence(seen) };
      }
      return judge(definition, input, route.state, evidence(seen), detail);
    },
  };
  return definition;
}

export const routeChecks: readonly CheckDefinition[] = [
  pathPrefix,
  apiCheck('api.chat-completions', 'chat-completions', 'Whether the model serves Chat Completions'),
  apiCheck('api.responses', 'responses', 'Whether the model serves the Responses API'),
  apiCheck('api.messages', 'messages', 'Whether the model serves Anthropic Messages on /anthropic/v1'),
  apiCheck('api.count-tokens', 'count-tokens', 'Whether the model serves Anthropic count_tokens on /anthropic/v1'),
];
