/**
 * @module checks/tools-stream
 * Streamed tool calls, where agents break: a forced call streamed on each of the three APIs is reassembled as the
 * clients do (tool-stream-readers.ts), and two parallel calls on chat get distinct ids and indexes. Each observes
 * `conformant`, `no-call`, `bad-arguments` (the assembled arguments do not parse or fit the schema), `bad-stream`
 * (a rule of the stream a client relies on is broken; with no call read, when events could not be read or the stream
 * ended before its end: no finish_reason, terminal event or stop_reason) or `rejected`; calls of another tool than
 * the forced one are `no-call` (no call of it). A stream the budget ended is judged as the whole-body check judges
 * its answer (budget-call.ts: a complete call that fits stands, no call or a call cut short is `inconclusive`), and a
 * stream rule it broke before the budget ran out is still `bad-stream`; a refusal without
 * a call is `inconclusive`; one that stalled before the call was complete is an `error` (the endpoint broke:
 * stream.* says `stalled`).
 */
import { isStreamResponse } from '../transport/exchange.ts';
import { sseStream } from '../transport/sse.ts';
import { judgeRejection, notObservable, observe, sentBody } from './answer.ts';
import { stallOf } from './stream-common.ts';
import { STREAMED } from '../suite/sent-fields.ts';
import { evidenceOf, inconclusive, judge, unobserved } from './judge.ts';
import { namingFilter } from './content-filter.ts';
import { refusedWith } from './refusal.ts';
import { budgetEndedCall } from './budget-call.ts';
import { argumentsProblem, bestEffortMiss, isAsked, offTarget, type ToolApi } from './tool-calls.ts';
import { readChatToolStream, readMessagesToolStream, readResponsesToolStream, type StreamReader, type StreamedCall } from './tool-stream-readers.ts';
import { TOOL_FIELDS } from './tools.ts';
import type { CheckDefinition, CheckResult } from './types.ts';

const VOCABULARY = ['conformant', 'no-call', 'bad-arguments', 'bad-stream', 'rejected'] as const;
/** A rejection naming any of these is about streamed tool calls; naming anything else, it is not a verdict. */
const STREAM_TOOL_FIELDS = [...TOOL_FIELDS, 'stream', 'stream_options', 'parallel_tool_calls'];

const argumentsOf = (call: StreamedCall) => call.done ?? call.fragments.join('');
const show = (call: StreamedCall) => `${String(call.name)}(${argumentsOf(call).slice(0, 80)}) in ${call.fragments.length} fragment(s)`;

interface Options {
  id: string;
  api: ToolApi;
  title: string;
  read: StreamReader;
  reference: string;
  /** Two or more calls are asked for: their ids and indexes must differ; one call cannot show it. */
  parallel?: boolean;
}

function streamedCallCheck(options: Options): CheckDefinition {
  const definition: CheckDefinition = {
    id: options.id,
    title: options.title,
    api: options.api,
    vocabulary: VOCABULARY,
    dependsOnModel: true,
    params: STREAM_TOOL_FIELDS,
    sends: [STREAMED],
    reference: { value: 'conformant', source: options.reference },
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, exchange, caseId } = seen;
      const request = sentBody(exchange);
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, STREAM_TOOL_FIELDS, 'its streamed tools', seen.evidence);
      if (answer.kind !== 'ok') return notObservable(input, answer, seen.evidence);
      const response = exchange.response!;
      if (!isStreamResponse(response)) return judge(definition, input, 'bad-stream', seen.evidence, `the answer to a stream request is ${response.headers['content-type'] ?? 'untyped'}, not an event stream`);
      const reading = options.read(sseStream(response).events, request);
      const summary = reading.calls.length ? reading.calls.map(show).join('; ') : 'no tool call';
      const evidence = [evidenceOf(caseId, exchange, reading.problems.length ? reading.problems.join(' | ') : summary)];
      if (reading.failed?.infrastructure) return unobserved(input, `could not observe: HTTP ${answer.status}, but ${reading.failed.message}`, evidence);
      if (reading.failed) return judge(definition, input, 'rejected', evidence, `HTTP ${answer.status}, but ${reading.failed.message}`);
      const result = verdict(definition, input, options, reading, evidence, request, summary);
      // A stream that went silent is the endpoint breaking (stream.* says `stalled`): what did not come is no fail.
      const stalled = result.observed !== null && result.observed !== 'conformant' ? stallOf(exchange) : undefined;
      return stalled ? unobserved(input, `could not observe: ${stalled}, before the call was complete (${summary})`, evidence) : result;
    },
  };
  return definition;
}

function verdict(definition: CheckDefinition, input: Parameters<CheckDefinition['run']>[0], options: Options, reading: ReturnType<StreamReader>, evidence: CheckResult['evidence'], request: Record<string, unknown>, summary: string): CheckResult {
  // A stream the output budget ended is judged as the whole-body check judges its answer (budget-call.ts): what the
  // budget explains is set aside and the rest judged as the body is, so a call that came complete and fits stands;
  // what the budget may have hidden yields to it; a stream rule broken before it stands.
  const ending = reading.ending ?? [];
  const broken = [...reading.problems.filter((problem) => !ending.includes(problem)), ...(reading.unread ?? [])];
  const weighed = reading.budget ? { ...reading, problems: reading.problems.filter((problem) => !ending.includes(problem)) } : reading;
  const result = judgeStream(definition, input, options, weighed, evidence, request, summary);
  return budgetEndedCall(input, options.api, result, reading.budget, reading.calls.length ? summary : undefined, broken);
}

function judgeStream(definition: CheckDefinition, input: Parameters<CheckDefinition['run']>[0], options: Options, reading: ReturnType<StreamReader>, evidence: CheckResult['evidence'], request: Record<string, unknown>, summary: string): CheckResult {
  const { calls, problems, budget, refusal, filtered } = reading;
  // A refusal is the model's documented answer, as the whole-body forced-call checks read it (refusal.ts).
  if (calls.length === 0 && refusal) return refusedWith(input, refusal, 'instead of calling the tool', evidence);
  // A stream with events no client can read (not JSON objects) that yields no call: whether a call was made is not
  // seen, and the stream is the endpoint's doing: bad-stream, not no-call.
  // Events the client never reads (after [DONE], unnamed on Messages) may hold the call: it never reached the client.
  if (calls.length === 0 && (reading.unreadable || reading.unread)) {
    const why = [...problems, ...(reading.unread ?? [])];
    return namingFilter(judge(definition, input, 'bad-stream', evidence, `no tool call could be read: ${why.slice(0, 4).join('; ')}${why.length > 4 ? `; and ${why.length - 4} more` : ''}`), filtered);
  }
  // A stream that broke off before its ending, no call read: the model's choice never came, so no-call would blame
  // the model for the endpoint's truncation (and pass where no-call is allowed).
  if (calls.length === 0 && reading.unended) {
    const others = problems.filter((p) => !reading.unended!.includes(p));
    return namingFilter(judge(definition, input, 'bad-stream', evidence, `the stream ended before its end (${reading.unended}) with no tool call read${others.length ? `; ${others.slice(0, 3).join('; ')}` : ''}`), filtered);
  }
  if (calls.length === 0) return namingFilter(judge(definition, input, 'no-call', evidence, problems.length ? `no tool call; ${problems.join('; ')}` : 'the stream holds no tool call'), filtered);
  if (options.parallel) {
    const ids = calls.map((c) => c.id);
    const shared = ids.find((id, i) => ids.indexOf(id) !== i);
    if (shared !== undefined) problems.push(`two calls share the id ${JSON.stringify(shared)}`);
  }
  if (problems.length) return judge(definition, input, 'bad-stream', evidence, problems.slice(0, 4).join('; ') + (problems.length > 4 ? `; and ${problems.length - 4} more` : ''));
  // No call of the tool asked for (the forced one, else a declared one): calls of another are no call of it.
  if (!calls.some((call) => isAsked(request, options.api, call.name))) return judge(definition, input, 'no-call', evidence, `${offTarget(request, calls)} (${summary})`);
  // Every call is held to the request, the asked one's beside: a call of a tool not declared is bad-arguments.
  // A miss of a schema not declared strict is the model's best effort: inconclusive, unless another call is wrong.
  const missed = calls.flatMap((call) => {
    const problem = argumentsProblem(request, options.api, call.name, argumentsOf(call));
    return problem ? [{ ...problem, problem: `${call.key} (${call.fragments.length} fragment(s)): ${problem.problem}` }] : [];
  });
  const wrong = missed.find((m) => !m.bestEffort);
  if (wrong) return judge(definition, input, 'bad-arguments', evidence, wrong.problem);
  if (missed.length) return inconclusive(input, bestEffortMiss(missed.map((m) => m.problem).join('; ')), evidence);
  if (options.parallel && calls.length === 1) {
    return inconclusive(input, `the model made one call (${show(calls[0]!)}) where two were asked for: distinct ids and indexes need two`, evidence);
  }
  return judge(definition, input, 'conformant', evidence, [`${calls.length} call(s): ${summary}`, ...(reading.notes ?? []), ...(budget ? [`${budget}, after the call was complete`] : [])].join('; '));
}

export const streamedToolChecks: readonly CheckDefinition[] = [
  streamedCallCheck({
    id: 'tools.chat.stream-call',
    api: 'chat-completions',
    title: 'A forced function call streamed on Chat Completions: indexed deltas, id/type/name first, arguments that concatenate to JSON fitting the schema, finish_reason tool_calls',
    read: readChatToolStream,
    reference: 'openai-reference: tool_calls deltas in chat.completion.chunk events',
  }),
  streamedCallCheck({
    id: 'tools.chat.stream-parallel',
    api: 'chat-completions',
    title: 'Two parallel function calls streamed on Chat Completions get distinct ids and indexes, each well streamed',
    read: readChatToolStream,
    reference: 'openai-reference: parallel tool calls stream with distinct index and id',
    parallel: true,
  }),
  streamedCallCheck({
    id: 'tools.responses.stream-call',
    api: 'responses',
    title: 'A forced function call streamed on Responses: output_item.added, argument deltas that concatenate to arguments.done, the call in the completed response',
    read: readResponsesToolStream,
    reference: 'openai-reference: function_call items and response.function_call_arguments events',
  }),
  streamedCallCheck({
    id: 'tools.messages.stream-call',
    api: 'messages',
    title: 'A forced tool_use streamed on Messages: input_json_delta fragments that concatenate to an input fitting the schema, stop_reason tool_use',
    read: readMessagesToolStream,
    reference: 'anthropic-reference: tool_use blocks streamed as input_json_delta',
  }),
];
