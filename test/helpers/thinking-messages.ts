/**
 * Anthropic Messages answers made of thinking and text blocks, whole and streamed, for the checks that read whether
 * a model thought (messages.thinking-default, messages.thinking-disabled).
 */
import { sseText } from './suite-answers.ts';

/** A whole Message of `content`, ended with end_turn unless `extra` says otherwise. */
export const message = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'msg_1', type: 'message', role: 'assistant', model: 'test', content, stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 6, output_tokens: 5 }, ...extra,
});
export const THINKING = { type: 'thinking', thinking: 'The user wants a short answer.', signature: 'sig' };
export const TEXT = { type: 'text', text: 'OK' };

/** A Messages stream of these blocks (each one start, one delta, one stop), ending with `stopReason` unless cut (null). */
export function streamOf(blocks: readonly { type?: unknown }[], stopReason: string | null = 'end_turn'): string {
  const events: Record<string, unknown>[] = [{ type: 'message_start', message: { ...message([]), stop_reason: null } }];
  blocks.forEach((block, index) => {
    events.push({ type: 'content_block_start', index, content_block: block.type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' } });
    events.push({ type: 'content_block_delta', index, delta: block.type === 'thinking' ? { type: 'thinking_delta', thinking: 'hm' } : { type: 'text_delta', text: 'OK' } });
    events.push({ type: 'content_block_stop', index });
  });
  if (stopReason !== null) events.push({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 5 } }, { type: 'message_stop' });
  return sseText(events.map((e) => ({ name: e.type as string, data: JSON.stringify(e) })));
}
