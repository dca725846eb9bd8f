/**
 * @module checks/schemas/schema-set
 * Where the schema.* checks get their schemas: the project's (the bundled openai.schema.json and
 * anthropic.schema.json, written by `npm run schemas` from OpenAI's OpenAPI document and the @anthropic-ai/sdk
 * types) or, with `--openapi FILE`, OpenAI's objects from that document. Both go through the same tolerances and
 * the same lenient transform, so on the same document the two modes give the same verdicts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { builtExports, fromSource, packageRoot } from '../../package-root.ts';
import { componentProblems, validatorProblems } from '../json-schema.ts';
import { lenientDocument } from '../schema-modes.ts';
import { extraFields } from './extra-fields.ts';
import { OPENAPI_COMPONENTS, type OpenAiKind } from './from-openapi.ts';
import type { SchemaDocument } from './schema-walk.ts';
import { withNullableOptional, withTolerances } from './tolerances.ts';

export type SchemaKind = OpenAiKind | 'anthropic-message' | 'anthropic-event';
export type SchemaMode = 'strict' | 'lenient';

/** The component of the Anthropic document that describes each Anthropic kind. */
export const ANTHROPIC_COMPONENTS = { 'anthropic-message': 'Message', 'anthropic-event': 'MessageStreamEvent' } as const;

export interface SchemaSet {
  /** Named in every schema.* reason. */
  source: string;
  /**
   * Problems of `value` against the kind's strict or lenient schema, one line each (none: valid). With `alike`,
   * another reading of the same body (schema-modes.ts, strictValue): only the problems both readings have.
   */
  problems(kind: SchemaKind, mode: SchemaMode, value: unknown, max?: number, alike?: { value: unknown }): string[];
  /** Properties `value` carries that the kind's schema does not define (`billing`, `output[].phase`). */
  extraFields(kind: SchemaKind, value: unknown): string[];
}

export interface SchemaDocuments {
  openai: SchemaDocument;
  anthropic: SchemaDocument;
}

function rootOf(kind: SchemaKind): { vendor: keyof SchemaDocuments; component: string } {
  if (kind === 'anthropic-message' || kind === 'anthropic-event') return { vendor: 'anthropic', component: ANTHROPIC_COMPONENTS[kind] };
  return { vendor: 'openai', component: OPENAPI_COMPONENTS[kind] };
}

/** The documents validated against, per vendor and mode: the tolerances applied, the lenient form made on first use. */
export function documentsFor(documents: SchemaDocuments): (vendor: keyof SchemaDocuments, mode: SchemaMode) => SchemaDocument {
  const strict: SchemaDocuments = { openai: withTolerances(documents.openai), anthropic: withNullableOptional(withTolerances(documents.anthropic)) };
  const lenient: Partial<SchemaDocuments> = {};
  return (vendor, mode) => (mode === 'strict' ? strict[vendor] : (lenient[vendor] ??= lenientDocument(strict[vendor])));
}

/** A component's validator compiled ahead of time for the bundled documents (the package's), if there is one. */
export type PrecompiledValidators = (vendor: keyof SchemaDocuments, mode: SchemaMode, component: string) => ValidateFunction | undefined;

export function schemaSet(source: string, documents: SchemaDocuments, precompiled?: PrecompiledValidators): SchemaSet {
  const documentFor = documentsFor(documents);
  return {
    source,
    problems(kind, mode, value, max = 3, alike) {
      const { vendor, component } = rootOf(kind);
      const validate = precompiled?.(vendor, mode, component);
      return validate ? validatorProblems(validate, value, max, alike) : componentProblems(documentFor(vendor, mode), component, value, max, alike);
    },
    extraFields(kind, value) {
      const { vendor, component } = rootOf(kind);
      return extraFields(documentFor(vendor, 'strict').components.schemas, component, value);
    },
  };
}

/** A bundled document: only its components are schema; `$comment` and `source` say where it came from. */
export function readBundledDocument(name: 'openai' | 'anthropic'): SchemaDocument & { source: string } {
  // Beside this module from source; in the package, where .ci/build.mjs copies them (a bundle chunk can be anywhere).
  const file = fromSource(import.meta.url) ? new URL(`./${name}.schema.json`, import.meta.url) : join(packageRoot(import.meta.url), 'dist/checks/schemas', `${name}.schema.json`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as SchemaDocument & { source: string };
  return { source: parsed.source, components: parsed.components };
}

/**
 * The package carries the bundled documents' validators compiled at build time (.ci/build.mjs writes
 * dist/checks/precompiled-validators.cjs from these very documents), named `<vendor>_<mode>_<component>`. From
 * source, where the documents may be newer than any build, ajv compiles them on first use.
 */
function bundledValidators(): PrecompiledValidators | undefined {
  const validators = builtExports<ValidateFunction>(import.meta.url, 'dist/checks/precompiled-validators.cjs');
  return validators && ((vendor, mode, component) => validators[`${vendor}_${mode}_${component}`]);
}

let bundled: SchemaSet | undefined;
const project = (): SchemaSet => (bundled ??= schemaSet(PROJECT_SCHEMAS.source, { openai: readBundledDocument('openai'), anthropic: readBundledDocument('anthropic') }, bundledValidators()));

/** The project's schemas, read from the bundled files on first use. */
export const PROJECT_SCHEMAS: SchemaSet = {
  source: 'project schemas (src/checks/schemas)',
  problems: (kind, mode, value, max, alike) => project().problems(kind, mode, value, max, alike),
  extraFields: (kind, value) => project().extraFields(kind, value),
};
