/**
 * @module suite/history-schema
 * The JSON Schema of one run in a history folder (`--history DIR` appends one gzip'd file per run), published as
 * `suites/schema/history-run.schema.json`. History folders live in git branches and CI caches and come back from
 * anywhere: `mantle-conformance history` validates every file against this schema before any field is used, so a
 * bad file is exit 2 naming it. Strings are bounded, so a file cannot make the report large by itself.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CiSchema, MATRIX_STATUSES, ShapeTableSchema } from './matrix-schema.ts';

export const HISTORY_RUN_FORMAT = 'mantle-conformance.history-run/1';

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Text = Type.String({ maxLength: 400 });
/** A string (at most 300 characters), a number or null: one type list, not a union of three. */
const Scalar = Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'], maxLength: 300 });
/**
 * A year of nightly runs is a thousand files of thousands of cells each: the per-cell parts are written so the
 * validator is quick (an `enum` rather than a union of literals, a map as `additionalProperties` with the key bounded by
 * `propertyNames` rather than a pattern tried on every key). They accept exactly what the plainer forms would.
 */
const Enum = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const Map_ = <T extends TSchema>(value: T) => Type.Unsafe<Record<string, Static<T>>>({ type: 'object', propertyNames: { minLength: 1, maxLength: 200 }, additionalProperties: value });
const Status = Enum(MATRIX_STATUSES);
const TrialStatus = Enum(MATRIX_STATUSES.filter((s) => s !== 'flaky'));
const Ms = Type.Number({ minimum: 0 });
const Pct = Type.Object({ p50: Ms, p95: Ms });

export const HistoryCellSchema = Type.Object({
  status: Status,
  observed: Scalar,
  /** The cell failed the run's gate. */
  gating: Type.Optional(Type.Literal(true)),
  /** Each trial's status and observed value, with `--repeat` N > 1. */
  trials: Type.Optional(Type.Array(Type.Tuple([TrialStatus, Scalar]), { maxItems: 10 })),
});

export const HistoryRunSchema = Type.Object(
  {
    format: Type.Literal(HISTORY_RUN_FORMAT),
    run: Type.Object({
      id: Id,
      /** As `Date#toISOString()` writes it: runs are ordered by this text, so one form, in UTC (a real date and time: history/run-values.ts checks). */
      startedAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$', maxLength: 40 }),
      finishedAt: Type.String({ maxLength: 40 }),
      harnessVersion: Text,
      partial: Type.Boolean(),
      interrupted: Type.Optional(Type.Boolean()),
      shard: Type.Optional(Text),
      /** The run selected part of the catalog or the checks (models, filters, -t, --checks): absence proves nothing. */
      filtered: Type.Boolean(),
      /** The CI run that made it (matrix.json's run.ci): files of one run id and one CI run are one run, whenever they started. */
      ci: Type.Optional(CiSchema),
      /**
       * The run's gate (matrix.json's gate.verdict) and its run-level problems (a model with nothing observed, too many
       * errors, partial): a cell alone cannot say them. Absent in files written before it.
       */
      gate: Type.Optional(
        Type.Object({
          verdict: Enum(['pass', 'fail', 'interrupted'] as const),
          problems: Type.Array(Type.Object({ kind: Type.String({ minLength: 1, maxLength: 40 }), message: Type.String({ maxLength: 600 }), target: Type.Optional(Id), model: Type.Optional(Id) }), { maxItems: 50 }),
        }),
      ),
    }),
    targets: Type.Array(
      Type.Object({
        id: Id,
        mode: Type.Union([Type.Literal('live'), Type.Literal('record'), Type.Literal('replay')]),
        region: Type.Union([Text, Type.Null()]),
        endpointHost: Type.Union([Text, Type.Null()]),
        /** The endpoint surface (absent in older files: not known). */
        surface: Type.Optional(Type.Union([Type.Literal('mantle'), Type.Literal('runtime'), Type.Literal('custom')])),
        sources: Type.Array(Type.Union([Type.Literal('live'), Type.Literal('emulator')])),
      }),
      { minItems: 1 },
    ),
    models: Type.Array(Type.Object({ id: Id, family: Type.Union([Text, Type.Null()]), inCatalog: Type.Boolean() })),
    /** `definition`: a digest of what the check measured in this run's build (report/check-definitions.ts); absent in older files. */
    checks: Type.Array(Type.Object({ id: Id, group: Text, api: Type.Union([Text, Type.Null()]), definition: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })) })),
    /** `target/model` -> check -> cell (cells the run did not execute are left out). */
    cells: Map_(Map_(HistoryCellSchema)),
    /** `target/model` -> API -> latency percentiles, as matrix.json's totals.latency. */
    latency: Type.Optional(Map_(Map_(Type.Object({ n: Type.Integer({ minimum: 0 }), headersMs: Pct, firstTokenMs: Type.Optional(Pct), totalMs: Pct })))),
    shapes: Type.Optional(ShapeTableSchema),
  },
  { $id: 'https://mantle-conformance.dev/schema/history-run.schema.json', title: 'mantle-conformance history run', additionalProperties: false },
);

export type HistoryRun = Static<typeof HistoryRunSchema>;
export type HistoryCell = Static<typeof HistoryCellSchema>;
