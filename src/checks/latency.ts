/**
 * @module checks/latency
 * Latency as an observation: per exchange the time to the response headers, to the first content token of a
 * stream (text, reasoning or tool-call arguments, whichever comes first) and to the last byte. Latency never gates;
 * it is reported beside the verdicts, and in replay it is the latency that was recorded.
 */
import { isRecord } from '../transport/body.ts';
import { isStreamResponse, type Exchange } from '../transport/exchange.ts';
import { eventData, sseStream, type SseEvent } from '../transport/sse.ts';
import { isDoneEvent } from './client-read-events.ts';
import type { ExchangeTiming } from './types.ts';

/** The exchange's timing, or undefined when it did not go over the network (no headers time measured). */
export function exchangeTiming(exchange: Exchange): ExchangeTiming | undefined {
  if (exchange.headersMs === undefined || !exchange.response) return undefined;
  const timing: ExchangeTiming = { headersMs: exchange.headersMs, totalMs: exchange.durationMs };
  if (isStreamResponse(exchange.response)) {
    const first = sseStream(exchange.response).events.find((event) => carriesContent(event));
    if (first) timing.firstTokenMs = exchange.headersMs + first.t;
  }
  return timing;
}

/** Whether a stream event carries generated content on any of the three APIs. */
function carriesContent(sse: SseEvent): boolean {
  const name = sse.event;
  if (isDoneEvent(sse)) return false;
  const parsed = eventData(sse);
  if (!parsed.ok || !isRecord(parsed.value)) return false;
  const event = parsed.value;
  const type = typeof event.type === 'string' ? event.type : (name ?? '');
  // Responses: output_text / reasoning / function-call argument deltas.
  if (type.startsWith('response.') && type.endsWith('.delta')) return true;
  // Anthropic Messages: any content block delta (text, thinking, input_json).
  if (type === 'content_block_delta') return true;
  // Chat Completions: a delta with content, reasoning or a tool call.
  const choices = Array.isArray(event.choices) ? event.choices : [];
  return choices.some((choice) => {
    const delta = isRecord(choice) && isRecord(choice.delta) ? choice.delta : undefined;
    if (!delta) return false;
    const text = [delta.content, delta.reasoning, delta.reasoning_content].some((v) => typeof v === 'string' && v.length > 0);
    return text || (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0);
  });
}

export interface LatencySample {
  api: string;
  timing: ExchangeTiming;
}

/** p50 and p95 (nearest rank) of some values. */
export function percentiles(values: readonly number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95) };
}
