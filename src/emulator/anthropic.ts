/**
 * @module emulator/anthropic
 * The Anthropic surface on /anthropic/v1: Messages (plain and streamed) and count_tokens, the `anthropic-version`
 * header required as on Mantle, adaptive thinking accepted and `budget_tokens` thinking refused (seeds/portkey),
 * Anthropic's error envelope.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context.ts';
import { REPLY } from './generate.ts';
import type { ModelProfile } from './profile.ts';
import { anthropicError, countTokens, openaiError, sendJson, writeSse, type SseEventOut } from './wire.ts';

export function missingVersion(headers: IncomingHttpHeaders): boolean {
  return typeof headers['anthropic-version'] !== 'string' || headers['anthropic-version'].length === 0;
}

function invalid(profile: ModelProfile, message: string): { status: number; body: unknown } {
  return profile.behaviors.anthropicErrorShape === 'openai' ? openaiError(400, 'invalid_request_error', message, 'invalid_request_error') : anthropicError(400, 'invalid_request_error', message);
}

/** A refusal of the request's thinking settings, or undefined, plus whether the answer shows a thinking block. */
function thinkingCheck(body: Record<string, unknown>, profile: ModelProfile): { error?: string; thinking: boolean } {
  const thinking = body.thinking as Record<string, unknown> | undefined;
  if (!thinking) return { thinking: false };
  if (thinking.type === 'enabled' && profile.behaviors.budgetThinking === 'rejected') {
    return { error: 'thinking.type: "enabled" with budget_tokens is not supported for this model; use {"type": "adaptive"} with output_config.effort', thinking: false };
  }
  if (thinking.type === 'adaptive' && profile.behaviors.adaptiveThinking === 'rejected') return { error: 'thinking.type: Input should be \'enabled\' or \'disabled\'', thinking: false };
  return { thinking: thinking.type !== 'disabled' };
}

export async function handleMessages(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());
  if (!Array.isArray(body.messages)) return fail(invalid(profile, 'messages: Field required'));
  if (typeof body.max_tokens !== 'number') return fail(invalid(profile, 'max_tokens: Field required'));
  const thinking = thinkingCheck(body, profile);
  if (thinking.error) return fail(invalid(profile, thinking.error));
  const words = REPLY.split(' ');
  const kept = words.slice(0, Math.max(1, body.max_tokens));
  const stopReason = kept.length < words.length ? 'max_tokens' : 'end_turn';
  const inputTokens = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  const thinkingBlock = { type: 'thinking', thinking: 'The user wants a short answer.', signature: `sig_${context.id('th')}` };
  const broken = profile.behaviors.anthropicBodies === 'nonconformant';
  const message = {
    id: context.id('msg'),
    type: 'message',
    role: 'assistant',
    model: profile.id,
    content: [...(thinking.thinking ? [thinkingBlock] : []), { type: 'text', text: kept.join(' ') }],
    ...(broken ? {} : { stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: kept.length } }),
  };
  if (body.stream !== true) return sendJson(res, 200, message, context.headers());
  const quirks = profile.stream;
  const events: Record<string, unknown>[] = [];
  const startFields = broken ? {} : { stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } };
  if (!quirks.noMessageStart) events.push({ type: 'message_start', message: { ...message, content: [], ...startFields } });
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

export function handleCountTokens(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): void {
  if (!Array.isArray(body.messages)) {
    const error = invalid(profile, 'messages: Field required');
    return sendJson(res, error.status, error.body, context.headers());
  }
  const count = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  sendJson(res, 200, { input_tokens: profile.behaviors.anthropicBodies === 'nonconformant' ? String(count) : count }, context.headers());
}
