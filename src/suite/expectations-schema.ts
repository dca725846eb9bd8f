/**
 * @module suite/expectations-schema
 * The expectations file (`suites/expectations.yaml`): what a run is expected to observe, per model and check,
 * reviewed like code. An entry overrides the catalog's documented value and the reference; a result that differs
 * from it fails the gate in either direction, so a known deviation that goes away is noticed too. An entry may
 * state what a target (a region) observes where it differs from the others (`targets:`). `bless` writes observed
 * values into it: one entry when the run's targets agree, one per target when they do not.
 */
import { Type, type Static } from '@sinclair/typebox';
import { MODEL_ID_CHARACTERS, MODEL_ID_PATTERN } from '../names.ts';
import { KeyedMap } from './suite-schema.ts';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Null()]);
const Value = Type.Union([Scalar, Type.Array(Scalar, { minItems: 2 })], {
  description:
    'The expected `observed` value, in the check\'s vocabulary; a list of values any of which may be observed (they may alternate between trials); or "flaky": known to vary, any value.',
});

const Reason = Type.Optional(Type.String({ description: 'Why this is expected: the known deviation, in one line.' }));
const Link = Type.Optional(Type.String({ description: 'Where the deviation is tracked (an issue, a doc).' }));

/** What one target (a region, or an endpoint's target name) is expected to observe. */
export const TargetEntrySchema = Type.Union([Value, Type.Object({ observed: Value, reason: Reason, link: Link }, { additionalProperties: false })]);

export const ExpectationEntrySchema = Type.Union([
  Value,
  Type.Object(
    {
      observed: Type.Optional(Value),
      reason: Reason,
      link: Link,
      targets: Type.Optional(
        KeyedMap('^[A-Za-z0-9][A-Za-z0-9._-]*$', 'a target name (a region or --target-name): letters, digits and . _ -, starting with a letter or digit', TargetEntrySchema, {
          description: 'target (the region, or --target-name) -> what that target is expected to observe, where it differs: it wins over `observed` there and gates only there.',
          minProperties: 1,
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

export const ExpectationsSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    expectations: Type.String({ minLength: 1, description: 'The catalog these expectations belong to.' }),
    // Model ids as src/names.ts takes them: an entry may name a model outside the catalog (run with --models).
    models: KeyedMap(
      MODEL_ID_PATTERN,
      `a model id: ${MODEL_ID_CHARACTERS}`,
      KeyedMap('^[a-z0-9][a-z0-9.-]*$', 'a check id: lower-case letters, digits, . and -', ExpectationEntrySchema),
      {
        description: 'model id -> check id -> expected observed value (or {observed, reason, link, targets: {<target>: value or {observed, reason, link}}}).',
      },
    ),
  },
  {
    additionalProperties: false,
    $id: 'https://mantle-conformance.dev/schema/expectations.schema.json',
    title: 'mantle-conformance expectations',
  },
);

export type ExpectationsFile = Static<typeof ExpectationsSchema>;
export type ExpectationEntry = Static<typeof ExpectationEntrySchema>;
export type TargetEntry = Static<typeof TargetEntrySchema>;
