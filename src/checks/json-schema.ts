/**
 * @module checks/json-schema
 * JSON Schema validation for checks: tool arguments and structured output against the schema the request sent,
 * and bodies and events against the components of the OpenAI and Anthropic schema documents.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { builtExports } from '../package-root.ts';
import { REF_PREFIX, type SchemaDocument } from './schemas/schema-walk.ts';

/** The options schemas from request bodies (tool parameters, structured output) are compiled with. */
export const REQUEST_SCHEMA_AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false } as const;
/** Checks each schema against its meta-schema itself (compiling draft-07's validator first: about 50 ms, once). */
const ajv = new Ajv(REQUEST_SCHEMA_AJV_OPTIONS);
/** For schemas the precompiled meta-schema validator has checked. */
let unchecked: Ajv | undefined;
let bundledMeta: ValidateFunction | null | undefined;

/** The package's draft-07 meta-schema validator (.ci/build.mjs), null from source or without one. */
function precompiledMeta(): ValidateFunction | null {
  return (bundledMeta ??= builtExports<ValidateFunction>(import.meta.url, 'dist/checks/meta-schema-validator.cjs')?.draft07 ?? null);
}

/**
 * `schema` compiled as `new Ajv(REQUEST_SCHEMA_AJV_OPTIONS).compile` does, throwing what it throws; with `meta`
 * (draft-07's meta-schema validator, precompiled with the same options) the schema is checked by it instead of one
 * ajv compiles at run time. A schema that names its own `$schema` or `$id` is left to ajv, which reads them.
 */
export function compileRequestSchema(schema: object, text: string, meta: ValidateFunction | null = precompiledMeta()): ValidateFunction {
  if (!meta || Array.isArray(schema) || text.includes('"$schema"') || text.includes('"$id"')) return ajv.compile(schema);
  if (!meta(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(meta.errors)}`);
  return (unchecked ??= new Ajv({ ...REQUEST_SCHEMA_AJV_OPTIONS, validateSchema: false })).compile(schema);
}

// Schemas that arrive in request bodies (tool parameters) are small and cached by their text.
const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const cached = byObject.get(schema);
  if (cached) return cached;
  const text = JSON.stringify(schema) ?? '';
  const validate = text.length < 100_000 ? (byText.get(text) ?? compileRequestSchema(schema, text)) : compileRequestSchema(schema, text);
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

// Schema documents are hundreds of components: each is added once under its own id, and every root validated
// against it shares the compiled components (refs are compiled as functions, not inlined into each root). Every
// worker compiles them once, synchronously: without ajv's code optimisation pass that takes about half as long,
// and validating a few hundred bodies does not notice. The discriminator keyword lets a tagged union report the
// errors of the branch the value's `type` names.
export const DOCUMENT_AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, discriminator: true, inlineRefs: false, code: { optimize: false } } as const;
const documents = new Ajv(DOCUMENT_AJV_OPTIONS);
const documentIds = new WeakMap<SchemaDocument, string>();
let documentCount = 0;

/** The validator of one component of a document (compiled on first use). */
export function componentValidator(document: SchemaDocument, component: string): ValidateFunction {
  let id = documentIds.get(document);
  if (!id) {
    id = `mantle-schema-document-${++documentCount}`;
    documents.addSchema(document, id);
    documentIds.set(document, id);
  }
  const validate = documents.getSchema(`${id}${REF_PREFIX}${component}`);
  if (!validate) throw new Error(`the schema document has no component ${component}`);
  return validate;
}

/** Problems of `value` against one component of a document, one short line each (at most `max`). */
export function componentProblems(document: SchemaDocument, component: string, value: unknown, max = 5, alike?: { value: unknown }): string[] {
  return validatorProblems(componentValidator(document, component), value, max, alike);
}

const errorKey = (error: ErrorObject) => `${error.instancePath}\n${error.schemaPath}\n${error.keyword}`;

/**
 * Problems of `value` against a component's validator compiled ahead of time (the package's, .ci/build.mjs). With
 * `alike`, another reading of the same body: only the errors both readings have (none when either is valid).
 */
export function validatorProblems(validate: ValidateFunction, value: unknown, max = 5, alike?: { value: unknown }): string[] {
  if (validate(value)) return [];
  let errors = [...(validate.errors ?? [])];
  if (alike) {
    if (validate(alike.value)) return [];
    const both = new Set((validate.errors ?? []).map(errorKey));
    errors = errors.filter((error) => both.has(errorKey(error)));
  }
  return describeErrors(focus(errors), max);
}

/**
 * The errors that say what is wrong, without the noise of unions: "must match a schema in anyOf" when a branch
 * says more, and a branch's "must be null" / "must be string" at a place where another branch got further (it
 * found the right type and something inside it is wrong).
 */
function focus(errors: readonly ErrorObject[]): ErrorObject[] {
  const deeper = (path: string) => errors.some((e) => (e.instancePath.startsWith(`${path}/`) || (e.instancePath === path && e.keyword !== 'type' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'enum' && e.keyword !== 'const')));
  const kept = errors.filter((e) => {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return false;
    if ((e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const') && deeper(e.instancePath)) return false;
    return true;
  });
  return kept.length ? kept : [...errors];
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
