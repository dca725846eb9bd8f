/**
 * @module emulator/profile
 * How the emulator behaves for each model: routes, APIs, defaults, created_at lexemes, array content, streams.
 * Profiles come from the catalog's documented expectations (so the emulator plays what MANTLE.md says), plus a
 * few facts the catalog does not hold (what a wrong route answers). Every quirk can be switched per model.
 */
import type { LexemeKind } from '../checks/lexeme.ts';
import type { ParameterRules } from '../suite/catalog-schema.ts';

export type EmulatedApi = 'chat-completions' | 'responses' | 'messages' | 'count-tokens';

/** What an OpenAI route that does not serve the model answers. */
export type WrongRouteStyle =
  /** 400 "model `X` isn't supported on this route" (gemma-4 live recording). */
  | 'route-400'
  /** 401 "Berm is not enabled for this account" (seeds/truefoundry FAQ, litellm #30657). */
  | 'berm-401'
  /** 404 (seeds/grok-guide: "omitting the prefix returns a 404"). */
  | 'not-found-404'
  /**
   * 400 "The model '...' does not support the '/v1/responses' API": API wording with a route cause (GPT-5.6 models
   * on /v1 since August 2026, served on /openai/v1; MANTLE.md, Autumn 2026).
   */
  | 'api-400'
  /** A bare 404 with a text body, no OpenAI envelope (a deviation for tests). */
  | 'plain-404';

export type ArrayContentBehavior = 'accept' | 'reject-400' | 'reject-200-failed';

/** Request parameters one API of the model refuses: the catalog's `parameters` rules, without their source. */
export type ParamRules = Pick<ParameterRules, 'rejected' | 'defaultOnly'>;

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
  /**
   * The stream sends this many events, then goes silent with the connection open (gpt-5.6-luna in us-east-1,
   * Qwen3-Coder-480B with large contexts; MANTLE.md "What integrators hit"): a client waits until it gives up.
   */
  stallAfterEvents?: number;
  /** Milliseconds between events. */
  eventDelayMs?: number;
  /** Milliseconds between the stream's first event and the first content: a slow first token. */
  firstTokenDelayMs?: number;
  /** How many fragments a streamed tool call's arguments come in (chat, Responses, Messages). @default 5 */
  toolArgumentFragments?: number;
  /**
   * A deviation in how tool calls stream (tool-stream.ts): fragments that do not concatenate to valid JSON, a chat
   * delta without `index`, a first delta without `id`, the wrong finish (chat `finish_reason: "tool_use"`, Messages
   * `stop_reason: "end_turn"`, a completed Response without the call), two parallel chat calls sharing one
   * id, or Responses `arguments.done` that disagrees with the deltas.
   */
  toolCallStream?: 'bad-fragments' | 'no-index' | 'no-id' | 'wrong-finish' | 'shared-id' | 'done-mismatch';
  /** A streamed Anthropic thinking block closes without its `signature_delta`. */
  thinkingNoSignature?: boolean;
}

/** Behaviors beyond routes and defaults, each a switch a test can flip (issue #3's surface). */
export interface Behaviors {
  /** Reasoning efforts the model accepts on Responses (others get a 400 naming `reasoning.effort`). */
  efforts: string[];
  /** Effort `none` turns reasoning off (no reasoning item, text or tokens), as seeds/grok-guide says of Grok 4.3. */
  noneDisablesReasoning: boolean;
  /** Where chat puts reasoning text. */
  chatReasoning: 'message.reasoning' | 'reasoning_content' | 'none';
  /** `include: ["reasoning.encrypted_content"]`: returned and accepted back, not returned, or rejected when sent back. */
  encryptedReasoning: 'round-trip' | 'not-returned' | 'rejected-on-return';
  /** GET /responses/{id}/input_items. */
  inputItems: boolean;
  /** `background: true`: queued then completed after polls, answered synchronously, or never finishing. */
  background: 'poll' | 'synchronous' | 'stuck';
  previousResponse: 'echo' | 'ignore' | 'reject';
  /** `store: false`: not retrievable, or stored anyway. */
  storeFalse: 'respected' | 'ignored';
  /** Whether created responses are kept at all (GET by id finds them). */
  storeResponses: boolean;
  deleteResponse: 'deletes' | 'keeps';
  /** Forced function calls: made with arguments that fit the schema, not made, or with broken arguments. */
  tools: 'call' | 'ignore' | 'bad-arguments';
  toolResult: 'accept' | 'reject';
  /** A Messages `tool_choice` that forces a tool (`tool` or `any`): taken, or refused with a 400 (Claude Sonnet 5.5, unverified). */
  forcedToolChoice: 'accept' | 'reject';
  /** json_schema output: valid, plain text instead, or JSON that misses a required field. */
  structured: 'valid' | 'ignore' | 'invalid';
  /** Request parameters taken but without effect, or refused with a 400 naming them (on every API). */
  ignoredParams: string[];
  rejectedParams: string[];
  /** Request parameters refused on one API only (gemma-4's chat refuses top_p, the penalties, ...). */
  apiParams: { 'chat-completions'?: ParamRules; responses?: ParamRules };
  /** Chat requests with tools: taken, or refused while the model reasons (gemma-4: unless reasoning_effort is "none"). */
  chatTools: 'accept' | 'reject-while-reasoning';
  /** Error bodies: the OpenAI envelope or a bare `{"message"}`. */
  errorShape: 'openai' | 'plain';
  /** Listed by GET /v1/models. */
  listed: boolean;
  /**
   * Chat bodies as the OpenAI spec has them: `logprobs: null` in every choice and a string `system_fingerprint`.
   * Off, they are as real Mantle answers are (no `logprobs` key, `system_fingerprint: null`; MANTLE.md "Fields real
   * answers carry").
   */
  nullableFields: boolean;
  /** The stream's usage chunk: `prompt_tokens_details` filled, or null as gpt-oss-20b's real stream has it. */
  streamUsageDetails: 'filled' | 'null';
  /** The `model` a Message echoes: the id as sent, or without `anthropic.` as Claude on Mantle does. */
  modelEcho: 'same' | 'stripped-prefix';
  anthropicVersionRequired: boolean;
  /** The anthropic-version values Messages takes; absent: any. */
  anthropicVersions?: string[];
  /** An `anthropic-beta` value not on the endpoint's allowlist: a 400 "invalid beta flag" (litellm #41203), or ignored. */
  betaFlags: 'reject-unknown' | 'ignore-unknown';
  /**
   * Request fields the model's strict parser refuses, per API, with Mantle's 400 "Failed to deserialize the JSON
   * body into the target type" (mastra #19228); dotted paths for nested ones (`text.verbosity`).
   */
  strictFields: Partial<Record<EmulatedApi, string[]>>;
  /** POST /responses/compact answers a `response.compaction` (OpenAI documents it; Mantle does not). */
  compact: boolean;
  /** A 200 with neither text nor a tool call (grok-4.6, gpt-5.6-sol: 3 of 8 answers). */
  emptyAnswer: boolean;
  /** `thinking: {type: "enabled", budget_tokens}`: Mantle wants adaptive thinking instead (seeds/portkey). */
  budgetThinking: 'rejected' | 'accepted';
  adaptiveThinking: 'accepted' | 'rejected';
  /** A Messages request without `thinking` is answered with a thinking block (Claude Sonnet 5, AWS doc history 2026-08-24). */
  thinksByDefault: boolean;
  /** `thinking: {type: "disabled"}`: thinking off (Anthropic, Claude Sonnet 5), thought anyway, or a 400 (Claude Sonnet 5.5, vercel/ai 5.0.99). */
  disabledThinking: 'off' | 'ignored' | 'rejected';
  anthropicErrorShape: 'anthropic' | 'openai';
  /** Messages without usage and stop_reason, count_tokens as a string: a deviation for tests. */
  anthropicBodies: 'conformant' | 'nonconformant';
  /**
   * The share of forced function calls the model actually makes (1: always, 0.5: every other time). Repeats of the
   * same request take turns, so a run with `--repeat` sees a model that varies, the same way every time.
   */
  toolCallRate: number;
  /** Output tokens the model spends thinking before it answers; a budget at or below it is spent on thinking
   * alone (no visible answer, cut by the length limit), as reasoning models do with a small `max_tokens`. On
   * Messages it applies where thinking is on: one thinking block cut before its signature, `stop_reason: "max_tokens"`. */
  thinkingTokens: number;
  /** The model does not follow the instruction: whatever it is asked, it answers something else. */
  offScript: boolean;
  /** Response objects carry `"user": null` (the document types it as a string), as gemma-4's real answers do. */
  userNull: boolean;
  /** Image input: the answer names the image's colour, the model answers as if there were no image, or a 400. */
  vision: 'sees' | 'blind' | 'rejects';
  /** `service_tier: "priority" | "flex"`: answered at that tier (and echoed), answered at "default", or a 400. */
  serviceTier: 'echo' | 'ignore' | 'reject';
  /** Anthropic `cache_control` breakpoints: a long prefix is cached and read back, never cached, or a 400. */
  promptCache: 'caches' | 'never' | 'rejects';
  /** Where a Responses stream asked for `reasoning.summary` carries the reasoning of a model that thinks (`none`: the summary is only in the completed Response). */
  reasoningSummary: 'summary' | 'reasoning-text' | 'none';
  /** Behaviour overlays taken in turn by repeats of the same request: a model whose answers vary. */
  variants?: Partial<Omit<Behaviors, 'variants'>>[];
}

export const DEFAULT_BEHAVIORS: Behaviors = {
  efforts: ['none', 'minimal', 'low', 'medium', 'high'],
  noneDisablesReasoning: false,
  chatReasoning: 'none',
  encryptedReasoning: 'round-trip',
  inputItems: true,
  background: 'poll',
  previousResponse: 'echo',
  storeFalse: 'respected',
  storeResponses: true,
  deleteResponse: 'deletes',
  tools: 'call',
  toolResult: 'accept',
  forcedToolChoice: 'accept',
  structured: 'valid',
  ignoredParams: [],
  rejectedParams: [],
  apiParams: {},
  chatTools: 'accept',
  errorShape: 'openai',
  listed: true,
  nullableFields: true,
  streamUsageDetails: 'filled',
  modelEcho: 'same',
  anthropicVersionRequired: true,
  betaFlags: 'ignore-unknown',
  strictFields: {},
  compact: false,
  emptyAnswer: false,
  budgetThinking: 'accepted',
  adaptiveThinking: 'accepted',
  thinksByDefault: false,
  disabledThinking: 'off',
  anthropicErrorShape: 'anthropic',
  anthropicBodies: 'conformant',
  toolCallRate: 1,
  thinkingTokens: 0,
  offScript: false,
  userNull: false,
  vision: 'sees',
  serviceTier: 'echo',
  promptCache: 'caches',
  reasoningSummary: 'summary',
};

/** Whether the profile answers a repeat of a request otherwise than the first time (it has variants that differ). */
export function variesOnRepeat(profile: ModelProfile): boolean {
  const variants = profile.behaviors.variants ?? [];
  return variants.some((variant) => JSON.stringify(variant) !== JSON.stringify(variants[0]));
}

/** The profile as it answers the `occurrence`-th repeat (from 0) of the same request: its variant, if it has some. */
export function variantFor(profile: ModelProfile, occurrence: number): ModelProfile {
  const variants = profile.behaviors.variants;
  if (!variants?.length) return profile;
  return { ...profile, behaviors: { ...profile.behaviors, ...variants[occurrence % variants.length] } };
}

/**
 * The output tokens the model thinks for this request: none when it asks for effort `none` of a model that the
 * catalog says turns reasoning off with it (chat: `reasoning_effort` or `reasoning: {effort}`; Responses: `reasoning.effort`).
 */
export function thinkingTokensFor(body: Record<string, unknown>, behaviors: Behaviors): number {
  const effort = (body.reasoning as Record<string, unknown> | undefined)?.effort ?? body.reasoning_effort;
  return behaviors.noneDisablesReasoning && effort === 'none' ? 0 : behaviors.thinkingTokens;
}

/** Whether the `occurrence`-th repeat (from 0) of a forced-call request gets its call, at `rate`: calls are spread evenly. */
export function makesCall(rate: number, occurrence: number): boolean {
  return Math.ceil((occurrence + 1) * rate) > Math.ceil(occurrence * rate);
}

export interface ModelProfile {
  id: string;
  family: string;
  behaviors: Behaviors;
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

export type ProfileOverride = Partial<Omit<ModelProfile, 'id' | 'apis' | 'defaults' | 'createdAt' | 'arrayContent' | 'stream' | 'behaviors'>> & {
  apis?: EmulatedApi[];
  behaviors?: Partial<Behaviors>;
  defaults?: Partial<ModelProfile['defaults']>;
  createdAt?: Partial<ModelProfile['createdAt']>;
  arrayContent?: Partial<ModelProfile['arrayContent']>;
  stream?: StreamQuirks;
};

export const OPENAI_DEFAULTS = { temperature: 1, top_p: 1, max_output_tokens: null, reasoning_effort: null };

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
    behaviors: { ...DEFAULT_BEHAVIORS },
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
    behaviors: withoutOverriddenVariants({ ...profile.behaviors, ...override.behaviors, apiParams: mergeApiParams(profile.behaviors.apiParams, override.behaviors?.apiParams) }, override.behaviors),
  };
}

/** Per-API parameter rules: an override replaces the lists it names and keeps the others. */
function mergeApiParams(base: Behaviors['apiParams'], override: Behaviors['apiParams'] | undefined): Behaviors['apiParams'] {
  if (!override) return base;
  const merged: Behaviors['apiParams'] = { ...base };
  for (const api of ['chat-completions', 'responses'] as const) if (override[api]) merged[api] = { ...base[api], ...override[api] };
  return merged;
}

/** A switch set by an override holds on every request: the variants no longer vary what it sets. */
function withoutOverriddenVariants(behaviors: Behaviors, override: Partial<Behaviors> | undefined): Behaviors {
  if (!override || override.variants || !behaviors.variants) return behaviors;
  const variants = behaviors.variants.map((v) => Object.fromEntries(Object.entries(v).filter(([key]) => !(key in override))));
  return { ...behaviors, variants };
}
