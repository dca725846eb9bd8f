/**
 * @module checks/content-array
 * Whether array-form message content (`[{"type":"text",...}]`) is accepted. A rejection can hide inside a 200:
 * a Responses object with `status: "failed"` (grafana/ai-sdk #207) counts as rejected.
 */
import { bodyText, isRecord, jsonObject } from '../transport/body.ts';
import { classifyResponse, refusesModel } from '../transport/classify-response.ts';
import { evidenceOf, judge, requireCompleted, stepExchange } from './judge.ts';
import type { CheckDefinition } from './types.ts';

function contentArrayCheck(id: string, api: 'chat-completions' | 'responses'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `Whether ${api === 'responses' ? 'Responses input' : 'chat messages'} with array-form content parts are accepted`,
    api,
    vocabulary: ['accepted', 'rejected'],
    reference: { value: 'accepted', source: 'openai-reference: message content may be a string or an array of content parts' },
    run(input) {
      const found = requireCompleted(input);
      if ('settled' in found) return found.settled;
      const exchange = stepExchange(found.outcome)!;
      const response = exchange.response!;
      const evidence = [evidenceOf(found.outcome.caseId, exchange)];
      if (response.status >= 200 && response.status < 300) {
        const body = jsonObject(response);
        if (body?.status === 'failed') {
          const error = isRecord(body.error) ? `${String(body.error.code ?? '')} ${String(body.error.message ?? '')}`.trim() : 'no error detail';
          return judge(definition, input, 'rejected', evidence, `HTTP ${response.status} with status "failed": ${error}`);
        }
        return judge(definition, input, 'accepted', evidence, `HTTP ${response.status}`);
      }
      const classification = classifyResponse(response.status, bodyText(response));
      if (refusesModel(classification.kind)) {
        return { status: 'unsupported', observed: null, expected: input.expectation?.value ?? null, reason: `the model does not serve ${api} here (${response.status})`, evidence };
      }
      if (classification.kind !== 'rejected') {
        return { status: 'error', observed: null, expected: input.expectation?.value ?? null, reason: `could not observe: HTTP ${response.status} ${classification.kind}`, evidence };
      }
      return judge(definition, input, 'rejected', evidence, `HTTP ${response.status}: ${classification.message ?? 'no message'}`);
    },
  };
  return definition;
}

export const contentArrayChecks: readonly CheckDefinition[] = [
  contentArrayCheck('content.array.chat', 'chat-completions'),
  contentArrayCheck('content.array.responses', 'responses'),
];
