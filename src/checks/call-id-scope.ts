/**
 * @module checks/call-id-scope
 * Whether the `call_id`s of Responses function calls are unique across responses, as OpenAI documents them ("the
 * unique ID of the function tool call"), or scoped to one response and reused by the next (`call_0` again, which
 * breaks clients that key a conversation's tool results by call_id: pydantic/pydantic-ai #6536, MANTLE.md "What
 * integrators hit"). Read from the suites' tools.responses cases, each step's answer a separate response (whole, or
 * streamed as tool-stream-readers.ts reassembles it): an id two responses share is `reused`, whatever else broke;
 * `unique` needs two responses with a call and every answer read. Fewer than two responses with a call (the model
 * answered with text, spent its budget thinking, refused) is not an observation: inconclusive, or error where an
 * answer broke.
 */
import { isRecord } from '../transport/body.ts';
import { isStreamResponse } from '../transport/exchange.ts';
import { sseStream } from '../transport/sse.ts';
import { answeringExchange, answerOf, notObservable, sentBody } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { evidenceOf, inconclusive, judge, settleWithout, unobserved, type CompletedOutcome } from './judge.ts';
import { readResponsesToolStream } from './tool-stream-readers.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence } from './types.ts';

/** One response read: the call_ids it holds, or why it shows none (`broke`: nothing of it could be read). */
interface ResponseReading {
  label: string;
  ids: string[];
  none?: string;
  broke?: string;
}

const unique = (values: readonly unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];

/** Why a response with no function call shows none: its budget, or what it held instead. */
function noCall(body: Record<string, unknown>, request: Record<string, unknown>): string {
  const spent = budgetSpent(body, limitOf(request));
  if (spent) return `no function call: ${spent}`;
  const types = Array.isArray(body.output) ? body.output.map((item) => (isRecord(item) ? String(item.type) : typeof item)) : [];
  return `no function call (output: ${types.join(', ') || 'none'})`;
}

function readExchange(outcome: CompletedOutcome, step: string): { reading: ResponseReading; evidence: Evidence; refused?: ReturnType<typeof answerOf> } | undefined {
  const exchange = answeringExchange(outcome, step);
  if (!exchange) return undefined;
  const label = `${outcome.caseId}/${step}`;
  const answer = answerOf(exchange);
  const request = sentBody(exchange);
  if (answer.kind === 'refused') return { reading: { label, ids: [] }, evidence: evidenceOf(outcome.caseId, exchange), refused: answer };
  if (answer.kind === 'rejected') return { reading: { label, ids: [], none: `refused: ${answer.status} ${answer.message}` }, evidence: evidenceOf(outcome.caseId, exchange) };
  if (answer.kind === 'broken') return { reading: { label, ids: [], broke: answer.message }, evidence: evidenceOf(outcome.caseId, exchange) };
  const response = exchange.response!;
  if (isStreamResponse(response)) {
    const stream = readResponsesToolStream(sseStream(response).events, request);
    const ids = unique(stream.calls.map((call) => call.id));
    const evidence = evidenceOf(outcome.caseId, exchange, ids.length ? `call_id ${ids.join(', ')}` : undefined);
    if (ids.length) return { reading: { label, ids }, evidence };
    // With no call read, events that could not be read may have held one.
    if (stream.unreadable || stream.unended) return { reading: { label, ids, broke: `the stream ${stream.unended ? 'did not end' : 'had events no client can read'} and no call was read` }, evidence };
    return { reading: { label, ids, none: stream.budget ? `no function call: ${stream.budget}` : 'no function call in the stream' }, evidence };
  }
  if (!answer.body) return { reading: { label, ids: [], broke: `HTTP ${answer.status} with a body that is not a JSON object` }, evidence: evidenceOf(outcome.caseId, exchange) };
  const output = Array.isArray(answer.body.output) ? answer.body.output.filter(isRecord) : [];
  const ids = unique(output.filter((item) => item.type === 'function_call').map((item) => item.call_id));
  const evidence = evidenceOf(outcome.caseId, exchange, ids.length ? `call_id ${ids.join(', ')}` : undefined);
  return { reading: { label, ids, ...(ids.length ? {} : { none: noCall(answer.body, request) }) }, evidence };
}

/** The call_id two responses share, and which, or undefined when every response's ids are its own. */
function sharedId(readings: readonly ResponseReading[]): string | undefined {
  const first = new Map<string, string>();
  for (const reading of readings) {
    for (const id of reading.ids) {
      const earlier = first.get(id);
      if (earlier !== undefined) return `call_id ${JSON.stringify(id)} in both ${earlier} and ${reading.label}`;
      first.set(id, reading.label);
    }
  }
  return undefined;
}

const describe = (readings: readonly ResponseReading[]) =>
  readings.map((r) => `${r.label}: ${r.ids.length ? r.ids.map((id) => JSON.stringify(id)).join(', ') : (r.broke ?? r.none ?? 'not read')}`).join('; ');

function run(input: CheckInput): CheckResult {
  const readings: ResponseReading[] = [];
  const evidence: Evidence[] = [];
  let refused: { answer: ReturnType<typeof answerOf>; evidence: Evidence } | undefined;
  for (const outcome of input.outcomes) {
    if (outcome.kind === 'error') readings.push({ label: outcome.caseId, ids: [], broke: `${outcome.error.code}: ${outcome.error.message}` });
    if (outcome.kind !== 'completed') continue;
    for (const step of new Set(outcome.exchanges.map((ex) => ex.step))) {
      const read = readExchange(outcome, step);
      if (!read) continue;
      evidence.push(read.evidence);
      if (read.refused) refused ??= { answer: read.refused, evidence: read.evidence };
      else readings.push(read.reading);
    }
  }
  const shared = sharedId(readings);
  const detail = describe(readings);
  if (shared) return judge(definition, input, 'reused', evidence, `${shared} (${detail})`);
  const called = readings.filter((r) => r.ids.length);
  const broke = readings.some((r) => r.broke);
  if (called.length >= 2 && !broke) return judge(definition, input, 'unique', evidence, `${called.length} responses, each its own call_id(s) (${detail})`);
  if (broke) return unobserved(input, `could not observe: ${called.length >= 2 ? 'not every response could be read' : 'fewer than two responses with a function call could be read'} (${detail})`, evidence);
  // No response read at all: a model the Responses API does not serve, a case not run.
  if (readings.length === 0) return refused ? notObservable(input, refused.answer, [refused.evidence]) : settleWithout(input);
  return inconclusive(input, `${called.length === 0 ? 'no response' : 'only one response'} made a function call, and two are needed to compare call_ids (${detail})`, evidence);
}

const definition: CheckDefinition = {
  id: 'tools.responses.call-id-scope',
  title: 'Whether Responses function_call call_ids are unique across responses, or reused (scoped to one response)',
  api: 'responses',
  vocabulary: ['unique', 'reused'],
  dependsOnModel: true,
  reference: { value: 'unique', source: 'openai-reference: call_id is "the unique ID of the function tool call generated by the model"' },
  run,
};

export const callIdScopeChecks: readonly CheckDefinition[] = [definition];
