/**
 * @module checks/tools-messages
 * Tool use on the Anthropic surface, not streamed: a forced `tool_use` whose input fits the declared
 * `input_schema` with `stop_reason: "tool_use"` (agent loops continue on it), the `tool_result` turn that answers
 * it, and structured output the Anthropic way: JSON through a forced tool whose input schema is the output format.
 */
import { isRecord } from '../transport/body.ts';
import { acceptanceCheck, judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge } from './judge.ts';
import { schemaProblems } from './json-schema.ts';
import { refusedInstead } from './refusal.ts';
import { argumentsProblem, askedCall, bestEffortMiss, callsOf, declaredSchema, isStrictTool, offTarget, type Call } from './tool-calls.ts';
import { toolCallStep } from './tool-turn.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

/** A rejection naming anything else than these is not a verdict on tool use. */
const MESSAGE_TOOL_FIELDS = ['tools', 'tool_choice', 'messages'];

interface Seen {
  request: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The tool_use block of the forced tool (or, none forced by name, the first of a declared tool); `arguments` is its input. */
  call: Call | undefined;
  /** Every tool_use block: calls of another tool than the forced one are named when there is none of it. */
  uses: Call[];
  evidence: CheckResult['evidence'];
}

/** The forced call of a Messages answer, or the verdict when there is none to read (refused, broken). */
function forcedToolUse(definition: CheckDefinition, input: CheckInput, step?: string): Seen | { settled: CheckResult } {
  const seen = observe(input, step);
  if ('settled' in seen) return seen;
  const { answer, evidence } = seen;
  const request = sentBody(seen.exchange);
  if (answer.kind === 'rejected') return { settled: judgeRejection(definition, input, answer, request, MESSAGE_TOOL_FIELDS, 'its tools', evidence) };
  if (answer.kind !== 'ok') return { settled: notObservable(input, answer, evidence) };
  if (!answer.body) return { settled: unreadableAnswer(input, answer, evidence) };
  const body = answer.body;
  const uses = callsOf('messages', body);
  return { request, body, call: askedCall(request, 'messages', uses), uses, evidence };
}

/** No call in an answer the output budget ended: the budget hid the behaviour, not the endpoint. */
function cutShort(input: CheckInput, seen: Seen, what: string): CheckResult | undefined {
  const spent = budgetSpent(seen.body, limitOf(seen.request));
  return spent ? inconclusive(input, `${spent}; ${what} before the budget ran out`, seen.evidence) : undefined;
}

const forcedCall: CheckDefinition = {
  id: 'tools.messages.forced-call',
  title: 'A forced tool on Messages returns a tool_use block whose input fits the input_schema, with stop_reason tool_use',
  api: 'messages',
  vocabulary: ['conformant', 'no-call', 'bad-arguments', 'wrong-stop-reason', 'rejected'],
  dependsOnModel: true,
  params: MESSAGE_TOOL_FIELDS,
  readsSteps: ['call'],
  reference: { value: 'conformant', source: 'anthropic-reference: tool_choice {type: "tool"} answers with a tool_use block and stop_reason "tool_use"' },
  run(input) {
    const seen = forcedToolUse(forcedCall, input, 'call');
    if ('settled' in seen) return seen.settled;
    const { call, body, evidence } = seen;
    // Calls, none of the forced tool: the endpoint answered a forced tool_choice with another tool (no call of it).
    if (!call && seen.uses.length) return judge(forcedCall, input, 'no-call', evidence, offTarget(seen.request, seen.uses));
    if (!call) return cutShort(input, seen, 'no call was made') ?? refusedInstead(input, seen.body, 'instead of calling the tool', evidence) ?? judge(forcedCall, input, 'no-call', evidence, `the answer holds no tool_use block (stop_reason ${JSON.stringify(body.stop_reason)})`);
    // A whole answer's tool_use input is an object; a JSON string there is how the endpoint wrote it (only a
    // stream's partial_json is text to parse).
    if (typeof call.arguments === 'string') return judge(forcedCall, input, 'bad-arguments', evidence, `input is a string (${JSON.stringify(call.arguments).slice(0, 80)}), not an object`);
    const problem = argumentsProblem(seen.request, 'messages', call.name, call.arguments);
    if (problem) return cutShort(input, seen, 'the call was cut short') ?? (problem.bestEffort ? inconclusive(input, bestEffortMiss(problem.problem), evidence) : judge(forcedCall, input, 'bad-arguments', evidence, problem.problem));
    const shown = `${String(call.name)}(${JSON.stringify(call.arguments).slice(0, 80)})`;
    // A whole call in an answer the budget ended: the stop is the budget's (a streamed one is judged the same way).
    if (body.stop_reason !== 'tool_use') return cutShort(input, seen, `the turn held ${shown} and did not get to stop_reason "tool_use"`) ?? judge(forcedCall, input, 'wrong-stop-reason', evidence, `${shown}, but stop_reason ${JSON.stringify(body.stop_reason)}, not "tool_use": an agent loop stops here`);
    return judge(forcedCall, input, 'conformant', evidence, shown);
  },
};

const structuredOutput: CheckDefinition = {
  id: 'structured-output.messages',
  title: 'JSON output on Messages through a forced tool (the Anthropic pattern): the tool input is an object that validates against its input_schema',
  api: 'messages',
  vocabulary: ['valid', 'not-json', 'schema-mismatch', 'rejected'],
  dependsOnModel: true,
  params: MESSAGE_TOOL_FIELDS,
  reference: { value: 'valid', source: 'anthropic-reference: JSON output through a forced tool follows its input_schema' },
  run(input) {
    const seen = forcedToolUse(structuredOutput, input);
    if ('settled' in seen) return seen.settled;
    const { call, evidence, request } = seen;
    // Only the forced tool's input is the JSON asked for: a call of another tool is no JSON of it, never "valid".
    if (!call && seen.uses.length) return judge(structuredOutput, input, 'not-json', evidence, `${offTarget(request, seen.uses)}, so no JSON of it`);
    if (!call || !isRecord(call.arguments)) {
      return cutShort(input, seen, 'the JSON was never finished') ?? (call ? undefined : refusedInstead(input, seen.body, 'instead of calling the tool', evidence)) ?? judge(structuredOutput, input, 'not-json', evidence, call ? `the tool input is ${JSON.stringify(call.arguments)?.slice(0, 80)}, not an object` : 'the answer holds no tool_use block, so no JSON');
    }
    const schema = declaredSchema(request, 'messages', String(call.name));
    if (schema === undefined) return judge(structuredOutput, input, 'not-json', evidence, `the answer calls ${JSON.stringify(call.name)}, which was not declared, so no JSON of a declared tool`);
    const problems = schemaProblems(schema, call.arguments);
    if (problems.length && !isStrictTool(request, 'messages', String(call.name))) return inconclusive(input, bestEffortMiss(`the tool input does not fit its input_schema: ${problems.join('; ')}`), evidence);
    return judge(structuredOutput, input, problems.length ? 'schema-mismatch' : 'valid', evidence, problems.join('; ') || `${JSON.stringify(call.arguments).slice(0, 120)} validates`);
  },
};

export const messagesToolChecks: readonly CheckDefinition[] = [
  forcedCall,
  acceptanceCheck({
    id: 'tools.messages.result-turn',
    title: 'The Messages turn that answers a tool_use with a tool_result block is accepted',
    api: 'messages',
    step: 'result',
    dependsOnModel: true,
    builtOn: toolCallStep('messages'),
    reference: { value: 'accepted', source: 'anthropic-reference: tool_result blocks answer tool_use blocks' },
  }),
];

/** Listed with the other structured-output checks. */
export const messagesStructuredOutputChecks: readonly CheckDefinition[] = [structuredOutput];
