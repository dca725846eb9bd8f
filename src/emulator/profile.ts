/**
 * @module emulator/profile
 * How the emulator behaves for each model: routes, APIs, defaults, created_at lexemes, array content, streams.
 * Profiles come from the catalog's documented expectations (so the emulator plays what MANTLE.md says), plus a
 * few facts the catalog does not hold (what a wrong route answers). Every quirk can be switched per model.
 */
import type { LexemeKind } from '../checks/lexeme.ts';
import type { Catalog, CatalogModel } from '../suite/load-catalog.ts';

export type EmulatedApi = 'chat-completions' | 'responses' | 'messages' | 'count-tokens';

/** What an OpenAI route that does not serve the model answers. */
export type WrongRouteStyle =
  /** 400 "model `X` isn't supported on this route" (gemma-4 live recording). */
  | 'route-400'
  /** 401 "Berm is not enabled for this account" (seeds/truefoundry FAQ, litellm #30657). */
  | 'berm-401'
  /** 404 (seeds/grok-guide: "omitting the prefix returns a 404"). */
  | 'not-found-404';

export type ArrayContentBehavior = 'accept' | 'reject-400' | 'reject-200-failed';

/** Deviations a stream can be switched to, each one a rule the stream checks enforce. */
export interface StreamQuirks {
  /** CRLF line endings (legal). */
  crlf?: boolean;
  /** Split every event across several TCP writes (legal). */
  splitWrites?: boolean;
  /** `obfuscation` inside chat `choices[]` (legal, Mantle does it). */
  obfuscation?: boolean;
  /** `: ping` comments and Anthropic `ping` events (legal). */
  pings?: boolean;
  /** No `data: [DONE]` at the end of a chat stream. */
  omitDone?: boolean;
  /** No chunk carries a finish_reason. */
  omitFinishReason?: boolean;
  /** The usage chunk carries a choice instead of `choices: []`. */
  usageWithChoices?: boolean;
  /** `sequence_number` starts at 1. */
  sequenceFromOne?: boolean;
  /** `sequence_number` skips a value. */
  sequenceGap?: boolean;
  /** No `response.created` first. */
  skipCreated?: boolean;
  /** The stream stops without a terminal event. */
  noTerminal?: boolean;
  /** `output_text.done` disagrees with the deltas. */
  deltaMismatch?: boolean;
  /** An Anthropic stream without `message_start`. */
  noMessageStart?: boolean;
  /** A content_block_delta before its content_block_start. */
  deltaBeforeStart?: boolean;
  /** A `{"type":"error","error":"..."}` frame mid-stream (seen from Mantle). */
  errorFrame?: boolean;
  /** The stream ends in the middle of an event. */
  truncate?: boolean;
  /** Milliseconds between events. */
  eventDelayMs?: number;
}

export interface ModelProfile {
  id: string;
  family: string;
  /** OpenAI route prefixes that serve the model. */
  prefixes: string[];
  apis: Set<EmulatedApi>;
  wrongRoute: WrongRouteStyle;
  defaults: { temperature: number; top_p: number; max_output_tokens: number | null; reasoning_effort: string | null };
  createdAt: { chat: LexemeKind; responses: LexemeKind };
  arrayContent: { chat: ArrayContentBehavior; responses: ArrayContentBehavior };
  stream: StreamQuirks;
  /** Reject `stream: true` with a 400 (streaming is model dependent per seeds/mantle-openai-api-ga). */
  streamRejected?: boolean;
}

export type ProfileOverride = Partial<Omit<ModelProfile, 'id' | 'apis' | 'defaults' | 'createdAt' | 'arrayContent' | 'stream'>> & {
  apis?: EmulatedApi[];
  defaults?: Partial<ModelProfile['defaults']>;
  createdAt?: Partial<ModelProfile['createdAt']>;
  arrayContent?: Partial<ModelProfile['arrayContent']>;
  stream?: StreamQuirks;
};

/** Facts about wrong-route answers, by family; MANTLE.md gives one per source. */
const WRONG_ROUTE_BY_FAMILY: Record<string, WrongRouteStyle> = {
  'google-gemma-4': 'route-400',
  xai: 'not-found-404',
  'openai-gpt-5': 'berm-401',
};

const OPENAI_DEFAULTS = { temperature: 1, top_p: 1, max_output_tokens: null, reasoning_effort: null };

/** A conformant model served on /v1 with Chat Completions and Responses: what an unknown model gets in generic mode. */
export function genericProfile(id: string): ModelProfile {
  return {
    id,
    family: 'generic',
    prefixes: ['/v1'],
    apis: new Set(['chat-completions', 'responses']),
    wrongRoute: 'route-400',
    defaults: { ...OPENAI_DEFAULTS },
    createdAt: { chat: 'integer', responses: 'integer' },
    arrayContent: { chat: 'accept', responses: 'accept' },
    stream: {},
  };
}

export function profileFromCatalog(model: CatalogModel): ModelProfile {
  const claim = (check: string) => model.expect.get(check)?.value;
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
  return {
    id: model.id,
    family: model.family,
    prefixes,
    apis,
    wrongRoute: WRONG_ROUTE_BY_FAMILY[model.family] ?? 'route-400',
    defaults: {
      temperature: number('defaults.temperature', 1) ?? 1,
      top_p: number('defaults.top-p', 1) ?? 1,
      max_output_tokens: number('defaults.max-output-tokens', null),
      reasoning_effort: (claim('reasoning.default-effort') as string | undefined) ?? null,
    },
    createdAt: { chat: lexeme('created-at.chat'), responses: lexeme('created-at.responses') },
    arrayContent: { chat: array('content.array.chat', 'reject-400'), responses: array('content.array.responses', 'reject-200-failed') },
    stream: {},
  };
}

export function applyOverride(profile: ModelProfile, override: ProfileOverride | undefined): ModelProfile {
  if (!override) return profile;
  return {
    ...profile,
    ...override,
    id: profile.id,
    apis: override.apis ? new Set(override.apis) : profile.apis,
    defaults: { ...profile.defaults, ...override.defaults },
    createdAt: { ...profile.createdAt, ...override.createdAt },
    arrayContent: { ...profile.arrayContent, ...override.arrayContent },
    stream: { ...profile.stream, ...override.stream },
  };
}

export function profilesFromCatalog(catalog: Catalog, overrides: Record<string, ProfileOverride> = {}): Map<string, ModelProfile> {
  const profiles = new Map<string, ModelProfile>();
  for (const model of catalog.models) profiles.set(model.id, applyOverride(profileFromCatalog(model), overrides[model.id]));
  for (const [id, override] of Object.entries(overrides)) if (!profiles.has(id)) profiles.set(id, applyOverride(genericProfile(id), override));
  return profiles;
}
