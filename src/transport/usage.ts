/**
 * @module transport/usage
 * Tokens an exchange consumed, read from `usage` wherever the API puts it: Chat Completions
 * (`prompt_tokens`/`completion_tokens`, also in the last stream chunk), Responses (`input_tokens`/`output_tokens`,
 * also in `response.completed`), Anthropic (`message_start` + `message_delta`; input counts the tokens a prompt-cache
 * breakpoint wrote or read, which Anthropic reports apart).
 */
import { isRecord, jsonBody } from './body.ts';
import { isStreamResponse, type Exchange } from './exchange.ts';
import { eventData, sseStream } from './sse.ts';

export interface TokenUsage {
  input: number;
  output: number;
}

export function usageOf(exchange: Exchange): TokenUsage {
  const total: TokenUsage = { input: 0, output: 0 };
  const response = exchange.response;
  if (!response || response.status >= 300) return total;
  if (!isStreamResponse(response)) {
    const parsed = jsonBody(response);
    if (parsed.ok && isRecord(parsed.value)) add(total, parsed.value.usage);
    return total;
  }
  // Streams repeat or accumulate usage (message_start then message_delta): the largest figure is the total.
  for (const event of sseStream(response).events) {
    const parsed = eventData(event);
    if (!parsed.ok || !isRecord(parsed.value)) continue;
    const value = parsed.value;
    for (const usage of [value.usage, isRecord(value.response) ? value.response.usage : undefined, isRecord(value.message) ? value.message.usage : undefined]) {
      const seen: TokenUsage = { input: 0, output: 0 };
      add(seen, usage);
      total.input = Math.max(total.input, seen.input);
      total.output = Math.max(total.output, seen.output);
    }
  }
  return total;
}

function add(total: TokenUsage, usage: unknown): void {
  if (!isRecord(usage)) return;
  // Anthropic's input_tokens leaves out what a prompt-cache breakpoint wrote or read: those were sent too.
  const cached = (num(usage.cache_creation_input_tokens) ?? 0) + (num(usage.cache_read_input_tokens) ?? 0);
  const input = (num(usage.prompt_tokens) ?? num(usage.input_tokens) ?? 0) + cached;
  const output = num(usage.completion_tokens) ?? num(usage.output_tokens) ?? 0;
  total.input += input;
  total.output += output;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
