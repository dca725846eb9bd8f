/**
 * @module checks/defaults
 * The server's defaults, read from the Responses object, which echoes `temperature`, `top_p` and
 * `max_output_tokens`. Only meaningful when the request omitted the parameter, which the check verifies.
 */
import { isRecord, jsonObject, parseJsonText } from '../transport/body.ts';
import { successfulExchange } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import type { CheckDefinition } from './types.ts';

function defaultsCheck(id: string, field: string): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `The \`${field}\` the Responses API echoes when the request omits it`,
    api: 'responses',
    vocabulary: 'number-or-null',
    run(input) {
      const found = successfulExchange(input);
      if ('settled' in found) return found.settled;
      const sent = found.exchange.request.body ? parseJsonText(found.exchange.request.body) : undefined;
      if (sent?.ok && isRecord(sent.value) && field in sent.value) {
        return {
          status: 'error',
          observed: null,
          expected: input.expectation?.value ?? null,
          reason: `case ${found.caseId} sets ${field}; ${id} needs a request that omits it (fix the suite)`,
          evidence: [evidenceOf(found.caseId, found.exchange)],
        };
      }
      const body = jsonObject(found.exchange.response);
      // The Response object always carries the field (a number, or null for no default): an explicit null is observed;
      // an absent field or one of another type is the endpoint's answer showing no default: nothing observed (an
      // error, as the endpoint, not the model, left it out; schema.response judges the field itself).
      if (!body) return unobserved(input, `could not observe: HTTP ${found.exchange.response?.status} with a body that is not a JSON object, so no ${field} can be read`, [evidenceOf(found.caseId, found.exchange)]);
      if (!(field in body)) {
        const detail = `the response does not echo ${field}`;
        return unobserved(input, `could not observe: ${detail}, so its default is not observed`, [evidenceOf(found.caseId, found.exchange, detail)]);
      }
      const value = body[field];
      const detail = `${field}: ${JSON.stringify(value)}`;
      if (value !== null && typeof value !== 'number') {
        return unobserved(input, `could not observe: ${detail} is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a number or null, so no default is observed`, [evidenceOf(found.caseId, found.exchange, detail)]);
      }
      return judge(definition, input, value, [evidenceOf(found.caseId, found.exchange, detail)], detail);
    },
  };
  return definition;
}

export const defaultsChecks: readonly CheckDefinition[] = [
  defaultsCheck('defaults.temperature', 'temperature'),
  defaultsCheck('defaults.top-p', 'top_p'),
  defaultsCheck('defaults.max-output-tokens', 'max_output_tokens'),
];
