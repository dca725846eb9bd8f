/**
 * @module checks/schema-modes
 * The two ways a body is held against a schema. Strict: integers where the spec says integer, judged on the
 * lexeme (`1.7635E9` is not an integer to a .NET or Go client, whatever JSON.parse says), and required-but-nullable
 * fields present. Lenient: what tolerant clients (Python, JavaScript) accept: any number where an integer is
 * specified, nullable fields may be absent, optional fields may be null. Anything strictly valid is leniently valid.
 */
import { isLosslessNumber, parseLosslessText } from '../transport/body.ts';
import { mapLeaves } from '../map-values.ts';
import { allowsNull, isNode, mapSubschemas, type SchemaDocument } from './schemas/schema-walk.ts';

function lenientSchema(schema: unknown, components: Record<string, unknown>): unknown {
  if (!isNode(schema)) return schema;
  const out = mapSubschemas(schema, (sub) => lenientSchema(sub, components));
  if (out.type === 'integer') out.type = 'number';
  else if (Array.isArray(out.type)) out.type = out.type.map((t) => (t === 'integer' ? 'number' : t));
  if (isNode(out.properties)) {
    const original = schema.properties as Record<string, unknown>;
    const required = Array.isArray(out.required) ? (out.required as string[]) : [];
    out.required = required.filter((name) => !allowsNull(original[name], components));
    const properties = out.properties;
    for (const name of Object.keys(properties)) {
      if (!required.includes(name) && !allowsNull(original[name], components)) properties[name] = { anyOf: [properties[name], { type: 'null' }] };
    }
  }
  // Relaxed branches may overlap, and a value two branches accept fails `oneOf`; a discriminated union still
  // picks its branch by tag, so it keeps `oneOf` (ajv's discriminator needs it).
  if (Array.isArray(out.oneOf) && !out.discriminator) {
    const { oneOf, ...rest } = out;
    return { ...rest, anyOf: oneOf };
  }
  return out;
}

/** The lenient form of a schema document (a copy; the original is untouched). */
export function lenientDocument(document: SchemaDocument): SchemaDocument {
  const components = document.components.schemas;
  return { components: { schemas: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, lenientSchema(schema, components)])) } };
}

/**
 * From 2^52 up a double has no fractions: there the stand-in is a number of the same sign that still has one (a large
 * one, so that bounds such as `minimum: 0` read it as they read the number).
 */
const LARGEST_WITH_HALF = 2 ** 51 + 0.5;
/** Below it, the fraction the stand-in moves by: small, so that a bound the number meets the stand-in meets too. */
const NUDGE = 2 ** -20;

/**
 * `number`, integral, moved off the integers: toward zero (0 up), or with `away` the other way. A bound equal to the
 * number fails on one of the two (`"top_p": 1.0` against `maximum: 1` moved away, `"n": 1.0` against `minimum: 1`
 * toward zero), `type: integer` on both: schema.* count a strict problem only when both show it. Exact: below 2^31 a
 * double keeps 2^-20, below 2^51 a half.
 */
function offIntegers(number: number, away: boolean): number {
  const magnitude = Math.abs(number);
  if (magnitude >= 2 ** 51) return Math.sign(number) * LARGEST_WITH_HALF;
  const step = magnitude < 2 ** 31 ? NUDGE : 0.5;
  if (number === 0) return away ? -step : step;
  return number - Math.sign(number) * (away ? -step : step);
}

/**
 * A lossless value as plain JSON for strict validation: a number whose lexeme has a `.` or an exponent and happens
 * to be integral (1.7635E9, 1.7635E16, 1e+21) is moved off the integers (toward zero; with `away`, the other way), so
 * `type: integer` fails on it as a strict client would.
 */
export function strictValue(value: unknown, away = false): unknown {
  return mapLeaves(value, (leaf) => {
    if (!isLosslessNumber(leaf)) return leaf;
    const lexeme = leaf.value;
    const number = Number(lexeme);
    return /[.eE]/.test(lexeme) && Number.isInteger(number) ? offIntegers(number, away) : number;
  }, isLosslessNumber);
}

/** Plain JSON from a lossless value (every number as JS reads it). */
export function plainValue(value: unknown): unknown {
  return mapLeaves(value, (leaf) => (isLosslessNumber(leaf) ? Number(leaf.value) : leaf), isLosslessNumber);
}

/**
 * The plain and strict values of WrittenJson (`strictAway`: the strict one with integral `.`/exponent numbers moved
 * the other way, see offIntegers). A plain one is all three: each of its numbers is written as JSON.stringify writes
 * it, and an integral one never with a `.` or an exponent (readsLosslessly leaves 1e+21 to lossless-json).
 */
export function schemaValues(value: unknown, plain: boolean): { plain: unknown; strict: unknown; strictAway?: unknown } {
  return plain ? { plain: value, strict: value } : { plain: plainValue(value), strict: strictValue(value), strictAway: strictValue(value, true) };
}

/**
 * A note for JSON text that fits `schema` only because JSON Schema counts `30.0` (or `3e1`) an integer: what the
 * schema types integer is written with a fraction or an exponent, which strict decoders (Go or .NET into an int)
 * refuse. Undefined when nothing is so written. Read both ways off the integers (offIntegers), as schema.* read it.
 */
export function integerLexemeNote(schema: unknown, text: string, problemsOf: (schema: unknown, value: unknown) => string[]): string | undefined {
  if (!/\d[.eE]/.test(text)) return undefined;
  const lossless = parseLosslessText(text);
  if (!lossless.ok) return undefined;
  // Only `type: integer` fails on both readings; a bound the number meets fails on one (offIntegers).
  const integerTyped = (value: unknown) => problemsOf(schema, value).filter((problem) => /must be integer/.test(problem));
  const toward = new Set(integerTyped(strictValue(lossless.value)));
  const both = integerTyped(strictValue(lossless.value, true)).filter((problem) => toward.has(problem));
  if (both.length === 0) return undefined;
  return `an integer the schema asks for is written with a fraction or an exponent (${both.slice(0, 2).join('; ')}): JSON Schema counts it an integer, strict decoders into an int do not`;
}
