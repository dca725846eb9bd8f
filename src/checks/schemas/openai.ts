/**
 * @module checks/schemas/openai
 * JSON Schemas of the OpenAI objects the harness validates, written from the published OpenAPI document
 * (openai/openai-openapi): the same required lists and types for the fields they cover, `null` spelled as a type.
 * They describe the objects strictly; `lenient()` (schema-modes.ts) relaxes them the way tolerant clients do.
 * A test cross-checks them against ../shared/reference/openai-openapi/openapi.yaml when it is present.
 */

const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const logprobToken = {
  type: 'object',
  required: ['token', 'logprob', 'bytes', 'top_logprobs'],
  properties: {
    token: str,
    logprob: num,
    bytes: nullable({ type: 'array', items: int }),
    top_logprobs: { type: 'array', items: { type: 'object', required: ['token', 'logprob', 'bytes'], properties: { token: str, logprob: num, bytes: nullable({ type: 'array', items: int }) } } },
  },
};

const choiceLogprobs = nullable({
  type: 'object',
  required: ['content', 'refusal'],
  properties: { content: nullable({ type: 'array', items: logprobToken }), refusal: nullable({ type: 'array', items: logprobToken }) },
});

const toolCall = {
  type: 'object',
  required: ['id', 'type', 'function'],
  properties: { id: str, type: { enum: ['function'] }, function: { type: 'object', required: ['name', 'arguments'], properties: { name: str, arguments: str } } },
};

/** CompletionUsage. */
const completionUsage = {
  type: 'object',
  required: ['prompt_tokens', 'completion_tokens', 'total_tokens'],
  properties: { prompt_tokens: int, completion_tokens: int, total_tokens: int },
};

/** CreateChatCompletionResponse. */
export const chatCompletion = {
  type: 'object',
  required: ['id', 'object', 'created', 'model', 'choices'],
  properties: {
    id: str,
    object: { enum: ['chat.completion'] },
    created: int,
    model: str,
    system_fingerprint: str,
    service_tier: nullable({ enum: ['auto', 'default', 'flex', 'scale', 'priority'] }),
    usage: completionUsage,
    choices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['finish_reason', 'index', 'message', 'logprobs'],
        properties: {
          finish_reason: { enum: ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] },
          index: int,
          logprobs: choiceLogprobs,
          message: {
            type: 'object',
            required: ['role', 'content', 'refusal'],
            properties: { role: { enum: ['assistant'] }, content: nullable(str), refusal: nullable(str), tool_calls: { type: 'array', items: toolCall } },
          },
        },
      },
    },
  },
};

/** CreateChatCompletionStreamResponse. */
export const chatCompletionChunk = {
  type: 'object',
  required: ['id', 'object', 'created', 'model', 'choices'],
  properties: {
    id: str,
    object: { enum: ['chat.completion.chunk'] },
    created: int,
    model: str,
    system_fingerprint: str,
    usage: nullable(completionUsage),
    choices: {
      type: 'array',
      items: {
        type: 'object',
        required: ['delta', 'finish_reason', 'index'],
        properties: {
          index: int,
          finish_reason: nullable({ enum: ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] }),
          logprobs: choiceLogprobs,
          delta: {
            type: 'object',
            properties: {
              role: { enum: ['developer', 'system', 'user', 'assistant', 'tool'] },
              content: nullable(str),
              refusal: nullable(str),
              tool_calls: { type: 'array', items: { type: 'object', required: ['index'], properties: { index: int, id: str, type: { enum: ['function'] } } } },
            },
          },
        },
      },
    },
  },
};

const responseUsage = {
  type: 'object',
  required: ['input_tokens', 'input_tokens_details', 'output_tokens', 'output_tokens_details', 'total_tokens'],
  properties: {
    input_tokens: int,
    input_tokens_details: { type: 'object', required: ['cached_tokens'], properties: { cached_tokens: int } },
    output_tokens: int,
    output_tokens_details: { type: 'object', required: ['reasoning_tokens'], properties: { reasoning_tokens: int } },
    total_tokens: int,
  },
};

const outputItem = {
  type: 'object',
  required: ['type'],
  properties: { type: str, id: str },
  allOf: [
    {
      if: { properties: { type: { const: 'message' } } },
      then: { required: ['id', 'type', 'role', 'content', 'status'], properties: { role: { enum: ['assistant'] }, content: { type: 'array', items: { type: 'object', required: ['type'] } } } },
    },
    { if: { properties: { type: { const: 'function_call' } } }, then: { required: ['type', 'call_id', 'name', 'arguments'], properties: { call_id: str, name: str, arguments: str } } },
    { if: { properties: { type: { const: 'reasoning' } } }, then: { required: ['id', 'type', 'summary'], properties: { summary: { type: 'array' } } } },
  ],
};

/** Response (ModelResponseProperties + ResponseProperties + the response's own fields). */
export const response = {
  type: 'object',
  required: ['id', 'object', 'created_at', 'error', 'incomplete_details', 'instructions', 'model', 'tools', 'output', 'parallel_tool_calls', 'metadata', 'tool_choice', 'temperature', 'top_p'],
  properties: {
    id: str,
    object: { enum: ['response'] },
    created_at: num,
    status: { enum: ['completed', 'failed', 'in_progress', 'cancelled', 'queued', 'incomplete'] },
    error: nullable({ type: 'object', required: ['code', 'message'], properties: { code: str, message: str } }),
    incomplete_details: nullable({ type: 'object', properties: { reason: { enum: ['max_output_tokens', 'content_filter'] } } }),
    instructions: nullable({ anyOf: [str, { type: 'array' }] }),
    max_output_tokens: nullable(int),
    model: str,
    output: { type: 'array', items: outputItem },
    parallel_tool_calls: { type: 'boolean' },
    previous_response_id: nullable(str),
    reasoning: nullable({ type: 'object', properties: { effort: nullable({ enum: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] }) } }),
    temperature: nullable(num),
    top_p: nullable(num),
    tools: { type: 'array' },
    tool_choice: { anyOf: [{ enum: ['none', 'auto', 'required'] }, { type: 'object' }] },
    metadata: nullable({ type: 'object', additionalProperties: str }),
    // The document gives usage no null, but the API itself sends usage: null until a response completes
    // (queued, in_progress, response.created); holding that against a server would flag OpenAI too.
    usage: nullable(responseUsage),
    store: nullable({ type: 'boolean' }),
    background: nullable({ type: 'boolean' }),
  },
};

const sequenced = (type: string, required: string[], properties: Record<string, unknown>) => ({
  if: { properties: { type: { const: type } } },
  then: { required: ['type', 'sequence_number', ...required], properties: { sequence_number: int, ...properties } },
});

/** ResponseStreamEvent: the common events, each with its required fields. */
export const responseEvent = {
  type: 'object',
  required: ['type', 'sequence_number'],
  properties: { type: str, sequence_number: int },
  allOf: [
    ...['response.created', 'response.in_progress', 'response.completed', 'response.failed', 'response.incomplete', 'response.queued'].map((t) => sequenced(t, ['response'], { response })),
    sequenced('response.output_item.added', ['output_index', 'item'], { output_index: int, item: outputItem }),
    sequenced('response.output_item.done', ['output_index', 'item'], { output_index: int, item: outputItem }),
    sequenced('response.content_part.added', ['item_id', 'output_index', 'content_index', 'part'], { item_id: str, output_index: int, content_index: int }),
    sequenced('response.content_part.done', ['item_id', 'output_index', 'content_index', 'part'], { item_id: str, output_index: int, content_index: int }),
    sequenced('response.output_text.delta', ['item_id', 'output_index', 'content_index', 'delta', 'logprobs'], { item_id: str, output_index: int, content_index: int, delta: str, logprobs: { type: 'array' } }),
    sequenced('response.output_text.done', ['item_id', 'output_index', 'content_index', 'text', 'logprobs'], { item_id: str, output_index: int, content_index: int, text: str, logprobs: { type: 'array' } }),
    sequenced('response.function_call_arguments.delta', ['item_id', 'output_index', 'delta'], { item_id: str, output_index: int, delta: str }),
    sequenced('response.function_call_arguments.done', ['item_id', 'output_index', 'arguments'], { item_id: str, output_index: int, arguments: str }),
  ],
};

/** ErrorResponse. */
export const errorResponse = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['type', 'message', 'param', 'code'], properties: { code: nullable(str), message: str, param: nullable(str), type: str } },
  },
};
