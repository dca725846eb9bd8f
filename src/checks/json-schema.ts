/**
 * @module checks/json-schema
 * JSON Schema validation for checks: tool arguments and structured output against the schema the request sent,
 * and bodies and events against the project's OpenAI and Anthropic object schemas.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
// Schemas the harness owns are cached by identity (an OpenAPI document is megabytes: never stringify it);
// schemas that arrive in request bodies (tool parameters) are small and cached by their text.
const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const cached = byObject.get(schema);
  if (cached) return cached;
  const text = JSON.stringify(schema);
  const validate = text.length < 100_000 ? (byText.get(text) ?? ajv.compile(schema)) : ajv.compile(schema);
  if (text.length < 100_000) byText.set(text, validate);
  byObject.set(schema, validate);
  return validate;
}

/** Problems of `value` against `schema`, one short line each (at most `max`). */
export function schemaProblems(schema: unknown, value: unknown, max = 5): string[] {
  let validate: ValidateFunction;
  try {
    validate = compile((schema ?? {}) as object);
  } catch (error) {
    return [`the schema itself does not compile: ${(error as Error).message}`];
  }
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? [], max);
}

export function describeErrors(errors: readonly ErrorObject[], max = 5): string[] {
  const lines = errors.map((e) => {
    const where = e.instancePath || '(root)';
    if (e.keyword === 'additionalProperties') return `${where}: unexpected field "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`;
    if (e.keyword === 'required') return `${where}: missing "${String((e.params as { missingProperty?: string }).missingProperty)}"`;
    return `${where}: ${e.message ?? e.keyword}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > max ? [...unique.slice(0, max), `and ${unique.length - max} more`] : unique;
}
