/**
 * @module emulator/anthropic
 * The Anthropic surface on /anthropic/v1: Messages (plain and streamed) and count_tokens, with the
 * `anthropic-version` header required as on Mantle.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { REPLY } from './chat.ts';
import type { EmulatorContext } from './context.ts';
import type { ModelProfile } from './profile.ts';
import { anthropicError, countTokens, sendJson, writeSse, type SseEventOut } from './wire.ts';

export function missingVersion(headers: IncomingHttpHeaders): boolean {
  return typeof headers['anthropic-version'] !== 'string' || headers['anthropic-version'].length === 0;
}

export async function handleMessages(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  if (!Array.isArray(body.messages) || typeof body.max_tokens !== 'number') {
    const error = anthropicError(400, 'invalid_request_error', !Array.isArray(body.messages) ? 'messages: Field required' : 'max_tokens: Field required');
    return sendJson(res, error.status, error.body);
  }
  const words = REPLY.split(' ');
  const kept = words.slice(0, Math.max(1, body.max_tokens));
  const stopReason = kept.length < words.length ? 'max_tokens' : 'end_turn';
  const inputTokens = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  const message = {
    id: context.id('msg'),
    type: 'message',
    role: 'assistant',
    model: profile.id,
    content: [{ type: 'text', text: kept.join(' ') }],
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: kept.length },
  };
  if (body.stream !== true) return sendJson(res, 200, message, context.headers());
  const quirks = profile.stream;
  const events: Record<string, unknown>[] = [];
  if (!quirks.noMessageStart) events.push({ type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } });
  const delta = (i: number) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: i === 0 ? kept[0] : ` ${kept[i]}` } });
  if (quirks.deltaBeforeStart) events.push(delta(0));
  events.push({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  if (quirks.pings) events.push({ type: 'ping' });
  kept.forEach((_w, i) => {
    if (!(quirks.deltaBeforeStart && i === 0)) events.push(delta(i));
  });
  events.push({ type: 'content_block_stop', index: 0 });
  events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: kept.length } });
  if (!quirks.noTerminal) events.push({ type: 'message_stop' });
  const out: SseEventOut[] = events.map((event) => ({ event: event.type as string, data: JSON.stringify(event) }));
  return writeSse(res, out, quirks, context.headers());
}

export function handleCountTokens(res: ServerResponse, body: Record<string, unknown>, context: EmulatorContext): void {
  if (!Array.isArray(body.messages)) {
    const error = anthropicError(400, 'invalid_request_error', 'messages: Field required');
    return sendJson(res, error.status, error.body);
  }
  sendJson(res, 200, { input_tokens: countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? '')) }, context.headers());
}
