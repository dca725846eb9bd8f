/**
 * @module run/case-runner
 * Runs one case for one model: builds each step's request (route prefix, default path, model, headers, templates
 * from earlier steps), sends it through the target, polls where the step says so, and returns the outcome.
 * Probe cases go to every prefix of their API family; other cases go to the prefix the probes found.
 */
import { getCheck } from '../checks/registry.ts';
import type { ApiRoute } from '../checks/route.ts';
import type { CaseOutcome } from '../checks/types.ts';
import { HarnessError, toHarnessError } from '../errors.ts';
import type { LoadedCase, LoadedStep } from '../suite/load-suites.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { SURFACE_RULES, type Surface } from '../surfaces.ts';
import { describePath, describeUse, renderString, renderTemplates, resolvePath, unusableAs, type TemplateScope } from '../suite/templates.ts';
import { jsonBody } from '../transport/body.ts';
import type { Exchange, ExchangeRequest } from '../transport/exchange.ts';
import type { Target } from '../transport/target.ts';
import { refusedBound, withoutRefusedBounds } from './output-bounds.ts';
import { giveRoomToThink, type Thinking } from './room-to-think.ts';

export const DEFAULT_PATHS: Record<ApiId, string> = {
  'chat-completions': '/chat/completions',
  responses: '/responses',
  messages: '/messages',
  'count-tokens': '/messages/count_tokens',
  models: '/models',
};

const ANTHROPIC_APIS: ReadonlySet<ApiId> = new Set(['messages', 'count-tokens']);
const MODEL_IN_BODY: ReadonlySet<ApiId> = new Set(['chat-completions', 'responses', 'messages', 'count-tokens']);

/** The prefixes of an API's family on a surface, in probe order (src/surfaces.ts). */
export function prefixesFor(api: ApiId, surface: Surface = 'mantle'): readonly string[] {
  const rules = SURFACE_RULES[surface];
  return ANTHROPIC_APIS.has(api) ? [rules.anthropicPrefix] : rules.openaiPrefixes;
}

export interface CaseRunContext {
  model: string;
  target: Target;
  /** The target's endpoint surface: which prefixes the probes ask. @default mantle */
  surface?: Surface;
  /** The route for an API, decided by the probes (the session memoizes it). */
  route(api: ApiId): Promise<ApiRoute>;
  signal?: AbortSignal;
  /** Whether to wait between polls (not in replay: recorded answers come back in order anyway). */
  waitBetweenPolls: boolean;
  /** Which trial of the case this is (from 1); exchanges of later trials are tagged with it. @default 1 */
  trial?: number;
  /** Room to think for a model that reasons, for steps that need visible output (the session decides once). */
  thinking?(): Promise<Thinking | undefined>;
  /** The output bounds the probes found this model refuses on an API (see output-bounds.ts). */
  refusedBounds?(api: ApiId): Promise<ReadonlySet<string>>;
}

/** Codes that mean "not run" rather than "broke": the cell is `skipped`, not `error`. */
const NOT_RUN = new Set(['HARNESS_INTERRUPTED', 'HARNESS_BUDGET']);

export async function runCase(spec: LoadedCase, context: CaseRunContext): Promise<CaseOutcome> {
  const base = { caseId: spec.id, api: spec.api };
  const exchanges: Exchange[] = [];
  try {
    if (spec.probe) {
      // Each prefix is an independent question: ask them all at once.
      const answers = await Promise.all(
        prefixesFor(spec.api, context.surface).map(async (prefix) => {
          const refusals: Exchange[] = [];
          const last = await send(spec, spec.steps[0]!, prefix, context, [], refusals);
          return [...refusals, last];
        }),
      );
      exchanges.push(...answers.flat());
      const broken = exchanges.filter((ex) => ex.error);
      // A probe that could not ask every prefix (a spend cap, Ctrl-C, a target given up on) cannot conclude anything.
      // A request kept from a target that stopped answering was not sent either, but is the endpoint's failure: `error`.
      const notRun = broken.find((ex) => NOT_RUN.has(ex.error!.code)) ?? broken.find((ex) => ex.error!.code === 'HARNESS_ENDPOINT_DOWN');
      if (notRun) return failed(base, exchanges, notRun.error!);
      if (broken.length === exchanges.length) return failed(base, exchanges, broken[0]!.error!);
      return { kind: 'completed', ...base, exchanges };
    }
    const route = await context.route(spec.api);
    if (route.state === 'unsupported') return { kind: 'unsupported', ...base, reason: route.reason };
    if (route.state === 'not-found') return { kind: 'error', ...base, exchanges, error: { code: 'HARNESS_MODEL_NOT_FOUND', message: route.reason } };
    if (route.state === 'skipped') return { kind: 'skipped', ...base, reason: route.reason };
    // A probe not sent to a target that stopped answering: the case is not sent either, and says why in the same words.
    if (route.state === 'unknown' && route.notSent) return { kind: 'error', ...base, exchanges, error: route.notSent };
    if (route.state === 'unknown') {
      // The probe that broke is kept: its codes say why (a replay's missing recording gates, report/recording-defects.ts).
      const probe = route.probe ? { routeProbe: route.probe } : {};
      return { kind: 'error', ...base, exchanges, error: { code: 'HARNESS_ROUTE_UNKNOWN', message: `cannot choose a route for ${spec.api}: ${route.reason}` }, ...probe };
    }
    // Sent on a route the API's own probes found serving the model: a refusal there contradicts them (answer.ts).
    const routed = route.probed ? { routed: true as const } : {};
    const thinking = spec.steps.some((step) => step.visibleOutput) ? await context.thinking?.() : undefined;
    const refusedBounds = await context.refusedBounds?.(spec.api);
    const stepContext: StepContext = { ...context, ...(thinking ? { roomToThink: thinking } : {}), ...(refusedBounds ? { refused: refusedBounds } : {}) };
    // The steps answered before one that broke: a check that reads only them is judged on them (observed-steps.ts).
    const brokeAfter = (step: string, answered: number) =>
      answered > 0 ? { step, earlier: { kind: 'completed' as const, ...base, exchanges: exchanges.slice(0, answered), ...routed } } : undefined;
    for (const step of spec.steps) {
      const answered = exchanges.length;
      let exchange: Exchange;
      try {
        exchange = await sendWithPoll(spec, step, route.prefix, stepContext, exchanges);
      } catch (error) {
        // An earlier answer lacked what this step needs: that is the endpoint's behavior, not a broken run.
        if (error instanceof HarnessError && error.code === 'HARNESS_TEMPLATE') {
          return { kind: 'completed', ...base, exchanges, incomplete: { step: step.id, reason: error.message }, ...routed };
        }
        const harness = toHarnessError(error);
        return failed(base, exchanges, { code: harness.code, message: harness.message }, brokeAfter(step.id, answered));
      }
      if (exchange.error) return failed(base, exchanges, exchange.error, brokeAfter(step.id, answered));
    }
    return { kind: 'completed', ...base, exchanges, ...routed };
  } catch (error) {
    const harness = toHarnessError(error);
    return failed(base, exchanges, { code: harness.code, message: harness.message });
  }
}

function failed(
  base: { caseId: string; api: ApiId },
  exchanges: Exchange[],
  error: NonNullable<Exchange['error']>,
  laterStepBroke?: Extract<CaseOutcome, { kind: 'error' }>['laterStepBroke'],
): CaseOutcome {
  if (NOT_RUN.has(error.code)) return { kind: 'skipped', ...base, reason: error.message };
  return { kind: 'error', ...base, exchanges, error, ...(laterStepBroke ? { laterStepBroke } : {}) };
}

type StepContext = CaseRunContext & { roomToThink?: Thinking; refused?: ReadonlySet<string> };

/**
 * How many polls a 404 is asked again before the step's first 2xx: a resource made by the step before may not be
 * readable yet (read-after-write lag), so an early 404 is not yet the endpoint losing it. After a 2xx, a 404 ends it.
 */
export const NOT_FOUND_POLLS = 5;

async function sendWithPoll(spec: LoadedCase, step: LoadedStep, prefix: string, context: StepContext, done: Exchange[]): Promise<Exchange> {
  let exchange = await send(spec, step, prefix, context, done, done);
  done.push(exchange);
  const poll = step.poll;
  if (!poll) return exchange;
  const path = poll.field.split('.').map((key) => (/^\d+$/.test(key) ? { index: Number(key) } : { key }));
  const maxAttempts = poll.max_attempts ?? 20;
  const interval = poll.interval_ms ?? 500;
  let seenOk = false;
  for (let attempt = 1; ; attempt++) {
    if (exchange.error || !exchange.response) return exchange;
    const { status } = exchange.response;
    seenOk ||= status < 300;
    const parsed = jsonBody(exchange.response);
    const value = parsed.ok ? resolvePath(parsed.value, path) : undefined;
    if (typeof value === 'string' && poll.until.includes(value)) return exchange;
    const lagging = status === 404 && !seenOk;
    if (status >= 400 && !(lagging && attempt < NOT_FOUND_POLLS)) return exchange;
    if (attempt >= maxAttempts) {
      // The harness stopped asking, not the endpoint: the check says so (what it waited is the suite's bound).
      const gaveUp = `the harness stopped polling after ${attempt} attempt(s), ${interval} ms apart (about ${Math.round(((attempt - 1) * interval) / 1000)} s)`;
      exchange = { ...exchange, note: exchange.note ? `${exchange.note}; ${gaveUp}` : gaveUp };
      done[done.length - 1] = exchange;
      return exchange;
    }
    if (context.waitBetweenPolls) await delay(interval, context.signal);
    exchange = await send(spec, step, prefix, context, done, done);
    done.push(exchange);
  }
}

/**
 * Sends one step. An answer that refuses an output bound the case does not test is pushed to `refusals` and the
 * step is sent again with the next bound (see output-bounds.ts); the exchange returned is the last one.
 */
async function send(spec: LoadedCase, step: LoadedStep, prefix: string, context: StepContext, done: readonly Exchange[], refusals: Exchange[]): Promise<Exchange> {
  const thinking = stepThinking(spec, step, context.roomToThink);
  const built = buildRequest(spec, step, prefix, templateScope(spec, step, context.model, done), thinking);
  const underTest = paramsUnderTest(spec);
  const refused = new Set(context.refused ?? []);
  // Parsed once: every version of the request sent below is this body with bounds moved (read as it was written).
  const builtBody = jsonRequestBody(built);
  let { request, body, note } = withBounds(built, builtBody, spec.api, refused, underTest);
  for (;;) {
    const exchange = await sendOnce(spec, step, prefix, context, request, body);
    const field = body ? refusedBound(exchange, spec.api, body, underTest) : undefined;
    if (!field) return note ? { ...exchange, note } : exchange;
    refusals.push(exchange);
    refused.add(field);
    ({ request, body, note } = withBounds(built, builtBody, spec.api, refused, underTest));
  }
}

/** The request to send without the refused bounds, and its body as an object (what JSON.parse reads of it). */
function withBounds(
  request: ExchangeRequest,
  body: Record<string, unknown> | undefined,
  api: ApiId,
  refused: ReadonlySet<string>,
  underTest: ReadonlySet<string>,
): { request: ExchangeRequest; body: Record<string, unknown> | undefined; note?: string } {
  if (!body) return { request, body };
  const adjusted = withoutRefusedBounds(body, api, refused, underTest);
  if (!adjusted.note) return { request, body };
  return { request: { ...request, body: JSON.stringify(adjusted.body) }, body: adjusted.body, note: adjusted.note };
}

async function sendOnce(spec: LoadedCase, step: LoadedStep, prefix: string, context: StepContext, request: ExchangeRequest, body: Record<string, unknown> | undefined): Promise<Exchange> {
  const maxTokens = body ? requestedMaxTokens(body) : undefined;
  const trial = context.trial ?? 1;
  const exchange = await context.target.send(request, {
    model: context.model,
    caseId: spec.id,
    step: step.id,
    prefix,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(trial > 1 ? { trial } : {}),
  });
  return trial > 1 ? { ...exchange, trial } : exchange;
}

/** Each case's fields under test, worked out on its first send rather than on every send of every model. */
const underTestOf = new WeakMap<LoadedCase, ReadonlySet<string>>();

/** The request fields the case's checks are about: never rewritten. */
function paramsUnderTest(spec: LoadedCase): ReadonlySet<string> {
  let fields = underTestOf.get(spec);
  if (!fields) underTestOf.set(spec, (fields = new Set(spec.checks.flatMap((id) => getCheck(id)?.params ?? []))));
  return fields;
}

function jsonRequestBody(request: ExchangeRequest): Record<string, unknown> | undefined {
  if (request.body === undefined) return undefined;
  try {
    const parsed = JSON.parse(request.body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The room to think a step gets of a model that reasons: a case's step that needs visible output, never a probe's.
 * Shared with the --tpm warning (tpm-warning.ts), which must count the request as it will be sent.
 */
export function stepThinking(spec: LoadedCase, step: LoadedStep, thinking: Thinking | undefined): Thinking | undefined {
  return !spec.probe && step.visibleOutput ? thinking : undefined;
}

export function buildRequest(spec: LoadedCase, step: LoadedStep, prefix: string, scope: TemplateScope, thinking?: Thinking): ExchangeRequest {
  const method = step.request.method ?? (spec.api === 'models' ? 'GET' : 'POST');
  const rawPath = step.request.path ?? DEFAULT_PATHS[spec.api];
  const path = `${prefix}${String(renderString(rawPath, scope, 'path'))}`;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (step.request.body !== undefined || method === 'POST') {
    const given = (renderTemplates(step.request.body ?? {}, scope) ?? {}) as Record<string, unknown>;
    const withModel = MODEL_IN_BODY.has(spec.api) && !('model' in given) ? { model: scope.model, ...given } : given;
    body = JSON.stringify(thinking ? giveRoomToThink(withModel, spec.api, thinking) : withModel);
    headers['content-type'] = 'application/json';
  }
  // Mantle requires the header on the Anthropic surface (AWS user guide); a case can remove it with null.
  if (ANTHROPIC_APIS.has(spec.api)) headers['anthropic-version'] = '2023-06-01';
  for (const [name, value] of Object.entries(step.request.headers ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = String(renderString(value, scope, 'header'));
  }
  return { method, path, headers, ...(body !== undefined ? { body } : {}) };
}

function templateScope(spec: LoadedCase, step: LoadedStep, model: string, done: readonly Exchange[]): TemplateScope {
  return {
    model,
    step(ref, use) {
      const source = done.filter((ex) => ex.step === ref.step).at(-1);
      const where = `case ${spec.id}, step ${step.id}: {{steps.${ref.step}${describePath(ref.path)}}}`;
      if (!source?.response) throw new HarnessError('HARNESS_TEMPLATE', `${where} has no value: step ${ref.step} got no response`);
      // A body that went silent is not whole: what it lacks is the stall's doing, not the endpoint's answer.
      if (source.response.stalledAfterMs !== undefined) {
        throw new HarnessError('HARNESS_STALLED', `${where} has no value: step ${ref.step}'s answer stalled (no data for ${source.response.stalledAfterMs} ms), so it never arrived whole`);
      }
      const parsed = jsonBody(source.response);
      const value = parsed.ok ? resolvePath(parsed.value, ref.path) : undefined;
      if (value === undefined) {
        throw new HarnessError('HARNESS_TEMPLATE', `${where} has no value: step ${ref.step} answered HTTP ${source.response.status} without it`);
      }
      // null, an object or an array in a path, a header or text would be sent as "null", "{}": no request the case meant.
      const why = unusableAs(value, use);
      if (why) throw new HarnessError('HARNESS_TEMPLATE', `${where} has no value ${describeUse(use)}: step ${ref.step} answered HTTP ${source.response.status} where ${why}`);
      return value;
    },
  };
}

/** The output bound a JSON object body asks for (a body that is not one asks for none): what the scheduler counts. */
export function requestedMaxTokens(body: Record<string, unknown>): number | undefined {
  const value = body.max_tokens ?? body.max_completion_tokens ?? body.max_output_tokens;
  return typeof value === 'number' ? value : undefined;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
