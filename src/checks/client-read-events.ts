/**
 * @module checks/client-read-events
 * Which events of a stream the API's client reads as JSON objects: the one rule for every check that asks whether an
 * event it cannot read as an object broke the stream (schema.*, reasoning.*, tools.*) or ends it (stream.*).
 * openai-node (core/streaming.js) stops at the first event whose data starts with `[DONE]` and reads nothing after it;
 * before it, JSON.parse throws on any other data, empty data and a named `ping` included. @anthropic-ai/sdk skips
 * `ping`, events without a name and empty data, and reads every other event.
 */
import type { SseEvent } from '../transport/sse.ts';
import { eventJson } from './stream-common.ts';
import type { ApiId } from '../suite/suite-schema.ts';

/** Whether `event` is the `[DONE]` that ends an OpenAI stream, as openai-node tells it. */
export function isDoneEvent(event: SseEvent): boolean {
  return event.data.startsWith('[DONE]');
}

/** What a client did with an event: read it as a JSON object, skipped it by design, or never read one sent to be read. */
export type ClientTake = 'read' | 'skipped' | { unread: string };

/**
 * For each event of a stream of `api`, what its client does with it: reads it as a JSON object; skips it by design
 * (`[DONE]` itself, a `ping`, empty data); or never reads it though it was sent to be read (after the `[DONE]` where
 * openai-node stops, or without the `event:` name @anthropic-ai/sdk dispatches on), saying why.
 */
export function clientTakes(api: ApiId, events: readonly SseEvent[]): ClientTake[] {
  if (api === 'messages') {
    return events.map((event) => {
      if (event.event === undefined) return event.data !== '' && event.data.trim() !== '[DONE]' ? { unread: 'it has no event: name, and @anthropic-ai/sdk skips such events' } : 'skipped';
      return event.event === 'ping' || event.data === '' ? 'skipped' : 'read';
    });
  }
  const done = events.findIndex(isDoneEvent);
  return events.map((_, at) => (done === -1 || at < done ? 'read' : at === done ? 'skipped' : { unread: 'it comes after [DONE], where openai-node stops reading' }));
}

/**
 * The JSON objects of the events a stream's client reads, the problems of those it reads as objects but that are not
 * (a call may have been in them), and the events it never reads though they were sent to be read (after `[DONE]`,
 * unnamed on Messages): a call there is one the client never sees. `[DONE]` and Anthropic's `ping` are neither.
 */
export function clientObjects(api: ApiId, events: readonly SseEvent[]): { values: { at: number; value: Record<string, unknown> }[]; problems: string[]; unread: string[] } {
  const values: { at: number; value: Record<string, unknown> }[] = [];
  const problems: string[] = [];
  const unread: string[] = [];
  const takes = clientTakes(api, events);
  events.forEach((event, at) => {
    const take = takes[at];
    if (typeof take === 'object') return void unread.push(`event ${at}: ${take.unread}`);
    if (take !== 'read') return;
    const parsed = eventJson(event);
    if (parsed.ok) values.push({ at, value: parsed.value });
    else problems.push(`event ${at}: ${parsed.problem}`);
  });
  return { values, problems, unread };
}
