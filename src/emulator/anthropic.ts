/**
 * @module emulator/anthropic
 * The Anthropic surface on /anthropic/v1: Messages (plain and streamed) and count_tokens, the `anthropic-version`
 * header required as on Mantle, adaptive thinking accepted and `budget_tokens` thinking refused (seeds/portkey),
 * thinking by default where the catalog says so (Claude Sonnet 5), thinking disabled refused where it says so (Claude
 * Sonnet 5.5), Anthropic's error envelope. What the model writes (thinking, tool use, text) is anthropic-content.ts; prompt
 * caching is anthropic-cache.ts. Messages look like Claude's on Mantle: ids `msg_bdrk_...` and the model echoed
 * without `anthropic.` (MANTLE.md "Fields real answers carry").
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { cacheRefused, cacheUsage } from './anthropic-cache.ts';
import { bodyTypeProblem } from './body-types.ts';
import { blockEvents, forcedTool, messageTurn } from './anthropic-content.ts';
import { MANTLE_IDS, type EmulatorContext } from './context.ts';
import { imageRefusal } from './images.ts';
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
  // A model that thinks by default (Claude Sonnet 5) thinks unasked, but not under a forced tool_choice: no source says
  // Sonnet 5 refuses one (Anthropic refuses a forced tool only where the request turns thinking on), so it answers the call.
  if (!thinking) return { thinking: profile.behaviors.thinksByDefault && !forcedTool(body) };
  if (thinking.type === 'enabled' && profile.behaviors.budgetThinking === 'rejected') {
    return { error: 'thinking.type: "enabled" with budget_tokens is not supported for this model; use {"type": "adaptive"} with output_config.effort', thinking: false };
  }
  if (thinking.type === 'adaptive' && profile.behaviors.adaptiveThinking === 'rejected') return { error: 'thinking.type: Input should be \'enabled\' or \'disabled\'', thinking: false };
  if (thinking.type !== 'disabled') return { thinking: true };
  // Claude Sonnet 5.5 refuses thinking turned off (vercel/ai @ai-sdk/amazon-bedrock 5.0.99, unverified); a model that
  // ignores the setting thinks as it would unasked (not under a forced tool_choice, as thinksByDefault).
  if (profile.behaviors.disabledThinking === 'rejected') return { error: 'thinking.type: "disabled" is not supported for this model; use {"type": "adaptive"} with output_config.effort', thinking: false };
  return { thinking: profile.behaviors.disabledThinking === 'ignored' && !forcedTool(body) };
}

/** The model id as the answer echoes it. */
function echoedModel(profile: ModelProfile): string {
  return profile.behaviors.modelEcho === 'stripped-prefix' ? profile.id.replace(/^anthropic\./, '') : profile.id;
}

export async function handleMessages(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());
  if (!Array.isArray(body.messages)) return fail(invalid(profile, 'messages: Field required'));
  if (typeof body.max_tokens !== 'number') return fail(invalid(profile, 'max_tokens: Field required'));
  const wrongType = bodyTypeProblem(body, 'messages');
  if (wrongType) return fail(invalid(profile, wrongType.anthropicMessage));
  const thinking = thinkingCheck(body, profile);
  if (thinking.error) return fail(invalid(profile, thinking.error));
  if (forcedTool(body) && profile.behaviors.forcedToolChoice === 'reject') return fail(invalid(profile, 'tool_choice: forcing a tool is not supported for this model; use {"type": "auto"}'));
  if (thinking.thinking && forcedTool(body)) return fail(invalid(profile, 'Thinking may not be enabled when tool_choice forces tool use.'));
  const refusal = imageRefusal(body, profile) ?? (cacheRefused(body, profile) ? 'cache_control: prompt caching is not supported for this model' : undefined);
  if (refusal) return fail(invalid(profile, refusal));
  if (profile.behaviors.toolResult === 'reject' && JSON.stringify(body.messages).includes('"tool_result"')) return fail(invalid(profile, 'messages: tool_result blocks are not supported for this model'));
  const turn = messageTurn(body, profile, context, thinking.thinking);
  const cache = cacheUsage(body, profile, context);
  const inputTokens = countTokens(JSON.stringify(body.messages)) + countTokens(typeof body.system === 'string' ? body.system : JSON.stringify(body.system ?? '')) - cache.written - cache.read;
  const usage = { input_tokens: Math.max(1, inputTokens), cache_creation_input_tokens: cache.written, cache_read_input_tokens: cache.read, output_tokens: turn.outputTokens };
  const broken = profile.behaviors.anthropicBodies === 'nonconformant';
  const message = {
    id: context.id(...MANTLE_IDS.message),
    type: 'message',
    role: 'assistant',
    model: echoedModel(profile),
    content: turn.content,
    ...(broken ? {} : { stop_reason: turn.stopReason, stop_sequence: null, usage }),
  };
  if (body.stream !== true) return sendJson(res, 200, message, context.headers());
  const quirks = profile.stream;
  const events: Record<string, unknown>[] = [];
  const startFields = broken ? {} : { stop_reason: null, usage: { ...usage, output_tokens: 1 } };
  if (!quirks.noMessageStart) events.push({ type: 'message_start', message: { ...message, content: [], ...startFields } });
  turn.content.forEach((block, index) => {
    const blockEventList = blockEvents(block, index, quirks);
    // The delta-before-start deviation: the first block's first delta comes before the block opens.
    if (index === 0 && quirks.deltaBeforeStart && blockEventList[1]?.type === 'content_block_delta') blockEventList.unshift(blockEventList.splice(1, 1)[0]!);
    events.push(...blockEventList);
    if (index === 0 && quirks.pings) events.push({ type: 'ping' });
  });
  const stopReason = turn.stopReason === 'tool_use' && quirks.toolCallStream === 'wrong-finish' ? 'end_turn' : turn.stopReason;
  events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: turn.outputTokens } });
  if (!quirks.noTerminal) events.push({ type: 'message_stop' });
  const out: SseEventOut[] = events.map((event) => ({ event: event.type as string, data: JSON.stringify(event) }));
  return writeSse(res, out, quirks, context.headers());
}

export function handleCountTokens(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): void {
  const wrongType = Array.isArray(body.messages) ? bodyTypeProblem(body, 'count-tokens') : undefined;
  if (!Array.isArray(body.messages) || wrongType) {
    const error = invalid(profile, wrongType?.anthropicMessage ?? 'messages: Field required');
    return sendJson(res, error.status, error.body, context.headers());
  }
  const count = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  sendJson(res, 200, { input_tokens: profile.behaviors.anthropicBodies === 'nonconformant' ? String(count) : count }, context.headers());
}
