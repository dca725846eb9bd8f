/**
 * @module transport/sse
 * Server-sent events from a response's chunks, the same way for live and replayed bodies. Uses eventsource-parser,
 * which follows the WHATWG rules: LF, CRLF and CR line endings, events split across reads, comments.
 */
import { createParser } from 'eventsource-parser';
import { losslessJson, losslessOf, parseJsonText, writtenJson, type JsonResult, type WrittenJson } from './body.ts';
import type { ExchangeResponse } from './exchange.ts';
import { readsLosslessly } from './plain-json.ts';

export interface SseEvent {
  /** The `event:` field, if the server sent one. */
  event?: string;
  data: string;
  id?: string;
  /** Milliseconds since the response headers, when the chunk that completed the event arrived. */
  t: number;
}

export interface SseStream {
  events: SseEvent[];
  /** `: comment` lines (keep-alives). */
  comments: string[];
  /** Field errors the parser reported (unknown fields, bad retry values). */
  problems: string[];
  /** Text after the last complete event: a stream that ended mid-event. */
  trailing: string;
  lineEndings: 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';
}

const cache = new WeakMap<ExchangeResponse, SseStream>();

export function sseStream(response: ExchangeResponse): SseStream {
  let stream = cache.get(response);
  if (!stream) {
    stream = parseSseChunks(response.chunks);
    cache.set(response, stream);
  }
  return stream;
}

export function parseSseChunks(chunks: readonly { t: number; data: string }[]): SseStream {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const problems: string[] = [];
  let now = 0;
  const parser = createParser({
    onEvent(message) {
      const event: SseEvent = { data: message.data, t: now };
      if (message.event !== undefined) event.event = message.event;
      if (message.id !== undefined) event.id = message.id;
      events.push(event);
    },
    onComment(comment) {
      comments.push(comment);
    },
    onError(error) {
      problems.push(error.message);
    },
  });
  let text = '';
  for (const chunk of chunks) {
    now = chunk.t;
    parser.feed(chunk.data);
    text += chunk.data;
  }
  // A final CR may be the first half of a CRLF, so the parser waits; at the end of the body it is a line ending.
  if (text.endsWith('\r')) parser.feed('\n');
  return { events, comments, problems, trailing: trailingText(text), lineEndings: lineEndingsOf(text) };
}

/**
 * What follows the last blank line (the event terminator), ignoring whitespace; empty when it holds only comments.
 * A comment dispatches nothing and leaves no event pending (WHATWG), so a keep-alive after the last event is no
 * unterminated event; a field line there (`data: {...` with no blank line after) is one.
 */
function trailingText(text: string): string {
  const rest = text.slice(afterLastBlankLine(text)).trim();
  return carriesField(rest) ? rest : '';
}

/**
 * Where the text after its last blank line begins: after two line endings in a row, each CRLF, CR or LF (a CRLF is
 * one, so `\n\r` and `\r\n\r` end an event too). 0 when there is none.
 */
function afterLastBlankLine(text: string): number {
  let end = 0;
  let previousEnded = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 13 && c !== 10) {
      previousEnded = false;
      continue;
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
    if (previousEnded) end = i + 1;
    previousEnded = true;
  }
  return end;
}

/** A line that starts with something other than `:` (a field: data, event, id, retry, or one the parser rejects). */
const FIELD_LINE = /(?:^|[\r\n])[^\r\n:]/;

/**
 * Whether SSE text holds a field line, not only comments (`: keep-alive`) and blank lines: what says an answer
 * began. Give it the text from the body's start, so that a comment split across reads is still read as one.
 */
export function carriesField(text: string): boolean {
  // A byte-order mark opens the stream, not a line (WHATWG strips it).
  return FIELD_LINE.test(text.startsWith('\uFEFF') ? text.slice(1) : text);
}

function lineEndingsOf(text: string): SseStream['lineEndings'] {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const kinds = [crlf && 'crlf', lf && 'lf', cr && 'cr'].filter(Boolean) as ('crlf' | 'lf' | 'cr')[];
  if (kinds.length === 0) return 'none';
  if (kinds.length > 1) return 'mixed';
  return kinds[0]!;
}

const plainData = new WeakMap<SseEvent, JsonResult>();
const writtenData = new WeakMap<SseEvent, WrittenJson>();
const losslessData = new WeakMap<SseEvent, JsonResult>();

/** An event's data as plain JSON, parsed once whatever the number of checks that read it. */
export function eventData(event: SseEvent): JsonResult {
  let parsed = plainData.get(event);
  if (!parsed) {
    parsed = parseJsonText(event.data);
    plainData.set(event, parsed);
  }
  return parsed;
}

/**
 * An event's data as WrittenJson (numbers that keep their lexemes), parsed once: the plain parse when that loses
 * nothing (lossless-json is several times slower than JSON.parse); lossless-json reads the rest.
 */
export function writtenEventData(event: SseEvent): WrittenJson {
  let parsed = writtenData.get(event);
  if (!parsed) {
    const plain = eventData(event);
    parsed = plain.ok && readsLosslessly(event.data, plain.value) ? writtenJson(event.data, plain.value) : losslessJson(event.data);
    writtenData.set(event, parsed);
  }
  return parsed;
}

/** An event's data with every number a LosslessNumber that keeps its lexeme, made once. */
export function eventDataLossless(event: SseEvent): JsonResult {
  let parsed = losslessData.get(event);
  if (!parsed) {
    parsed = losslessOf(writtenEventData(event), event.data);
    losslessData.set(event, parsed);
  }
  return parsed;
}
