/**
 * @module checks/sampling-params
 * `temperature` and `top_p`: taken, or refused? Models that fix them are common now (gemma-4 refuses a temperature
 * other than the default and any top_p on chat, litellm #36970; GPT-5.x and GPT-6 refuse temperature, promptfoo
 * #11039), and an app that always sends them breaks there. Asked with a value other than the default on every API
 * the model serves; `rejected` quotes the endpoint's wording (`unsupported_parameter` or `unsupported_value`), in a
 * 4xx or in a Responses object that failed inside a 200 (`invalid_prompt`).
 * `ignored` when the answer echoes the field with another value (Responses echoes what it applied): the request went
 * through but the value was not taken, as `requests.sdk-fields.*` call the same evidence. What a taken value does to
 * the output is not measured: sampling is random, and no cheap request shows it, so an answer that echoes nothing
 * (Chat Completions) is `accepted` on its 2xx alone.
 */
import { acrossApis, readRejection } from './across-apis.ts';
import { failedResponse } from './answer.ts';
import { isStreamResponse } from '../transport/exchange.ts';
import type { CheckDefinition } from './types.ts';

function samplingCheck(id: string, field: 'temperature' | 'top_p'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `Whether a request with ${field} other than the default is taken (some models fix it)`,
    api: null,
    vocabulary: ['accepted', 'ignored', 'rejected'],
    params: [field],
    // A case that sends no value would be `accepted` on its 2xx alone: the default taken, nothing of the field shown.
    sends: [{ field, is: 'number', example: `${field}: ${field === 'temperature' ? '0.2' : '0.5'}` }],
    run: (input) =>
      acrossApis(definition, input, ['rejected', 'ignored', 'accepted'], (seen) => {
        if (seen.answer.kind !== 'ok') return readRejection(seen, [field]);
        // A Responses body that is not a JSON object (cut, damaged) may hide the refusal: `accepted` would claim it did not.
        if (seen.api === 'responses' && !seen.answer.body && !isStreamResponse(seen.exchange.response!)) return { error: `could not observe: HTTP ${seen.answer.status} with a body that is not a JSON object, so a refusal inside it cannot be ruled out` };
        // A Responses object that failed inside the 200 is a refusal said with the wrong status, read as a 4xx's
        // would be (a server failure inside a 200 never gets here: the transport makes it an outage).
        const failed = failedResponse(seen.answer.body);
        if (failed) return readRejection({ ...seen, answer: { kind: 'rejected', status: seen.answer.status, message: failed } }, [field]);
        const sent = seen.request[field];
        const echoed = seen.answer.body?.[field];
        // Responses echoes what it applied: another value (beyond a float's rounding) says the sent one was not taken.
        if (typeof echoed === 'number' && typeof sent === 'number' && Math.abs(echoed - sent) > 1e-6) {
          return { observed: 'ignored', detail: `HTTP ${seen.answer.status}, but the answer echoes ${field} ${echoed}, not the ${sent} sent` };
        }
        return { observed: 'accepted', detail: `HTTP ${seen.answer.status}` };
      }),
  };
  return definition;
}

export const samplingParamChecks: readonly CheckDefinition[] = [samplingCheck('params.temperature', 'temperature'), samplingCheck('params.top-p', 'top_p')];
