/**
 * @module checks/tool-turn
 * The turn that answers a tool call is built from the model's own call (step `call`): what the model did there is
 * no verdict on whether the endpoint takes tool results. No call to answer (a refusal, a budget spent on reasoning,
 * prose) leaves nothing to send; a call the model made wrong (arguments that are not JSON, a tool nobody declared,
 * arguments that miss a schema not declared strict), sent back in the history, may be what a rejection is about.
 * Both are `inconclusive`, saying which.
 */
import type { BuiltOn } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { refusalOf } from './refusal.ts';
import { callsOf, modelsMistakeIn, type ToolApi } from './tool-calls.ts';

export function toolCallStep(api: ToolApi): BuiltOn {
  const judgedBy = `tools.${api === 'chat-completions' ? 'chat' : api}.forced-call`;
  return {
    step: 'call',
    judgedBy,
    lacked(body, request) {
      // A call without the id the next turn needs is the endpoint's answer, not the model's choice: not said here.
      if (callsOf(api, body).length) return undefined;
      const spent = budgetSpent(body, limitOf(request));
      if (spent) return `${spent}; no call was made before the budget ran out`;
      const refused = refusalOf(body);
      if (refused) return `${refused.said} instead of calling the tool`;
      return `the answer holds no tool call (${judgedBy} judges that)`;
    },
    madeWrong(body, request) {
      for (const call of callsOf(api, body)) {
        const problem = modelsMistakeIn(request, api, call.name, call.arguments);
        if (problem) return `the model's call of ${JSON.stringify(call.name)} is not one it could send back: ${problem}`;
      }
      return undefined;
    },
  };
}
