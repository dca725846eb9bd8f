/**
 * @module checks/stream-messages
 * SSE conformance of a streamed Anthropic Message: `message_start` first, `message_stop` last, content blocks open
 * and close in order with deltas only inside an open block, a `message_delta` before the stop, `ping` anywhere, every
 * event named (`event:` the same as its `type`: @anthropic-ai/sdk dispatches on the name).
 */
import { eventJson, streamCheck, type StreamRules } from './stream-common.ts';

const messagesStreamRules: StreamRules = ({ events }) => {
  const violations: string[] = [];
  const types: string[] = [];
  let open: number | null = null;
  let nextIndex = 0;
  let sawMessageDelta = false;
  const unnamed: number[] = [];
  events.forEach((event, index) => {
    const parsed = eventJson(event);
    if (!parsed.ok) return void violations.push(`event ${index}: ${parsed.problem}`);
    const value = parsed.value;
    const type = typeof value.type === 'string' ? value.type : undefined;
    if (!type) return void violations.push(`event ${index}: no type`);
    // @anthropic-ai/sdk dispatches on the event name and skips an event without one: Anthropic names every event.
    if (event.event === undefined) unnamed.push(index);
    else if (event.event !== type) violations.push(`event ${index}: event: ${event.event} but type ${type}`);
    if (type === 'ping') return;
    types.push(type);
    switch (type) {
      case 'error':
        violations.push(`event ${index}: error event ${(JSON.stringify(value.error ?? value) ?? '').slice(0, 100)}`);
        break;
      case 'content_block_start':
        if (open !== null) violations.push(`event ${index}: block ${String(value.index)} starts while block ${open} is open`);
        if (value.index !== nextIndex) violations.push(`event ${index}: block index ${String(value.index)}, expected ${nextIndex}`);
        open = typeof value.index === 'number' ? value.index : null;
        nextIndex += 1;
        break;
      case 'content_block_delta':
        if (open === null || value.index !== open) violations.push(`event ${index}: delta for block ${String(value.index)} which is not open`);
        break;
      case 'content_block_stop':
        if (open === null || value.index !== open) violations.push(`event ${index}: stop for block ${String(value.index)} which is not open`);
        open = null;
        break;
      case 'message_delta':
        if (open !== null) violations.push(`event ${index}: message_delta while block ${open} is open`);
        sawMessageDelta = true;
        break;
      case 'message_start':
      case 'message_stop':
        break;
      default:
        violations.push(`event ${index}: unknown event type ${type}`);
    }
  });
  if (unnamed.length) violations.unshift(`event ${unnamed[0]} has no event: name${unnamed.length > 1 ? ` (nor ${unnamed.length - 1} other event(s))` : ''}`);
  if (types[0] !== 'message_start') violations.push(`the first event is ${types[0] ?? 'missing'}, not message_start`);
  if (types.at(-1) !== 'message_stop') violations.push(`the last event is ${types.at(-1) ?? 'missing'}, not message_stop`);
  if (types.filter((t) => t === 'message_start').length > 1) violations.push('more than one message_start');
  if (!sawMessageDelta) violations.push('no message_delta (stop_reason and usage)');
  if (open !== null) violations.push(`block ${open} never closes`);
  return violations;
};

export const streamMessagesChecks = [
  streamCheck('stream.messages', 'messages', 'SSE conformance of a streamed Anthropic Message', messagesStreamRules),
];
