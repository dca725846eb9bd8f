/**
 * @module transport/usage
 * Tokens an exchange consumed, read from `usage` wherever the API puts it: Chat Completions
 * (`prompt_tokens`/`completion_tokens`, also in the last stream chunk), Responses (`input_tokens`/`output_tokens`,
 * also in `response.completed`), Anthropic (`message_start` + `message_delta`; input counts the tokens a prompt-cache
 * breakpoint wrote or read, which Anthropic reports apart). An answer that reports none (usage null, a stream without a
 * usage event) or was cut short counts at the request's estimate toward the run's token cap (`countedUsage`).
 */
import { isRecord, jsonBody } from './body.ts';
import { isStreamResponse, type Exchange, type ExchangeRequest } from './exchange.ts';
import { eventData, sseStream } from './sse.ts';

export interface TokenUsage {
  input: number;
  output: number;
}

export function usageOf(exchange: Exchange): TokenUsage {
  return reportedUsage(exchange) ?? { input: 0, output: 0 };
}

/** Tokens toward the run's cap: what the answer reports, and the tokens counted at an estimate beyond them. */
export interface CountedUsage extends TokenUsage {
  /** 0 when the answer reported its usage whole. */
  estimated: number;
}

/**
 * What a request counts toward --max-tokens-total. An answer the endpoint may have spent tokens on without saying how
 * many (a 2xx with no usage, a stream without a usage event, a body cut, stalled or too large, no answer before
 * --timeout) counts at `estimate` (scheduled-target.ts estimateTokens, what --tpm counts), or at what it reported if
 * more: a cap that counted those at 0 was never reached. An error status, a connection that failed before any answer
 * and an interrupted request count what they report (nothing): the endpoint said it ran nothing, or never had it. So
 * do a token count (`/count_tokens`, `/input_tokens`: nothing generated) and a background response still queued or
 * in progress (its usage comes with the answer a poll reads, counted then).
 */
export function countedUsage(exchange: Exchange | undefined, estimate: number): CountedUsage {
  if (!exchange) return { input: 0, output: 0, estimated: estimate };
  const response = exchange.response;
  if (!response) return { input: 0, output: 0, estimated: exchange.error?.code === 'HARNESS_TIMEOUT' || exchange.error?.code === 'HARNESS_STREAM_CUT' ? estimate : 0 };
  const reported = reportedUsage(exchange);
  const used = reported ?? { input: 0, output: 0 };
  if (response.status >= 300 || (!reported && reportsLater(exchange))) return { ...used, estimated: 0 };
  const whole = reported && !exchange.error && response.stalledAfterMs === undefined && response.truncatedAtBytes === undefined;
  return { ...used, estimated: whole ? 0 : Math.max(0, estimate - used.input - used.output) };
}

/** A token count (`/count_tokens`, `/input_tokens`): it reads the prompt and generates nothing. */
export function isTokenCount(path: string): boolean {
  return /\/(count_tokens|input_tokens)$/.test(path.split('?')[0]!);
}

/** A token count, or a background response not done yet: no usage to report in this answer. */
function reportsLater(exchange: Exchange): boolean {
  if (isTokenCount(exchange.request.path)) return true;
  const parsed = isStreamResponse(exchange.response!) ? undefined : jsonBody(exchange.response!);
  return parsed?.ok === true && isRecord(parsed.value) && (parsed.value.status === 'queued' || parsed.value.status === 'in_progress');
}

/** The usage the answer reports; undefined when it holds none (an error status, usage null, no usage event). */
function reportedUsage(exchange: Exchange): TokenUsage | undefined {
  const total: TokenUsage = { input: 0, output: 0 };
  const response = exchange.response;
  if (!response || response.status >= 300) return undefined;
  if (!isStreamResponse(response)) {
    const parsed = jsonBody(response);
    return parsed.ok && isRecord(parsed.value) && add(total, parsed.value.usage) ? total : undefined;
  }
  let seen = false;
  // Streams repeat or accumulate usage (message_start then message_delta): the largest figure is the total.
  for (const event of sseStream(response).events) {
    const parsed = eventData(event);
    if (!parsed.ok || !isRecord(parsed.value)) continue;
    const value = parsed.value;
    for (const usage of [value.usage, isRecord(value.response) ? value.response.usage : undefined, isRecord(value.message) ? value.message.usage : undefined]) {
      const one: TokenUsage = { input: 0, output: 0 };
      if (!add(one, usage)) continue;
      seen = true;
      total.input = Math.max(total.input, one.input);
      total.output = Math.max(total.output, one.output);
    }
  }
  return seen ? total : undefined;
}

/** Adds a usage object's figures; false when `usage` is not one (absent, null). */
function add(total: TokenUsage, usage: unknown): boolean {
  if (!isRecord(usage)) return false;
  // Anthropic's input_tokens leaves out what a prompt-cache breakpoint wrote or read: those were sent too.
  const cached = (num(usage.cache_creation_input_tokens) ?? 0) + (num(usage.cache_read_input_tokens) ?? 0);
  const input = (num(usage.prompt_tokens) ?? num(usage.input_tokens) ?? 0) + cached;
  const output = num(usage.completion_tokens) ?? num(usage.output_tokens) ?? 0;
  total.input += input;
  total.output += output;
  return true;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The id of the Response an answer made (a JSON body's, or a stream's `response.*` events'), or undefined: a request
 * that chains it (previous_response_id) is billed for its input and output again (scheduled-target.ts).
 */
export function responseIdOf(exchange: Exchange): string | undefined {
  const response = exchange.response;
  if (!response || response.status >= 300) return undefined;
  const idOf = (value: unknown) => (isRecord(value) && value.object === 'response' && typeof value.id === 'string' ? value.id : undefined);
  if (!isStreamResponse(response)) {
    const parsed = jsonBody(response);
    return parsed.ok ? idOf(parsed.value) : undefined;
  }
  for (const event of sseStream(response).events) {
    const parsed = eventData(event);
    const id = parsed.ok && isRecord(parsed.value) ? idOf(parsed.value.response) : undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * The Responses whose usage was counted: a GET that reads one back reports that usage again, billed once and so
 * counted once (a background Response's, unreported when it was made, counts when a poll first reads it). The spend
 * cap (scheduled-target.ts) and the run's figures (run/session-target.ts) count by this one rule.
 */
export class CountedResponses {
  readonly #ids = new Set<string>();

  /** Whether `request` reads back Response `id`, counted already (it counts nothing); else `id` is remembered when its answer reported `reported` tokens. */
  readsBack(request: ExchangeRequest, id: string | undefined, reported: number): boolean {
    if (id === undefined) return false;
    if (request.method === 'GET' && this.#ids.has(id)) return true;
    if (reported > 0) this.#ids.add(id);
    return false;
  }
}
