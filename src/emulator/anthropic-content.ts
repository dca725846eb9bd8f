/**
 * @module emulator/anthropic-content
 * What an emulated Claude answers on Messages, block by block: a thinking block when thinking is on, a `tool_use`
 * block for a forced tool (`tool_choice` `tool` or `any`) until a `tool_result` answers it, else text (the answer
 * to a tool result, an image's colour, or the fixed reply cut at `max_tokens`); and how each block streams
 * (`thinking_delta` + `signature_delta`, `input_json_delta` fragments, `text_delta` words). With thinking on and a
 * `max_tokens` at or below `behaviors.thinkingTokens`, the answer is one unsigned thinking block cut by the budget.
 */
import { MANTLE_IDS, type EmulatorContext } from './context.ts';
import { breakRequired, exampleFor, REPLY } from './generate.ts';
import { imageReply } from './images.ts';
import { makesCall, type ModelProfile, type StreamQuirks } from './profile.ts';
import { streamedFragments } from './tool-stream.ts';

type Block = Record<string, unknown>;

export interface MessageTurn {
  content: Block[];
  stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  outputTokens: number;
}

const THINKING = 'The user wants a short answer.';

/** Anthropic's JSON-output pattern names the forced tool after what it records (`record_person`). */
const isOutputTool = (name: string) => name.startsWith('record_');

function lastUserBlocks(body: Record<string, unknown>): Block[] {
  const messages = Array.isArray(body.messages) ? (body.messages as Block[]) : [];
  const last = messages.at(-1);
  return last?.role === 'user' && Array.isArray(last.content) ? (last.content as Block[]) : [];
}

/** The tool a `tool_choice` forces (`{type: "tool", name}`, or `{type: "any"}`: the first tool), if it forces one. */
export function forcedTool(body: Record<string, unknown>): Block | undefined {
  const tools = Array.isArray(body.tools) ? (body.tools as Block[]) : [];
  const choice = body.tool_choice as Block | undefined;
  if (choice?.type === 'tool') return tools.find((t) => t.name === choice.name);
  return choice?.type === 'any' ? tools[0] : undefined;
}

export function messageTurn(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext, thinking: boolean): MessageTurn {
  const b = profile.behaviors;
  const limit = typeof body.max_tokens === 'number' ? body.max_tokens : Infinity;
  // A model that thinks longer than max_tokens allows spends the budget on thinking alone: the block ends
  // mid-thought, before its signature, and nothing else is written (stop_reason max_tokens).
  if (thinking && b.thinkingTokens > 0 && limit <= b.thinkingTokens) {
    return { content: [{ type: 'thinking', thinking: THINKING, signature: '' }], stopReason: 'max_tokens', outputTokens: limit };
  }
  const content: Block[] = thinking ? [{ type: 'thinking', thinking: THINKING, signature: `sig_${context.id('th')}` }] : [];
  // An empty answer: neither text nor a tool call, and a stop that says all is well (grok-4.6, gpt-5.6-sol).
  if (b.emptyAnswer) return { content: [...content, { type: 'text', text: '' }], stopReason: 'end_turn', outputTokens: 0 };
  const answered = lastUserBlocks(body).some((block) => block.type === 'tool_result');
  const tool = answered ? undefined : forcedTool(body);
  const name = typeof tool?.name === 'string' ? tool.name : '';
  const ignores = b.tools === 'ignore' || (isOutputTool(name) && b.structured === 'ignore');
  if (tool && !ignores && makesCall(b.toolCallRate, context.occurrence)) {
    const value = exampleFor(tool.input_schema);
    const broken = b.tools === 'bad-arguments' || (isOutputTool(name) && b.structured === 'invalid');
    content.push({ type: 'tool_use', id: context.id(...MANTLE_IDS.toolUse), name, input: broken ? breakRequired(value, tool.input_schema) : value, caller: { type: 'direct' } });
    return { content, stopReason: 'tool_use', outputTokens: 1 + JSON.stringify(value).split(' ').length };
  }
  const text = answered ? 'It is 21.5 degrees in Paris.' : (imageReply(body, profile) ?? REPLY);
  const words = text.split(' ');
  const kept = words.slice(0, Math.max(1, Math.min(limit, words.length)));
  content.push({ type: 'text', text: kept.join(' ') });
  return { content, stopReason: kept.length < words.length ? 'max_tokens' : 'end_turn', outputTokens: kept.length };
}

/** The stream events of one content block at `index`: start, deltas, stop. */
export function blockEvents(block: Block, index: number, quirks: StreamQuirks): Block[] {
  const delta = (d: Block) => ({ type: 'content_block_delta', index, delta: d });
  const words = (text: string) => text.split(' ').map((w, i) => (i === 0 ? w : ` ${w}`));
  switch (block.type) {
    case 'thinking':
      return [
        { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } },
        ...words(block.thinking as string).map((w) => delta({ type: 'thinking_delta', thinking: w })),
        ...(quirks.thinkingNoSignature || !block.signature ? [] : [delta({ type: 'signature_delta', signature: block.signature })]),
        { type: 'content_block_stop', index },
      ];
    case 'tool_use':
      return [
        { type: 'content_block_start', index, content_block: { ...block, input: {} } },
        ...streamedFragments(JSON.stringify(block.input), quirks).map((partial) => delta({ type: 'input_json_delta', partial_json: partial })),
        { type: 'content_block_stop', index },
      ];
    default:
      return [
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
        ...words(block.text as string).map((w) => delta({ type: 'text_delta', text: w })),
        { type: 'content_block_stop', index },
      ];
  }
}
