/**
 * @module transport/fixture-schema
 * The fixture file (`fixtures/<target>/<model>/<case>.json`) as a JSON Schema: replay validates every file
 * against it before use, so a file from a teammate's branch, a CI artifact or a bad merge is refused with the JSON
 * path of its first bad field instead of being half-read. `mantle-conformance schema` ships it for editors.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseLossless } from 'lossless-json';
import { ERROR_CODES } from '../errors.ts';
import { AnyKey, displayPath, pathOf } from '../json-path.ts';
import { builtExports } from '../package-root.ts';
import { newerVersion } from '../format-version.ts';
import { isRunTime, RUN_TIME } from './recorded-time.ts';

/**
 * The newest fixture format, this version's: a recording that names its suites folder (provenance.suites) is written
 * in it, so that a version from before that field says "written by a newer mantle-conformance: upgrade" (it refused
 * the field as a bad file, "delete it": never the fix for a good recording).
 */
export const FIXTURE_FORMAT = 'mantle-conformance.fixture/2';
/** The first format: a recording that names no suites folder is still written in it (every version reads it). */
export const FIXTURE_FORMAT_1 = 'mantle-conformance.fixture/1';
/** The formats this version reads. */
export const FIXTURE_FORMATS = [FIXTURE_FORMAT_1, FIXTURE_FORMAT] as const;
export type FixtureFormat = (typeof FIXTURE_FORMATS)[number];

/** The format a recording of this provenance is written in: the first one, unless it holds what only the newest has. */
export function fixtureFormatFor(provenance: { suites?: string }): FixtureFormat {
  return provenance.suites === undefined ? FIXTURE_FORMAT_1 : FIXTURE_FORMAT;
}

/**
 * The highest trial a recording may hold: --repeat's maximum, which RUN_RANGES restates (cli/run-options.ts may not
 * load this module's ajv for --help). Replay runs as many trials as a file's highest, so a hand-edited 50000000 would
 * schedule that many until memory ran out: it is a bad file, refused with its path.
 */
export const MAX_TRIAL = 10;

const Headers = AnyKey(Type.String(), { description: 'Lower-cased names; credentials, cookies and per-connection headers are never stored.' });
const Milliseconds = Type.Number({ minimum: 0 });

const StoredResponseSchema = Type.Object(
  {
    status: Type.Integer({ minimum: 100, maximum: 599 }),
    headers: Headers,
    json: Type.Optional(Type.Unknown({ description: 'A JSON body, every number with its original lexeme.' })),
    text: Type.Optional(Type.String({ description: 'A body that is neither JSON nor a stream.' })),
    chunks: Type.Optional(
      Type.Array(Type.Object({ t: Milliseconds, data: Type.String() }, { additionalProperties: false }), {
        description: 'A streamed (or cut) body: each read, decoded, with its time in ms since the headers.',
      }),
    ),
    truncatedAtBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    contentEncoding: Type.Optional(Type.String({ description: 'The Content-Encoding the body arrived in; the body is stored decoded.' })),
    stalledAfterMs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The body went silent after it began: no read for this many ms (the idle limit), so the harness stopped reading.' }),
    ),
  },
  { additionalProperties: false },
);

const StoredExchangeSchema = Type.Object(
  {
    step: Type.String({ minLength: 1 }),
    prefix: Type.String(),
    trial: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TRIAL, description: 'Which trial of a repeated case (absent: the first); at most --repeat\'s maximum.' })),
    request: Type.Object(
      {
        method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('DELETE')]),
        path: Type.String({ pattern: '^/' }),
        headers: Headers,
        body: Type.Optional(Type.Unknown({ description: 'The JSON body sent (or its text when it was not JSON).' })),
      },
      { additionalProperties: false },
    ),
    response: Type.Union([StoredResponseSchema, Type.Null()]),
    error: Type.Union([
      Type.Object({ code: Type.Union(Object.keys(ERROR_CODES).map((code) => Type.Literal(code))), message: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    durationMs: Milliseconds,
    headersMs: Type.Optional(Milliseconds),
    attempts: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const FixtureSchema = Type.Object(
  {
    // An enum, not a union of literals: a format of no version's is a bad file, not "a value a newer version knows".
    format: Type.Unsafe<FixtureFormat>({ type: 'string', enum: [...FIXTURE_FORMATS], description: `${FIXTURE_FORMAT} when provenance.suites is written, else ${FIXTURE_FORMAT_1}.` }),
    model: Type.String({ minLength: 1 }),
    case: Type.String({ minLength: 1 }),
    provenance: Type.Object(
      {
        source: Type.Union([Type.Literal('live'), Type.Literal('emulator')]),
        target: Type.String(),
        endpointHost: Type.Union([Type.String(), Type.Null()]),
        region: Type.Union([Type.String(), Type.Null()]),
        recordedAt: Type.String({ minLength: 1 }),
        harnessVersion: Type.String(),
        redactions: Type.Optional(Type.Integer({ minimum: 0, description: 'Credentials replaced with [REDACTED:<kind>] in this file.' })),
        surface: Type.Optional(Type.Union([Type.Literal('mantle'), Type.Literal('runtime'), Type.Literal('custom')], { description: 'The endpoint surface recorded (src/surfaces.ts); absent in recordings made before surfaces.' })),
        site: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'What the target is a surface of: its region, or a local endpoint\'s name.' })),
        suites: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'The --suites folder the case came from: a path from the fixtures root, /-separated and . or .. first, or mantle-conformance:suites for the bundled suites; fixtures prune removes a recording of a case the suites lack only when it names the folder prune reads. Absent in recordings made before it (prune keeps those).' })),
      },
      { additionalProperties: false },
    ),
    exchanges: Type.Array(StoredExchangeSchema, { minItems: 1 }),
  },
  {
    additionalProperties: false,
    $id: 'https://mantle-conformance.dev/schema/fixture.schema.json',
    title: 'mantle-conformance fixture',
    description: 'One case\'s recorded exchanges for one model on one target, with provenance.',
  },
);

export type StoredFixture = Static<typeof FixtureSchema>;
export type StoredExchange = Static<typeof StoredExchangeSchema>;
export type StoredResponse = Static<typeof StoredResponseSchema>;

/** Shipped beside the suite, catalog and expectations schemas by `mantle-conformance schema`. */
export const FIXTURE_SCHEMA_FILE = { path: 'suites/schema/fixture.schema.json', schema: FixtureSchema } as const;

/** The options the fixture schema is compiled with, here and ahead of time by .ci/build.mjs. */
export const FIXTURE_AJV_OPTIONS = { allErrors: false, strict: false } as const;

/** Compiled on first use, once per process: commands that read no fixture never pay for it. */
let compiled: ValidateFunction<StoredFixture> | undefined;

/**
 * The bundle's validator, compiled ahead of time from this very schema (a replay of one model spent 65 ms compiling
 * it); from source, where the schema may be newer than any build, ajv compiles it.
 */
function fixtureValidator(): ValidateFunction<StoredFixture> {
  const built = builtExports<ValidateFunction<StoredFixture>>(import.meta.url, 'dist/transport/precompiled-validators.cjs');
  return built?.fixture ?? new Ajv(FIXTURE_AJV_OPTIONS).compile<StoredFixture>(FixtureSchema);
}

/** Why a value is not a fixture this version reads; `newer` when a newer version may have written it (upgrading is the fix, not deleting). */
export interface FixtureProblem {
  text: string;
  newer: boolean;
}

/** The format of `value` when it is this harness's fixture format of a later version than FIXTURE_FORMAT (`.../2`). */
export function newerFormat(value: unknown): string | undefined {
  const format = value !== null && typeof value === 'object' ? (value as { format?: unknown }).format : undefined;
  return newerVersion(format, FIXTURE_FORMAT) === undefined ? undefined : (format as string);
}

/**
 * The first problem of `value` as `<json path>: <what is wrong>`, or undefined when it is a valid fixture. Beyond the
 * schema: provenance.recordedAt is copied into matrix.json (recordedFrom, recordedTo), so it is held to the rule its
 * reader holds them to (recorded-time.ts): a replay of this file must not write a matrix no command reads.
 */
export function fixtureProblem(value: unknown): FixtureProblem | undefined {
  const validate = (compiled ??= fixtureValidator());
  if (validate(value)) {
    const { recordedAt } = value.provenance;
    if (isRunTime(recordedAt)) return undefined;
    return { text: `provenance.recordedAt: ${JSON.stringify(recordedAt.slice(0, 80))} is not ${RUN_TIME}, such as 2026-01-31T12:00:00.000Z (correct it to when the case was recorded)`, newer: false };
  }
  const errors = validate.errors ?? [];
  const error = errors[0];
  if (!error) return { text: 'does not match the fixture schema', newer: false };
  return unknownValue(value, error, errors) ?? { text: describe(error), newer: false };
}

/**
 * A value outside a list of allowed ones (an error code, a method, a surface): ajv names only the first of the list
 * it tried (`must be "HARNESS_USAGE"`). A value this version does not know is most likely one a newer one added.
 */
function unknownValue(value: unknown, error: ErrorObject, errors: readonly ErrorObject[]): FixtureProblem | undefined {
  if (error.keyword !== 'const' || !errors.some((e) => e.keyword === 'anyOf' && e.instancePath === error.instancePath)) return undefined;
  const path = pathOf(error.instancePath);
  let found: unknown = value;
  for (const key of path) found = found !== null && typeof found === 'object' ? (found as Record<string | number, unknown>)[key] : undefined;
  const shown = typeof found === 'string' ? JSON.stringify(found.slice(0, 80)) : JSON.stringify(found)?.slice(0, 80) ?? String(found);
  const what = path.at(-1) === 'code' ? 'a code' : 'a value';
  return { text: `${displayPath(path)} ${shown} is not ${what} this version knows`, newer: true };
}

function describe(error: ErrorObject): string {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') path.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  const where = displayPath(path);
  switch (error.keyword) {
    case 'required':
      return `${where}: missing`;
    case 'additionalProperties':
      return `${where}: unknown field`;
    case 'const':
      return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/** Where a text JSON.parse refused first goes wrong: lossless-json's parser names the position (JSON.parse does not always). */
export function syntaxErrorAt(text: string): number | undefined {
  try {
    parseLossless(text);
  } catch (error) {
    return positionIn((error as Error).message);
  }
  return undefined;
}

/** The offset a JSON parser's message names (`... at position 12`), if it names one. */
export function positionIn(message: string): number | undefined {
  const at = /at position (\d+)/.exec(message)?.[1];
  return at === undefined ? undefined : Number(at);
}

/** ` at line L, column C` (both from 1) of a position in `text`, or nothing when it is not known. */
export function atPosition(text: string, position: number | undefined): string {
  if (position === undefined) return '';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return ` at line ${line}, column ${position - before.lastIndexOf('\n')}`;
}
