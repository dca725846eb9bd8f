/**
 * @module suite/matrix-schema
 * The JSON Schema of `matrix.json` (every format this version reads), published as `suites/schema/matrix.schema.json`. A matrix.json
 * comes back from CI artifacts and teammates' branches: `report`, `compare`, `merge`, `table`, `bless` and
 * `--baseline` validate it against this schema before any field is used, so a bad file is a usage error naming the
 * file and the JSON path of the first bad field, never a crash. What a schema cannot say (finite numbers, no
 * `__proto__` key, ids that are names, each cell once and none missing, values from the check's vocabulary) is
 * checked next, by the reader (src/cli/read-matrix.ts), which then leaves out every member this schema does not
 * name (src/cli/known-fields.ts): a field the harness reads back must be named here. It lives with the other input
 * schemas (the suite layer reads files from elsewhere); the TypeScript types stay in `report/matrix.ts`, and a test
 * holds the two together (statuses, formats).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { AnyKey } from '../json-path.ts';

/** Statuses a cell may have: the closed set of `checks/types.ts` CHECK_STATUSES (a test checks they agree). */
export const MATRIX_STATUSES = ['pass', 'fail', 'flaky', 'inconclusive', 'unsupported', 'skipped', 'error'] as const;
export const MATRIX_FORMATS = ['mantle-conformance.matrix/1', 'mantle-conformance.matrix/2', 'mantle-conformance.matrix/3', 'mantle-conformance.matrix/4', 'mantle-conformance.matrix/5', 'mantle-conformance.matrix/6'] as const;

const Str = Type.String();
const Num = Type.Number();
const Count = Type.Integer({ minimum: 0 });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Null()]);
const Status = Type.Union(MATRIX_STATUSES.map((s) => Type.Literal(s)));

const Timing = Type.Object({ headersMs: Num, firstTokenMs: Type.Optional(Num), totalMs: Num });
const Evidence = Type.Object({
  case: Str,
  step: Str,
  request: Str,
  status: Type.Optional(Type.Integer()),
  requestId: Type.Optional(Str),
  excerpt: Type.Optional(Str),
  error: Type.Optional(Str),
  trial: Type.Optional(Type.Integer({ minimum: 1 })),
  timing: Type.Optional(Timing),
  note: Type.Optional(Str),
  encoding: Type.Optional(Str),
  answeredBy: Type.Optional(Str),
});
const Trial = Type.Object({ status: Type.Union(MATRIX_STATUSES.filter((s) => s !== 'flaky').map((s) => Type.Literal(s))), observed: Scalar, reason: Str, evidence: Type.Array(Evidence) });
const Usage = Type.Object({ requests: Count, inputTokens: Count, outputTokens: Count, wallMs: Type.Optional(Num) });
const Pct = Type.Object({ p50: Num, p95: Num });
const Latency = Type.Object({ n: Count, headersMs: Pct, firstTokenMs: Type.Optional(Pct), totalMs: Pct });
const Cell = { target: Str, model: Str, check: Str };
const Snapshot = Nullable(Type.Object({ status: Status, observed: Scalar }));
const Change = Type.Object({ ...Cell, before: Snapshot, after: Snapshot, reason: Str });
const Strs = Type.Array(Str);
const Pair = Type.Object({ added: Strs, vanished: Strs });
/** One answer's structure (src/checks/shape.ts). */
const Entry = Type.String({ maxLength: 2000 });
export const FingerprintSchema = Type.Object({
  status: Type.Integer(),
  kind: Type.Union([Type.Literal('json'), Type.Literal('sse'), Type.Literal('text'), Type.Literal('empty')]),
  paths: Type.Array(Entry, { maxItems: 400 }),
  events: Type.Optional(Type.Array(Entry, { maxItems: 200 })),
  headers: Type.Array(Entry, { maxItems: 400 }),
  truncated: Type.Optional(Type.Literal(true)),
});
/** Every distinct fingerprint once, and which ones each target/model -> API -> exchange had. */
export const ShapeTableSchema = Type.Object(
  {
    fingerprints: AnyKey(FingerprintSchema),
    exchanges: AnyKey(AnyKey(AnyKey(Strs))),
  },
  { description: 'Shape fingerprints of the answers: fingerprint id -> structure; target/model -> API -> exchange key (case/step prefix) -> fingerprint ids.' },
);
const Drift = Type.Object({
  target: Str,
  model: Str,
  api: Str,
  added: Strs,
  vanished: Strs,
  changedType: Type.Array(Type.Object({ path: Str, before: Strs, after: Strs })),
  events: Pair,
  headers: Pair,
  answers: Pair,
});

/** Where a run came from, as a CI system said (GitHub: GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT; GitLab: CI_PIPELINE_ID). */
export const CiSchema = Type.Object(
  {
    system: Type.Union([Type.Literal('github'), Type.Literal('gitlab')]),
    runId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    attempt: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  },
  { additionalProperties: false, description: 'The CI run that made this run (its re-runs keep the id): the history reads one CI run as one run.' },
);

export const MatrixSchema = Type.Object(
  {
    format: Type.Union(MATRIX_FORMATS.map((f) => Type.Literal(f)), { description: 'The matrix format; a renamed field is a new version.' }),
    run: Type.Object({
      id: Str,
      startedAt: Str,
      finishedAt: Str,
      durationMs: Num,
      harnessVersion: Str,
      node: Str,
      partial: Type.Boolean(),
      partialReason: Type.Optional(Str),
      interrupted: Type.Optional(Type.Boolean({ description: 'True when the run was stopped (Ctrl-C): the gate says interrupted.' })),
      suites: Str,
      catalog: Str,
      catalogs: Type.Optional(
        Type.Array(Str, { minItems: 2, description: 'A merge of runs of different catalogs: each run\'s catalog (`catalog` is the first input\'s). bless then needs --catalog.' }),
      ),
      selection: Type.Object({ models: Type.Array(Str), checks: Type.Array(Str), filters: Type.Array(Str), shard: Type.Optional(Str) }),
      judging: Type.Optional(
        Type.Object(
          {
            expectations: Nullable(Type.String({ pattern: '^[0-9a-f]{16}$' })),
            catalog: Type.String({ pattern: '^[0-9a-f]{16}$' }),
            suites: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
            openapi: Type.Optional(Nullable(Type.String({ pattern: '^[0-9a-f]{16}$' }))),
            repeat: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { description: 'What the cells were judged against: SHA-256 prefixes of the expectations file (null: none), the catalog, the suite files and the --openapi document (null: the bundled schemas), and --repeat (absent in replay, which repeats what was recorded). Shards that differ here are not one run.' },
        ),
      ),
      ci: Type.Optional(CiSchema),
    }),
    targets: Type.Array(
      Type.Object({
        id: Type.String({ minLength: 1 }),
        mode: Type.Union([Type.Literal('live'), Type.Literal('record'), Type.Literal('replay')]),
        endpointHost: Nullable(Str),
        region: Nullable(Str),
        surface: Type.Optional(Type.Union([Type.Literal('mantle'), Type.Literal('runtime'), Type.Literal('custom')], { description: 'The endpoint surface; absent: mantle.' })),
        site: Type.Optional(Str),
        modelList: Type.Optional(
          Type.Object({
            source: Str,
            listed: Count,
            new: Type.Array(Str),
            notListed: Type.Array(Str),
            refused: Type.Array(Type.Object({ id: Str, problem: Str })),
            unusable: Type.Optional(Count),
          }),
        ),
        recordingKept: Type.Optional(
          Type.Object(
            { count: Count, cases: Type.Array(Type.Object({ model: Str, case: Str, file: Str, why: Str })) },
            { description: 'A record run: the cases it kept unrecorded (HARNESS_RECORDING_KEPT), the first 200 listed; the gate fails on each.' },
          ),
        ),
        provenance: Type.Object({
          sources: Type.Array(Type.Union([Type.Literal('live'), Type.Literal('emulator')])),
          recordedFrom: Type.Optional(Str),
          recordedTo: Type.Optional(Str),
          harnessVersions: Type.Optional(Type.Array(Str)),
        }),
      }),
    ),
    checks: Type.Array(
      Type.Object({
        id: Type.String({ minLength: 1 }),
        title: Str,
        group: Str,
        api: Nullable(Str),
        vocabulary: Type.Union([Type.Array(Str), Type.Literal('number-or-null')]),
        reference: Type.Optional(Scalar),
      }),
    ),
    models: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), family: Nullable(Str), familyTitle: Nullable(Str), inCatalog: Type.Boolean(), suggestion: Type.Optional(Str), discovered: Type.Optional(Type.Literal(true)) })),
    results: Type.Array(
      Type.Object({
        ...Cell,
        status: Status,
        observed: Scalar,
        expected: Type.Union([Scalar, Type.Array(Scalar)]),
        expectedSource: Nullable(Str),
        reason: Str,
        evidence: Type.Array(Evidence),
        gating: Type.Boolean(),
        trials: Type.Optional(Type.Array(Trial)),
        notRun: Type.Optional(Type.Literal(true)),
        skippedByAnswer: Type.Optional(Type.Literal(true, { description: 'A skipped cell the endpoint\'s answers caused (not a filter, a shard or a stop): a value the expectations file states gates on it.' })),
        otherModel: Type.Optional(
          Type.Object(
            { answers: Count, others: Count, names: Type.Array(Str, { maxItems: 3 }), catalogModel: Type.Optional(Str) },
            { description: "Answers in another model's name among the cell's 2xx answers, counted before its evidence was cut, their names, and the other model of the run's catalog one of them is." },
          ),
        ),
        listedOthers: Type.Optional(
          Type.Object(
            { ids: Count, hashed: Count, names: Type.String({ pattern: '^([0-9a-f]{8})*$', maxLength: 65536 }) },
            { description: 'models.listed, when the list names the model only as a listed id of the same model: how many listed ids name other models, how many are hashed, and the hashes of their names (8 hex characters each).' },
          ),
        ),
      }),
    ),
    totals: Type.Object({
      byStatus: AnyKey(Count),
      usage: Usage,
      perModel: AnyKey(Usage),
      wallMs: Num,
      latency: Type.Optional(AnyKey(AnyKey(Latency), { description: 'target/model -> API -> latency percentiles.' })),
    }),
    gate: Type.Object(
      { exitCode: Type.Integer(), maxErrors: Type.Optional(Count), errors: Type.Optional(Type.Object({ unexpected: Count, max: Count })) },
      { description: 'Recomputed from the results when read; only the most errors accepted (errors.max, format 1: maxErrors) is kept.' },
    ),
    shapes: Type.Optional(ShapeTableSchema),
    comparison: Type.Optional(
      Type.Object({
        baseline: Type.Object({ runId: Str, finishedAt: Str, ci: Type.Optional(CiSchema) }, { description: 'The run compared with, by its id, its CI run (when it recorded one) and its end: what tells one baseline run from another (without a CI run on both, ends 6 hours or more apart are two runs; its shards each finish at their own time).' }),
        newFailures: Type.Array(Change),
        fixes: Type.Array(Change),
        judgedDifferently: Type.Optional(Type.Array(Change)),
        judgingChanged: Type.Optional(Type.Array(Str)),
        becameFlaky: Type.Optional(Type.Array(Change)),
        becameStable: Type.Optional(Type.Array(Change)),
        noLongerObserved: Type.Optional(Type.Array(Change)),
        changedObserved: Type.Array(Change),
        newModels: Type.Array(Str),
        vanishedModels: Type.Array(Str),
        newChecks: Type.Array(Str),
        vanishedChecks: Type.Array(Str),
        newTargets: Type.Array(Str),
        vanishedTargets: Type.Array(Str),
        notSelected: Type.Optional(Type.Object({ models: Type.Array(Str), checks: Type.Array(Str), byShard: Type.Optional(Type.Literal(true)) })),
        changedTargets: Type.Optional(Type.Array(Type.Object({ target: Str, changes: Type.Array(Type.Object({ field: Type.Union([Type.Literal('surface'), Type.Literal('region'), Type.Literal('host')]), before: Str, after: Str })) }))),
        changedChecks: Type.Optional(Type.Array(Type.Object({ check: Str, cells: Count, difference: Str }))),
        shapeDrift: Type.Optional(Type.Array(Drift)),
        compared: Type.Optional(Count),
        lostModels: Type.Optional(Type.Array(Str)),
        baselineUnreached: Type.Optional(Type.Object({ models: Type.Array(Str), checks: Type.Array(Str), cells: Count, why: Str })),
        regressed: Type.Boolean(),
      }),
    ),
  },
  { $id: 'https://mantle-conformance.dev/schema/matrix.schema.json', title: 'mantle-conformance matrix.json' },
);
