/**
 * @module emulator/generate
 * What the emulated models "say": a fixed reply, a count when asked to count (so `stop` has something to cut),
 * JSON that fits a JSON Schema (structured output, tool arguments), and the ways to get each one wrong.
 */

export const REPLY = 'Hello from the Mantle emulator.';

/** What a model that does not follow instructions answers, whatever it was asked. */
export const OFF_SCRIPT = 'I would rather talk about the weather.';

/** The text a model answers a prompt with: a count when asked to count, else the fixed reply. */
export function replyFor(prompt: string, offScript = false): string {
  if (offScript) return OFF_SCRIPT;
  const count = /count from 1 to (\d+)/i.exec(prompt);
  if (!count) return REPLY;
  return Array.from({ length: Math.min(Number(count[1]), 1000) }, (_, i) => String(i + 1)).join(' ');
}

/** The prompt text of a chat, Responses or Messages request, for `replyFor`. */
export function promptOf(body: Record<string, unknown>): string {
  const source = body.messages ?? body.input ?? '';
  return typeof source === 'string' ? source : JSON.stringify(source);
}

/** Words of `text` as the emulator's "tokens". */
export function tokensOf(text: string): string[] {
  return text.split(' ').map((word, i) => (i === 0 ? word : ` ${word}`));
}

/** Cuts `text` before the first stop sequence, as a model that honours `stop` does. */
export function applyStop(text: string, stop: unknown): { text: string; stopped: boolean } {
  const sequences = (Array.isArray(stop) ? stop : typeof stop === 'string' ? [stop] : []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  let cut = text.length;
  for (const sequence of sequences) {
    const at = text.indexOf(sequence);
    if (at !== -1) cut = Math.min(cut, at);
  }
  return { text: text.slice(0, cut).trimEnd(), stopped: cut < text.length };
}

type Schema = Record<string, unknown>;

/**
 * Values an example is built of before its arrays hold one item instead of two: arrays of arrays would otherwise double
 * at each level, and one small schema (30 levels) would make an answer of a billion values.
 */
const EXAMPLE_VALUES = 1000;

/**
 * Levels of objects and arrays an example goes down before it stops at an empty one. OpenAI refuses a strict schema
 * nested more than 10 levels, and any deeper than this is built to break things: without a floor a schema of a few
 * thousand nested objects (a 100 KB body) recursed until the stack ran out, a 500.
 */
const EXAMPLE_DEPTH = 64;

/**
 * A value that validates against a (simple) JSON Schema: objects, arrays, strings, numbers, enums. Below
 * EXAMPLE_DEPTH levels an object is `{}` and an array `[]`.
 */
export function exampleFor(schema: unknown, name = 'value', budget = { values: EXAMPLE_VALUES }, depth = 0): unknown {
  budget.values -= 1;
  if (!schema || typeof schema !== 'object') return 'example';
  const s = schema as Schema;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      if (depth >= EXAMPLE_DEPTH) return {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, exampleFor(value, key, budget, depth + 1)]));
    }
    case 'array': {
      if (depth >= EXAMPLE_DEPTH) return [];
      const first = exampleFor(s.items, name, budget, depth + 1);
      return budget.values > 0 ? [first, exampleFor(s.items, name, budget, depth + 1)] : [first];
    }
    case 'integer':
      return 42;
    case 'number':
      return 21.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return name === 'city' ? 'Paris' : name === 'name' ? 'Ada' : `example ${name}`;
  }
}

/** The same value with its first required field removed: what a model that ignores `strict` may send. */
export function breakRequired(value: unknown, schema: unknown): unknown {
  const required = ((schema as Schema | undefined)?.required as string[] | undefined) ?? [];
  if (!value || typeof value !== 'object' || required.length === 0) return { unexpected: true };
  const copy = { ...(value as Record<string, unknown>) };
  delete copy[required[0]!];
  return copy;
}
