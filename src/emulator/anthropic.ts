/**
 * @module emulator/anthropic
 * The Anthropic surface on /anthropic/v1: Messages (plain and streamed) and count_tokens, the `anthropic-version`
 * header required as on Mantle, adaptive thinking accepted and `budget_tokens` thinking refused (seeds/portkey),
 * a forced `tool_choice` answered with a `tool_use` block, Anthropic's error envelope. Messages look like Claude's
 * on Mantle: ids `msg_bdrk_...` and the model echoed without `anthropic.` (MANTLE.md "Fields real answers carry").
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { MANTLE_IDS, type EmulatorContext } from './context.ts';
import { REPLY, exampleFor } from './generate.ts';
import type { ModelProfile } from './profile.ts';
import { anthropicError, countTokens, openaiError, sendJson, writeSse, type SseEventOut } from './wire.ts';

type Block = Record<string, unknown>;

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

/** The tool a `tool_choice` forces (`{type: "tool", name}`, or `{type: "any"}`: the first tool), if it forces one. */
function forcedTool(body: Record<string, unknown>): Block | undefined {
  const tools = Array.isArray(body.tools) ? (body.tools as unknown[]).filter((t): t is Block => !!t && typeof t === 'object') : [];
  const choice = body.tool_choice as Block | undefined;
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name);
  if (choice?.type === 'any') return tools[0];
  return undefined;
}

/** The model id as the answer echoes it. */
function echoedModel(profile: ModelProfile): string {
  return profile.behaviors.modelEcho === 'stripped-prefix' ? profile.id.replace(/^anthropic\./, '') : profile.id;
}

export async function handleMessages(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());
  if (!Array.isArray(body.messages)) return fail(invalid(profile, 'messages: Field required'));
  if (typeof body.max_tokens !== 'number') return fail(invalid(profile, 'max_tokens: Field required'));
  const thinking = thinkingCheck(body, profile);
  if (thinking.error) return fail(invalid(profile, thinking.error));
  const tool = forcedTool(body);
  if (tool && thinking.thinking) return fail(invalid(profile, 'Thinking may not be enabled when tool_choice forces tool use.'));
  const words = REPLY.split(' ');
  const kept = words.slice(0, Math.max(1, body.max_tokens));
  const inputTokens = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  const thinkingBlock = { type: 'thinking', thinking: 'The user wants a short answer.', signature: `sig_${context.id('th')}` };
  const content: Block[] = tool
    ? [{ type: 'tool_use', id: context.id(...MANTLE_IDS.toolUse), name: tool.name, input: exampleFor(tool.input_schema) }]
    : [...(thinking.thinking ? [thinkingBlock] : []), { type: 'text', text: kept.join(' ') }];
  const stopReason = tool ? 'tool_use' : kept.length < words.length ? 'max_tokens' : 'end_turn';
  const outputTokens = tool ? countTokens(JSON.stringify(content[0]!.input)) : kept.length;
  const broken = profile.behaviors.anthropicBodies === 'nonconformant';
  const message = {
    id: context.id(...MANTLE_IDS.message),
    type: 'message',
    role: 'assistant',
    model: echoedModel(profile),
    content,
    ...(broken ? {} : { stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: outputTokens } }),
  };
  if (body.stream !== true) return sendJson(res, 200, message, context.headers());
  const quirks = profile.stream;
  const events: Record<string, unknown>[] = [];
  const startFields = broken ? {} : { stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } };
  if (!quirks.noMessageStart) events.push({ type: 'message_start', message: { ...message, content: [], ...startFields } });
  const streamed = content.filter((block) => block.type !== 'thinking');
  streamed.forEach((block, index) => {
    const pieces = block.type === 'tool_use' ? jsonPieces(JSON.stringify(block.input)) : kept.map((w, i) => (i === 0 ? w : ` ${w}`));
    const delta = (piece: string) => ({ type: 'content_block_delta', index, delta: block.type === 'tool_use' ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece } });
    if (quirks.deltaBeforeStart && index === 0) events.push(delta(pieces[0]!));
    events.push({ type: 'content_block_start', index, content_block: block.type === 'tool_use' ? { ...block, input: {} } : { type: 'text', text: '' } });
    if (quirks.pings && index === 0) events.push({ type: 'ping' });
    pieces.forEach((piece, i) => {
      if (!(quirks.deltaBeforeStart && index === 0 && i === 0)) events.push(delta(piece));
    });
    events.push({ type: 'content_block_stop', index });
  });
  events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
  if (!quirks.noTerminal) events.push({ type: 'message_stop' });
  const out: SseEventOut[] = events.map((event) => ({ event: event.type as string, data: JSON.stringify(event) }));
  return writeSse(res, out, quirks, context.headers());
}

/** A JSON text in a few fragments, as `input_json_delta` events carry a tool's input. */
function jsonPieces(json: string): string[] {
  const size = Math.max(1, Math.ceil(json.length / 3));
  return Array.from({ length: Math.ceil(json.length / size) }, (_, i) => json.slice(i * size, (i + 1) * size));
}

export function handleCountTokens(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): void {
  if (!Array.isArray(body.messages)) {
    const error = invalid(profile, 'messages: Field required');
    return sendJson(res, error.status, error.body, context.headers());
  }
  const count = countTokens(JSON.stringify(body.messages)) + countTokens(String(body.system ?? ''));
  sendJson(res, 200, { input_tokens: profile.behaviors.anthropicBodies === 'nonconformant' ? String(count) : count }, context.headers());
}
