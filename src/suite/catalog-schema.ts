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

export const ReasoningSchema = Type.Object(
  {
    reasons: Type.Boolean({ description: 'Whether the model reasons before it answers (spends output tokens thinking, e.g. reasoning_tokens in usage).' }),
    lowestEffort: Type.Optional(
      Type.String({ description: 'The lowest reasoning effort the model accepts (reasoning_effort on chat, reasoning.effort on Responses), sent with cases that need visible output.' }),
    ),
    chatEffort: Type.Optional(
      Type.Unsafe<'reasoning_effort' | 'reasoning'>({
        type: 'string',
        enum: ['reasoning_effort', 'reasoning'],
        description: 'How Chat Completions takes the effort: `reasoning_effort` (the OpenAI field, default) or `reasoning: {effort}`.',
      }),
    ),
    budget: Type.Optional(Type.Integer({ minimum: 16, maximum: 32768, description: 'Output tokens to give cases that need visible output, when the default (1024) is not enough.' })),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false, description: 'How the model reasons; cases that need visible output give a reasoning model room to think.' },
);

const Expect = Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }), ClaimSchema, {
  description: 'Documented expectations keyed by check id.',
});

export const FamilySchema = Type.Object(
  {
    id: Id('Family id.'),
    title: Type.String({ minLength: 1 }),
    reasoning: Type.Optional(ReasoningSchema),
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
    reasoning: Type.Optional(ReasoningSchema),
    expect: Type.Optional(Expect),
  },
  { additionalProperties: false },
);

const CheckId = Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', description: 'A check id.' });

export const SurfaceClaimsSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ description: 'What the surface is, e.g. "bedrock-runtime (recommended for new applications)".' })),
    source: Type.Optional(Type.String({ minLength: 1, description: 'A key of `sources` that documents the surface.' })),
    lacks: Type.Optional(
      Type.Array(
        Type.Object(
          {
            feature: Type.String({ minLength: 1, description: 'The feature the surface is documented to lack, in words.' }),
            check: CheckId,
            value: ClaimSchema.properties.value,
            source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
            note: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        { description: "Features the surface is documented to lack: on this surface the check is expected to observe `value`, for every catalog model, over the model's own claims and the expectations file." },
      ),
    ),
    unstated: Type.Optional(
      Type.Array(
        Type.Object({ check: CheckId, source: Type.String({ minLength: 1 }), note: Type.Optional(Type.String()) }, { additionalProperties: false }),
        { description: "Checks whose catalog claims describe another surface (e.g. Mantle's per-model route prefix): nothing is stated for them on this surface." },
      ),
    ),
  },
  { additionalProperties: false },
);

const Surfaces = Type.Object(
  { mantle: Type.Optional(SurfaceClaimsSchema), runtime: Type.Optional(SurfaceClaimsSchema), custom: Type.Optional(SurfaceClaimsSchema) },
  { additionalProperties: false, description: 'What each endpoint surface is documented to do differently (src/surfaces.ts). The models\' claims describe Mantle.' },
);

export const CatalogSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    catalog: Id('Catalog id.'),
    sources: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9./#-]*$' }), Type.String({ minLength: 1 }), {
      description: 'Source key -> citation (document, issue, recording).',
    }),
    surfaces: Type.Optional(Surfaces),
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
export type ReasoningClaim = Static<typeof ReasoningSchema>;
export type FamilySpec = Static<typeof FamilySchema>;
export type ModelSpec = Static<typeof ModelSchema>;
export type SurfaceClaims = Static<typeof SurfaceClaimsSchema>;
