/**
 * @module checks/tools
 * Function calling on Chat Completions and Responses: a forced call comes back as a tool call whose arguments
 * parse as JSON and fit the declared schema, and the turn that answers it with the tool's result is accepted.
 */
import { isRecord } from '../transport/body.ts';
import { acceptanceCheck, judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { inconclusive, judge } from './judge.ts';
import { refusedInstead } from './refusal.ts';
import { argumentsProblem, type ToolApi } from './tool-calls.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

const VOCABULARY = ['conformant', 'no-call', 'bad-arguments', 'rejected'] as const;
/** What a forced call is about: a rejection naming anything else is not a verdict on tool calling. */
export const TOOL_FIELDS = ['tools', 'tool_choice', 'messages', 'input'];
const reference = { value: 'conformant', source: 'openai-reference: a forced function call returns arguments that fit the schema' };

interface Call {
  name: unknown;
  arguments: unknown;
}

function judgeCall(definition: CheckDefinition, input: CheckInput, api: ToolApi, call: Call | undefined, request: Record<string, unknown>, evidence: CheckResult['evidence']): CheckResult {
  if (!call) return judge(definition, input, 'no-call', evidence, 'the answer holds no function call');
  const problem = argumentsProblem(request, api, call.name, call.arguments);
  return judge(definition, input, problem ? 'bad-arguments' : 'conformant', evidence, problem ?? `${String(call.name)}(${String(call.arguments)})`);
}

function forcedCall(id: string, api: 'chat-completions' | 'responses', find: (body: Record<string, unknown>) => Call | undefined): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `A forced function call on ${api === 'responses' ? 'Responses' : 'Chat Completions'} returns arguments that parse and fit the schema`,
    api,
    vocabulary: VOCABULARY,
    dependsOnModel: true,
    params: TOOL_FIELDS,
    reference,
    run(input) {
      const seen = observe(input, 'call');
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      const request = sentBody(seen.exchange);
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, TOOL_FIELDS, 'its tools', evidence);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const result = judgeCall(definition, input, api, find(answer.body), request, evidence);
      // No call, or arguments cut short, in an answer the budget ended: the budget hid the behaviour, not the endpoint.
      const spent = result.observed === 'conformant' ? undefined : budgetSpent(answer.body, limitOf(request));
      if (spent) return inconclusive(input, `${spent}; ${result.observed === 'no-call' ? 'no call was made' : 'the call was cut short'} before the budget ran out`, evidence);
      return (result.observed === 'no-call' ? refusedInstead(input, answer.body, 'instead of calling the tool', evidence) : undefined) ?? result;
    },
  };
  return definition;
}

const chatCall = (body: Record<string, unknown>): Call | undefined => {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const message = isRecord(choice?.message) ? choice.message : undefined;
  const call = Array.isArray(message?.tool_calls) && isRecord(message.tool_calls[0]) ? message.tool_calls[0] : undefined;
  const fn = isRecord(call?.function) ? call.function : undefined;
  return fn ? { name: fn.name, arguments: fn.arguments } : undefined;
};

const responsesCall = (body: Record<string, unknown>): Call | undefined => {
  const item = Array.isArray(body.output) ? body.output.find((i) => isRecord(i) && i.type === 'function_call') : undefined;
  return isRecord(item) ? { name: item.name, arguments: item.arguments } : undefined;
};

export const toolChecks: readonly CheckDefinition[] = [
  forcedCall('tools.chat.forced-call', 'chat-completions', chatCall),
  acceptanceCheck({ id: 'tools.chat.result-turn', title: 'The chat turn that answers a tool call with its result is accepted', api: 'chat-completions', step: 'result', dependsOnModel: true, reference: { value: 'accepted', source: 'openai-reference: tool messages answer tool calls' } }),
  forcedCall('tools.responses.forced-call', 'responses', responsesCall),
  acceptanceCheck({ id: 'tools.responses.result-turn', title: 'The Responses turn with a function_call_output is accepted', api: 'responses', step: 'result', dependsOnModel: true, reference: { value: 'accepted', source: 'openai-reference: function_call_output items answer function calls' } }),
];
