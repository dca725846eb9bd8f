/**
 * @module checks/stream-chat
 * SSE conformance of a streamed Chat Completion: every data event is a `chat.completion.chunk`, one chunk carries a
 * finish_reason, with `stream_options.include_usage` a usage chunk with `choices: []` precedes `data: [DONE]`, the
 * stream ends with `[DONE]`, and content deltas are strings that concatenate to the text.
 */
import { isDoneEvent } from './client-read-events.ts';
import { errorFrame, eventJson, streamCheck, type StreamRules } from './stream-common.ts';

const chatStreamRules: StreamRules = ({ events, requestBody }) => {
  const violations: string[] = [];
  const doneIndex = events.findIndex(isDoneEvent);
  if (doneIndex === -1) violations.push('no data: [DONE]');
  else if (doneIndex !== events.length - 1) violations.push(`${events.length - 1 - doneIndex} event(s) after [DONE]`);
  const chunks = events.slice(0, doneIndex === -1 ? events.length : doneIndex);
  let finish = false;
  const usageAt: number[] = [];
  const ids = new Set<string>();
  const text = new Map<number, string>();
  chunks.forEach((event, index) => {
    const parsed = eventJson(event);
    if (!parsed.ok) return void violations.push(`event ${index}: ${parsed.problem}`);
    const chunk = parsed.value;
    const frame = errorFrame(chunk);
    if (frame) return void violations.push(`event ${index}: ${frame}`);
    if (chunk.object !== 'chat.completion.chunk') violations.push(`event ${index}: object is ${JSON.stringify(chunk.object)}, not "chat.completion.chunk"`);
    if (typeof chunk.id === 'string') ids.add(chunk.id);
    else violations.push(`event ${index}: no string id`);
    if (!Array.isArray(chunk.choices)) return void violations.push(`event ${index}: choices is not an array`);
    if (chunk.usage !== undefined && chunk.usage !== null) {
      usageAt.push(index);
      if (chunk.choices.length !== 0) violations.push(`event ${index}: the usage chunk has ${chunk.choices.length} choice(s), expected choices: []`);
    }
    for (const choice of chunk.choices as Record<string, unknown>[]) {
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) finish = true;
      const delta = (choice.delta ?? {}) as Record<string, unknown>;
      const content = delta.content;
      const at = typeof choice.index === 'number' ? choice.index : 0;
      if (content === undefined || content === null) continue;
      if (typeof content !== 'string') violations.push(`event ${index}: delta.content is ${typeof content}, not a string`);
      else text.set(at, (text.get(at) ?? '') + content);
    }
  });
  if (!finish) violations.push('no chunk carries a finish_reason');
  if (ids.size > 1) violations.push(`chunks carry ${ids.size} different ids`);
  const options = requestBody.stream_options as Record<string, unknown> | undefined;
  if (options?.include_usage === true) {
    if (usageAt.length === 0) violations.push('stream_options.include_usage was set but no usage chunk came before [DONE]');
    else if (usageAt.length > 1) violations.push(`${usageAt.length} usage chunks`);
    else if (usageAt[0] !== chunks.length - 1) violations.push('the usage chunk is not the last chunk before [DONE]');
  }
  return violations;
};

export const streamChatChecks = [
  streamCheck('stream.chat-completions', 'chat-completions', 'SSE conformance of a streamed Chat Completion', chatStreamRules),
];
