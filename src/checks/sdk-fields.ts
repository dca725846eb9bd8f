/**
 * @module checks/sdk-fields
 * Request fields that SDK users set every day (`prompt_cache_key`, `safety_identifier`, `store` on chat,
 * `verbosity`, `service_tier`, `metadata`) and the `anthropic-version` the current @anthropic-ai/sdk sends on its
 * own: does the endpoint take them? Mantle's strict request parsing has answered fields SDKs add with 400
 * "Failed to deserialize the JSON body into the target type" (mastra #19228, claude-code-router #1087). One check
 * per field, so each can be gated and blessed on its own; each asks on every API the model serves (one tiny request
 * per API) and says `rejected` with the error, `ignored` when the answer echoes the field with another value, else
 * `accepted`. (The openai 6.49 clients add no body field of their own: tests read what they send.)
 */
import { isRecord } from '../transport/body.ts';
import { acrossApis, readRejection, type ApiExchange, type ApiReading } from './across-apis.ts';
import type { CheckDefinition } from './types.ts';

/**
 * The `anthropic-version` @anthropic-ai/sdk 1.x sends on every request (since 1.0.0, 2026-10-21): the installed SDK's
 * `buildHeaders` (node_modules/@anthropic-ai/sdk/src/client.ts) sets it, and a test holds this constant to it. What
 * Mantle was seen to receive is older: MANTLE.md ("Endpoints") says every SDK sends 2023-06-01, from captures made
 * before 1.0.0; whether Mantle takes the newer value is what this check observes.
 */
export const SDK_ANTHROPIC_VERSION = '2026-10-21';

const VOCABULARY = ['accepted', 'ignored', 'rejected'] as const;

/** How an answer echoes the field, when the API has a place for it: the value it holds. */
type Echo = (body: Record<string, unknown>) => unknown;

interface FieldSpec {
  /** The check id's last part. */
  name: string;
  title: string;
  /** Request fields the check is about (never rewritten; a rejection naming another is inconclusive). */
  fields: string[];
  /** What was sent, read from the request body, and where each API echoes it. */
  sent?(request: Record<string, unknown>): unknown;
  echo?: Partial<Record<string, Echo>>;
  reference: string;
}

const top = (key: string) => (body: Record<string, unknown>) => body[key];
const verbosity = (body: Record<string, unknown>) => (isRecord(body.text) ? body.text.verbosity : undefined);

const FIELDS: FieldSpec[] = [
  {
    name: 'prompt-cache-key',
    title: 'Whether a request with prompt_cache_key (set by SDK users for cache routing) is taken',
    fields: ['prompt_cache_key'],
    sent: top('prompt_cache_key'),
    echo: { responses: top('prompt_cache_key') },
    reference: 'openai-reference: prompt_cache_key is a Chat Completions and Responses request field',
  },
  {
    name: 'safety-identifier',
    title: 'Whether a request with safety_identifier (the successor of user) is taken',
    fields: ['safety_identifier'],
    sent: top('safety_identifier'),
    echo: { responses: top('safety_identifier') },
    reference: 'openai-reference: safety_identifier is a Chat Completions and Responses request field',
  },
  {
    name: 'store',
    title: 'Whether a chat completion with store: false is taken',
    fields: ['store'],
    reference: 'openai-reference: store is a Chat Completions request field',
  },
  {
    name: 'verbosity',
    title: 'Whether verbosity (chat) and text.verbosity (Responses) are taken',
    fields: ['verbosity', 'text'],
    sent: (request) => request.verbosity ?? verbosity(request),
    echo: { responses: verbosity },
    reference: 'openai-reference: verbosity (chat) and text.verbosity (Responses) are request fields',
  },
  {
    name: 'service-tier',
    title: 'Whether a request with service_tier: "auto" is taken',
    fields: ['service_tier'],
    reference: 'openai-reference: service_tier is a Chat Completions and Responses request field',
  },
  {
    name: 'metadata',
    title: 'Whether a request with metadata (OpenAI key-value pairs; Anthropic metadata.user_id) is taken',
    fields: ['metadata'],
    sent: top('metadata'),
    echo: { responses: top('metadata') },
    reference: 'openai-reference: metadata is a request field of all three APIs (anthropic-reference: metadata.user_id)',
  },
];

function fieldCheck(spec: FieldSpec): CheckDefinition {
  const definition: CheckDefinition = {
    id: `requests.sdk-fields.${spec.name}`,
    title: spec.title,
    api: null,
    vocabulary: VOCABULARY,
    params: spec.fields,
    reference: { value: 'accepted', source: spec.reference },
    run: (input) => acrossApis(definition, input, ['rejected', 'ignored', 'accepted'], (seen) => readField(seen, spec)),
  };
  return definition;
}

function readField(seen: ApiExchange, spec: FieldSpec): ApiReading {
  if (seen.answer.kind !== 'ok') return readRejection(seen, spec.fields);
  const echo = spec.echo?.[seen.api];
  const body = seen.answer.body;
  if (!echo || !spec.sent || !body) return { observed: 'accepted', detail: `HTTP ${seen.answer.status}` };
  const sent = spec.sent(seen.request);
  const echoed = echo(body);
  if (echoed === undefined) return { observed: 'accepted', detail: `HTTP ${seen.answer.status}, not echoed` };
  if (JSON.stringify(echoed) === JSON.stringify(sent)) return { observed: 'accepted', detail: `HTTP ${seen.answer.status}, echoed ${JSON.stringify(echoed)}` };
  return { observed: 'ignored', detail: `HTTP ${seen.answer.status}, but the answer echoes ${JSON.stringify(echoed)}, not the ${JSON.stringify(sent)} sent` };
}

/** The header @anthropic-ai/sdk sends on its own; a server that knows only 2023-06-01 refuses every SDK request. */
const versionCheck: CheckDefinition = {
  id: 'requests.sdk-fields.anthropic-version',
  title: `Whether Messages takes the anthropic-version the current @anthropic-ai/sdk sends on its own (${SDK_ANTHROPIC_VERSION})`,
  api: 'messages',
  vocabulary: ['accepted', 'rejected'],
  reference: { value: 'accepted', source: `sdk-reference: @anthropic-ai/sdk 1.x sends anthropic-version: ${SDK_ANTHROPIC_VERSION}` },
  run: (input) =>
    acrossApis(versionCheck, input, ['rejected', 'ignored', 'accepted'], (seen) =>
      seen.answer.kind === 'ok' ? { observed: 'accepted', detail: `HTTP ${seen.answer.status}` } : readRejection(seen, []),
    ),
};

export const sdkFieldChecks: readonly CheckDefinition[] = [...FIELDS.map(fieldCheck), versionCheck];
