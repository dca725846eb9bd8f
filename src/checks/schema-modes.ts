/**
 * @module checks/schema-modes
 * The two ways a body is held against a schema. Strict: integers where the spec says integer, judged on the
 * lexeme (`1.7635E9` is not an integer to a .NET or Go client, whatever JSON.parse says), and required-but-nullable
 * fields present. Lenient: what tolerant clients (Python, JavaScript) accept: any number where an integer is
 * specified, nullable fields may be absent, optional fields may be null.
 */
import { isLosslessNumber } from '../transport/body.ts';

type Node = Record<string, unknown>;

function allowsNull(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as Node;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null)) return true;
  return ['anyOf', 'oneOf'].some((key) => Array.isArray(s[key]) && (s[key] as unknown[]).some(allowsNull));
}

/** The lenient form of a schema (a copy; the original is untouched). */
export function lenient(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lenient);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema as Node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Node).map(([name, prop]) => [name, lenient(prop)]));
    } else if (key === 'type') {
      out.type = value === 'integer' ? 'number' : Array.isArray(value) ? value.map((t) => (t === 'integer' ? 'number' : t)) : value;
    } else if (key === 'enum' || key === 'const' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = lenient(value);
    }
  }
  const properties = out.properties as Node | undefined;
  if (properties) {
    const original = (schema as Node).properties as Node;
    const required = Array.isArray(out.required) ? (out.required as string[]) : [];
    out.required = required.filter((name) => !allowsNull(original[name]));
    for (const name of Object.keys(properties)) {
      if (!required.includes(name) && !allowsNull(properties[name])) properties[name] = { anyOf: [properties[name], { type: 'null' }] };
    }
  }
  return out;
}

/**
 * A lossless value as plain JSON for strict validation: a number whose lexeme has a `.` or an exponent and happens
 * to be integral (1.7635E9) is nudged off the integers, so `type: integer` fails on it as a strict client would.
 */
export function strictValue(value: unknown): unknown {
  if (isLosslessNumber(value)) {
    const lexeme = value.value;
    const number = Number(lexeme);
    return /[.eE]/.test(lexeme) && Number.isInteger(number) ? number + 0.5 : number;
  }
  if (Array.isArray(value)) return value.map(strictValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictValue(v)]));
  return value;
}

/** Plain JSON from a lossless value (every number as JS reads it). */
export function plainValue(value: unknown): unknown {
  if (isLosslessNumber(value)) return Number(value.value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  return value;
}
