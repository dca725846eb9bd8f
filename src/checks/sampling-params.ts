/**
 * @module checks/sampling-params
 * `temperature` and `top_p`: taken, or refused? Models that fix them are common now (gemma-4 refuses a temperature
 * other than the default and any top_p on chat, litellm #36970; GPT-5.x and GPT-6 refuse temperature, promptfoo
 * #11039), and an app that always sends them breaks there. Asked with a value other than the default on every API
 * the model serves; `rejected` quotes the endpoint's wording (`unsupported_parameter` or `unsupported_value`). What a
 * taken value does to the output is not measured: sampling is random, and no cheap request shows it.
 */
import { acrossApis, readRejection } from './across-apis.ts';
import type { CheckDefinition } from './types.ts';

function samplingCheck(id: string, field: 'temperature' | 'top_p'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `Whether a request with ${field} other than the default is taken (some models fix it)`,
    api: null,
    vocabulary: ['accepted', 'rejected'],
    params: [field],
    run: (input) =>
      acrossApis(definition, input, ['rejected', 'accepted'], (seen) => {
        if (seen.answer.kind !== 'ok') return readRejection(seen, [field]);
        const sent = seen.request[field];
        const echoed = seen.answer.body?.[field];
        // Responses echoes what it applied: a different value is worth saying, though sampling is not judged.
        const echo = typeof echoed === 'number' && echoed !== sent ? `, but the answer echoes ${field} ${echoed}, not ${String(sent)}` : '';
        return { observed: 'accepted', detail: `HTTP ${seen.answer.status}${echo}` };
      }),
  };
  return definition;
}

export const samplingParamChecks: readonly CheckDefinition[] = [samplingCheck('params.temperature', 'temperature'), samplingCheck('params.top-p', 'top_p')];
