/**
 * @module checks/stream-responses
 * SSE conformance of a streamed Response: `sequence_number` starts at 0 and increases by one, the first event is
 * `response.created`, the last is terminal (`response.completed|failed|incomplete`), and the text deltas of each
 * content part concatenate to its `response.output_text.done` text.
 */
import { isDoneEvent } from './client-read-events.ts';
import { errorFrame, eventJson, streamCheck, type StreamRules } from './stream-common.ts';

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete']);

const responsesStreamRules: StreamRules = ({ events }) => {
  const violations: string[] = [];
  // openai-node stops at a [DONE] line for every stream; a trailing one is tolerated, not required.
  const ending = events.at(-1);
  const body = ending && isDoneEvent(ending) ? events.slice(0, -1) : events;
  const types: string[] = [];
  const deltas = new Map<string, string>();
  const done = new Map<string, string>();
  let expectedSequence = 0;
  body.forEach((event, index) => {
    const parsed = eventJson(event);
    if (!parsed.ok) return void violations.push(`event ${index}: ${parsed.problem}`);
    const value = parsed.value;
    const frame = value.type === 'error' || typeof value.type !== 'string' ? errorFrame(value) : undefined;
    if (frame) return void violations.push(`event ${index}: ${frame}`);
    if (typeof value.type !== 'string') return void violations.push(`event ${index}: no type`);
    types.push(value.type);
    if (event.event !== undefined && event.event !== value.type) violations.push(`event ${index}: event: ${event.event} but type ${value.type}`);
    if (value.sequence_number !== expectedSequence) {
      violations.push(`event ${index} (${value.type}): sequence_number ${JSON.stringify(value.sequence_number)}, expected ${expectedSequence}`);
    }
    expectedSequence = typeof value.sequence_number === 'number' ? value.sequence_number + 1 : expectedSequence + 1;
    const key = `${String(value.item_id)}/${String(value.output_index)}/${String(value.content_index)}`;
    if (value.type === 'response.output_text.delta' && typeof value.delta === 'string') deltas.set(key, (deltas.get(key) ?? '') + value.delta);
    if (value.type === 'response.output_text.done' && typeof value.text === 'string') done.set(key, value.text);
  });
  if (types.length > 0 && types[0] !== 'response.created') violations.push(`the first event is ${types[0]}, not response.created`);
  const last = types.at(-1);
  if (last !== undefined && !TERMINAL.has(last)) violations.push(`the last event is ${last}, not response.completed|failed|incomplete`);
  const terminalAt = types.findIndex((t) => TERMINAL.has(t));
  if (terminalAt !== -1 && terminalAt !== types.length - 1) violations.push(`${types.length - 1 - terminalAt} event(s) after ${types[terminalAt]}`);
  for (const [key, text] of done) {
    const joined = deltas.get(key) ?? '';
    if (joined !== text) violations.push(`deltas of ${key} concatenate to ${JSON.stringify(joined.slice(0, 40))}, output_text.done says ${JSON.stringify(text.slice(0, 40))}`);
  }
  for (const key of deltas.keys()) if (!done.has(key)) violations.push(`no output_text.done for ${key}`);
  return violations;
};

export const streamResponsesChecks = [
  streamCheck('stream.responses', 'responses', 'SSE conformance of a streamed Response', responsesStreamRules),
];
