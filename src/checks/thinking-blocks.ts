/**
 * @module checks/thinking-blocks
 * The content block types of a Messages answer as the thinking checks read them (messages.thinking-default,
 * messages.thinking-disabled): which blocks are thinking, how many, and the list as a reason shows it.
 */
import { isRecord } from '../transport/body.ts';

const THINKING_BLOCKS: ReadonlySet<unknown> = new Set(['thinking', 'redacted_thinking']);

/** The `type` of each block of a whole Message's `content`, in order (a block that is no object: its JS type). */
export function contentTypes(body: Record<string, unknown>): unknown[] {
  return Array.isArray(body.content) ? body.content.map((block) => (isRecord(block) ? block.type : typeof block)) : [];
}

/** How many of `types` are thinking blocks, and the list of them all as a reason shows it. */
export function thinkingBlocks(types: readonly unknown[]): { thought: number; shown: string } {
  return {
    thought: types.filter((type) => THINKING_BLOCKS.has(type)).length,
    shown: types.map((type) => (typeof type === 'string' ? type : JSON.stringify(type))).join(', '),
  };
}
