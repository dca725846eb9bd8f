/**
 * @module suite/suite-schema
 * The one JSON Schema for suite files. ajv validates every file with it at load time, the TypeScript types below are
 * derived from it, and `suites/schema/suite.schema.json` is this object written out for editors
 * (`# yaml-language-server: $schema=./schema/suite.schema.json`); a test keeps the two in sync.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** The APIs a case can exercise. The harness owns their paths and route prefixes. */
export const API_IDS = ['chat-completions', 'responses', 'messages', 'count-tokens', 'models'] as const;
export type ApiId = (typeof API_IDS)[number];

/** A string enum as plain JSON Schema `enum`, so ajv's message lists the allowed values. */
export function StringEnum<const T extends readonly string[]>(values: T, description: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
}

const Id = (description: string) =>
  Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', maxLength: 80, description });

/**
 * A map whose keys must match `pattern`. patternProperties alone lets a key that fails the pattern through and
 * skips its value, so a misspelt key would carry unchecked data into the run; `keys` says what a key is ("a check id: ..."), in
 * words, for the message that refuses one (`x-keys`: an annotation ajv and editors ignore).
 */
export function KeyedMap<V extends TSchema>(pattern: string, keys: string, value: V, options: { description?: string; minProperties?: number } = {}) {
  return Type.Record(Type.String({ pattern }), value, { ...options, additionalProperties: false, 'x-keys': keys });
}

/** An HTTP field name (RFC 9110 token): anything else is refused by the HTTP client when the request is sent. */
const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

const Json = Type.Unknown({ description: 'Any JSON value. Strings may hold {{templates}}.' });

export const RequestSchema = Type.Object(
  {
    method: Type.Optional(StringEnum(['GET', 'POST', 'DELETE'] as const, 'HTTP method. Default POST.')),
    path: Type.Optional(
      Type.String({
        pattern: '^/',
        description:
          'Path below the API root, without the route prefix (the harness adds /v1, /openai/v1 or /anthropic/v1). ' +
          'Default: the API\'s own path, e.g. /chat/completions. May hold {{templates}}.',
      }),
    ),
    headers: Type.Optional(
      KeyedMap(
        HEADER_NAME,
        "a header name: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ (no spaces or colons)",
        // A value with a line break or NUL cannot be sent: the HTTP client refuses it.
        Type.Union([Type.String({ pattern: '^[^\\r\\n\\u0000]*$' }), Type.Null()]),
        { description: 'Extra headers; null removes a header the harness would send (e.g. anthropic-version).' },
      ),
    ),
    body: Type.Optional(
      Type.Record(Type.String(), Json, {
        description: 'JSON body. "model" is filled in with the model under test unless the body sets it.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PollSchema = Type.Object(
  {
    field: Type.String({ description: 'Dotted path in the response body to watch, e.g. status.' }),
    until: Type.Array(Type.String(), { minItems: 1, description: 'Stop polling once the field has one of these values.' }),
    interval_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 60000, description: 'Wait between polls. Default 500.' })),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Give up after this many polls. Default 20.' })),
  },
  { additionalProperties: false, description: 'Repeat this step until a field reaches a terminal value.' },
);

export const StepSchema = Type.Object(
  {
    // No dots: a template's path is split at dots, so {{steps.a.b.id}} could not name a step `a.b`.
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      maxLength: 80,
      description: 'Step id (lower-case letters, digits and -), unique in the case; later steps refer to it as {{steps.<id>.<path>}}.',
    }),
    request: RequestSchema,
    poll: Type.Optional(PollSchema),
    visible_output: Type.Optional(
      Type.Boolean({
        description:
          'The checks read what the model writes (text, a tool call, JSON): a model that reasons gets room to think ' +
          '(the output budget of this request raised to its thinking budget, and its lowest reasoning effort), so that ' +
          'the budget does not hide the behaviour. Do not set it where the budget itself is under test.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CaseSchema = Type.Object(
  {
    id: Id('Case id, unique across all suites. Names the fixture file.'),
    title: Type.String({ minLength: 1, description: 'One line: what the case sends and why.' }),
    api: StringEnum(API_IDS, 'The API the case exercises; decides the path and the route prefix.'),
    probe: Type.Optional(
      Type.Boolean({
        description:
          'Send the request on every route prefix of the API family (/v1 and /openai/v1 for OpenAI APIs). ' +
          'Probe outcomes decide whether a model serves the API and on which prefix; other cases use that prefix.',
      }),
    ),
    shared: Type.Optional(
      Type.Boolean({
        description: 'The request does not depend on the model (e.g. GET /models): one exchange per target serves every model.',
      }),
    ),
    request: Type.Optional(RequestSchema),
    visible_output: Type.Optional(
      Type.Boolean({
        description:
          'The checks read what the model writes (text, a tool call, JSON): a model that reasons gets room to think ' +
          '(the output budget of every step raised to its thinking budget, and its lowest reasoning effort), so that ' +
          'the budget does not hide the behaviour. Do not set it where the budget itself is under test.',
      }),
    ),
    steps: Type.Optional(Type.Array(StepSchema, { minItems: 1, maxItems: 10 })),
    checks: Type.Array(Id('A check id from the registry (see README, Checks).'), {
      minItems: 1,
      uniqueItems: true,
      description: 'The checks that read this case\'s exchanges.',
    }),
  },
  {
    additionalProperties: false,
    // What the loader refuses, said here too so that an editor flags it; `errorMessage` is the one line a user reads
    // (editors show it as well), instead of ajv's "must NOT be valid" and the failing branches.
    allOf: [
      { not: { required: ['request', 'steps'] }, errorMessage: 'has both request and steps; use request for one step, steps for several' },
      { anyOf: [{ required: ['request'] }, { required: ['steps'] }], errorMessage: 'has neither request nor steps; add a request' },
      {
        not: { required: ['probe', 'steps'], properties: { probe: { const: true } } },
        errorMessage: 'a probe case must be a single request (it is sent once per route prefix): use request, not steps',
      },
    ],
  },
);

export const SuiteSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    suite: Id('Suite id.'),
    description: Type.Optional(Type.String()),
    cases: Type.Array(CaseSchema, { minItems: 1 }),
  },
  {
    additionalProperties: false,
    $id: 'https://mantle-conformance.dev/schema/suite.schema.json',
    title: 'mantle-conformance suite',
  },
);

export type SuiteFile = Static<typeof SuiteSchema>;
export type CaseSpec = Static<typeof CaseSchema>;
export type StepSpec = Static<typeof StepSchema>;
export type RequestSpec = Static<typeof RequestSchema>;
export type PollSpec = Static<typeof PollSchema>;
