/**
 * @module suite/catalog-schema
 * The JSON Schema of the model catalog (`suites/models.yaml`): every model we know of, its family, and what the
 * sources document about it, as expectations keyed by check id. Every claim names its source.
 */
import { Type, type Static } from '@sinclair/typebox';

const Id = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', maxLength: 80, description });

export const ClaimSchema = Type.Object(
  {
    value: Type.Union([Type.String(), Type.Number(), Type.Null(), Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()]), { minItems: 2 })], {
      description: "The documented `observed` value, in the check's vocabulary, or a list of values any of which may be observed.",
    }),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
    note: Type.Optional(Type.String({ description: 'Where sources disagree, or what the claim assumes.' })),
  },
  { additionalProperties: false },
);

const Expect = Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }), ClaimSchema, {
  description: 'Documented expectations keyed by check id.',
});

export const FamilySchema = Type.Object(
  {
    id: Id('Family id.'),
    title: Type.String({ minLength: 1 }),
    expect: Type.Optional(Expect),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-zA-Z0-9._:/-]*$',
      maxLength: 120,
      description: 'The model id as sent in requests, e.g. xai.grok-4.3.',
    }),
    family: Id('A family id from `families`.'),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that lists this model id.' }),
    regions: Type.Optional(Type.Array(Type.String(), { description: 'Documented regions, where a source names them.' })),
    expect: Type.Optional(Expect),
  },
  { additionalProperties: false },
);

export const CatalogSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    catalog: Id('Catalog id.'),
    sources: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9./#-]*$' }), Type.String({ minLength: 1 }), {
      description: 'Source key -> citation (document, issue, recording).',
    }),
    families: Type.Array(FamilySchema, { minItems: 1 }),
    models: Type.Array(ModelSchema, { minItems: 1 }),
  },
  {
    additionalProperties: false,
    $id: 'https://mantle-conformance.dev/schema/catalog.schema.json',
    title: 'mantle-conformance model catalog',
  },
);

export type CatalogFile = Static<typeof CatalogSchema>;
export type Claim = Static<typeof ClaimSchema>;
export type FamilySpec = Static<typeof FamilySchema>;
export type ModelSpec = Static<typeof ModelSchema>;
