/**
 * @module checks/created-at
 * The raw lexeme of `created` (Chat Completions) and `created_at` (Responses). The OpenAI spec types them as
 * integer seconds; Mantle has been seen sending `1.772195752e+09`, which strict SDKs cannot parse.
 */
import { excerpt, isRecord, losslessBody, NESTED_TOO_DEEP } from '../transport/body.ts';
import type { Exchange } from '../transport/exchange.ts';
import { answeredExchanges, answeringExchange, stalledAnswer, successfulExchange } from './answer.ts';
import { evidenceOf, judge, unobserved, type CompletedOutcome } from './judge.ts';
import { LEXEME_KINDS, lexemeKind, type LexemeKind } from './lexeme.ts';
import type { CheckDefinition, CheckInput, Evidence } from './types.ts';

/** What one 2xx says of the field: its kind and lexeme, or why its body cannot be read (`unreadable`). */
interface Reading {
  exchange: Exchange;
  /** The exchange the sdk.* checks read: the step's last 2xx (answeringExchange). */
  readBySdk: boolean;
  evidence: Evidence;
  kind?: LexemeKind;
  detail: string;
  unreadable?: string;
}

function readOne(caseId: string, exchange: Exchange, field: string, readBySdk: boolean): Reading {
  const parsed = losslessBody(exchange.response!);
  if (!parsed.ok && parsed.tooDeep) return { exchange, readBySdk, evidence: evidenceOf(caseId, exchange), detail: NESTED_TOO_DEEP, unreadable: `the 2xx body is ${NESTED_TOO_DEEP}` };
  // No field can be read in it: not `missing` (an expectation of missing would pass on a broken body), as the other
  // checks that read a 2xx's values say. schema.* and sdk.* judge such a body.
  if (!parsed.ok || !isRecord(parsed.value)) {
    const why = `the 2xx body is not a JSON object (${parsed.ok ? 'not an object' : parsed.error})`;
    return { exchange, readBySdk, evidence: evidenceOf(caseId, exchange), detail: why, unreadable: why };
  }
  const { kind, lexeme } = lexemeKind(parsed.value[field]);
  return { exchange, readBySdk, evidence: evidenceOf(caseId, exchange, lexeme === null ? `no "${field}"` : `"${field}": ${lexeme}`), kind, detail: `${field} = ${lexeme === null ? 'absent' : excerpt(lexeme, 60)}` };
}

/** Every 2xx of the probe, in probe order: one per prefix that served it. */
function readings(input: CheckInput, field: string): Reading[] {
  const completed = input.outcomes.filter((o): o is CompletedOutcome => o.kind === 'completed');
  return completed.flatMap((outcome) => {
    const read = answeringExchange(outcome);
    return answeredExchanges(outcome).map((ex) => readOne(outcome.caseId, ex, field, ex === read));
  });
}

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
      const seen = readings(input, field);
      // The probe asks every prefix and a client is pointed at one of them: prefixes that disagree (MANTLE.md: the
      // lexeme has differed by route) send the non-integer to the clients of one, so the cell says the worst seen,
      // the sdk.* checks' exchange's when it is one (the two then agree), and the reason what each other prefix
      // sent. All integers but an unreadable prefix leave the integer unproven there: nothing is observed.
      const deviates = (r: Reading) => r.kind !== undefined && r.kind !== 'integer';
      const deviating = seen.find((r) => r.readBySdk && deviates(r)) ?? seen.find(deviates);
      const unreadable = seen.find((r) => r.unreadable !== undefined);
      // A prefix whose 2xx stalled was not read (stalled-body.ts): the integer is unproven there too.
      const stall = deviating ? undefined : input.outcomes.flatMap((o) => (o.kind === 'completed' ? [{ caseId: o.caseId, at: stalledAnswer(o) }] : [])).find((s) => s.at);
      if (stall?.at) return unobserved(input, stall.at.reason, [evidenceOf(stall.caseId, stall.at.exchange)]);
      const shown = deviating ?? (unreadable ? undefined : seen[0]);
      if (!shown?.kind) return unobserved(input, `could not observe: ${unreadable?.exchange.request.path ?? 'the probe'}: ${unreadable?.unreadable ?? 'no 2xx'}`, unreadable ? [unreadable.evidence] : []);
      const others = seen.filter((r) => r !== shown && (r.kind !== shown.kind || r.unreadable));
      const also = others.map((r) => `; ${r.exchange.request.path}: ${r.unreadable ?? `${r.detail} (${r.kind})`}`).join('');
      const where = others.length ? ` on ${shown.exchange.request.path}` : '';
      return judge(definition, input, shown.kind, [shown, ...others].map((r) => r.evidence), `${shown.detail}${where}${also}`);
    },
  };
  return definition;
}

export const createdAtChecks: readonly CheckDefinition[] = [
  createdAtCheck('created-at.chat', 'created', 'chat-completions'),
  createdAtCheck('created-at.responses', 'created_at', 'responses'),
];
