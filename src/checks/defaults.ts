/**
 * @module checks/defaults
 * The server's defaults, read from the Responses object, which echoes `temperature`, `top_p` and
 * `max_output_tokens`. Only meaningful when the request omitted the parameter, which the check verifies.
 */
import { isRecord, jsonObject, parseJsonText } from '../transport/body.ts';
import { successfulExchange } from './answer.ts';
import { evidenceOf, judge } from './judge.ts';
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
      const body = jsonObject(found.exchange.response) ?? {};
      const value = body[field];
      const observed = typeof value === 'number' ? value : null;
      const detail = field in body ? `${field}: ${JSON.stringify(value)}` : `the response does not echo ${field}`;
      return judge(definition, input, observed, [evidenceOf(found.caseId, found.exchange, detail)], detail);
    },
  };
  return definition;
}

export const defaultsChecks: readonly CheckDefinition[] = [
  defaultsCheck('defaults.temperature', 'temperature'),
  defaultsCheck('defaults.top-p', 'top_p'),
  defaultsCheck('defaults.max-output-tokens', 'max_output_tokens'),
];
