/**
 * @module checks/stream-common
 * What every SSE conformance check does first: find the streamed exchange, check the status and content type, and
 * turn a list of violations into one verdict. The per-API rules live in stream-chat/-responses/-messages. A stream
 * that began and went silent for longer than the idle limit (`--idle-timeout`) is `stalled`, with the last event it
 * sent: the endpoint's behaviour on an answer it had started, so a verdict, not an infrastructure error. A stall
 * needs data first: headers and then silence (or only keep-alive comments) is a wait for the answer to begin
 * (queueing, a cold start), which the transport leaves to `--timeout`; one marked stalled before it began (an older
 * recording) is an `error`, unobserved.
 */
import { excerpt, parseJsonText } from '../transport/body.ts';
import { isStreamResponse, type Exchange } from '../transport/exchange.ts';
import { carriesField, eventData, sseStream, type SseEvent } from '../transport/sse.ts';
import { notObservable, observe } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';
import { STREAMED } from '../suite/sent-fields.ts';

export const STREAM_VOCABULARY = ['conformant', 'nonconformant', 'rejected', 'stalled'] as const;

export interface StreamRulesInput {
  exchange: Exchange;
  events: SseEvent[];
  /** The JSON body the case sent (for stream_options and the like). */
  requestBody: Record<string, unknown>;
}

/** Each rule returns the violations it found, one short sentence each. */
export type StreamRules = (input: StreamRulesInput) => string[];

export function streamCheck(id: string, api: 'chat-completions' | 'responses' | 'messages', title: string, rules: StreamRules): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api,
    vocabulary: STREAM_VOCABULARY,
    reference: { value: 'conformant', source: 'openai-reference: server-sent events as the API reference streams them' },
    // A request that did not ask for a stream gets a whole body: no verdict on how the endpoint streams (sent-request.ts).
    sends: [STREAMED],
    run(input: CheckInput): CheckResult {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, exchange, caseId } = seen;
      const silent = silentFromStart(exchange);
      if (silent) return unobserved(input, silent, [evidenceOf(caseId, exchange)]);
      const stalled = stallOf(exchange);
      if (stalled) return judge(definition, input, 'stalled', [evidenceOf(caseId, exchange, stalled)], stalled);
      // A JSON 4xx to a stream request is the endpoint refusing to stream, not a malformed stream.
      if (answer.kind === 'rejected') return judge(definition, input, 'rejected', seen.evidence, `the streamed request was rejected: HTTP ${answer.status} ${answer.message}`);
      if (answer.kind !== 'ok') return notObservable(input, answer, seen.evidence);
      const response = exchange.response!;
      const violations: string[] = [];
      if (!isStreamResponse(response)) violations.push(`content-type is "${response.headers['content-type'] ?? ''}", not text/event-stream`);
      const stream = sseStream(response);
      if (stream.trailing) violations.push(`the stream ends inside an unterminated event: ${excerpt(stream.trailing, 80)}`);
      const sent = exchange.request.body ? parseJsonText(exchange.request.body) : undefined;
      const requestBody = sent?.ok && sent.value && typeof sent.value === 'object' ? (sent.value as Record<string, unknown>) : {};
      if (stream.events.length === 0) violations.push('no events');
      else violations.push(...rules({ exchange, events: stream.events, requestBody }));
      const summary = `${stream.events.length} events, ${response.chunks.length} reads, line endings ${stream.lineEndings}`;
      const evidence = [evidenceOf(caseId, exchange, violations.length ? violations.join(' | ') : summary)];
      if (violations.length === 0) return judge(definition, input, 'conformant', evidence, summary);
      const shown = violations.slice(0, 4).join('; ') + (violations.length > 4 ? `; and ${violations.length - 4} more` : '');
      return judge(definition, input, 'nonconformant', evidence, shown);
    },
  };
  return definition;
}

/**
 * Why a 2xx stream marked stalled shows nothing to judge, when it never began: no byte, or only keep-alive comments
 * and blank lines. The wait for an answer to begin is a timeout (infrastructure: queueing, a cold start; a proxy
 * that pings while it waits), not a stall of an answer that began.
 */
function silentFromStart(exchange: Exchange): string | undefined {
  const response = exchange.response;
  if (!response || response.stalledAfterMs === undefined) return undefined;
  const text = response.chunks.map((c) => c.data).join('');
  if (carriesField(text)) return undefined;
  const sent = text ? `only keep-alive comments, then nothing for ${response.stalledAfterMs} ms` : `no byte for ${response.stalledAfterMs} ms`;
  return `could not observe: HARNESS_TIMEOUT: the headers came and then ${sent}; an answer that never began is a timeout (queueing or a cold start), not a stall (raise --timeout)`;
}

/**
 * How a 2xx stream stalled, when it did: `the stream stalled: no data for 15000 ms after 2 event(s), the last
 * {"id":...}`. Undefined for a stream that ended (however it ended).
 */
export function stallOf(exchange: Exchange): string | undefined {
  const response = exchange.response;
  if (!response || response.stalledAfterMs === undefined || response.status < 200 || response.status >= 300) return undefined;
  const events = sseStream(response).events;
  const last = events.at(-1);
  const seen = last ? `${events.length} event(s), the last ${excerpt(last.data, 120)}` : `${response.chunks.length} read(s) and no complete event`;
  return `the stream stalled: no data for ${response.stalledAfterMs} ms after ${seen}`;
}

/** Parses an event's data as a JSON object, or says why it is not one. */
export function eventJson(event: SseEvent): { ok: true; value: Record<string, unknown> } | { ok: false; problem: string } {
  const parsed = eventData(event);
  if (!parsed.ok) return { ok: false, problem: `data is not JSON: ${excerpt(event.data, 60)}` };
  if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return { ok: false, problem: `data is not a JSON object: ${excerpt(event.data, 60)}` };
  }
  return { ok: true, value: parsed.value as Record<string, unknown> };
}

/** Mantle has sent `{"message": ...}` and `{"type":"error","error":"..."}` frames mid-stream (vercel/ai). */
export function errorFrame(value: Record<string, unknown>): string | undefined {
  if (value.type === 'error' || (value.error !== undefined && value.error !== null && value.object === undefined && value.type === undefined)) {
    return `error frame: ${excerpt(JSON.stringify(value.error ?? value), 100)}`;
  }
  if (value.type === undefined && value.object === undefined && 'message' in value && Object.keys(value).length <= 2) {
    return `typeless frame: ${excerpt(JSON.stringify(value), 100)}`;
  }
  return undefined;
}
