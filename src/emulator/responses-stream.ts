/**
 * @module emulator/responses-stream
 * The typed event stream of a Response (`response.created` ... `response.completed`), with sequence numbers and
 * the stream quirks a test can switch on.
 */
import type { ModelProfile } from './profile.ts';
import { reasoningEvents } from './responses-reasoning.ts';
import { streamedFragments } from './tool-stream.ts';
import { unfinished } from './responses.ts';
import { toJson, type SseEventOut } from './wire.ts';

export function responseEvents(original: Record<string, unknown>, profile: ModelProfile): SseEventOut[] {
  const quirks = profile.stream;
  // Fragments that lose a piece (bad-fragments) make the streamed arguments what the model "said": done and the
  // completed response agree with them, so only the JSON is broken.
  const fragments = new Map<unknown, string[]>();
  const output = (original.output as Record<string, unknown>[]).map((item) => {
    if (item.type !== 'function_call') return item;
    fragments.set(item.id, streamedFragments(item.arguments as string, quirks));
    return { ...item, arguments: fragments.get(item.id)!.join('') };
  });
  const response: Record<string, unknown> = { ...original, output };
  const inProgress = unfinished(response, 'in_progress');
  const events: Record<string, unknown>[] = [];
  if (!quirks.skipCreated) events.push({ type: 'response.created', response: inProgress });
  events.push({ type: 'response.in_progress', response: inProgress });
  (response.output as Record<string, unknown>[]).forEach((item, outputIndex) => {
    const opening = item.type === 'message' ? { content: [] } : item.type === 'reasoning' ? { summary: [], content: undefined } : item.type === 'function_call' ? { arguments: '' } : {};
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', ...opening } });
    if (item.type === 'message') {
      const text = ((item.content as Record<string, unknown>[])[0]?.text as string) ?? '';
      const base = { item_id: item.id, output_index: outputIndex, content_index: 0 };
      events.push({ type: 'response.content_part.added', ...base, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      text.split(' ').forEach((word, i) => {
        events.push({ type: 'response.output_text.delta', ...base, delta: i === 0 ? word : ` ${word}`, logprobs: [] });
        // Mantle's error frame carries the error as a JSON string (vercel/ai normalize-responses-error-frames).
        if (quirks.errorFrame && i === 0) events.push({ type: 'error', error: JSON.stringify({ message: 'upstream model error', code: 'model_error' }) });
      });
      events.push({ type: 'response.output_text.done', ...base, text: quirks.deltaMismatch ? `${text} (edited)` : text, logprobs: [] });
      events.push({ type: 'response.content_part.done', ...base, part: { type: 'output_text', text, annotations: [], logprobs: [] } });
    } else if (item.type === 'function_call') {
      const args = item.arguments as string;
      for (const delta of fragments.get(item.id)!) events.push({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: outputIndex, delta });
      const done = quirks.toolCallStream === 'done-mismatch' ? `${args} ` : args;
      events.push({ type: 'response.function_call_arguments.done', item_id: item.id, name: item.name, output_index: outputIndex, arguments: done });
    } else if (item.type === 'reasoning') {
      events.push(...reasoningEvents(item, outputIndex, profile));
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  // The wrong-finish deviation: the completed response no longer holds the call it streamed.
  const final = quirks.toolCallStream === 'wrong-finish' ? { ...response, output: (response.output as Record<string, unknown>[]).filter((i) => i.type !== 'function_call') } : response;
  if (!quirks.noTerminal) events.push({ type: response.status === 'failed' ? 'response.failed' : response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response: final });
  let sequence = quirks.sequenceFromOne ? 1 : 0;
  return events.map((event, index) => {
    if (quirks.sequenceGap && index === 3) sequence += 1;
    const withSequence = { type: event.type, sequence_number: sequence++, ...event };
    return { event: event.type as string, data: toJson(withSequence) };
  });
}
