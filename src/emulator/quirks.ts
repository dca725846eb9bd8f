/**
 * @module emulator/quirks
 * `--quirk model:path=value`, checked against the profile before the emulator starts: every path a quirk can set,
 * with the values it takes, is listed here (the compiler holds the list to the profile's types, so a new switch
 * cannot be forgotten), and model ids are looked up among the profiles. A misspelt path, value or model is a usage
 * error naming the closest valid one; nothing the command line says becomes a property name unchecked, so
 * `__proto__:stream=true` cannot reach `Object.prototype`.
 */
import { HarnessError } from '../errors.ts';
import { LEXEME_KINDS } from '../checks/lexeme.ts';
import { closest } from '../suite/closest.ts';
import type { ArrayContentBehavior, Behaviors, EmulatedApi, ModelProfile, ProfileOverride, StreamQuirks, WrongRouteStyle } from './profile.ts';

/** What a quirk path takes. */
export type ValueSpec =
  | { kind: 'enum'; values: readonly string[]; nullable?: boolean }
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; max: number; integer?: boolean; nullable?: boolean }
  /**
   * A JSON array of strings (`["a","b"]`), or a comma-separated list; each one of `values` when given, else of the
   * form `item` says (a request parameter name when neither is given).
   */
  | { kind: 'list'; values?: readonly string[]; item?: ListItem };

/** What a free list's items look like: a closed pattern, so no flag text reaches the emulator unchecked. */
export interface ListItem {
  pattern: RegExp;
  /** What the refusal says an item must be. */
  what: string;
  /** An item the pattern takes. */
  example: string;
}

const PARAM_NAME: ListItem = { pattern: /^[a-z][a-z0-9_]{0,63}$/, what: 'a request parameter name (e.g. top_p)', example: 'top_p' };
/** Nested request fields are dotted (`text.verbosity`), as the catalog's strict fields are. */
const FIELD_PATH: ListItem = { pattern: /^[a-z][a-z0-9_]{0,63}(?:\.[a-z][a-z0-9_]{0,63}){0,7}$/, what: 'a request field, dotted when nested (e.g. text.verbosity)', example: 'text.verbosity' };
/** anthropic-version values are dates. */
const VERSION_DATE: ListItem = { pattern: /^\d{4}-\d{2}-\d{2}$/, what: 'an anthropic-version date (e.g. 2023-06-01)', example: '2023-06-01' };

/** Every member of the union `T` as a runtime list: leaving one out is a type error. */
const every =
  <T extends string>() =>
  <const A extends readonly T[]>(...values: A & (Exclude<T, A[number]> extends never ? unknown : { missing: Exclude<T, A[number]> })): readonly string[] =>
    values;

const enumOf = (values: readonly string[], nullable = false): ValueSpec => ({ kind: 'enum', values, ...(nullable ? { nullable } : {}) });
const BOOLEAN: ValueSpec = { kind: 'boolean' };
const MILLISECONDS: ValueSpec = { kind: 'number', min: 0, max: 600_000, integer: true };
const PARAM_NAMES: ValueSpec = { kind: 'list' };
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;

const STREAM: { [K in keyof StreamQuirks]-?: ValueSpec } = {
  crlf: BOOLEAN,
  splitWrites: BOOLEAN,
  obfuscation: BOOLEAN,
  pings: BOOLEAN,
  omitDone: BOOLEAN,
  omitFinishReason: BOOLEAN,
  usageWithChoices: BOOLEAN,
  sequenceFromOne: BOOLEAN,
  sequenceGap: BOOLEAN,
  skipCreated: BOOLEAN,
  noTerminal: BOOLEAN,
  deltaMismatch: BOOLEAN,
  noMessageStart: BOOLEAN,
  deltaBeforeStart: BOOLEAN,
  errorFrame: BOOLEAN,
  truncate: BOOLEAN,
  stallAfterEvents: { kind: 'number', min: 1, max: 1000, integer: true },
  eventDelayMs: MILLISECONDS,
  firstTokenDelayMs: MILLISECONDS,
  toolArgumentFragments: { kind: 'number', min: 1, max: 1000, integer: true },
  toolCallStream: enumOf(every<NonNullable<StreamQuirks['toolCallStream']>>()('bad-fragments', 'no-index', 'no-id', 'wrong-finish', 'shared-id', 'done-mismatch')),
  thinkingNoSignature: BOOLEAN,
};

/** `null`: a switch too structured for the command line (set it in a test through `override`). */
const BEHAVIORS: { [K in keyof Behaviors]-?: ValueSpec | null } = {
  efforts: { kind: 'list', values: EFFORTS },
  noneDisablesReasoning: BOOLEAN,
  chatReasoning: enumOf(every<Behaviors['chatReasoning']>()('message.reasoning', 'reasoning_content', 'none')),
  encryptedReasoning: enumOf(every<Behaviors['encryptedReasoning']>()('round-trip', 'not-returned', 'rejected-on-return')),
  inputItems: BOOLEAN,
  background: enumOf(every<Behaviors['background']>()('poll', 'synchronous', 'stuck')),
  previousResponse: enumOf(every<Behaviors['previousResponse']>()('echo', 'ignore', 'reject')),
  storeFalse: enumOf(every<Behaviors['storeFalse']>()('respected', 'ignored')),
  storeResponses: BOOLEAN,
  deleteResponse: enumOf(every<Behaviors['deleteResponse']>()('deletes', 'keeps')),
  tools: enumOf(every<Behaviors['tools']>()('call', 'ignore', 'bad-arguments')),
  toolResult: enumOf(every<Behaviors['toolResult']>()('accept', 'reject')),
  forcedToolChoice: enumOf(every<Behaviors['forcedToolChoice']>()('accept', 'reject')),
  structured: enumOf(every<Behaviors['structured']>()('valid', 'ignore', 'invalid')),
  ignoredParams: PARAM_NAMES,
  rejectedParams: PARAM_NAMES,
  apiParams: null,
  chatTools: enumOf(every<Behaviors['chatTools']>()('accept', 'reject-while-reasoning')),
  errorShape: enumOf(every<Behaviors['errorShape']>()('openai', 'plain')),
  listed: BOOLEAN,
  nullableFields: BOOLEAN,
  streamUsageDetails: enumOf(every<Behaviors['streamUsageDetails']>()('filled', 'null')),
  modelEcho: enumOf(every<Behaviors['modelEcho']>()('same', 'stripped-prefix')),
  anthropicVersionRequired: BOOLEAN,
  anthropicVersions: { kind: 'list', item: VERSION_DATE },
  betaFlags: enumOf(every<Behaviors['betaFlags']>()('reject-unknown', 'ignore-unknown')),
  strictFields: null,
  compact: BOOLEAN,
  emptyAnswer: BOOLEAN,
  budgetThinking: enumOf(every<Behaviors['budgetThinking']>()('rejected', 'accepted')),
  adaptiveThinking: enumOf(every<Behaviors['adaptiveThinking']>()('accepted', 'rejected')),
  thinksByDefault: BOOLEAN,
  disabledThinking: enumOf(every<Behaviors['disabledThinking']>()('off', 'ignored', 'rejected')),
  anthropicErrorShape: enumOf(every<Behaviors['anthropicErrorShape']>()('anthropic', 'openai')),
  anthropicBodies: enumOf(every<Behaviors['anthropicBodies']>()('conformant', 'nonconformant')),
  toolCallRate: { kind: 'number', min: 0, max: 1 },
  thinkingTokens: { kind: 'number', min: 0, max: 100_000, integer: true },
  offScript: BOOLEAN,
  userNull: BOOLEAN,
  variants: null,
  vision: enumOf(every<Behaviors['vision']>()('sees', 'blind', 'rejects')),
  serviceTier: enumOf(every<Behaviors['serviceTier']>()('echo', 'ignore', 'reject')),
  promptCache: enumOf(every<Behaviors['promptCache']>()('caches', 'never', 'rejects')),
  reasoningSummary: enumOf(every<Behaviors['reasoningSummary']>()('summary', 'reasoning-text', 'none')),
};

const LEXEMES = enumOf(LEXEME_KINDS);
const ARRAY_CONTENT = enumOf(every<ArrayContentBehavior>()('accept', 'reject-400', 'reject-200-failed'));

/** Every path `--quirk` can set, with what it takes. */
export const QUIRK_PATHS: ReadonlyMap<string, ValueSpec> = new Map<string, ValueSpec>([
  ['prefixes', { kind: 'list', values: ['/v1', '/openai/v1'] }],
  ['apis', { kind: 'list', values: every<EmulatedApi>()('chat-completions', 'responses', 'messages', 'count-tokens') }],
  ['wrongRoute', enumOf(every<WrongRouteStyle>()('route-400', 'berm-401', 'not-found-404', 'api-400', 'plain-404'))],
  ['streamRejected', BOOLEAN],
  ['defaults.temperature', { kind: 'number', min: 0, max: 2 }],
  ['defaults.top_p', { kind: 'number', min: 0, max: 1 }],
  ['defaults.max_output_tokens', { kind: 'number', min: 1, max: 10_000_000, integer: true, nullable: true }],
  ['defaults.reasoning_effort', enumOf(EFFORTS, true)],
  ['createdAt.chat', LEXEMES],
  ['createdAt.responses', LEXEMES],
  ['arrayContent.chat', ARRAY_CONTENT],
  ['arrayContent.responses', ARRAY_CONTENT],
  ...Object.entries(STREAM).map(([key, spec]): [string, ValueSpec] => [`stream.${key}`, spec]),
  ...Object.entries(BEHAVIORS).flatMap(([key, spec]): [string, ValueSpec][] => (spec ? [[`behaviors.${key}`, spec]] : [])),
  ...(['chat-completions', 'responses'] as const).flatMap((api): [string, ValueSpec][] => [
    [`behaviors.apiParams.${api}.rejected`, PARAM_NAMES],
    [`behaviors.apiParams.${api}.defaultOnly`, PARAM_NAMES],
  ]),
  ...every<EmulatedApi>()('chat-completions', 'responses', 'messages', 'count-tokens').map((api): [string, ValueSpec] => [`behaviors.strictFields.${api}`, { kind: 'list', item: FIELD_PATH }]),
]);

/** Names that would reach an object's prototype if used as a property name: never a model or a path segment. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedQuirks {
  /** Overrides by model id, for `profilesFromCatalog`. */
  overrides: Record<string, ProfileOverride>;
  /** The quirks as given (`path=value`), by model id: what the log says was applied. */
  applied: ReadonlyMap<string, readonly string[]>;
}

const fail = (spec: string, message: string) => new HarnessError('HARNESS_USAGE', `--quirk ${JSON.stringify(spec)}: ${message}`);

/**
 * Parses and checks `model:path=value` quirks. `profiles` are the models the emulator serves; with `generic`, an id
 * outside them is a generic model the quirk applies to.
 */
export function parseQuirks(specs: readonly string[], profiles: ReadonlyMap<string, ModelProfile>, unknownModels: 'not-found' | 'generic' = 'not-found'): ParsedQuirks {
  const byModel = new Map<string, Map<string, unknown>>();
  const applied = new Map<string, string[]>();
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    const colon = equals === -1 ? -1 : spec.lastIndexOf(':', equals);
    if (colon <= 0 || equals <= colon + 1) throw fail(spec, 'not model:path=value (e.g. xai.grok-4.3:createdAt.chat=exponent)');
    const model = spec.slice(0, colon);
    const path = spec.slice(colon + 1, equals);
    const raw = spec.slice(equals + 1);
    const forbidden = [model, ...path.split('.')].find((part) => FORBIDDEN.has(part));
    if (forbidden) throw fail(spec, `"${forbidden}" is refused: it is not a model id or a quirk path, and would change every object in the emulator`);
    if (!profiles.has(model) && unknownModels !== 'generic') {
      const guess = closest(model, [...profiles.keys()]);
      throw fail(spec, `no model "${model}" in the catalog${guess ? ` (did you mean "${guess}"?)` : ''}; to quirk a model outside the catalog, add --unknown-models generic`);
    }
    const valueSpec = QUIRK_PATHS.get(path);
    if (!valueSpec) {
      const group = [...QUIRK_PATHS.keys()].filter((p) => p.startsWith(`${path}.`));
      const guess = closest(path, [...QUIRK_PATHS.keys()]);
      const hint = group.length ? `; it is a group: set one of ${group.slice(0, 8).join(', ')}${group.length > 8 ? ', ...' : ''}` : guess ? ` (did you mean "${guess}"?)` : '';
      throw fail(spec, `no quirk path "${path}"${hint}. Paths: prefixes, apis, wrongRoute, streamRejected, defaults.*, createdAt.*, arrayContent.*, stream.*, behaviors.* (the README lists them)`);
    }
    const value = parseValue(spec, path, raw, valueSpec);
    if (!byModel.has(model)) byModel.set(model, new Map());
    // A switch takes one value: given twice it is refused, never "the last one wins", even with the same value (as
    // any flag of one value given twice, main.ts), so two sources of quirks that overlap are seen to.
    const earlier = (applied.get(model) ?? []).find((q) => q.startsWith(`${path}=`));
    if (earlier !== undefined) throw fail(spec, `${model}:${path} is given twice (also --quirk ${JSON.stringify(`${model}:${earlier}`)}); a switch takes one value: give it once`);
    byModel.get(model)!.set(path, value);
    applied.set(model, [...(applied.get(model) ?? []), `${path}=${raw}`]);
  }
  return { overrides: Object.fromEntries([...byModel].map(([model, paths]) => [model, overrideOf(paths)])), applied };
}

/** The override object for a model's checked paths (every segment comes from QUIRK_PATHS, never from the flag). */
function overrideOf(paths: ReadonlyMap<string, unknown>): ProfileOverride {
  const root: Record<string, unknown> = {};
  for (const [path, value] of paths) {
    const keys = path.split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) {
      if (!Object.hasOwn(node, key)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
  }
  return root as ProfileOverride;
}

function parseValue(spec: string, path: string, raw: string, value: ValueSpec): unknown {
  const bad = (what: string) => fail(spec, `"${raw}" is not a value of ${path}: ${what}`);
  switch (value.kind) {
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw bad('allowed: true, false');
    case 'number': {
      if (value.nullable && raw === 'null') return null;
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n) || n < value.min || n > value.max || (value.integer && !Number.isInteger(n))) {
        throw bad(`allowed: ${value.integer ? 'an integer' : 'a number'} from ${value.min} to ${value.max}${value.nullable ? ', or null' : ''}`);
      }
      return n;
    }
    case 'enum': {
      if (value.nullable && raw === 'null') return null;
      const word = unquoted(raw);
      if (value.values.includes(word)) return word;
      const guess = closest(word, value.values);
      throw bad(`allowed: ${value.values.join(', ')}${value.nullable ? ', null' : ''}${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    case 'list': {
      const items = listItems(raw);
      if (!items) throw bad('expected a JSON array of strings (["a","b"]) or a comma-separated list');
      for (const item of items) {
        if (value.values && !value.values.includes(item)) {
          const guess = closest(item, value.values);
          throw bad(`"${item}" is not one of ${value.values.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`);
        }
        const form = value.item ?? PARAM_NAME;
        if (!value.values && !form.pattern.test(item)) throw bad(`"${item}" is not ${form.what}`);
      }
      return items;
    }
  }
}

function unquoted(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

function listItems(raw: string): string[] | undefined {
  if (raw.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return raw === '' ? [] : raw.split(',').map((item) => item.trim());
}
