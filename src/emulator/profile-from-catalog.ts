/**
 * @module emulator/profile-from-catalog
 * Emulator profiles from the catalog's documented expectations: the emulator plays what the sources say, so the
 * bundled fixtures are what Mantle is documented to do. A claim that a check observes a deviation turns on the
 * behavior that produces it; facts the catalog does not hold (wrong-route answers) come from MANTLE.md here.
 */
import type { LexemeKind } from '../checks/lexeme.ts';
import type { Catalog, CatalogModel } from '../suite/load-catalog.ts';
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

/** What a wrong route answers, by family: MANTLE.md has one observation per source. */
const WRONG_ROUTE_BY_FAMILY: Record<string, WrongRouteStyle> = {
  'google-gemma-4': 'route-400',
  xai: 'not-found-404',
  'openai-gpt-5': 'berm-401',
};

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
  'schema.chat-completion': { 'lenient-only': { nullableFields: false } },
  'schema.response': { 'lenient-only': { userNull: true } },
  'models.listed': { 'not-listed': { listed: false } },
  'reasoning.chat-stream-field': { 'delta.reasoning': { chatReasoning: 'message.reasoning' }, 'delta.reasoning_content': { chatReasoning: 'reasoning_content' } },
  'reasoning.responses-stream-events': { summary: { reasoningSummary: 'summary' }, 'reasoning-text': { reasoningSummary: 'reasoning-text' }, none: { reasoningSummary: 'none' } },
  'prompt-cache.messages': { cached: { promptCache: 'caches' }, 'not-cached': { promptCache: 'never' }, rejected: { promptCache: 'rejects' } },
  ...Object.fromEntries(['images.chat', 'images.responses', 'images.messages'].map((check) => [check, { accepted: { vision: 'sees' }, rejected: { vision: 'rejects' } }])),
  ...Object.fromEntries(['images.seen.chat', 'images.seen.responses', 'images.seen.messages'].map((check) => [check, { seen: { vision: 'sees' }, 'not-seen': { vision: 'blind' }, rejected: { vision: 'rejects' } }])),
  ...Object.fromEntries(['chat', 'responses'].flatMap((api) => ['priority', 'flex'].map((tier) => [`service-tier.${api}.${tier}`, { accepted: { serviceTier: 'echo' }, ignored: { serviceTier: 'ignore' }, rejected: { serviceTier: 'reject' } }]))),
};

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
};

/** Output tokens a model the catalog says reasons thinks before it answers, in the emulator. */
const EMULATED_THINKING_TOKENS = 8;

function behaviorsFrom(claim: Claims, listed: (check: string) => readonly unknown[] | undefined): Behaviors {
  const behaviors: Behaviors = { ...DEFAULT_BEHAVIORS, ...UNCLAIMED, ignoredParams: [], rejectedParams: [] };
  const variants: Partial<Behaviors>[] = [];
  for (const [check, switches] of Object.entries(BEHAVIOR_CLAIMS)) {
    const value = claim(check);
    if (typeof value === 'string' && switches[value]) Object.assign(behaviors, switches[value]);
    // A claim that lists several values is a model that varies: repeats of a request take the values in turn.
    listed(check)?.forEach((v, i) => {
      if (typeof v === 'string' && switches[v]) variants[i] = { ...variants[i], ...switches[v] };
    });
  }
  if (variants.length > 1) behaviors.variants = variants;
  behaviors.efforts = DEFAULT_BEHAVIORS.efforts.filter((effort) => claim(`reasoning.effort.${effort}`) !== 'rejected');
  for (const [check, param] of Object.entries(PARAM_CHECKS)) {
    if (claim(check) === 'ignored') behaviors.ignoredParams.push(param);
    if (claim(check) === 'rejected') behaviors.rejectedParams.push(param);
  }
  return behaviors;
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
    wrongRoute: WRONG_ROUTE_BY_FAMILY[model.family] ?? 'route-400',
    defaults: {
      temperature: number('defaults.temperature', OPENAI_DEFAULTS.temperature) ?? OPENAI_DEFAULTS.temperature,
      top_p: number('defaults.top-p', OPENAI_DEFAULTS.top_p) ?? OPENAI_DEFAULTS.top_p,
      max_output_tokens: number('defaults.max-output-tokens', null),
      reasoning_effort: typeof effort === 'string' ? effort : null,
    },
    createdAt: { chat: lexeme('created-at.chat'), responses: lexeme('created-at.responses') },
    arrayContent: { chat: array('content.array.chat', 'reject-400'), responses: array('content.array.responses', 'reject-200-failed') },
    stream: {},
    behaviors: { ...behaviorsFrom(claim, listed), thinkingTokens: model.reasoning?.reasons ? EMULATED_THINKING_TOKENS : 0 },
  };
}

export function profilesFromCatalog(catalog: Catalog, overrides: Record<string, ProfileOverride> = {}): Map<string, ModelProfile> {
  const profiles = new Map<string, ModelProfile>();
  for (const model of catalog.models) profiles.set(model.id, applyOverride(profileFromCatalog(model), overrides[model.id]));
  for (const [id, override] of Object.entries(overrides)) if (!profiles.has(id)) profiles.set(id, applyOverride(genericProfile(id), override));
  return profiles;
}
