/**
 * @module emulator/chat
 * Chat Completions as a Mantle model answers them: a completion or a stream of chunks, `created` in the model's
 * lexical form, array content accepted or rejected per profile.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.ts';
import type { ModelProfile } from './profile.ts';
import { countTokens, openaiError, sendJson, timestamp, toJson, writeSse, type SseEventOut } from './wire.ts';

export const REPLY = 'Hello from the Mantle emulator.';

function hasArrayContent(messages: unknown): boolean {
  return Array.isArray(messages) && messages.some((m) => m && typeof m === 'object' && Array.isArray((m as Record<string, unknown>).content));
}

function promptTokens(body: Record<string, unknown>): number {
  return countTokens(JSON.stringify(body.messages ?? body.input ?? ''));
}

export async function handleChat(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    const error = openaiError(400, 'invalid_value', "'messages' must be a non-empty array", 'invalid_request_error', 'messages');
    return sendJson(res, error.status, error.body);
  }
  if (hasArrayContent(body.messages) && profile.arrayContent.chat !== 'accept') {
    const error = openaiError(400, 'validation_error', "Invalid 'messages[0].content': array content is not accepted here; send a string", 'invalid_request_error', 'messages');
    return sendJson(res, error.status, error.body);
  }
  const id = context.id('chatcmpl');
  const created = timestamp(context.now(), profile.createdAt.chat);
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : undefined;
  const words = REPLY.split(' ');
  const kept = maxTokens === undefined ? words : words.slice(0, Math.max(1, maxTokens));
  const text = kept.join(' ');
  const finish = kept.length < words.length ? 'length' : 'stop';
  const usage = { prompt_tokens: promptTokens(body), completion_tokens: kept.length, total_tokens: promptTokens(body) + kept.length };
  if (body.stream === true) {
    if (profile.streamRejected) {
      const error = openaiError(400, 'validation_error', 'Streaming is not supported for this model', 'invalid_request_error', 'stream');
      return sendJson(res, error.status, error.body);
    }
    return writeSse(res, chatChunks({ id, created, model: profile.id, pieces: kept.map((w, i) => (i === 0 ? w : ` ${w}`)), finish, usage, body, profile }), profile.stream, context.headers());
  }
  sendJson(
    res,
    200,
    {
      id,
      object: 'chat.completion',
      ...(created !== undefined ? { created } : {}),
      model: profile.id,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, finish_reason: finish }],
      usage,
      service_tier: 'default',
      system_fingerprint: null,
    },
    context.headers(),
  );
}

interface ChunkInput {
  id: string;
  created: string | undefined;
  model: string;
  pieces: string[];
  finish: string;
  usage: Record<string, number>;
  body: Record<string, unknown>;
  profile: ModelProfile;
}

function chatChunks(input: ChunkInput): SseEventOut[] {
  const quirks = input.profile.stream;
  const base = { id: input.id, object: 'chat.completion.chunk', ...(input.created !== undefined ? { created: input.created } : {}), model: input.model };
  const choice = (delta: Record<string, unknown>, finish: string | null) => ({
    index: 0,
    delta,
    finish_reason: finish,
    ...(quirks.obfuscation ? { obfuscation: 'q9x' } : {}),
  });
  const chunks: unknown[] = [{ ...base, choices: [choice({ role: 'assistant', content: '' }, null)] }];
  input.pieces.forEach((piece, i) => {
    chunks.push({ ...base, choices: [choice({ content: piece }, null)] });
    if (quirks.errorFrame && i === 0) chunks.push({ type: 'error', error: JSON.stringify({ message: 'upstream model error', code: 'model_error' }) });
  });
  chunks.push({ ...base, choices: [choice({}, quirks.omitFinishReason ? null : input.finish)] });
  const includeUsage = (input.body.stream_options as Record<string, unknown> | undefined)?.include_usage === true;
  if (includeUsage) chunks.push({ ...base, choices: quirks.usageWithChoices ? [choice({}, null)] : [], usage: input.usage });
  const events: SseEventOut[] = chunks.map((chunk) => ({ data: toJson(chunk) }));
  if (!quirks.omitDone) events.push({ data: '[DONE]' });
  return events;
}
