/**
 * @module checks/thinking-default
 * Whether a Messages request that omits `thinking` is answered with thinking blocks: Anthropic's reference thinks
 * only when asked, while Claude Sonnet 5 on Mantle thinks by default (adaptive) even when `thinking` is omitted
 * (AWS user guide, document history 2026-08-24). Read from the suites' requests that send no `thinking`, whole and
 * streamed (no request of its own): a thinking (or redacted_thinking) block in either answer is `thinks`, whatever
 * the other did; `no-thinking` needs every answer read, each with a block of another type and no thinking before it
 * (thinking comes first). An answer that holds no block (the budget spent, the model ended at once, a stream cut or
 * stalled before any block), a refusal, or a request refused is not an observation: inconclusive or error, as
 * across-apis.ts combines them. Adaptive thinking is the model's choice per request, so it is judged per trial, and
 * what was seen is reported as it is: where a model may skip thinking on a trivial prompt (Claude Sonnet 5), the
 * catalog allows both values, so neither fails and trials that disagree are a flaky that does not gate; a value the
 * expectations file states alone is held to (an expectation of `thinks` fails on an answer without thinking).
 */
import { isRecord } from '../transport/body.ts';
import { isStreamResponse } from '../transport/exchange.ts';
import { sseStream } from '../transport/sse.ts';
import { acrossApis, readRejection, type ApiExchange, type ApiReading } from './across-apis.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { clientObjects } from './client-read-events.ts';
import { refusalOf } from './refusal.ts';
import { errorFrame, stallOf } from './stream-common.ts';
import { contentTypes, thinkingBlocks } from './thinking-blocks.ts';
import type { CheckDefinition } from './types.ts';

/** The reading of the block types an answer holds, in order; undefined when it holds none (the caller says why). */
function readBlocks(types: readonly unknown[], how: string): ApiReading | undefined {
  const { thought, shown } = thinkingBlocks(types);
  if (thought) return { observed: 'thinks', detail: `${how}: ${thought} thinking block(s) (blocks: ${shown})` };
  return types.length ? { observed: 'no-thinking', detail: `${how}: no thinking block (blocks: ${shown})` } : undefined;
}

function readWhole(seen: ApiExchange, body: Record<string, unknown> | undefined): ApiReading {
  if (!body) return { error: `could not observe: HTTP ${seen.answer.status ?? 200} with a body that is not a JSON object` };
  const read = readBlocks(contentTypes(body), seen.caseId);
  const refused = refusalOf(body);
  // A refusal is the model declining the prompt: that it wrote no thinking before it says nothing of the default.
  if (read && 'observed' in read && read.observed === 'no-thinking' && refused) return { inconclusive: `${seen.caseId}: ${refused.said} without thinking first: the model's choice` };
  if (read) return read;
  const spent = budgetSpent(body, limitOf(seen.request));
  if (spent) return { inconclusive: `${seen.caseId}: no content block: ${spent}` };
  return { inconclusive: `${seen.caseId}: the Message holds no content block (stop_reason ${JSON.stringify(body.stop_reason ?? null)}), so whether the model would think is not seen` };
}

function readStreamed(seen: ApiExchange): ApiReading {
  const response = seen.exchange.response!;
  if (!isStreamResponse(response)) return { error: `could not observe: ${seen.caseId} asked for a stream and got ${response.headers['content-type'] ?? 'an untyped answer'} (stream.* says more)` };
  const read = clientObjects('messages', sseStream(response).events);
  const types: unknown[] = [];
  let stopReason: unknown;
  let frame: string | undefined;
  for (const { value } of read.values) {
    if (value.type === 'content_block_start') types.push(isRecord(value.content_block) ? value.content_block.type : undefined);
    if (value.type === 'message_delta' && isRecord(value.delta) && value.delta.stop_reason != null) stopReason = value.delta.stop_reason;
    frame ??= errorFrame(value);
  }
  const reading = readBlocks(types, `${seen.caseId}, streamed`);
  // A thinking block seen is the observation whatever else broke; its absence counts only in a stream read whole.
  if (reading && 'observed' in reading && reading.observed === 'thinks') return reading;
  const unread = [...read.problems, ...read.unread];
  if (unread.length) return { error: `could not observe: ${unread.length} event(s) of ${seen.caseId} could not be read (${unread.slice(0, 2).join('; ')}), a thinking block may be among them` };
  if (reading && stopReason === 'refusal') return { inconclusive: `${seen.caseId}: the model refused (stop_reason "refusal") without thinking first: the model's choice` };
  if (reading) return reading;
  const stalled = stallOf(seen.exchange);
  if (stalled) return { error: `could not observe: ${seen.caseId}: ${stalled}, before any content block` };
  if (frame) return { error: `could not observe: ${seen.caseId}: ${frame}, before any content block` };
  if (stopReason === undefined) return { error: `could not observe: ${seen.caseId}: the stream ended before any content block and without a stop_reason (stream.messages judges the stream)` };
  return { inconclusive: `${seen.caseId}: the stream holds no content block (stop_reason ${JSON.stringify(stopReason)}), so whether the model would think is not seen` };
}

function read(seen: ApiExchange): ApiReading {
  // The case is one whose request sends no thinking; one that does (a user's suite) shows no default.
  if (seen.request.thinking !== undefined) return { error: `could not observe: ${seen.caseId} sent thinking ${JSON.stringify(seen.request.thinking)}, so its answer shows no default` };
  if (seen.answer.kind === 'rejected') {
    const reading = readRejection(seen, []);
    return 'inconclusive' in reading ? reading : { error: `could not observe: ${seen.caseId} was refused (${'detail' in reading ? reading.detail : 'no answer'})` };
  }
  if (seen.answer.kind !== 'ok') return { error: `could not observe: ${seen.caseId}: ${'message' in seen.answer ? seen.answer.message : 'no answer'}` };
  return seen.request.stream === true ? readStreamed(seen) : readWhole(seen, seen.answer.body);
}

const definition: CheckDefinition = {
  id: 'messages.thinking-default',
  title: 'Whether a Messages request that omits thinking is answered with thinking blocks (whole and streamed)',
  api: 'messages',
  vocabulary: ['thinks', 'no-thinking'],
  dependsOnModel: true,
  reference: { value: 'no-thinking', source: 'anthropic-reference: extended thinking is off unless the request sets thinking' },
  run: (input) => acrossApis(definition, input, ['thinks', 'no-thinking'], read),
};

export const thinkingDefaultChecks: readonly CheckDefinition[] = [definition];
