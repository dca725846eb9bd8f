/**
 * @module checks/schemas/anthropic
 * JSON Schemas of the Anthropic Messages objects (the Message and its stream events), written from Anthropic's
 * API reference: the required fields and their types.
 */

const str = { type: 'string' };
const int = { type: 'integer' };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const usage = { type: 'object', required: ['input_tokens', 'output_tokens'], properties: { input_tokens: int, output_tokens: int } };

const block = {
  type: 'object',
  required: ['type'],
  properties: { type: str },
  allOf: [
    { if: { properties: { type: { const: 'text' } } }, then: { required: ['type', 'text'], properties: { text: str } } },
    { if: { properties: { type: { const: 'thinking' } } }, then: { required: ['type', 'thinking', 'signature'], properties: { thinking: str, signature: str } } },
    { if: { properties: { type: { const: 'tool_use' } } }, then: { required: ['type', 'id', 'name', 'input'], properties: { id: str, name: str, input: { type: 'object' } } } },
  ],
};

const stopReason = nullable({ enum: ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded'] });

/** Message. */
export const anthropicMessage = {
  type: 'object',
  required: ['id', 'type', 'role', 'content', 'model', 'stop_reason', 'stop_sequence', 'usage'],
  properties: {
    id: str,
    type: { enum: ['message'] },
    role: { enum: ['assistant'] },
    content: { type: 'array', items: block },
    model: str,
    stop_reason: stopReason,
    stop_sequence: nullable(str),
    usage,
  },
};

const event = (type: string, required: string[], properties: Record<string, unknown>) => ({
  if: { properties: { type: { const: type } } },
  then: { required: ['type', ...required], properties },
});

/** The stream events of a Message. */
export const anthropicEvent = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['message_start', 'message_delta', 'message_stop', 'content_block_start', 'content_block_delta', 'content_block_stop', 'ping', 'error'] } },
  allOf: [
    event('message_start', ['message'], { message: anthropicMessage }),
    event('message_delta', ['delta', 'usage'], { delta: { type: 'object', required: ['stop_reason'], properties: { stop_reason: stopReason, stop_sequence: nullable(str) } }, usage: { type: 'object', required: ['output_tokens'], properties: { output_tokens: int } } }),
    event('content_block_start', ['index', 'content_block'], { index: int, content_block: block }),
    event('content_block_delta', ['index', 'delta'], { index: int, delta: { type: 'object', required: ['type'], properties: { type: { enum: ['text_delta', 'input_json_delta', 'thinking_delta', 'signature_delta', 'citations_delta'] } } } }),
    event('content_block_stop', ['index'], { index: int }),
    event('error', ['error'], { error: { type: 'object', required: ['type', 'message'], properties: { type: str, message: str } } }),
  ],
};
