/**
 * @module checks/created-at
 * The raw lexeme of `created` (Chat Completions) and `created_at` (Responses). The OpenAI spec types them as
 * integer seconds; Mantle has been seen sending `1.772195752e+09`, which strict SDKs cannot parse.
 */
import { isRecord, losslessBody, NESTED_TOO_DEEP } from '../transport/body.ts';
import { successfulExchange } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import { LEXEME_KINDS, lexemeKind } from './lexeme.ts';
import type { CheckDefinition } from './types.ts';

function createdAtCheck(id: string, field: 'created' | 'created_at', api: 'chat-completions' | 'responses'): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title: `The JSON lexeme of \`${field}\` in a ${api === 'responses' ? 'Responses' : 'Chat Completions'} body`,
    api,
    vocabulary: LEXEME_KINDS,
    reference: {
      value: 'integer',
      source: `openai-reference: ${api === 'responses' ? 'response.created_at' : 'chat.completion.created'} is Unix seconds; strict SDKs read an integer`,
    },
    run(input) {
      const found = successfulExchange(input);
      if ('settled' in found) return found.settled;
      const parsed = losslessBody(found.exchange.response!);
      if (!parsed.ok && parsed.tooDeep) return unobserved(input, `could not observe: the 2xx body is ${NESTED_TOO_DEEP}`, [evidenceOf(found.caseId, found.exchange)]);
      if (!parsed.ok || !isRecord(parsed.value)) {
        // Judged like any value: an expectation that allows `missing` is met, one that does not fails.
        const why = `the 2xx body is not a JSON object (${parsed.ok ? 'not an object' : parsed.error})`;
        return judge(definition, input, 'missing', [evidenceOf(found.caseId, found.exchange)], why);
      }
      const { kind, lexeme } = lexemeKind(parsed.value[field]);
      const excerpt = lexeme === null ? `no "${field}"` : `"${field}": ${lexeme}`;
      return judge(definition, input, kind, [evidenceOf(found.caseId, found.exchange, excerpt)], `${field} = ${lexeme ?? 'absent'}`);
    },
  };
  return definition;
}

export const createdAtChecks: readonly CheckDefinition[] = [
  createdAtCheck('created-at.chat', 'created', 'chat-completions'),
  createdAtCheck('created-at.responses', 'created_at', 'responses'),
];
