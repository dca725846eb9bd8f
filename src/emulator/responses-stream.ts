/**
 * @module emulator/responses-stream
 * The typed event stream of a Response (`response.created` ... `response.completed`), with sequence numbers and
 * the stream quirks a test can switch on.
 */
import type { ModelProfile } from './profile.ts';
import { unfinished } from './responses.ts';
import { toJson, type SseEventOut } from './wire.ts';

export function responseEvents(response: Record<string, unknown>, profile: ModelProfile): SseEventOut[] {
  const quirks = profile.stream;
  const inProgress = unfinished(response, 'in_progress');
  const events: Record<string, unknown>[] = [];
  if (!quirks.skipCreated) events.push({ type: 'response.created', response: inProgress });
  events.push({ type: 'response.in_progress', response: inProgress });
  (response.output as Record<string, unknown>[]).forEach((item, outputIndex) => {
    const started = item.type === 'message' ? { content: [] } : item.type === 'reasoning' ? { summary: [] } : {};
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', ...started } });
    if (item.type === 'reasoning') {
      // A summary asked for (reasoning.summary) streams as summary parts, as OpenAI's Responses API does.
      (item.summary as Record<string, unknown>[]).forEach((part, summaryIndex) => {
        const base = { item_id: item.id, output_index: outputIndex, summary_index: summaryIndex };
        events.push({ type: 'response.reasoning_summary_part.added', ...base, part: { type: 'summary_text', text: '' } });
        events.push({ type: 'response.reasoning_summary_text.delta', ...base, delta: part.text });
        events.push({ type: 'response.reasoning_summary_text.done', ...base, text: part.text });
        events.push({ type: 'response.reasoning_summary_part.done', ...base, part });
      });
    } else if (item.type === 'message') {
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
      events.push({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: outputIndex, delta: item.arguments });
      events.push({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: outputIndex, arguments: item.arguments });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  if (!quirks.noTerminal) events.push({ type: response.status === 'failed' ? 'response.failed' : response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response });
  let sequence = quirks.sequenceFromOne ? 1 : 0;
  return events.map((event, index) => {
    if (quirks.sequenceGap && index === 3) sequence += 1;
    const withSequence = { type: event.type, sequence_number: sequence++, ...event };
    return { event: event.type as string, data: toJson(withSequence) };
  });
}
