/**
 * @module emulator/responses-reasoning
 * What a reasoning item holds when the request asks for `reasoning.summary`: a summary, the raw reasoning text (as
 * some open-weight models stream it), or a summary no event carries, per the model's `reasoningSummary` switch; and
 * the stream events that carry it. `none` keeps the summary in the completed Response: an endpoint that streams no
 * reasoning is only seen to when there was reasoning text to stream.
 */
import type { ModelProfile } from './profile.ts';

export const REASONING_TEXT = 'The user wants a short answer.';

/** The summary or content a reasoning item gets (merged into it), when the request asks for a summary. */
export function reasoningDetail(body: Record<string, unknown>, profile: ModelProfile): Record<string, unknown> {
  const reasoning = body.reasoning as Record<string, unknown> | undefined;
  if (reasoning?.summary === undefined || reasoning.summary === null) return {};
  switch (profile.behaviors.reasoningSummary) {
    case 'reasoning-text':
      return { content: [{ type: 'reasoning_text', text: REASONING_TEXT }] };
    default:
      // `summary`, and `none`: its stream carries no event of the summary (reasoningEvents), the Response still has it.
      return { summary: [{ type: 'summary_text', text: REASONING_TEXT }] };
  }
}

/** The stream events of a reasoning item's summary and reasoning text, in order (none for a `none` model). */
export function reasoningEvents(item: Record<string, unknown>, outputIndex: number, profile: ModelProfile): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  if (profile.behaviors.reasoningSummary === 'none') return events;
  const base = { item_id: item.id, output_index: outputIndex };
  const words = (text: string) => text.split(' ').map((w, i) => (i === 0 ? w : ` ${w}`));
  ((item.summary as { text: string }[] | undefined) ?? []).forEach((part, summaryIndex) => {
    const at = { ...base, summary_index: summaryIndex };
    events.push({ type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } });
    for (const delta of words(part.text)) events.push({ type: 'response.reasoning_summary_text.delta', ...at, delta });
    events.push({ type: 'response.reasoning_summary_text.done', ...at, text: part.text });
    events.push({ type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text: part.text } });
  });
  ((item.content as { text: string }[] | undefined) ?? []).forEach((part, contentIndex) => {
    const at = { ...base, content_index: contentIndex };
    for (const delta of words(part.text)) events.push({ type: 'response.reasoning_text.delta', ...at, delta });
    events.push({ type: 'response.reasoning_text.done', ...at, text: part.text });
  });
  return events;
}
