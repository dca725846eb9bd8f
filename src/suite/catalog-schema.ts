/**
 * @module suite/catalog-schema
 * The JSON Schema of the model catalog (`suites/models.yaml`): every model we know of, its family, and what the
 * sources document about it, as expectations keyed by check id. Every claim names its source.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MODEL_ID_CHARACTERS, MODEL_ID_PATTERN } from '../names.ts';
import { KeyedMap } from './suite-schema.ts';

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
    efforts: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'Every reasoning effort value the source lists for the model, those no check sends (xhigh, max) included: the emulator takes these and refuses the others. Absent: the checks\' claims alone say which efforts the model takes.',
      }),
    ),
    noneTurnsOff: Type.Optional(Type.Boolean({ description: 'The source says effort `none` turns reasoning off: the emulator answers it without reasoning.' })),
    budget: Type.Optional(Type.Integer({ minimum: 16, maximum: 32768, description: 'Output tokens to give cases that need visible output, when the default (1024) is not enough.' })),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false, description: 'How the model reasons; cases that need visible output give a reasoning model room to think.' },
);

/** What an OpenAI route that does not serve the model answers (the emulator plays it; the route checks classify it). */
export const WRONG_ROUTE_ANSWERS = ['route-400', 'berm-401', 'not-found-404', 'api-400'] as const;

export const WrongRouteSchema = Type.Object(
  {
    answer: Type.Unsafe<(typeof WRONG_ROUTE_ANSWERS)[number]>({
      type: 'string',
      enum: [...WRONG_ROUTE_ANSWERS],
      description:
        'route-400: 400 "model `X` isn\'t supported on this route"; berm-401: 401 "Berm is not enabled for this account"; not-found-404: 404; api-400: 400 "The model \'X\' does not support the \'/v1/...\' API" (API wording, route cause).',
    }),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false, description: 'What the other OpenAI prefix answers for this model.' },
);

const ParamName = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

export const ParameterRulesSchema = Type.Object(
  {
    rejected: Type.Optional(Type.Array(ParamName, { uniqueItems: true, description: 'Request fields refused with a 400 (unsupported_parameter) whatever their value.' })),
    defaultOnly: Type.Optional(Type.Array(ParamName, { uniqueItems: true, description: 'Request fields refused (unsupported_value) unless they hold the default value.' })),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ParametersSchema = Type.Object(
  {
    'chat-completions': Type.Optional(ParameterRulesSchema),
    responses: Type.Optional(ParameterRulesSchema),
  },
  {
    additionalProperties: false,
    description: 'Request parameters the model refuses, per API, where a source says so (also those no check observes: the emulator plays them).',
  },
);

/** An AWS region id, as src/names.ts takes one for --region (us-gov-west-1, us-iso-east-1, ap-southeast-10). */
const REGION_PATTERN = '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$';

export const RegionSchema = Type.Union([
  Type.String({ pattern: REGION_PATTERN, description: 'A region the model\'s own source names.' }),
  Type.Object(
    {
      region: Type.String({ pattern: REGION_PATTERN }),
      source: Type.String({ minLength: 1, description: 'A key of `sources` that names the model in this region.' }),
      note: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
]);

const Expect = KeyedMap('^[a-z0-9][a-z0-9.-]*$', 'a check id: lower-case letters, digits, . and -', ClaimSchema, {
  description: 'Documented expectations keyed by check id.',
});

export const FamilySchema = Type.Object(
  {
    id: Id('Family id.'),
    title: Type.String({ minLength: 1 }),
    reasoning: Type.Optional(ReasoningSchema),
    wrongRoute: Type.Optional(WrongRouteSchema),
    parameters: Type.Optional(ParametersSchema),
    note: Type.Optional(Type.String({ description: 'What the sources leave open (an unverified source, a disputed id).' })),
    expect: Type.Optional(Expect),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object(
  {
    // As src/names.ts takes a model id (--models, expectations, the endpoint's list): an id `catalog diff` calls new
    // is one the catalog can hold (vLLM's `Qwen/Qwen3-32B`, `vendor.model@2024`).
    id: Type.String({
      pattern: MODEL_ID_PATTERN,
      maxLength: 160,
      description: `The model id as sent in requests, e.g. xai.grok-4.3 (${MODEL_ID_CHARACTERS}).`,
    }),
    family: Id('A family id from `families`.'),
    source: Type.String({ minLength: 1, description: 'A key of `sources` that lists this model id.' }),
    regions: Type.Optional(
      Type.Array(RegionSchema, { description: 'Documented regions: a region id (named by the model\'s `source`) or {region, source, note} for one another source names.' }),
    ),
    reasoning: Type.Optional(ReasoningSchema),
    wrongRoute: Type.Optional(WrongRouteSchema),
    parameters: Type.Optional(ParametersSchema),
    note: Type.Optional(Type.String({ description: 'What the sources leave open (an unverified source, a disputed id).' })),
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
        { description: "Features the surface is documented to lack: on this surface the check is expected to observe `value`, for every catalog model, over the model's own claims; a reviewed entry of the expectations file wins over it." },
      ),
    ),
    has: Type.Optional(
      Type.Array(
        Type.Object(
          {
            feature: Type.String({ minLength: 1, description: 'The feature the surface is documented to have, in words.' }),
            check: CheckId,
            value: ClaimSchema.properties.value,
            models: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: 'The catalog models the source names it for; absent: every catalog model.' })),
            source: Type.String({ minLength: 1, description: 'A key of `sources` that says so.' }),
            note: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        {
          description:
            "Features the surface is documented to have (the models' own claims describe Mantle): on this surface the check is expected to observe `value` for the models named (every catalog model when none is), over the model's own claims. A feature the same surface lacks wins over it; a reviewed entry of the expectations file wins over both.",
        },
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
    sources: KeyedMap('^[a-z0-9][a-z0-9./#-]*$', 'a source key: lower-case letters, digits and . / # -, starting with a letter or digit', Type.String({ minLength: 1 }), {
      description: 'Source key -> citation (document, issue, recording).',
    }),
    regions: Type.Optional(
      KeyedMap(REGION_PATTERN, 'an AWS region id like us-east-1', Type.String({ minLength: 1 }), {
        description: 'Mantle regions -> a key of `sources` that lists the region. `catalog --check` holds every model region to this list.',
      }),
    ),
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
export type WrongRouteClaim = Static<typeof WrongRouteSchema>;
export type ParameterRules = Static<typeof ParameterRulesSchema>;
export type ParametersClaim = Static<typeof ParametersSchema>;
export type RegionEntry = Static<typeof RegionSchema>;
export type SurfaceClaims = Static<typeof SurfaceClaimsSchema>;
