/**
 * Schemas a request sends (tool parameters, structured output) are checked against draft-07's meta-schema before
 * they are compiled. The package brings that check precompiled (.ci/build.mjs); with it, a schema compiles, or is
 * refused with the message, exactly as ajv checking it itself does, and validates values the same.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fc, it as property } from '@fast-check/vitest';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, inject, it } from 'vitest';
import { compileRequestSchema, REQUEST_SCHEMA_AJV_OPTIONS } from '../src/checks/json-schema.ts';

const meta = (createRequire(import.meta.url)(join(inject('packageRoot'), 'dist/checks/meta-schema-validator.cjs')) as { draft07: ValidateFunction }).draft07;

/** What compiling `schema` one way gives: the error it throws, or what it says of each value. */
function outcome(compile: () => ValidateFunction, values: readonly unknown[]): unknown {
  let validate: ValidateFunction;
  try {
    validate = compile();
  } catch (error) {
    return { threw: (error as Error).message };
  }
  return values.map((v) => (validate(v) ? 'valid' : validate.errors));
}

const VALUES = [{}, { city: 'Paris' }, { city: 3 }, [], 'text', 7, null, { a: [1, 'x'], b: { c: true } }];

function same(schema: unknown): void {
  const text = JSON.stringify(schema) ?? '';
  const ours = outcome(() => compileRequestSchema(schema as object, text, meta), VALUES);
  const ajvs = outcome(() => new Ajv(REQUEST_SCHEMA_AJV_OPTIONS).compile(schema as object), VALUES);
  expect(ours, text).toEqual(ajvs);
}

describe('a request schema, with the precompiled meta-schema check', () => {
  it.each([
    ['a tool schema', { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }],
    ['a type that is not one', { type: 'object', properties: { city: { type: 'strin' } } }],
    ['required that is not a list', { type: 'object', required: 'city' }],
    ['a negative minLength and a bad pattern type', { type: 'string', minLength: -1, pattern: 5 }],
    ['enum empty', { enum: [] }],
    ['its own $schema', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }],
    ['an unknown $schema', { $schema: 'https://example.com/no-such-meta', type: 'object' }],
    ['an $id', { $id: 'https://example.com/s', type: 'object' }],
    ['a list, not a schema', [{ type: 'string' }]],
    ['refs and definitions', { definitions: { c: { type: 'string' } }, properties: { city: { $ref: '#/definitions/c' } } }],
    ['a ref to nothing', { properties: { city: { $ref: '#/definitions/none' } } }],
    ['strict: unknown keywords', { type: 'object', properties: { city: { type: 'string', description: 'x', examples: ['Paris'], 'x-extra': 1 } } }],
  ])('%s: as ajv checks it', (_name, schema) => same(schema));

  const keyword = fc.constantFrom('type', 'properties', 'required', 'items', 'enum', 'minLength', 'maxItems', 'additionalProperties', 'anyOf', 'pattern', 'const', 'minimum', 'format');
  const { schema } = fc.letrec((tie) => ({
    schema: fc.oneof({ depthSize: 'small', maxDepth: 3 }, fc.boolean(), fc.dictionary(keyword, fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('string', 'object', 'array', 'number'), tie('schema'), fc.dictionary(fc.constantFrom('city', 'a', 'b'), tie('schema'), { maxKeys: 2 })), { maxKeys: 4 })),
  }));
  property.prop([schema], { numRuns: 150 })('any schema-like object: compiled or refused as ajv does', (s) => same(s));
});
