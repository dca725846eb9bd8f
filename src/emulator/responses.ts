/**
 * @module emulator/responses
 * The Responses API as Mantle serves it: the created object echoes the server's defaults for omitted parameters,
 * `created_at` in the model's lexical form, stored responses retrievable and deletable, array content that can be
 * rejected inside a 200 (`status: "failed"`), and a stream of typed events with sequence numbers.
 */
import type { ServerResponse } from 'node:http';
import { REPLY } from './chat.ts';
import type { EmulatorContext } from './context.ts';
import type { ModelProfile } from './profile.ts';
import { countTokens, openaiError, sendJson, timestamp, toJson, writeSse, type SseEventOut } from './wire.ts';

function hasArrayContent(input: unknown): boolean {
  return Array.isArray(input) && input.some((item) => item && typeof item === 'object' && Array.isArray((item as Record<string, unknown>).content));
}

export function buildResponse(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Record<string, unknown> {
  const id = context.id('resp');
  const now = context.now();
  const maxOutput = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : profile.defaults.max_output_tokens;
  const words = REPLY.split(' ');
  const kept = maxOutput === null ? words : words.slice(0, Math.max(1, maxOutput));
  const text = kept.join(' ');
  const inputTokens = countTokens(JSON.stringify(body.input ?? ''));
  const rejected = hasArrayContent(body.input) && profile.arrayContent.responses === 'reject-200-failed';
  const reasoning = (body.reasoning ?? {}) as Record<string, unknown>;
  const createdAt = timestamp(now, profile.createdAt.responses);
  return {
    id,
    object: 'response',
    ...(createdAt !== undefined ? { created_at: createdAt } : {}),
    status: rejected ? 'failed' : kept.length < words.length ? 'incomplete' : 'completed',
    background: body.background === true,
    error: rejected ? { code: 'invalid_prompt', message: 'Invalid prompt: assistant message content must be a string.' } : null,
    incomplete_details: kept.length < words.length && !rejected ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: maxOutput,
    max_tool_calls: null,
    model: profile.id,
    output: rejected
      ? []
      : [
          {
            id: context.id('msg'),
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
          },
        ],
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: reasoning.effort ?? profile.defaults.reasoning_effort, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? profile.defaults.temperature,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: 0,
    top_p: body.top_p ?? profile.defaults.top_p,
    truncation: 'disabled',
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: rejected ? 0 : kept.length,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + (rejected ? 0 : kept.length),
    },
    user: null,
    metadata: body.metadata ?? {},
  };
}

export async function handleCreateResponse(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  if (body.input === undefined) {
    const error = openaiError(400, 'missing_required_parameter', "Missing required parameter: 'input'.", 'invalid_request_error', 'input');
    return sendJson(res, error.status, error.body);
  }
  if (hasArrayContent(body.input) && profile.arrayContent.responses === 'reject-400') {
    const error = openaiError(400, 'validation_error', "Invalid 'input[0].content': array content is not accepted here; send a string", 'invalid_request_error', 'input');
    return sendJson(res, error.status, error.body);
  }
  const response = buildResponse(body, profile, context);
  if (response.store !== false) context.responses.set(response.id as string, { id: response.id as string, body: response, pendingPolls: 0 });
  if (body.stream === true) {
    if (profile.streamRejected) {
      const error = openaiError(400, 'validation_error', 'Streaming is not supported for this model', 'invalid_request_error', 'stream');
      return sendJson(res, error.status, error.body);
    }
    return writeSse(res, responseEvents(response, profile), profile.stream, context.headers());
  }
  sendJson(res, 200, response, context.headers());
}

export function handleGetResponse(res: ServerResponse, id: string, context: EmulatorContext): void {
  const stored = context.responses.get(id);
  if (!stored) {
    const error = openaiError(404, 'not_found', `Response with id '${id}' not found.`, 'invalid_request_error');
    return sendJson(res, error.status, error.body);
  }
  sendJson(res, 200, stored.body, context.headers());
}

export function handleDeleteResponse(res: ServerResponse, id: string, context: EmulatorContext): void {
  if (!context.responses.delete(id)) {
    const error = openaiError(404, 'not_found', `Response with id '${id}' not found.`, 'invalid_request_error');
    return sendJson(res, error.status, error.body);
  }
  sendJson(res, 200, { id, object: 'response', deleted: true }, context.headers());
}

function responseEvents(response: Record<string, unknown>, profile: ModelProfile): SseEventOut[] {
  const quirks = profile.stream;
  const output = (response.output as Record<string, unknown>[])[0];
  const inProgress = { ...response, status: 'in_progress', output: [], usage: null };
  const events: Record<string, unknown>[] = [];
  if (!quirks.skipCreated) events.push({ type: 'response.created', response: inProgress });
  events.push({ type: 'response.in_progress', response: inProgress });
  if (output) {
    const itemId = output.id;
    const text = ((output.content as Record<string, unknown>[])[0]?.text as string) ?? '';
    const base = { item_id: itemId, output_index: 0, content_index: 0 };
    events.push({ type: 'response.output_item.added', output_index: 0, item: { ...output, status: 'in_progress', content: [] } });
    events.push({ type: 'response.content_part.added', ...base, part: { type: 'output_text', text: '', annotations: [] } });
    text.split(' ').forEach((word, i) => events.push({ type: 'response.output_text.delta', ...base, delta: i === 0 ? word : ` ${word}`, logprobs: [] }));
    events.push({ type: 'response.output_text.done', ...base, text: quirks.deltaMismatch ? `${text} (edited)` : text, logprobs: [] });
    events.push({ type: 'response.content_part.done', ...base, part: { type: 'output_text', text, annotations: [] } });
    events.push({ type: 'response.output_item.done', output_index: 0, item: output });
  }
  if (!quirks.noTerminal) events.push({ type: response.status === 'failed' ? 'response.failed' : response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response });
  let sequence = quirks.sequenceFromOne ? 1 : 0;
  return events.map((event, index) => {
    if (quirks.sequenceGap && index === 3) sequence += 1;
    const withSequence = { type: event.type, sequence_number: sequence++, ...event };
    return { event: event.type as string, data: toJson(withSequence) };
  });
}
