/**
 * @module emulator/profile-from-catalog
 * Emulator profiles from the catalog's documented expectations: the emulator plays what the sources say, so the
 * bundled fixtures are what Mantle is documented to do. A claim that a check observes a deviation turns on the
 * behavior that produces it; the catalog's `wrongRoute` and `parameters` say what a wrong prefix answers and which
 * request fields the model refuses; a `requests.sdk-fields.*` claim of `rejected` turns on the strict parser for
 * that field. What every real answer of the engine shows (MANTLE.md "Fields real answers
 * carry": `obfuscation` in stream chunks, Claude's model echo without `anthropic.`) is played for every catalog model.
 */
import type { LexemeKind } from '../checks/lexeme.ts';
import type { Catalog, CatalogModel } from '../suite/load-catalog.ts';
import type { Surface } from '../surfaces.ts';
import {
  applyOverride,
  DEFAULT_BEHAVIORS,
  genericProfile,
  OPENAI_DEFAULTS,
  type ArrayContentBehavior,
  type Behaviors,
  type EmulatedApi,
  type ModelProfile,
  type ProfileOverride,
  type WrongRouteStyle,
} from './profile.ts';

/** What a wrong route answers when the catalog does not say: gemma-4's recorded answer, the only one on record for /v1 chat. */
const DEFAULT_WRONG_ROUTE: WrongRouteStyle = 'route-400';

type Claims = (check: string) => string | number | null | undefined;

/** Behavior switches implied by documented observations, check id -> observed value -> switch. */
const BEHAVIOR_CLAIMS: Record<string, Record<string, Partial<Behaviors>>> = {
  'responses.input-items': { unsupported: { inputItems: false } },
  'responses.background': { 'returned-completed': { background: 'synchronous' }, 'not-terminal': { background: 'stuck' } },
  'responses.previous-response-id': { ignored: { previousResponse: 'ignore' }, rejected: { previousResponse: 'reject' } },
  'responses.store-false': { retrievable: { storeFalse: 'ignored' } },
  'reasoning.chat-field': { 'message.reasoning': { chatReasoning: 'message.reasoning' }, reasoning_content: { chatReasoning: 'reasoning_content' }, none: { chatReasoning: 'none' } },
  'reasoning.encrypted-content': { 'not-returned': { encryptedReasoning: 'not-returned' }, 'rejected-on-return': { encryptedReasoning: 'rejected-on-return' } },
  'messages.anthropic-version': { optional: { anthropicVersionRequired: false } },
  'messages.thinking-budget': { rejected: { budgetThinking: 'rejected' } },
  'messages.thinking-adaptive': { rejected: { adaptiveThinking: 'rejected' } },
  'messages.thinking-default': { thinks: { thinksByDefault: true }, 'no-thinking': { thinksByDefault: false } },
  'messages.thinking-disabled': { off: { disabledThinking: 'off' }, ignored: { disabledThinking: 'ignored' }, rejected: { disabledThinking: 'rejected' } },
  'schema.chat-completion': { 'lenient-only': { nullableFields: false } },
  'schema.chat-completion-chunk': { 'lenient-only': { streamUsageDetails: 'null' } },
  'schema.response': { 'lenient-only': { userNull: true } },
  // The only documented case: gemma-4 refuses chat tools unless reasoning_effort is "none" (litellm #36970).
  'tools.chat.forced-call': { rejected: { chatTools: 'reject-while-reasoning' } },
  // Claude Sonnet 5.5 refuses a forced tool_choice (vercel/ai @ai-sdk/amazon-bedrock 5.0.99, unverified).
  'tools.messages.forced-call': { rejected: { forcedToolChoice: 'reject' } },
  // Claude on Mantle echoes "claude-opus-4-7" (MANTLE.md); a claim of the check that observes it wins.
  'messages.model-echo': { same: { modelEcho: 'same' }, 'stripped-prefix': { modelEcho: 'stripped-prefix' } },
  'models.listed': { 'not-listed': { listed: false } },
  'reasoning.chat-stream-field': { 'delta.reasoning': { chatReasoning: 'message.reasoning' }, 'delta.reasoning_content': { chatReasoning: 'reasoning_content' } },
  'reasoning.responses-stream-events': { summary: { reasoningSummary: 'summary' }, 'reasoning-text': { reasoningSummary: 'reasoning-text' }, none: { reasoningSummary: 'none' } },
  'prompt-cache.messages': { cached: { promptCache: 'caches' }, 'not-cached': { promptCache: 'never' }, rejected: { promptCache: 'rejects' } },
  ...Object.fromEntries(['images.chat', 'images.responses', 'images.messages'].map((check) => [check, { accepted: { vision: 'sees' }, rejected: { vision: 'rejects' } }])),
  ...Object.fromEntries(['images.seen.chat', 'images.seen.responses', 'images.seen.messages'].map((check) => [check, { seen: { vision: 'sees' }, 'not-seen': { vision: 'blind' }, rejected: { vision: 'rejects' } }])),
  ...Object.fromEntries(['chat', 'responses'].flatMap((api) => ['priority', 'flex'].map((tier) => [`service-tier.${api}.${tier}`, { accepted: { serviceTier: 'echo' }, ignored: { serviceTier: 'ignore' }, rejected: { serviceTier: 'reject' } }]))),
  'messages.beta': { rejected: { betaFlags: 'reject-unknown' }, ignored: { betaFlags: 'ignore-unknown' } },
  'requests.sdk-fields.anthropic-version': { rejected: { anthropicVersions: ['2023-06-01'] } },
  'api.responses-compact': { supported: { compact: true }, unsupported: { compact: false } },
  'answer.non-empty': { 'non-empty': { emptyAnswer: false }, empty: { emptyAnswer: true } },
};

/**
 * Claims whose listed values are not played in turn on repeats: an empty answer empties every request of the
 * repeat (its forced tool calls and structured output too), which the sources do not document; the emulator answers
 * these models' first value and plays an empty answer only when switched on (`behaviors.emptyAnswer`).
 * Claude's `messages.anthropic-version` lists both values because no capture shows which Mantle does (every SDK sends
 * the header), not because it varies: the emulator plays the first, required, as Anthropic's own API does.
 * `models.listed` of the /openai/v1 models lists both values because two lists disagree by region (hermes-agent
 * #65076, us-east-1; llama-stack, us-east-2), and Claude's because no capture asked, not by repeat: the emulator
 * plays the first (listed; for Claude, not-listed). Claude Sonnet 5.5's `messages.thinking-default` lists both because
 * no source says which (it refuses thinking disabled): the emulator plays the first, Anthropic's no-thinking.
 */
const NOT_VARIED = new Set(['answer.non-empty', 'messages.anthropic-version', 'models.listed', 'messages.thinking-default']);

/**
 * What a catalog model does where its sources say nothing, when that differs from a conformant model: no vision
 * (a 400 for an image, as OpenAI answers for a model without it; the catalog names the vision models), and the
 * default service tier whatever is asked (Mantle's answers echo "default").
 */
const UNCLAIMED: Partial<Behaviors> = { vision: 'rejects', serviceTier: 'ignore' };

const PARAM_CHECKS: Record<string, string> = {
  'params.max-tokens': 'max_tokens',
  'params.max-completion-tokens': 'max_completion_tokens',
  'params.max-output-tokens': 'max_output_tokens',
  'params.stop': 'stop',
  'params.n': 'n',
  'params.logprobs': 'logprobs',
  'params.temperature': 'temperature',
  'params.top-p': 'top_p',
};

/**
 * The request fields a strict parser refuses when a `requests.sdk-fields.*` check is claimed `rejected`, per API
 * (what the integrators suite sends: text.verbosity on Responses). `ignored` is played where the emulator has a
 * switch for it (verbosity echoed as the default).
 */
const SDK_FIELD_CLAIMS: Record<string, { rejected: Partial<Record<EmulatedApi, string[]>>; ignored?: string }> = {
  'requests.sdk-fields.prompt-cache-key': { rejected: { 'chat-completions': ['prompt_cache_key'], responses: ['prompt_cache_key'] } },
  'requests.sdk-fields.safety-identifier': { rejected: { 'chat-completions': ['safety_identifier'], responses: ['safety_identifier'] } },
  'requests.sdk-fields.store': { rejected: { 'chat-completions': ['store'] } },
  'requests.sdk-fields.verbosity': { rejected: { 'chat-completions': ['verbosity'], responses: ['text.verbosity'] }, ignored: 'verbosity' },
  'requests.sdk-fields.service-tier': { rejected: { 'chat-completions': ['service_tier'], responses: ['service_tier'] } },
  'requests.sdk-fields.metadata': { rejected: { 'chat-completions': ['metadata'], responses: ['metadata'], messages: ['metadata'] } },
};

/** Output tokens a model the catalog says reasons thinks before it answers, in the emulator. */
const EMULATED_THINKING_TOKENS = 8;

function behaviorsFrom(claim: Claims, listed: (check: string) => readonly unknown[] | undefined, model: CatalogModel): Behaviors {
  const behaviors: Behaviors = { ...DEFAULT_BEHAVIORS, ...UNCLAIMED, ignoredParams: [], rejectedParams: [], apiParams: apiParamsOf(model), strictFields: {} };
  if (claim('api.messages') === 'supported') behaviors.modelEcho = 'stripped-prefix';
  const variants: Partial<Behaviors>[] = [];
  for (const [check, switches] of Object.entries(BEHAVIOR_CLAIMS)) {
    const value = claim(check);
    if (typeof value === 'string' && Object.hasOwn(switches, value)) Object.assign(behaviors, switches[value]);
    // A claim that lists several values is a model that varies: repeats of a request take the values in turn.
    if (NOT_VARIED.has(check)) continue;
    listed(check)?.forEach((v, i) => {
      if (typeof v === 'string' && Object.hasOwn(switches, v)) variants[i] = { ...variants[i], ...switches[v] };
    });
  }
  if (variants.length > 1) behaviors.variants = variants;
  // The efforts the catalog lists for the model (its source's whole list, xhigh and max included), else the default
  // set less those a check's claim says are refused.
  const efforts = model.reasoning?.efforts ?? DEFAULT_BEHAVIORS.efforts;
  behaviors.efforts = efforts.filter((effort) => claim(`reasoning.effort.${effort}`) !== 'rejected');
  behaviors.noneDisablesReasoning = model.reasoning?.noneTurnsOff === true;
  for (const [check, param] of Object.entries(PARAM_CHECKS)) {
    if (claim(check) === 'ignored') behaviors.ignoredParams.push(param);
    if (claim(check) === 'rejected' && !refusedOnApi(behaviors.apiParams, param)) behaviors.rejectedParams.push(param);
  }
  for (const [check, plays] of Object.entries(SDK_FIELD_CLAIMS)) {
    const value = claim(check);
    if (value === 'ignored' && plays.ignored) behaviors.ignoredParams.push(plays.ignored);
    if (value !== 'rejected') continue;
    for (const [api, fields] of Object.entries(plays.rejected) as [EmulatedApi, string[]][]) {
      behaviors.strictFields[api] = [...(behaviors.strictFields[api] ?? []), ...fields];
    }
  }
  return behaviors;
}

/** The catalog's per-API parameter rules, as the emulator's (copies: a profile never shares arrays with the catalog). */
function apiParamsOf(model: CatalogModel): Behaviors['apiParams'] {
  const out: Behaviors['apiParams'] = {};
  for (const api of ['chat-completions', 'responses'] as const) {
    const rules = model.parameters?.[api];
    if (rules) out[api] = { ...(rules.rejected ? { rejected: [...rules.rejected] } : {}), ...(rules.defaultOnly ? { defaultOnly: [...rules.defaultOnly] } : {}) };
  }
  return out;
}

/** Whether a per-API rule already refuses `param` (then the claim of its check needs no rule for every API). */
function refusedOnApi(apiParams: Behaviors['apiParams'], param: string): boolean {
  return Object.values(apiParams).some((rules) => rules?.rejected?.includes(param) || rules?.defaultOnly?.includes(param));
}

export function profileFromCatalog(model: CatalogModel): ModelProfile {
  // A claim that lists several values plays the first one, and its other values in turn on repeats (variants).
  const claim: Claims = (check) => {
    const value = model.expect.get(check)?.value;
    return Array.isArray(value) ? value[0] : value;
  };
  const listed = (check: string) => {
    const value = model.expect.get(check)?.value;
    return Array.isArray(value) ? value : undefined;
  };
  const prefix = claim('path-prefix');
  const prefixes = prefix === 'both' ? ['/v1', '/openai/v1'] : prefix === 'none' ? [] : prefix === '/openai/v1' ? ['/openai/v1'] : ['/v1'];
  const apis = new Set<EmulatedApi>();
  const apiClaims: [string, EmulatedApi, boolean][] = [
    ['api.chat-completions', 'chat-completions', true],
    ['api.responses', 'responses', false],
    ['api.messages', 'messages', false],
    ['api.count-tokens', 'count-tokens', false],
  ];
  for (const [check, api, fallback] of apiClaims) {
    const value = claim(check);
    if (value === 'supported' || (value === undefined && fallback)) apis.add(api);
  }
  const number = (check: string, fallback: number | null) => {
    const value = claim(check);
    return typeof value === 'number' || value === null ? value : fallback;
  };
  const lexeme = (check: string) => (claim(check) as LexemeKind | undefined) ?? 'integer';
  const array = (check: string, rejected: ArrayContentBehavior): ArrayContentBehavior => (claim(check) === 'rejected' ? rejected : 'accept');
  const effort = claim('reasoning.default-effort');
  return {
    id: model.id,
    family: model.family,
    prefixes,
    apis,
    wrongRoute: model.wrongRoute?.answer ?? DEFAULT_WRONG_ROUTE,
    defaults: {
      temperature: number('defaults.temperature', OPENAI_DEFAULTS.temperature) ?? OPENAI_DEFAULTS.temperature,
      top_p: number('defaults.top-p', OPENAI_DEFAULTS.top_p) ?? OPENAI_DEFAULTS.top_p,
      max_output_tokens: number('defaults.max-output-tokens', null),
      reasoning_effort: typeof effort === 'string' ? effort : null,
    },
    createdAt: { chat: lexeme('created-at.chat'), responses: lexeme('created-at.responses') },
    arrayContent: { chat: array('content.array.chat', 'reject-400'), responses: array('content.array.responses', 'reject-200-failed') },
    // Every real chat stream on record carries `obfuscation` inside its choices (gpt-oss-20b, llama-stack recordings).
    stream: { obfuscation: true },
    behaviors: { ...behaviorsFrom(claim, listed, model), thinkingTokens: model.reasoning?.reasons ? EMULATED_THINKING_TOKENS : 0 },
  };
}

/** Unstated checks whose Mantle claims the emulator still plays on the surface: the route prefix is onSurface's (surface.ts) to replace. */
const PLAYED_WHERE_UNSTATED: ReadonlySet<string> = new Set(['path-prefix']);

/**
 * The profiles of the catalog's models as `surface` serves them (default: Mantle, which the models' claims describe).
 * A claim on a check the catalog says states nothing on that surface (`surfaces.<surface>.unstated`: a Mantle claim
 * that does not carry over, e.g. gpt-oss-120b's exponent created_at on runtime, where a source saw an integer) is
 * not played there: the model answers as where nothing is claimed; but see PLAYED_WHERE_UNSTATED.
 */
export function profilesFromCatalog(catalog: Catalog, overrides: Record<string, ProfileOverride> = {}, surface?: Surface): Map<string, ModelProfile> {
  const unstated = new Set((surface ? (catalog.surfaces[surface]?.unstated ?? []) : []).map((u) => u.check).filter((check) => !PLAYED_WHERE_UNSTATED.has(check)));
  const onSurface = (model: CatalogModel): CatalogModel => (unstated.size ? { ...model, expect: new Map([...model.expect].filter(([check]) => !unstated.has(check))) } : model);
  const profiles = new Map<string, ModelProfile>();
  for (const model of catalog.models) profiles.set(model.id, applyOverride(profileFromCatalog(onSurface(model)), overrides[model.id]));
  for (const [id, override] of Object.entries(overrides)) if (!profiles.has(id)) profiles.set(id, applyOverride(genericProfile(id), override));
  return profiles;
}
