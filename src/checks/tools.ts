/**
 * @module checks/tools
 * Function calling on Chat Completions and Responses: a forced call comes back as a tool call whose arguments
 * parse as JSON and fit the declared schema, and the turn that answers it with the tool's result is accepted.
 */
import { acceptanceCheck, failedResponse, judgeRejection, notObservable, observe, sentBody, unreadableAnswer } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { budgetEndedCall } from './budget-call.ts';
import { inconclusive, judge } from './judge.ts';
import { contentFilterOf, namingFilter } from './content-filter.ts';
import { refusedInstead } from './refusal.ts';
import { argumentsProblem, askedCall, bestEffortMiss, callsOf, offTarget, type Call, type ToolApi } from './tool-calls.ts';
import { toolCallStep } from './tool-turn.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

const VOCABULARY = ['conformant', 'no-call', 'bad-arguments', 'rejected'] as const;
/** What a forced call is about: a rejection naming anything else is not a verdict on tool calling. */
export const TOOL_FIELDS = ['tools', 'tool_choice', 'messages', 'input'];
const reference = { value: 'conformant', source: 'openai-reference: a forced function call returns arguments that fit the schema' };

function judgeCall(definition: CheckDefinition, input: CheckInput, api: ToolApi, call: Call | undefined, request: Record<string, unknown>, evidence: CheckResult['evidence']): CheckResult {
  if (!call) return judge(definition, input, 'no-call', evidence, 'the answer holds no function call');
  const problem = argumentsProblem(request, api, call.name, call.arguments);
  if (problem?.bestEffort) return inconclusive(input, bestEffortMiss(problem.problem), evidence);
  return judge(definition, input, problem ? 'bad-arguments' : 'conformant', evidence, problem?.problem ?? `${String(call.name)}(${String(call.arguments)})`);
}

function forcedCall(id: string, api: 'chat-completions' | 'responses'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `A forced function call on ${api === 'responses' ? 'Responses' : 'Chat Completions'} returns arguments that parse and fit the schema`,
    api,
    vocabulary: VOCABULARY,
    dependsOnModel: true,
    params: TOOL_FIELDS,
    readsSteps: ['call'],
    reference,
    run(input) {
      const seen = observe(input, 'call');
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      const request = sentBody(seen.exchange);
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, request, TOOL_FIELDS, 'its tools', evidence);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const calls = callsOf(api, answer.body);
      const call = askedCall(request, api, calls);
      // Calls, none of the forced tool: the endpoint answered a forced tool_choice with another tool (no call of it).
      if (!call && calls.length) return judge(definition, input, 'no-call', evidence, offTarget(request, calls));
      const result = judgeCall(definition, input, api, call, request, evidence);
      // No call, or arguments cut short, in an answer the budget ended: the budget hid the behaviour, not the endpoint.
      // A whole call that fits stands; the streamed check decides by the same rule (budget-call.ts).
      const shown = call ? `${String(call.name)}(${String(call.arguments).slice(0, 80)})` : undefined;
      const budgeted = budgetEndedCall(input, api, result, budgetSpent(answer.body, limitOf(request)), shown);
      if (budgeted !== result) return budgeted;
      return (result.observed === 'no-call' ? refusedInstead(input, answer.body, 'instead of calling the tool', evidence) : undefined) ?? namingFilter(result, contentFilterOf(answer.body));
    },
  };
  return definition;
}

export const toolChecks: readonly CheckDefinition[] = [
  forcedCall('tools.chat.forced-call', 'chat-completions'),
  acceptanceCheck({ id: 'tools.chat.result-turn', title: 'The chat turn that answers a tool call with its result is accepted', api: 'chat-completions', step: 'result', dependsOnModel: true, builtOn: toolCallStep('chat-completions'), reference: { value: 'accepted', source: 'openai-reference: tool messages answer tool calls' } }),
  forcedCall('tools.responses.forced-call', 'responses'),
  acceptanceCheck({ id: 'tools.responses.result-turn', title: 'The Responses turn with a function_call_output is accepted', api: 'responses', step: 'result', dependsOnModel: true, builtOn: toolCallStep('responses'), failedInside: failedResponse, reference: { value: 'accepted', source: 'openai-reference: function_call_output items answer function calls' } }),
];
