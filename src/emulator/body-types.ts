/**
 * @module emulator/body-types
 * The types (and OpenAI's bounds) of the request fields the emulator reads, checked before it answers: a field of
 * another type is the 400 naming it that Mantle and OpenAI answer, never a 500 or a crash of the emulator, and a count
 * the answer is built from (`n`, `top_logprobs`) stays within what OpenAI takes, so no one request can make the
 * emulator build an answer without end. A field the emulator does not read is not checked (the endpoint's own
 * validation is what the checks observe, not the emulator's).
 */
import type { RequestApi } from './request-checks.ts';

type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

interface Rule {
  kinds: readonly Kind[];
  /** The rule of each item, for an array. */
  items?: Rule;
  /** Rules of the fields read inside an object; a field absent (or null, where `nullable`) is not checked. */
  fields?: Readonly<Record<string, Rule>>;
  /** null taken as the field left out (OpenAI's optional fields are nullable). @default true for fields, false for items */
  nullable?: boolean;
  min?: number;
  max?: number;
}

const rule = (kinds: Kind | readonly Kind[], more: Omit<Rule, 'kinds'> = {}): Rule => ({ kinds: typeof kinds === 'string' ? [kinds] : kinds, ...more });
const listOf = (items: Rule): Rule => rule('array', { items });
const OBJECT = rule('object');
const STRING = rule('string');
const INTEGER = rule('integer');
const NUMBER = rule('number');
const BOOLEAN = rule('boolean');
const STRINGS = listOf(STRING);
const OBJECTS = listOf(OBJECT);
const STRING_OR_STRINGS = rule(['string', 'array'], { items: STRING });

/** A message or input item: its role, and content as text or content parts (null: an assistant turn of tool calls). */
const TURN = rule('object', { fields: { role: STRING, content: rule(['string', 'array'], { items: OBJECT }), tool_calls: OBJECTS } });
const TOOLS = listOf(rule('object', { fields: { function: OBJECT } }));

/** The fields each API's handler reads. */
const READ: Readonly<Record<RequestApi | 'messages' | 'count-tokens', Readonly<Record<string, Rule>>>> = {
  'chat-completions': {
    messages: listOf(TURN),
    tools: TOOLS,
    tool_choice: rule(['string', 'object'], { nullable: false }),
    response_format: rule('object', { fields: { type: STRING, json_schema: OBJECT } }),
    // OpenAI's bounds: an answer of n choices is built whole, n times over.
    n: rule('integer', { min: 1, max: 128 }),
    max_tokens: INTEGER,
    max_completion_tokens: INTEGER,
    stop: STRING_OR_STRINGS,
    logprobs: BOOLEAN,
    // Each token of the answer carries this many alternatives.
    top_logprobs: rule('integer', { min: 0, max: 20 }),
    stream: BOOLEAN,
    stream_options: OBJECT,
    parallel_tool_calls: BOOLEAN,
    reasoning_effort: STRING,
    reasoning: OBJECT,
    service_tier: STRING,
    prompt_cache_key: STRING,
    safety_identifier: STRING,
    presence_penalty: NUMBER,
    frequency_penalty: NUMBER,
    temperature: NUMBER,
    top_p: NUMBER,
  },
  responses: {
    input: rule(['string', 'array'], { items: TURN, nullable: false }),
    instructions: STRING,
    tools: OBJECTS,
    tool_choice: rule(['string', 'object'], { nullable: false }),
    previous_response_id: STRING,
    max_output_tokens: INTEGER,
    include: STRINGS,
    background: BOOLEAN,
    store: BOOLEAN,
    stream: BOOLEAN,
    text: rule('object', { fields: { format: OBJECT } }),
    reasoning: OBJECT,
    service_tier: STRING,
    prompt_cache_key: STRING,
    safety_identifier: STRING,
    metadata: OBJECT,
    presence_penalty: NUMBER,
    frequency_penalty: NUMBER,
    temperature: NUMBER,
    top_p: NUMBER,
  },
  messages: {
    messages: listOf(TURN),
    system: rule(['string', 'array'], { items: OBJECT }),
    max_tokens: INTEGER,
    tools: OBJECTS,
    tool_choice: OBJECT,
    thinking: OBJECT,
    stream: BOOLEAN,
    cache_control: OBJECT,
  },
  'count-tokens': { messages: listOf(TURN), system: rule(['string', 'array'], { items: OBJECT }), tools: OBJECTS },
};

/** What is wrong with one field, for the API's error envelope. */
export interface TypeProblem {
  /** The field, as OpenAI names it (`messages[0].content[1]`). */
  param: string;
  /** OpenAI's wording (`Invalid type for 'n': expected an integer, but got a string instead.`). */
  message: string;
  /** Anthropic's (pydantic's) wording (`messages.0.content.1: Input should be a valid dictionary`). */
  anthropicMessage: string;
  code: 'invalid_type' | 'integer_above_max_value' | 'integer_below_min_value';
}

/** The first field the API's handler reads whose type or bounds are wrong, or undefined. */
export function bodyTypeProblem(body: Record<string, unknown>, api: RequestApi | 'messages' | 'count-tokens'): TypeProblem | undefined {
  for (const [name, fieldRule] of Object.entries(READ[api])) {
    if (!Object.hasOwn(body, name)) continue;
    const problem = check(body[name], fieldRule, [name], true);
    if (problem) return problem;
  }
  return undefined;
}

function check(value: unknown, r: Rule, path: readonly (string | number)[], field: boolean): TypeProblem | undefined {
  if (value === undefined || (value === null && (r.nullable ?? field))) return undefined;
  const kind = kindOf(value);
  const fits = (r.kinds as readonly Seen[]).includes(kind) || (typeof value === 'number' && r.kinds.includes('number'));
  if (!fits) return typeProblem(path, r.kinds, kind);
  if (typeof value === 'number' && r.max !== undefined && value > r.max) return boundProblem(path, 'above maximum', `<= ${r.max}`, value);
  if (typeof value === 'number' && r.min !== undefined && value < r.min) return boundProblem(path, 'below minimum', `>= ${r.min}`, value);
  if (Array.isArray(value) && r.items) {
    for (const [index, item] of value.entries()) {
      const problem = check(item, r.items, [...path, index], false);
      if (problem) return problem;
    }
  }
  if (kind === 'object' && r.fields) {
    for (const [name, fieldRule] of Object.entries(r.fields)) {
      if (!Object.hasOwn(value as object, name)) continue;
      const problem = check((value as Record<string, unknown>)[name], fieldRule, [...path, name], true);
      if (problem) return problem;
    }
  }
  return undefined;
}

type Seen = Kind | 'null' | 'decimal';

function kindOf(value: unknown): Seen {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  return typeof value as Kind;
}

/** OpenAI names a field `a[0].b`; Anthropic (pydantic) `a.0.b`. */
const openaiPath = (path: readonly (string | number)[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
const anthropicPath = (path: readonly (string | number)[]) => path.join('.');

const OPENAI_NAMES: Record<Seen, string> = { string: 'a string', integer: 'an integer', number: 'a decimal', decimal: 'a decimal', boolean: 'a boolean', object: 'an object', array: 'an array', null: 'null' };
const PYDANTIC_NAMES: Record<Kind, string> = { string: 'a valid string', integer: 'a valid integer', number: 'a valid number', boolean: 'a valid boolean', object: 'a valid dictionary', array: 'a valid list' };

function typeProblem(path: readonly (string | number)[], kinds: readonly Kind[], seen: Seen): TypeProblem {
  const param = openaiPath(path);
  return {
    param,
    message: `Invalid type for '${param}': expected ${kinds.map((k) => OPENAI_NAMES[k]).join(' or ')}, but got ${OPENAI_NAMES[seen]} instead.`,
    anthropicMessage: `${anthropicPath(path)}: Input should be ${kinds.map((k) => PYDANTIC_NAMES[k]).join(' or ')}`,
    code: 'invalid_type',
  };
}

function boundProblem(path: readonly (string | number)[], side: 'above maximum' | 'below minimum', bound: string, value: number): TypeProblem {
  const param = openaiPath(path);
  const pydantic = side === 'above maximum' ? 'less than or equal to' : 'greater than or equal to';
  return {
    param,
    message: `Invalid '${param}': integer ${side} value. Expected a value ${bound}, but got ${value} instead.`,
    anthropicMessage: `${anthropicPath(path)}: Input should be ${pydantic} ${bound.slice(3)}`,
    code: side === 'above maximum' ? 'integer_above_max_value' : 'integer_below_min_value',
  };
}
