/**
 * @module checks/reasoning-stream
 * Reasoning as it streams, observed like `reasoning.chat-field` is for whole bodies: which delta field a chat
 * stream carries reasoning in (`delta.reasoning`, `delta.reasoning_content`, nowhere), which events a Responses
 * stream carries it in (reasoning summary events, raw reasoning text events, none), and whether a Messages stream
 * with adaptive thinking streams its thinking block as Anthropic clients rebuild it (`thinking_delta` fragments and a
 * `signature_delta` before the block closes: without the signature the next turn cannot send the thinking back; a
 * signed block with no thinking text is `signed-empty`, the thought lost on the way, when the request asked to see
 * it (`thinking.display`), and `inconclusive` when it did not (display "omitted" is the newest models' default); a
 * thought that came whole in content_block_start did not stream (`bad-stream`); a stream whose only thinking is
 * `redacted_thinking` shows neither delta, and is `inconclusive`).
 * "Nowhere" only counts when the usage shows the model reasoned (on Responses: when the completed Response holds
 * summary or reasoning text the stream never sent); an answer that shows it did not, or that has no usage, or a
 * Response whose reasoning holds no text (`summary: []`), is `inconclusive`, and a stream that stalled before its
 * usage (on Messages: before any content block) came is an `error`. A Messages body that ended with an unsigned
 * thinking block still open, or before any block and without message_delta or message_stop, is `bad-stream`: the
 * endpoint cut it before the signature, or the model's choice, could come.
 */
import { excerpt, isRecord } from '../transport/body.ts';
import { heldFailure } from '../transport/error-fault.ts';
import { isStreamResponse } from '../transport/exchange.ts';
import { sseStream } from '../transport/sse.ts';
import { notObservable, type Observation, observe, offTopicRejection, sentBody } from './answer.ts';
import { reasoningUnshown } from './budget.ts';
import { clientObjects } from './client-read-events.ts';
import { evidenceOf, inconclusive, judge, unobserved } from './judge.ts';
import { stallOf } from './stream-common.ts';
import { STREAMED } from '../suite/sent-fields.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

/** The JSON objects of a streamed answer, or the verdict when there is no stream to read. */
function streamedObjects(definition: CheckDefinition, input: CheckInput, about: readonly string[]): { seen: Observation; values: Record<string, unknown>[]; unreadable: string[] } | { settled: CheckResult } {
  const seen = observe(input);
  if ('settled' in seen) return seen;
  const { answer, evidence } = seen;
  if (answer.kind === 'rejected') {
    const other = offTopicRejection(answer, sentBody(seen.exchange), about);
    if (other) return { settled: inconclusive(input, `the request was refused for ${other}, not for what is observed: ${answer.status} ${answer.message}`, evidence) };
    if (definition.vocabulary !== 'number-or-null' && definition.vocabulary.includes('rejected')) return { settled: judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}`) };
    return { settled: unobserved(input, `could not observe: the streamed request was rejected (${answer.status}: ${answer.message})`, evidence) };
  }
  if (answer.kind !== 'ok') return { settled: notObservable(input, answer, evidence) };
  const response = seen.exchange.response!;
  if (!isStreamResponse(response)) return { settled: unobserved(input, `could not observe: the answer is ${response.headers['content-type'] ?? 'untyped'}, not a stream (stream.* says more)`, evidence) };
  // An event the client never reads (after [DONE], unnamed on Messages) hides what it holds from it, as one it cannot.
  const read = clientObjects(definition.api ?? 'chat-completions', sseStream(response).events);
  return { seen, values: read.values.map((v) => v.value), unreadable: [...read.problems, ...read.unread] };
}

/**
 * The verdict when a stream carried reasoning nowhere but nothing shows the model reasoned (`answer` holds the usage:
 * the usage chunk, the terminal Response), or undefined when `none` is the endpoint's doing. A stream that stalled
 * before its usage came is the endpoint breaking (`error`, as a stalled body is for every check but stream.*); one
 * that ended without usage, or whose usage shows no reasoning, is inconclusive.
 */
function noneUnshown(input: CheckInput, seen: Observation, answer: Record<string, unknown>, usageIn?: string): CheckResult | undefined {
  const unshown = reasoningUnshown(answer, 'no reasoning to stream', { answer: 'the stream', ...(usageIn ? { usageIn } : {}) });
  if (!unshown) return undefined;
  const stalled = isRecord(answer.usage) ? undefined : stallOf(seen.exchange);
  if (stalled) return unobserved(input, `could not observe: ${stalled}, before any reasoning or the usage came`, seen.evidence);
  return inconclusive(input, unshown, seen.evidence);
}

/**
 * `none` from a stream with events no client can read is not seen: the reasoning may be in them. The endpoint broke
 * the stream (stream.* say how): an error, not a verdict.
 */
function unreadableNone(input: CheckInput, seen: Observation, unreadable: readonly string[]): CheckResult {
  return unobserved(input, `could not observe: no reasoning in the events that could be read, but ${unreadable.length} could not be (${unreadable.slice(0, 2).join('; ')}); stream.* judge the stream`, seen.evidence);
}

const chatStreamField: CheckDefinition = {
  id: 'reasoning.chat-stream-field',
  title: 'Where a streamed chat completion carries reasoning text: delta.reasoning, delta.reasoning_content, or nowhere',
  api: 'chat-completions',
  vocabulary: ['delta.reasoning', 'delta.reasoning_content', 'none'],
  dependsOnModel: true,
  run(input) {
    const read = streamedObjects(chatStreamField, input, ['messages', 'stream', 'stream_options']);
    if ('settled' in read) return read.settled;
    const fields = new Set<string>();
    let usage: Record<string, unknown> | undefined;
    for (const chunk of read.values) {
      if (isRecord(chunk.usage)) usage = chunk.usage;
      for (const choice of Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : []) {
        const delta = isRecord(choice.delta) ? choice.delta : {};
        for (const field of ['reasoning', 'reasoning_content']) if (typeof delta[field] === 'string' && delta[field]) fields.add(field);
      }
    }
    const observed = fields.has('reasoning') ? 'delta.reasoning' : fields.has('reasoning_content') ? 'delta.reasoning_content' : 'none';
    if (observed === 'none' && read.unreadable.length) return unreadableNone(input, read.seen, read.unreadable);
    const hidden = observed === 'none' ? noneUnshown(input, read.seen, usage ? { usage } : {}, 'the usage chunk') : undefined;
    if (hidden) return hidden;
    return judge(chatStreamField, input, observed, read.seen.evidence, `${read.values.length} chunks; reasoning in ${[...fields].map((f) => `delta.${f}`).join(' and ') || 'no delta field'}`);
  },
};

const reasoningItems = (response: Record<string, unknown>) => (Array.isArray(response.output) ? response.output.filter((item): item is Record<string, unknown> => isRecord(item) && item.type === 'reasoning') : []);
const texts = (parts: unknown, type: string) => (Array.isArray(parts) ? parts.filter((p) => isRecord(p) && p.type === type && typeof p.text === 'string' && p.text.length > 0) : []);

/** What reasoning text a completed Response holds (`2 summary part(s)`, `1 reasoning_text part(s)`), or undefined for none. */
function reasoningHeld(response: Record<string, unknown>): string | undefined {
  const items = reasoningItems(response);
  const summary = items.flatMap((item) => texts(item.summary, 'summary_text')).length;
  const raw = items.flatMap((item) => texts(item.content, 'reasoning_text')).length;
  const held = [summary ? `${summary} summary_text part(s)` : '', raw ? `${raw} reasoning_text part(s)` : ''].filter(Boolean);
  return held.length ? held.join(' and ') : undefined;
}

/** How a Response's reasoning items came, for a reason: `a reasoning item with summary []`, `no reasoning item`. */
function reasoningItemsOf(response: Record<string, unknown>): string {
  const items = reasoningItems(response);
  if (!items.length) return 'no reasoning item';
  return items.map((item) => `a reasoning item with summary ${JSON.stringify(item.summary ?? null)}`).join(', ');
}

const responsesStreamEvents: CheckDefinition = {
  id: 'reasoning.responses-stream-events',
  title: 'Which events a streamed Response asked for reasoning.summary carries reasoning in: summary text, raw reasoning text, or none',
  api: 'responses',
  vocabulary: ['summary', 'reasoning-text', 'none', 'rejected'],
  dependsOnModel: true,
  params: ['reasoning'],
  run(input) {
    const read = streamedObjects(responsesStreamEvents, input, ['reasoning', 'input', 'stream']);
    if ('settled' in read) return read.settled;
    const types = new Set(read.values.map((v) => v.type).filter((t): t is string => typeof t === 'string'));
    const observed = types.has('response.reasoning_summary_text.delta') ? 'summary' : types.has('response.reasoning_text.delta') ? 'reasoning-text' : 'none';
    const terminal = read.values.find((v) => v.type === 'response.completed' || v.type === 'response.incomplete');
    const response = isRecord(terminal?.response) ? terminal.response : undefined;
    const reasoningTypes = [...types].filter((t) => t.includes('reasoning'));
    if (observed !== 'none') return judge(responsesStreamEvents, input, observed, read.seen.evidence, `reasoning events: ${reasoningTypes.join(', ') || 'none'}`);
    if (read.unreadable.length) return unreadableNone(input, read.seen, read.unreadable);
    const hidden = noneUnshown(input, read.seen, response ?? {});
    if (hidden) return hidden;
    // The model reasoned, but the stream can only carry what the Response holds: a summary the model left empty gave
    // it nothing to stream. `none` is the endpoint's doing only when the completed Response holds text it never sent.
    const held = reasoningHeld(response ?? {});
    if (!held) return inconclusive(input, `the model reasoned, but the completed Response holds no reasoning text (${reasoningItemsOf(response ?? {})}), so there was nothing to stream`, read.seen.evidence);
    return judge(responsesStreamEvents, input, 'none', read.seen.evidence, `no reasoning events, though the completed Response holds ${held}`);
  },
};

/** An Anthropic `error` event: `rejected` with its words, or `error` when it says the server failed or throttled. */
function errorEvent(input: CheckInput, seen: Observation, value: Record<string, unknown>): CheckResult {
  const said = `an error event (${excerpt(JSON.stringify(value.error ?? value), 160)})`;
  const evidence = [evidenceOf(seen.caseId, seen.exchange, said)];
  // Read as the transport reads a stream's error frame: Mantle's string of JSON and its envelope unwrapped.
  if (heldFailure(value.error) !== undefined) return unobserved(input, `could not observe: the stream ended with ${said}`, evidence);
  return judge(thinkingStream, input, 'rejected', evidence, `HTTP ${seen.exchange.response?.status ?? 200}, but the stream ended with ${said}`);
}

/**
 * The verdict on signed thinking blocks with no thinking text (`empty`, of `count` thinking blocks). Anthropic's
 * `thinking.display` defaults to "omitted" on its newest models (Claude Opus 4.7 and later): the block then comes
 * exactly so, empty and signed. Only a request that asked to see the thinking (display set, not "omitted") makes the
 * empty block the endpoint's loss (`signed-empty`); otherwise the model's defaults hid the text, and blocks with text
 * beside it are judged alone (they passed every rule above).
 */
function signedEmpty(input: CheckInput, request: Record<string, unknown>, empty: readonly number[], count: number, shown: string, evidence: CheckResult['evidence']): CheckResult {
  const display = isRecord(request.thinking) ? request.thinking.display : undefined;
  const which = `thinking block ${empty.join(', ')} signed but with no thinking text (none in its start, no non-empty thinking_delta)`;
  if (typeof display === 'string' && display !== 'omitted') return judge(thinkingStream, input, 'signed-empty', evidence, `${shown}; ${which}, though the request asked for thinking.display ${JSON.stringify(display)}`);
  const why = display === 'omitted' ? 'the request set thinking.display "omitted"' : 'the request did not set thinking.display, whose default is "omitted" on the newest Claude models (Opus 4.7 and later), which then send exactly this';
  if (empty.length < count) return judge(thinkingStream, input, 'conformant', evidence, `${shown}; ${which}: ${why}, so only the blocks with text are judged`);
  return inconclusive(input, `${shown}; ${which}: ${why}, so how thinking text streams (thinking_delta) was not observed`, evidence);
}

const thinkingStream: CheckDefinition = {
  id: 'messages.thinking-stream',
  title: 'A Messages stream with adaptive thinking streams its thinking block as thinking_delta fragments and a signature_delta',
  api: 'messages',
  vocabulary: ['conformant', 'no-signature', 'signed-empty', 'bad-stream', 'rejected'],
  dependsOnModel: true,
  params: ['thinking', 'output_config'],
  reference: { value: 'conformant', source: 'anthropic-reference: streamed thinking blocks (thinking_delta, signature_delta)' },
  run(input) {
    const read = streamedObjects(thinkingStream, input, ['thinking', 'output_config', 'messages', 'stream']);
    if ('settled' in read) return read.settled;
    // An event no client can read may hold the thinking block or its signature: the stream is bad, whatever else shows.
    const problems: string[] = [...read.unreadable];
    const blocks = new Map<number, { type: unknown; thinking: number; text: number; startText: number; signature: boolean; closed: boolean }>();
    let stopReason: unknown;
    let stopped = false;
    for (const value of read.values) {
      const index = typeof value.index === 'number' ? value.index : -1;
      // An error event ends the answer with the endpoint's words: a refusal of the request, or an outage.
      if (value.type === 'error') return errorEvent(input, read.seen, value);
      if (value.type === 'message_delta' && isRecord(value.delta)) stopReason = value.delta.stop_reason;
      if (value.type === 'message_stop') stopped = true;
      if (value.type === 'content_block_start') {
        const block = isRecord(value.content_block) ? value.content_block : {};
        // Text in the block's start is text a client keeps (it appends the deltas to it), but it did not stream.
        blocks.set(index, { type: block.type, thinking: 0, text: 0, startText: typeof block.thinking === 'string' ? block.thinking.length : 0, signature: typeof block.signature === 'string' && block.signature.length > 0, closed: false });
      } else if (value.type === 'content_block_stop') {
        const block = blocks.get(index);
        if (block) block.closed = true;
      } else if (value.type === 'content_block_delta') {
        const delta = isRecord(value.delta) ? value.delta : {};
        const block = blocks.get(index);
        if (delta.type !== 'thinking_delta' && delta.type !== 'signature_delta') continue;
        if (block?.type !== 'thinking') problems.push(`a ${String(delta.type)} in block ${index}, which is not a thinking block`);
        else if (delta.type === 'thinking_delta') {
          block.thinking += typeof delta.thinking === 'string' ? 1 : 0;
          block.text += typeof delta.thinking === 'string' ? delta.thinking.length : 0;
        } else if (typeof delta.signature === 'string' && delta.signature) block.signature = true;
      }
    }
    const thinking = [...blocks.entries()].filter(([, b]) => b.type === 'thinking');
    // A thought that came whole in its block's start was not streamed as thinking_delta fragments, as tool input in
    // content_block_start is not streamed as input_json_delta (tools.messages.stream-call's bad-stream).
    for (const [i, b] of thinking) if (b.startText > 0 && b.text === 0) problems.push(`thinking block ${i} carries its thinking in content_block_start (${b.startText} characters), not as thinking_delta fragments`);
    const redacted = [...blocks.values()].some((b) => b.type === 'redacted_thinking');
    const evidence = [evidenceOf(read.seen.caseId, read.seen.exchange, problems.join(' | ') || undefined)];
    if (problems.length) return judge(thinkingStream, input, 'bad-stream', evidence, problems.slice(0, 4).join('; '));
    if (thinking.length === 0) {
      // A redacted thought arrives whole, encrypted, with no thinking_delta nor signature_delta: how thinking streams
      // was not seen, as when the model chose not to think.
      if (redacted) return inconclusive(input, 'the only thinking is a redacted_thinking block (its data arrives whole, encrypted), so how thinking text streams (thinking_delta, signature_delta) was not seen', evidence);
      // A stream that went silent before any block began shows nothing the model chose: thinking comes first, so
      // only a block of another type shows it did not think.
      const stalled = blocks.size === 0 ? stallOf(read.seen.exchange) : undefined;
      if (stalled) return unobserved(input, `could not observe: ${stalled}, before any content block, so whether the model thought is not seen`, evidence);
      // A body that ended before any block and without its ending was cut by the endpoint: no choice of the model shows.
      if (blocks.size === 0 && stopReason === undefined && !stopped) return judge(thinkingStream, input, 'bad-stream', evidence, `the stream ended after ${read.values.length} event(s), before any content block and without message_delta or message_stop`);
      return inconclusive(input, 'the model chose not to think on this request (no thinking block), so there was no thinking to stream', evidence);
    }
    const unsigned = thinking.filter(([, b]) => !b.signature);
    const shown = thinking.map(([i, b]) => `block ${i}: ${b.thinking} thinking_delta(s)${b.signature ? ', signed' : ''}`).join('; ');
    // A budget that ends the answer mid-thought closes the block before its signature could come.
    if (unsigned.length && stopReason === 'max_tokens') return inconclusive(input, `${shown}; stop_reason "max_tokens": the output budget ended the thinking before its signature`, evidence);
    // A stream that went silent mid-thought never closed the block: whether a signature would have come is not seen.
    // A block that closed unsigned before the stall is a finding all the same.
    const open = unsigned.filter(([, b]) => !b.closed);
    const stalled = open.length === unsigned.length && unsigned.length ? stallOf(read.seen.exchange) : undefined;
    if (stalled) return unobserved(input, `could not observe: ${stalled}; ${shown}, the block never closed`, evidence);
    // A body that ended with the block open broke off mid-thought: its signature may have been still to come.
    if (open.length && open.length === unsigned.length) {
      const ending = [stopReason === undefined ? 'message_delta' : '', stopped ? '' : 'message_stop'].filter(Boolean);
      return judge(thinkingStream, input, 'bad-stream', evidence, `${shown}; the stream ended with thinking block ${open.map(([i]) => i).join(', ')} open (no content_block_stop${ending.length ? `, no ${ending.join(' or ')}` : ''})`);
    }
    if (unsigned.length) return judge(thinkingStream, input, 'no-signature', evidence, `${shown}; no signature_delta before the block closed: the thinking cannot be sent back on the next turn`);
    const empty = thinking.filter(([, b]) => b.text + b.startText === 0);
    if (!empty.length) return judge(thinkingStream, input, 'conformant', evidence, shown);
    return signedEmpty(input, sentBody(read.seen.exchange), empty.map(([i]) => i), thinking.length, shown, evidence);
  },
};

// Each reads a streamed answer: its case must ask for one (a whole body would be read as no stream at all).
export const reasoningStreamChecks: readonly CheckDefinition[] = [chatStreamField, responsesStreamEvents, thinkingStream].map((check) => ({ ...check, sends: [STREAMED] }));
