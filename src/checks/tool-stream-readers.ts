/**
 * @module checks/tool-stream-readers
 * Reassembling streamed tool calls the way each API's clients do, and noting every rule of the stream a client
 * relies on that the stream breaks:
 * - Chat Completions: `tool_calls` deltas carry `index`; the first delta of a call carries `id`, `type` and
 *   `function.name`; `function.arguments` fragments concatenate; the last choice says `finish_reason: "tool_calls"`
 *   (or `"stop"` where the request forced the call, as OpenAI and vLLM answer a forced call).
 * - Responses: `response.output_item.added` announces the `function_call` item, its
 *   `response.function_call_arguments.delta` fragments concatenate to `...arguments.done`, and the completed
 *   response holds the call with those arguments.
 * - Messages: a `tool_use` block opens with its id and name, its `input_json_delta` fragments concatenate to its
 *   input, and `message_delta` says `stop_reason: "tool_use"`.
 */
import { isRecord } from '../transport/body.ts';
import { heldFailure } from '../transport/error-fault.ts';
import type { SseEvent } from '../transport/sse.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { clientObjects as objectsOf, isDoneEvent } from './client-read-events.ts';
import { chatFinishFilter, contentFilterOf } from './content-filter.ts';
import { refusalOf, worded, type Refusal } from './refusal.ts';
import { errorFrame } from './stream-common.ts';

export interface StreamedCall {
  /** `#0` (chat index), the Responses item id, or the Messages block index. */
  key: string;
  id: unknown;
  name: unknown;
  /** The fragments as they came; joined they are the arguments (JSON text). */
  fragments: string[];
  /** The arguments the stream says are final (Responses `...arguments.done`), when it says. */
  done?: string;
}

export interface StreamReading {
  calls: StreamedCall[];
  /** Rules of the stream that a client relies on and this stream breaks, one short sentence each. */
  problems: string[];
  /** What the stream did that is allowed but worth saying (said in the reason of a conformant verdict). */
  notes?: string[];
  /** Why the output budget may have cut the answer (the stream ended on its limit). */
  budget?: string;
  /**
   * The model's refusal the stream carried (chat `delta.refusal`, Responses `response.refusal.delta`/`.done`,
   * Messages `stop_reason: "refusal"`): with no call, the model's answer, not the endpoint's failure.
   */
  refusal?: Refusal;
  /** The endpoint's content filter that ended the answer (content-filter.ts): a verdict's reason names it. */
  filtered?: string;
  /**
   * The stream reported a failure inside a 200 (`response.failed`, an error event): the request was refused, or, for
   * an overloaded or internal error, the endpoint broke (`infrastructure`).
   */
  failed?: { message: string; infrastructure: boolean };
  /** How many events could not be read (data not a JSON object): a call may have been in them. */
  unreadable?: number;
  /** The events the client never reads though they were sent to be read (`event 4: it comes after [DONE], ...`). */
  unread?: string[];
  /**
   * What the stream lacks of its ending (`no chunk carries a finish_reason`, ...), when it broke off before it: with
   * no call read, the model's choice was never seen. Its parts are among `problems`.
   */
  unended?: string;
  /**
   * The problems a budget that ended the answer can explain (the finish_reason or stop_reason it never let come, the
   * last call it left open or closed "incomplete" before arguments.done): every other problem broke a rule before the
   * budget ran out (a call completed, or followed by another, without arguments.done).
   */
  ending?: string[];
}

export type StreamReader = (events: readonly SseEvent[], request: Record<string, unknown>) => StreamReading;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Whether call arguments are JSON text (a call the budget cut mid-arguments does not parse). */
function parses(text: string | undefined): boolean {
  try {
    JSON.parse(text ?? '');
    return true;
  } catch {
    return false;
  }
}

/**
 * The failure an error event or a failed response carries: the endpoint broke (`infrastructure`) when it says a server
 * failed or throttled, read as the transport reads a stream's error frame (error-fault.ts: Anthropic's
 * `overloaded_error`, Mantle's `throttling_error`, its string of JSON and the envelope in it); otherwise it refused.
 */
function failure(where: string, error: unknown): NonNullable<StreamReading['failed']> {
  return { message: `${where}: ${JSON.stringify(error ?? null).slice(0, 160)}`, infrastructure: heldFailure(error) !== undefined };
}

export const readChatToolStream: StreamReader = (events, request) => {
  const { values, problems, unread } = objectsOf('chat-completions', events);
  const unreadable = problems.length;
  const calls = new Map<number, StreamedCall>();
  const finishes: unknown[] = [];
  let text = '';
  let reasoning = '';
  let refused = '';
  let usage: unknown;
  for (const { at, value } of values) {
    const frame = errorFrame(value);
    if (frame) {
      problems.push(`event ${at}: ${frame}`);
      continue;
    }
    if (value.usage !== undefined && value.usage !== null) usage = value.usage;
    for (const choice of Array.isArray(value.choices) ? value.choices.filter(isRecord) : []) {
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) finishes.push(choice.finish_reason);
      const delta = isRecord(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string') text += delta.content;
      for (const field of [delta.reasoning, delta.reasoning_content]) if (typeof field === 'string') reasoning += field;
      if (typeof delta.refusal === 'string') refused += delta.refusal;
      if (delta.tool_calls === undefined || delta.tool_calls === null) continue;
      if (!Array.isArray(delta.tool_calls)) {
        problems.push(`event ${at}: delta.tool_calls is not an array`);
        continue;
      }
      delta.tool_calls.forEach((item: unknown, position) => {
        const call = isRecord(item) ? item : {};
        const fn = isRecord(call.function) ? call.function : {};
        if (typeof call.index !== 'number') problems.push(`event ${at}: a tool_calls delta has no index`);
        const index = typeof call.index === 'number' ? call.index : position;
        let seen = calls.get(index);
        if (!seen) {
          const missing = [typeof call.id === 'string' ? '' : 'id', call.type === 'function' ? '' : 'type "function"', typeof fn.name === 'string' ? '' : 'function.name'].filter(Boolean);
          if (missing.length) problems.push(`event ${at}: the first delta of call ${index} lacks ${missing.join(', ')}`);
          seen = { key: `#${index}`, id: call.id, name: fn.name, fragments: [] };
          calls.set(index, seen);
        } else {
          if (typeof call.id === 'string' && seen.id !== undefined && call.id !== seen.id) problems.push(`event ${at}: call ${index} changes id from ${JSON.stringify(seen.id)} to ${JSON.stringify(call.id)}`);
          if (typeof fn.name === 'string' && seen.name !== undefined && fn.name !== seen.name) problems.push(`event ${at}: call ${index} changes name to ${JSON.stringify(fn.name)}`);
          seen.id ??= call.id;
          seen.name ??= fn.name;
        }
        if (fn.arguments === undefined || fn.arguments === null) return;
        if (typeof fn.arguments !== 'string') problems.push(`event ${at}: call ${index} has arguments of type ${typeof fn.arguments}, not a string fragment`);
        else if (fn.arguments) seen.fragments.push(fn.arguments);
      });
    }
  }
  const finish = finishes.at(-1);
  // The rule the whole-body checks follow: "length", or no finish_reason at all and a usage chunk at the limit.
  // The calls streamed are part of the answer the budget is weighed against (a call cut mid-arguments is not lost output).
  const message = { content: text, ...(reasoning ? { reasoning } : {}), ...(calls.size ? { tool_calls: [...calls.values()].map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.fragments.join('') } })) } : {}) };
  const cut = budgetSpent({ choices: [{ finish_reason: finish ?? null, message }], ...(usage ? { usage } : {}) }, limitOf(request));
  // OpenAI and vLLM end a call the request forced (a named function, or "required") with "stop": clients accept it.
  const forced = isRecord(request.tool_choice) || request.tool_choice === 'required';
  const notes: string[] = [];
  // An endpoint that drops finish_reason but ends with [DONE] still showed the whole answer: only without both did the
  // stream break off before its end.
  const unended = finish === undefined && !events.some(isDoneEvent) ? 'no chunk carries a finish_reason and no [DONE] ends the stream' : undefined;
  // The finish the budget may have kept from coming (its rule: no finish_reason and a usage chunk at the limit). A
  // missing [DONE] is judged by stream.chat-completions, not here: it only says whether the stream broke off, so a
  // complete call is judged the same with or without it, with a finish_reason or with the budget's usage chunk.
  const ending = finish === undefined ? [unended ?? 'no chunk carries a finish_reason'] : [];
  problems.push(...ending);
  if (finish !== undefined && calls.size > 0 && !cut && finish !== 'tool_calls') {
    if (forced && finish === 'stop') notes.push('finish_reason "stop" after a forced call (as OpenAI and vLLM end one; clients that branch on "tool_calls" miss it)');
    else problems.push(`finish_reason ${JSON.stringify(finish)} after the tool calls, not "tool_calls"${forced ? ' (or "stop", for a forced call)' : ''}`);
  }
  const refusal = worded(refused);
  const filtered = chatFinishFilter(finishes.at(-1));
  return { calls: [...calls.values()], problems, notes, unreadable, ending, ...(unread.length ? { unread } : {}), ...(unended ? { unended } : {}), ...(cut ? { budget: cut } : {}), ...(refusal ? { refusal } : {}), ...(filtered ? { filtered } : {}) };
};

const NO_TERMINAL = 'no terminal event (response.completed, response.incomplete or response.failed)';

export const readResponsesToolStream: StreamReader = (events, request) => {
  const { values, problems, unread } = objectsOf('responses', events);
  const unreadable = problems.length;
  const calls = new Map<string, StreamedCall & { callId: unknown; itemArguments?: unknown; closed?: boolean }>();
  /** The output item added last, of any type: only a call still open and last can be the one the budget cut. */
  let lastAdded: string | undefined;
  let terminal: Record<string, unknown> | undefined;
  let failed: StreamReading['failed'];
  let refusalDeltas = '';
  let refusalDone: string | undefined;
  for (const { at, value } of values) {
    const type = value.type;
    if (type === 'error' || typeof type !== 'string') {
      problems.push(`event ${at}: ${errorFrame(value) ?? 'no type'}`);
      continue;
    }
    const item = isRecord(value.item) ? value.item : undefined;
    const key = str(value.item_id) ?? `#${String(value.output_index)}`;
    if (type === 'response.output_item.added' && item) lastAdded = str(item.id) ?? `#${String(value.output_index)}`;
    if (type === 'response.output_item.added' && item?.type === 'function_call') {
      const missing = [typeof item.name === 'string' ? '' : 'name', typeof item.call_id === 'string' ? '' : 'call_id'].filter(Boolean);
      if (missing.length) problems.push(`event ${at}: the function_call item added lacks ${missing.join(', ')}`);
      const itemKey = str(item.id) ?? `#${String(value.output_index)}`;
      calls.set(itemKey, { key: itemKey, id: item.call_id, callId: item.call_id, name: item.name, fragments: [] });
    } else if (type === 'response.function_call_arguments.delta') {
      const call = calls.get(key);
      if (!call) problems.push(`event ${at}: arguments delta for ${key}, which no response.output_item.added announced`);
      else if (typeof value.delta !== 'string') problems.push(`event ${at}: an arguments delta of type ${typeof value.delta}`);
      else call.fragments.push(value.delta);
    } else if (type === 'response.function_call_arguments.done') {
      const call = calls.get(key);
      if (!call) problems.push(`event ${at}: arguments.done for ${key}, which no response.output_item.added announced`);
      else if (typeof value.arguments !== 'string') problems.push(`event ${at}: arguments.done without a string arguments`);
      else call.done = value.arguments;
    } else if (type === 'response.output_item.done' && item?.type === 'function_call') {
      // Closed unless the item says it is not (status "incomplete" or "in_progress") or its arguments do not parse: a
      // Responses stream the budget ends closes the call it cut that way, and that call is still the budget's. A missing
      // status is no sign of a cut, and reading it as one would excuse every fault of the call under the budget.
      const call = calls.get(str(item.id) ?? key);
      const args = str(item.arguments) ?? call?.done ?? call?.fragments.join('');
      const unfinishedStatus = item.status === 'incomplete' || item.status === 'in_progress';
      if (call) Object.assign(call, { itemArguments: item.arguments, closed: !unfinishedStatus && parses(args) });
    } else if (type === 'response.refusal.delta' && typeof value.delta === 'string') {
      refusalDeltas += value.delta;
    } else if (type === 'response.refusal.done' && typeof value.refusal === 'string') {
      refusalDone = value.refusal;
    } else if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      terminal = isRecord(value.response) ? value.response : {};
      if (type === 'response.failed') failed = failure('response.failed', terminal.error);
    }
  }
  const ending: string[] = [];
  const unfinished = (problem: string) => problems.push(ending[ending.push(problem) - 1]!);
  const open = (call: { key: string; closed?: boolean }) => !call.closed && call.key === lastAdded;
  for (const call of calls.values()) {
    const joined = call.fragments.join('');
    // Arguments the budget cut may never get their done event, but only in the call still open (or closed incomplete)
    // when the answer ended: one that completed, or that another item followed, was finished before the budget ran out.
    if (call.done === undefined && open(call)) unfinished(`no response.function_call_arguments.done for ${call.key}`);
    else if (call.done === undefined) problems.push(`no response.function_call_arguments.done for ${call.key}, though ${call.closed ? 'its output_item.done came (completed)' : 'another output item followed it'}`);
    else if (joined !== call.done) problems.push(`the ${call.fragments.length} arguments delta(s) of ${call.key} concatenate to ${JSON.stringify(joined.slice(0, 60))}, arguments.done says ${JSON.stringify(call.done.slice(0, 60))}`);
    // The call the budget cut may be closed with other arguments than its partial text ("" or "{}"): the budget's too.
    if (call.itemArguments !== undefined && call.itemArguments !== (call.done ?? joined)) (open(call) ? unfinished : (p: string) => problems.push(p))(`output_item.done of ${call.key} carries other arguments than arguments.done`);
  }
  const cut = terminal && terminal.status === 'incomplete' ? budgetSpent(terminal, limitOf(request)) : undefined;
  if (!terminal) unfinished(NO_TERMINAL);
  else if (!failed) {
    // The response the budget ended holds every call the stream finished (a client reads finalResponse().output); only
    // the call it left open may be missing or partial there.
    const which = cut ? 'incomplete' : 'completed';
    const output = Array.isArray(terminal.output) ? terminal.output.filter(isRecord) : [];
    for (const call of [...calls.values()].filter((c) => !cut || !open(c))) {
      const held = output.find((o) => o.type === 'function_call' && (o.call_id === call.callId || o.id === call.key));
      if (!held) problems.push(`the ${which} response does not hold the call ${call.key}`);
      else if (held.arguments !== (call.done ?? call.fragments.join(''))) problems.push(`the ${which} response holds other arguments for ${call.key}`);
    }
  }
  // The refusal as the events said it, else as the terminal response holds it (a refusal content part).
  const refusal = worded(refusalDone ?? refusalDeltas) ?? (terminal ? refusalOf(terminal) : undefined);
  const filtered = terminal ? contentFilterOf(terminal) : undefined;
  return { calls: [...calls.values()], problems, unreadable, ending, ...(unread.length ? { unread } : {}), ...(terminal ? {} : { unended: NO_TERMINAL }), ...(cut ? { budget: cut } : {}), ...(failed ? { failed } : {}), ...(refusal ? { refusal } : {}), ...(filtered ? { filtered } : {}) };
};

export const readMessagesToolStream: StreamReader = (events, request) => {
  const { values, problems, unread } = objectsOf('messages', events);
  const unreadable = problems.length;
  const blocks = new Map<number, StreamedCall & { type: unknown; startInput?: unknown }>();
  let stopReason: unknown;
  let failed: StreamReading['failed'];
  for (const { at, value } of values) {
    const index = typeof value.index === 'number' ? value.index : -1;
    switch (value.type) {
      case 'content_block_start': {
        const block = isRecord(value.content_block) ? value.content_block : {};
        if (block.type === 'tool_use' && (typeof block.id !== 'string' || typeof block.name !== 'string')) problems.push(`event ${at}: the tool_use block ${index} opens without a string id and name`);
        blocks.set(index, { key: `block ${index}`, type: block.type, id: block.id, name: block.name, fragments: [], startInput: block.input });
        break;
      }
      case 'content_block_delta': {
        const delta = isRecord(value.delta) ? value.delta : {};
        const block = blocks.get(index);
        if (delta.type !== 'input_json_delta') {
          if (block?.type === 'tool_use') problems.push(`event ${at}: a ${String(delta.type)} inside the tool_use block ${index}`);
          break;
        }
        if (block?.type !== 'tool_use') problems.push(`event ${at}: an input_json_delta for block ${index}, which is not an open tool_use block`);
        else if (typeof delta.partial_json !== 'string') problems.push(`event ${at}: partial_json is ${typeof delta.partial_json}, not a string`);
        else block.fragments.push(delta.partial_json);
        break;
      }
      case 'message_delta':
        stopReason = isRecord(value.delta) ? value.delta.stop_reason : undefined;
        break;
      case 'error':
        failed = failure('error event', value.error);
        break;
    }
  }
  const calls = [...blocks.values()].filter((b) => b.type === 'tool_use');
  for (const call of calls) {
    const given = isRecord(call.startInput) && Object.keys(call.startInput).length > 0;
    if (given && call.fragments.length === 0) problems.push(`${call.key} carries its input in content_block_start, not as input_json_delta fragments`);
  }
  const cut = stopReason === 'max_tokens' ? budgetSpent({ stop_reason: 'max_tokens' }, limitOf(request)) : undefined;
  const refusal = refusalOf({ stop_reason: stopReason });
  const unended = stopReason === undefined ? 'no message_delta with a stop_reason' : undefined;
  const ending = unended ? [unended] : [];
  problems.push(...ending);
  if (!unended && calls.length > 0 && !cut && stopReason !== 'tool_use') problems.push(`stop_reason ${JSON.stringify(stopReason)} after a tool_use block, not "tool_use"`);
  return { calls, problems, unreadable, ending, ...(unread.length ? { unread } : {}), ...(unended ? { unended } : {}), ...(cut ? { budget: cut } : {}), ...(failed ? { failed } : {}), ...(refusal ? { refusal } : {}) };
};
