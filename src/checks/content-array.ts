/**
 * @module checks/content-array
 * Whether array-form message content (`[{"type":"text",...}]`) is accepted. A rejection can hide inside a 200:
 * a Responses object with `status: "failed"` (grafana/ai-sdk #207) counts as rejected.
 */
import { acceptanceCheck, failedResponse } from './answer.ts';
import type { CheckDefinition } from './types.ts';

const reference = { value: 'accepted', source: 'openai-reference: message content may be a string or an array of content parts' };

export const contentArrayChecks: readonly CheckDefinition[] = [
  acceptanceCheck({ id: 'content.array.chat', title: 'Whether chat messages with array-form content parts are accepted', api: 'chat-completions', reference }),
  acceptanceCheck({
    id: 'content.array.responses',
    title: 'Whether Responses input with array-form content parts is accepted (a 200 with status "failed" is a rejection)',
    api: 'responses',
    reference,
    failedInside: failedResponse,
  }),
];
