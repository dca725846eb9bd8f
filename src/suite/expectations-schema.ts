/**
 * @module suite/expectations-schema
 * The expectations file (`suites/expectations.yaml`): what a run is expected to observe, per model and check,
 * reviewed like code. An entry overrides the catalog's documented value and the reference; a result that differs
 * from it fails the gate in either direction, so a known deviation that goes away is noticed too. `bless`
 * writes observed values into it.
 */
import { Type, type Static } from '@sinclair/typebox';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Null()]);
const Value = Type.Union([Scalar, Type.Array(Scalar, { minItems: 2 })], {
  description:
    'The expected `observed` value, in the check\'s vocabulary; a list of values any of which may be observed (they may alternate between trials); or "flaky": known to vary, any value.',
});

export const ExpectationEntrySchema = Type.Union([
  Value,
  Type.Object(
    {
      observed: Value,
      reason: Type.Optional(Type.String({ description: 'Why this is expected: the known deviation, in one line.' })),
      link: Type.Optional(Type.String({ description: 'Where the deviation is tracked (an issue, a doc).' })),
    },
    { additionalProperties: false },
  ),
]);

export const ExpectationsSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    expectations: Type.String({ minLength: 1, description: 'The catalog these expectations belong to.' }),
    models: Type.Record(Type.String({ pattern: '^[a-z0-9][a-zA-Z0-9._:/-]*$' }), Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }), ExpectationEntrySchema), {
      description: 'model id -> check id -> expected observed value (or {observed, reason, link}).',
    }),
  },
  {
    additionalProperties: false,
    $id: 'https://mantle-conformance.dev/schema/expectations.schema.json',
    title: 'mantle-conformance expectations',
  },
);

export type ExpectationsFile = Static<typeof ExpectationsSchema>;
export type ExpectationEntry = Static<typeof ExpectationEntrySchema>;
