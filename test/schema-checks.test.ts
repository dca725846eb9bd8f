/**
 * The schema.* checks on the full schemas (issue 17 item 1): every property the specs define is held to its type,
 * tolerated deviations are the ones tolerances.ts states, unknown properties are listed (never failed), and the
 * checks say `valid`, `lenient-only` and `invalid` each on the body that earns it.
 */
import { stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { describeExtras, schemaChecks, PROJECT_SCHEMAS, type SchemaKind } from '../src/checks/schema.ts';
import { getCheck } from '../src/checks/registry.ts';
import { schemaSet } from '../src/checks/schemas/schema-set.ts';
import { shapeOf } from '../src/checks/shape.ts';
import { TOLERANCES, withTolerances } from '../src/checks/schemas/tolerances.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { ApiId } from '../src/suite/suite-schema.ts';
import type { ProfileOverride } from '../src/emulator/profile.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { catalogEmulator, checkModel, liveTarget } from './helpers/harness.ts';
import { vector } from './helpers/vectors.ts';

const API: Record<SchemaKind, ApiId> = {
  'chat-completion': 'chat-completions',
  'chat-completion-chunk': 'chat-completions',
  response: 'responses',
  'response-event': 'responses',
  error: 'chat-completions',
  'anthropic-message': 'messages',
  'anthropic-event': 'messages',
};

/** One schema check over bodies (or, for the event kinds, one stream of them). */
async function check(kind: SchemaKind, bodies: unknown[], status = 200): Promise<CheckResult> {
  const stream = kind.endsWith('-event') || kind === 'chat-completion-chunk';
  const chunks = stream ? bodies.map((b, t) => ({ t, data: `data: ${stringify(b)}\n\n` })) : [{ t: 0, data: stringify(bodies[0]) ?? '' }];
  const exchange: Exchange = {
    step: 'main',
    prefix: '/v1',
    request: { method: 'POST', path: '/v1/x', headers: {} },
    response: { status, headers: { 'content-type': stream ? 'text/event-stream' : 'application/json' }, chunks },
    error: null,
    durationMs: 1,
    attempts: 1,
  };
  const definition = schemaChecks.find((c) => c.id === `schema.${kind}`)!;
  return definition.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'c', api: API[kind], exchanges: [exchange] }] });
}

/** A JSON answer of `status` to POST /v1/x. */
function bodyExchange(status: number, text: string): Exchange {
  return { step: 'main', prefix: '/v1', request: { method: 'POST', path: '/v1/x', headers: {} }, response: { status, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: text }] }, error: null, durationMs: 1, attempts: 1 };
}

/** One schema check over `exchanges` of one case of the kind's API. */
async function run(kind: SchemaKind, exchanges: Exchange[]): Promise<CheckResult> {
  const definition = schemaChecks.find((c) => c.id === `schema.${kind}`)!;
  return definition.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'c', api: API[kind], exchanges }] });
}

/** A vector's body as plain JSON (a copy; numbers as JavaScript reads them). */
const plain = (value: unknown) => JSON.parse(stringify(value) ?? 'null') as Record<string, unknown>;
const gemmaResponse = async () => plain((await vector('response-gemma-4-31b')).response!.json);

describe('schema.response holds every property of the Response', () => {
  it('a body with "user": null is lenient-only (the document says string), and its extra fields are listed', async () => {
    const result = await check('response', [await gemmaResponse()]);
    expect(result.observed).toBe('lenient-only');
    expect(result.reason).toContain('/user: must be string');
    expect(result.reason).toContain('extra fields: billing, frequency_penalty, presence_penalty, store');
  });

  it('the same body with a string user is valid, and still lists its extra fields without failing', async () => {
    const body = { ...(await gemmaResponse()), user: 'user-1' };
    const result = await check('response', [body]);
    expect(result.observed, result.reason).toBe('valid');
    expect(result.status).toBe('pass');
    expect(result.reason).toContain('extra fields: billing');
  });

  it('types the properties the old schema left out', async () => {
    for (const [field, value] of [['service_tier', 'platinum'], ['truncation', 'sometimes'], ['safety_identifier', 7], ['top_logprobs', 'none'], ['text', 'plain']] as const) {
      const result = await check('response', [{ ...(await gemmaResponse()), user: 'u', [field]: value }]);
      expect(result.observed, `${field}: ${result.reason}`).toBe('invalid');
      expect(result.reason).toContain(`/${field}`);
    }
  });

  it('a function tool echoed without `strict` is not valid (required, nullable), and names the tool', async () => {
    const tool = { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
    const without = await check('response', [{ ...(await gemmaResponse()), user: 'u', tools: [tool] }]);
    expect(without.observed).toBe('lenient-only');
    expect(without.reason).toContain('/tools/0: missing "strict"');
    const withStrict = await check('response', [{ ...(await gemmaResponse()), user: 'u', tools: [{ ...tool, strict: true }] }]);
    expect(withStrict.observed, withStrict.reason).toBe('valid');
    // A tool of a type the document does not know is named by its tag, not buried under every branch's errors.
    const unknown = await check('response', [{ ...(await gemmaResponse()), user: 'u', tools: [{ type: 'telepathy' }] }]);
    expect(unknown.observed).toBe('invalid');
    expect(unknown.reason).toMatch(/\/tools\/0: value of tag "type" must be in oneOf/);
  });

  it('usage: null is tolerated (tolerances.ts: OpenAI itself sends it before a response completes)', async () => {
    const queued = { ...(await gemmaResponse()), user: 'u', status: 'queued', output: [], usage: null };
    expect((await check('response', [queued])).observed).toBe('valid');
    expect(TOLERANCES.map((t) => `${t.component}.${t.property}`)).toContain('Response.usage');
  });

  it('a missing required field that may not be null is invalid in both modes', async () => {
    const body = await gemmaResponse();
    delete (body.usage as Record<string, Record<string, unknown>>).input_tokens_details!.cache_write_tokens;
    const result = await check('response', [{ ...body, user: 'u' }]);
    expect(result.observed).toBe('invalid');
    expect(result.reason).toContain('/usage/input_tokens_details: missing "cache_write_tokens"');
  });

  it('created_at in exponent form is a number (the document types it number): the schema accepts it; created-at.responses reads the lexeme', async () => {
    const v = await vector('response-created-at-exponent-gpt-oss-120b');
    expect((await check('response', [v.response!.json])).observed).toBe('valid');
  });
});

describe('the other kinds', () => {
  it('chat.completion: an integer created written as 1.7E9 is lenient-only (strict clients read the lexeme)', async () => {
    const body = plain((await vector('chat-gpt-oss-20b')).response!.json);
    const conforming = { ...body, system_fingerprint: 'fp_1', choices: [{ index: 0, message: { role: 'assistant', content: 'OK', refusal: null }, finish_reason: 'stop', logprobs: null }] };
    expect((await check('chat-completion', [conforming])).observed).toBe('valid');
    const exponent = `{"id":"chatcmpl-1","object":"chat.completion","created":1.79E9,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"OK","refusal":null},"finish_reason":"stop","logprobs":null}]}`;
    const { parse } = await import('lossless-json');
    expect((await check('chat-completion', [parse(exponent)])).observed).toBe('lenient-only');
    expect((await check('chat-completion', [{ ...conforming, created: '1790000000' }])).observed).toBe('invalid');
  });

  it.each(['chat-completion', 'response', 'anthropic-message'] as const)('%s: an error envelope answered 200 is no object to judge (errors.* judge the status), a body missing its fields is invalid', async (kind) => {
    const saidNo = await check(kind, [{ error: { message: 'Invalid parameter', type: 'invalid_request_error', code: 'invalid_parameter' } }]);
    expect(saidNo.status).toBe('error');
    expect(saidNo.observed).toBeNull();
    expect(saidNo.reason).toContain('the endpoint answered 200 with an error (Invalid parameter)');
    // Not an error envelope: an object of the kind that lacks what the schema requires.
    expect((await check(kind, [{ id: 'x' }])).observed).toBe('invalid');
  });

  it('an error envelope answered 200 where no body of the kind was to be read says nothing about that kind', async () => {
    const envelope = { error: { message: 'Invalid parameter', type: 'invalid_request_error', code: 'invalid_parameter' } };
    // Not a stream (chunk, event kinds); not an error status (error kind).
    for (const kind of ['error', 'chat-completion-chunk', 'response-event', 'anthropic-event'] as const) {
      const exchange = bodyExchange(200, JSON.stringify(envelope));
      const result = await run(kind, [exchange]);
      expect(result.status, kind).toBe('skipped');
    }
    // A DELETE of a stored response is never a Response body to read.
    const deleted = { ...bodyExchange(200, JSON.stringify(envelope)), request: { method: 'DELETE' as const, path: '/v1/responses/resp_1', headers: {} } };
    expect((await run('response', [deleted])).status).toBe('skipped');
  });

  it('error: the envelope needs type, param and code (param and code may be null)', async () => {
    expect((await check('error', [{ error: { message: 'no', type: 'invalid_request_error', param: null, code: null } }], 400)).observed).toBe('valid');
    const result = await check('error', [{ error: { message: 'no' } }], 400);
    expect(result.observed).toBe('invalid');
    expect(result.reason).toContain('/error: missing "type"');
  });

  it('Responses stream events are dispatched by their type', async () => {
    const response = { ...(await gemmaResponse()), user: 'u' };
    const events = [
      { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', output: [], usage: null } },
      { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'OK', logprobs: [] },
      { type: 'response.completed', sequence_number: 2, response },
    ];
    expect((await check('response-event', events)).observed).toBe('valid');
    const broken = await check('response-event', [events[0], { ...events[1], delta: 7 }, events[2]]);
    expect(broken.observed).toBe('invalid');
    expect(broken.reason).toContain('event 1: /delta: must be string');
  });

  it('Anthropic Message: the SDK-required fields that are never null must be present; nullable ones may be absent', async () => {
    const body = plain((await vector('message-claude-opus-4-7')).response!.json);
    // The API omits unset nullable fields (container, stop_details, citations, ...): the vendor's own shape.
    expect((await check('anthropic-message', [body])).observed).toBe('valid');
    const { id: _id, ...withoutId } = body as Record<string, unknown>;
    const missing = await check('anthropic-message', [withoutId]);
    expect(missing.observed).not.toBe('valid');
    expect(missing.reason).toContain('missing "id"');
    const complete = {
      ...body,
      container: null,
      diagnostics: null,
      stop_details: null,
      content: [{ type: 'text', text: 'OK', citations: null }],
      usage: { input_tokens: 12, output_tokens: 4, cache_creation: null, cache_creation_input_tokens: null, cache_read_input_tokens: null, inference_geo: null, output_tokens_details: null, server_tool_use: null, service_tier: null, speed: null },
    };
    expect((await check('anthropic-message', [complete])).observed).toBe('valid');
    expect((await check('anthropic-message', [{ ...complete, usage: { ...complete.usage, input_tokens: 1.5 } }])).observed).toBe('lenient-only');
    expect((await check('anthropic-message', [{ ...complete, content: [{ type: 'text' }] }])).observed).toBe('invalid');
  });

  it('Anthropic events include ping and error (outside the SDK union)', async () => {
    const result = await check('anthropic-event', [{ type: 'ping' }, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: null }]);
    expect(result.observed, result.reason).toBe('valid');
    expect((await check('anthropic-event', [{ type: 'pong' }])).observed).toBe('invalid');
  });
});

describe('a 2xx body that is not a JSON object', () => {
  const chat = (text: string) => ({ ...bodyExchange(200, text), request: { method: 'POST' as const, path: '/v1/chat/completions', headers: {} } });
  it.each([
    { name: 'malformed partway', text: '{"id":"chatcmpl-1","object":"chat.completion",,"choices":[]}', what: 'not JSON' },
    { name: 'JSON followed by more', text: '{"id":"chatcmpl-1"}{"id":"chatcmpl-2"}', what: 'not JSON' },
    { name: 'JSON null', text: 'null', what: 'JSON null' },
    { name: 'a JSON array', text: '[]', what: 'JSON array' },
  ])('$name is no chat.completion: invalid, naming it (the forced-call and structured-output checks cannot read it)', async ({ text, what }) => {
    const result = await run('chat-completion', [chat(text)]);
    expect(result.observed, result.reason).toBe('invalid');
    expect(result.reason).toContain(`c body: the 200 body is not a JSON object (${what})`);
  });

  it.each([
    '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"mess',
    '{"id":"chatcmpl-1","object":"chat.completion","created":17',
    '{"id":"chatcmpl-1","object":"chat.completion","choices":[',
  ])('one that ends before its JSON does was cut short on the way: an error, not invalid (%s)', async (text) => {
    const result = await run('chat-completion', [chat(text)]);
    expect(result.status, result.reason).toBe('error');
    expect(result.reason).toBe(`could not observe the chat-completion object: the 200 body ends before its JSON does (${text.length} character(s) arrived): cut short on the way`);
    // Beside a whole body, the whole one is judged.
    const whole = await run('chat-completion', [chat(text), chat(JSON.stringify(plain((await vector('chat-gpt-oss-20b')).response!.json)))]);
    expect(whole.status, whole.reason).not.toBe('error');
  });
});

describe('a stream that stalled before it ended', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  /** A chat stream to POST /v1/x, stalled after its events when `stalled`. */
  const streamed = (events: unknown[], stalled: boolean): Exchange => ({
    ...bodyExchange(200, ''),
    response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events.map((e, t) => ({ t, data: `data: ${JSON.stringify(e)}\n\n` })), ...(stalled ? { stalledAfterMs: 1000 } : {}) },
  });
  const good = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hi' })];

  it('never read as valid from its events alone: error when every stream stalled; a whole one beside it is read with it', async () => {
    const only = await run('chat-completion-chunk', [streamed(good, true)]);
    expect(only.status, only.reason).toBe('error');
    expect(only.reason).toBe('could not observe a whole stream: every chat-completion-chunk stream stalled before it ended (no data for 1000 ms); stream.* judge the stall');
    // A whole stream beside it: valid from both.
    const whole = await run('chat-completion-chunk', [streamed(good, true), streamed([...good, chunk({}, 'stop')], false)]);
    expect(whole.observed, whole.reason).toBe('valid');
    expect(whole.reason).toContain('; 5 object(s) from 1 case(s)');
    // The same events in a stream that ended: valid.
    expect((await run('chat-completion-chunk', [streamed(good, false)])).observed).toBe('valid');
  });

  it('an event it did send that breaks the schema, strictly or not, is a finding all the same', async () => {
    const broken = await run('chat-completion-chunk', [streamed([...good, { ...chunk({ content: 'x' }), choices: 'none' }], true)]);
    expect(broken.observed, broken.reason).toBe('invalid');
    // usage.prompt_tokens_details: null, what Mantle's usage chunk carries: lenient-only, beside a whole valid stream too.
    const nullDetails = { ...chunk({}), choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, prompt_tokens_details: null } };
    const lenient = await run('chat-completion-chunk', [streamed([...good, chunk({}, 'stop')], false), streamed([...good, nullDetails], true)]);
    expect(lenient.observed, lenient.reason).toBe('lenient-only');
  });
});

describe('JSON nested deeper than lossless-json reads (it recurses; JSON.parse does not)', () => {
  const chat = (text: string): Exchange => ({ ...bodyExchange(200, text), request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"model":"m"}' } });
  /** A conforming chat.completion with a field nested `depth` arrays deep: JSON, whatever its depth. */
  const nested = (depth: number) => JSON.stringify(plainChat).replace('"x":0', `"x":${'['.repeat(depth)}1${']'.repeat(depth)}`);
  const plainChat = { id: 'chatcmpl-1', object: 'chat.completion', created: 1763500000, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hi', refusal: null } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }, x: 0 };
  const TOO_DEEP = 50_000;
  const checked = async (id: string, exchanges: Exchange[]) => getCheck(id)!.run({ model: 'm', expectation: null, outcomes: [{ kind: 'completed', caseId: 'c', api: 'chat-completions', exchanges }] });

  it.each(['schema.chat-completion', 'created-at.chat', 'sdk.strict.chat'])('%s could not observe it (an error, not invalid, missing or breaks); read below that depth', async (id) => {
    const deep = await checked(id, [chat(nested(TOO_DEEP))]);
    expect(deep.status, deep.reason).toBe('error');
    expect(deep.reason).toMatch(/^could not observe.* is JSON nested deeper than the harness reads with its numbers as written \(lossless-json ran out of stack\), so not judged$/);
    const shallow = await checked(id, [chat(nested(1500))]);
    expect(shallow.status, shallow.reason).toBe('pass');
  });

  it('a text that nests as deep and is not JSON is still not JSON', async () => {
    const text = `${nested(TOO_DEEP).slice(0, -1)},}`;
    const result = await checked('schema.chat-completion', [chat(text)]);
    expect(result.observed, result.reason).toBe('invalid');
    expect(result.reason).toContain('the 200 body is not a JSON object (not JSON)');
  });

  it('an event too deep to read: the stream never reads valid, and other events still show it invalid', async () => {
    const chunk = (content: string) => JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }], x: 0 });
    const deepEvent = chunk('a').replace('"x":0', `"x":${'['.repeat(TOO_DEEP)}${']'.repeat(TOO_DEEP)}`);
    const streamed = (events: string[]): Exchange => ({ ...chat(''), response: { status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: events.map((data, t) => ({ t, data: `data: ${data}\n\n` })) } });
    const notRead = await run('chat-completion-chunk', [streamed([chunk('a'), deepEvent])]);
    expect(notRead.status, notRead.reason).toBe('error');
    expect(notRead.reason).toContain('could not observe every chat-completion-chunk object: event 1 of c is JSON nested deeper');
    const broken = await run('chat-completion-chunk', [streamed([chunk('a').replace('"choices":[', '"choices":"none","y":['), deepEvent])]);
    expect(broken.observed, broken.reason).toBe('invalid');
  });

  it('beside another object that is lenient-only, the check still says lenient-only (what was read shows it)', async () => {
    const lenient = (depth: number) => nested(depth).replace('"created":1763500000', '"created":1.79E9');
    expect((await checked('schema.chat-completion', [chat(lenient(3))])).observed).toBe('lenient-only');
    const result = await checked('schema.chat-completion', [chat(lenient(3)), chat(nested(TOO_DEEP))]);
    expect(result.observed, result.reason).toBe('lenient-only');
  });

  it('its shape is JSON, marked as not walked whole', () => {
    expect(shapeOf(chat(nested(TOO_DEEP)))).toMatchObject({ kind: 'json', truncated: true });
    expect(shapeOf(chat(nested(3)))).not.toHaveProperty('truncated');
  });
});

describe('tolerances and extra fields', () => {
  it('a tolerance relaxes only the property it names, in whichever document has the component', () => {
    const document = { components: { schemas: { Response: { type: 'object', properties: { usage: { type: 'object' }, other: { type: 'object' } } } } } };
    const relaxed = withTolerances(document).components.schemas.Response as { properties: Record<string, unknown> };
    expect(relaxed.properties.usage).toEqual({ anyOf: [{ type: 'object' }, { type: 'null' }] });
    expect(relaxed.properties.other).toEqual({ type: 'object' });
    expect(document.components.schemas.Response.properties.usage).toEqual({ type: 'object' });
  });

  it('extra fields are listed by path, and an endpoint-chosen name is quoted when it is not plain', () => {
    expect(describeExtras(['billing', 'output[].phase'])).toBe('extra fields: billing, output[].phase');
    expect(describeExtras(['a\u001b[31mred'])).toBe('extra fields: "a\\u001b[31mred"');
    expect(describeExtras(Array.from({ length: 15 }, (_, i) => `f${i}`))).toMatch(/, f9, f10, f11 and 3 more$/);
  });

  it('a free-form object (tool parameters, metadata) has no extra fields; a defined object does', () => {
    const extras = PROJECT_SCHEMAS.extraFields('response', { metadata: { anything: 'x' }, tools: [{ type: 'function', name: 'f', strict: null, parameters: { whatever: 1 } }], output: [{ type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [], surprise: 1 }] });
    expect(extras).toEqual(['output[].surprise']);
  });

  it('what applies to an object is remembered per kind of object: items of two types in one list each keep their own fields', () => {
    // A message item and a function call side by side, twice over (the second time from what was remembered).
    const body = {
      output: [
        { type: 'message', id: 'm', role: 'assistant', status: 'completed', content: [], call_id: 'not a message field' },
        { type: 'function_call', id: 'f', call_id: 'c', name: 'n', arguments: '{}', status: 'completed', role: 'not a call field' },
      ],
    };
    for (let i = 0; i < 2; i++) expect(PROJECT_SCHEMAS.extraFields('response', body)).toEqual(['output[].call_id', 'output[].role']);
    // A tag that is not a string decides nothing by itself, and an endpoint's invented tags are many: still one answer each.
    const odd = { output: [{ type: 7, id: 'x' }, ...Array.from({ length: 100 }, (_, n) => ({ type: `made-up-${n}`, surprise: 1 }))] };
    expect(PROJECT_SCHEMAS.extraFields('response', odd)).toEqual(PROJECT_SCHEMAS.extraFields('response', odd));
  });

  it('an integral number written with a . meets a bound equal to it, strictly too; only type: integer fails on it', async () => {
    const documents = { openai: { components: { schemas: { ErrorResponse: { type: 'object', properties: { n: { type: 'number', minimum: 1, maximum: 1 }, z: { type: 'number', minimum: 0, maximum: 0 }, k: { type: 'integer', minimum: 1 }, p: { type: 'number', exclusiveMinimum: 1 }, q: { type: 'number', exclusiveMaximum: -1 } } } } } }, anthropic: { components: { schemas: {} } } };
    const schemas = schemaSet('bounds', documents);
    const definition = schemaChecks.find((c) => c.id === 'schema.error')!;
    const judged = async (text: string) => definition.run({ model: 'm', expectation: null, schemas, outcomes: [{ kind: 'completed', caseId: 'c', api: 'chat-completions', exchanges: [bodyExchange(400, text)] }] });
    for (const text of ['{"n":1.0}', '{"n":1e0}', '{"z":0.0}', '{"z":-0.0}', '{"n":1,"z":0,"k":1}', '{"n":1.0,"z":0.0}']) {
      const result = await judged(text);
      expect(result.observed, `${text}: ${result.reason}`).toBe('valid');
    }
    const integer = await judged('{"k":1.0}');
    expect(integer.observed, integer.reason).toBe('lenient-only');
    expect(integer.reason).toContain('/k: must be integer');
    expect(integer.reason).not.toContain('must be >=');
    for (const text of ['{"n":2.0}', '{"n":0e0}', '{"k":0.0}', '{"n":1.0,"k":0.5}']) expect((await judged(text)).observed, text).toBe('invalid');
    // An exclusive bound the number itself breaks fails however it is written (on one reading only: held to the number).
    for (const text of ['{"p":1.0}', '{"p":1e0}', '{"q":-1.0}', '{"p":1}']) expect((await judged(text)).observed, text).toBe('invalid');
    expect((await judged('{"p":2.0,"q":-2.0}')).observed).toBe('valid');
  });

  it('a schema set built from the same documents gives the same verdicts (one transform, one tolerance list)', () => {
    const documents = { openai: { components: { schemas: { ErrorResponse: { type: 'object', properties: { error: { type: 'object' } }, required: ['error'] } } } }, anthropic: { components: { schemas: {} } } };
    const a = schemaSet('a', documents);
    const b = schemaSet('b', documents);
    for (const value of [{ error: {} }, { error: 1 }, {}]) expect(a.problems('error', 'strict', value)).toEqual(b.problems('error', 'strict', value));
  });
});

describe('through the pipeline, against the emulator', () => {
  const OSS = 'openai.gpt-oss-20b';
  const CLAUDE = 'anthropic.claude-opus-4-7';
  const nonconformant: ProfileOverride = { behaviors: { anthropicBodies: 'nonconformant' } as ProfileOverride['behaviors'] };
  it.each([
    { check: 'schema.response', model: OSS, quirk: { createdAt: { responses: 'string' } } as ProfileOverride, problem: '/created_at: must be number' },
    { check: 'schema.response-event', model: OSS, quirk: { createdAt: { responses: 'missing' } } as ProfileOverride, problem: '/response: missing "created_at"' },
    { check: 'schema.anthropic-message', model: CLAUDE, quirk: nonconformant, problem: '(root): missing "usage"' },
    { check: 'schema.anthropic-event', model: CLAUDE, quirk: nonconformant, problem: '/message: missing "usage"' },
  ])('$check on $model: a flipped switch is invalid, naming the field', async ({ check, model, quirk, problem }) => {
    const emulator = await catalogEmulator({ [model]: quirk });
    try {
      const result = (await checkModel(liveTarget(emulator.url), model, { checks: [check] })).get(check)!;
      expect(result.observed, result.reason).toBe('invalid');
      expect(result.reason).toContain(problem);
    } finally {
      await emulator.close();
    }
  });

  // Every emulator answer of the bundled run against the full schemas, and its field sets against the recordings:
  // test/emulator-fidelity.test.ts (issue 17 item 6).
});
