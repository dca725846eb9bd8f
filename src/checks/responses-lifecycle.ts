/**
 * @module checks/responses-lifecycle
 * The stateful side of the Responses API: a stored response can be fetched and deleted, `store: false` is not
 * kept, `previous_response_id` chains a second turn, `input_items` (documented unsupported, seeds/portkey), and
 * `background: true` returns at once and reaches a terminal status when polled.
 */
import { answerOf, notObservable, sentBody, stepOf } from './answer.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { evidenceOf, inconclusive, judge } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult, Observed } from './types.ts';

const API = 'responses' as const;

/** Reads one step: a 2xx is handed to `observe`, a 4xx becomes `onRejected`'s value (or an error when it has none). */
function stepCheck(
  definition: Omit<CheckDefinition, 'run'>,
  step: string,
  observe: (body: Record<string, unknown> | undefined, input: CheckInput) => { observed: Observed; detail: string },
  onRejected?: (status: number, message: string) => { observed: Observed; detail: string },
): CheckDefinition {
  const check: CheckDefinition = {
    ...definition,
    run(input): CheckResult {
      const found = stepOf(input, step);
      if ('settled' in found) return found.settled;
      const answer = answerOf(found.exchange);
      const evidence = found.outcome.exchanges.map((ex) => evidenceOf(found.caseId, ex));
      if (answer.kind === 'ok') {
        const { observed, detail } = observe(answer.body, input);
        return judge(check, input, observed, evidence, detail);
      }
      if ((answer.kind === 'rejected' || (answer.kind === 'refused' && answer.status === 404)) && onRejected) {
        const { observed, detail } = onRejected(answer.status, answer.message);
        return judge(check, input, observed, evidence, detail);
      }
      return notObservable(input, answer, evidence);
    },
  };
  return check;
}

const idOf = (input: CheckInput, step: string): unknown => {
  const found = stepOf(input, step);
  if ('settled' in found) return undefined;
  const answer = answerOf(found.exchange);
  return answer.kind === 'ok' ? answer.body?.id : undefined;
};

export const responsesLifecycleChecks: readonly CheckDefinition[] = [
  stepCheck(
    {
      id: 'responses.retrieve',
      title: 'A stored response can be fetched with GET /responses/{id}',
      api: API,
      vocabulary: ['retrievable', 'not-retrievable'],
      reference: { value: 'retrievable', source: 'openai-reference: store defaults to true; GET /responses/{id} returns it' },
    },
    'get',
    (body, input) => (body?.id === idOf(input, 'create') ? { observed: 'retrievable', detail: 'GET returned the same id' } : { observed: 'not-retrievable', detail: `GET returned id ${JSON.stringify(body?.id)}` }),
    (status, message) => ({ observed: 'not-retrievable', detail: `GET answered ${status}: ${message}` }),
  ),
  stepCheck(
    {
      id: 'responses.delete',
      title: 'DELETE /responses/{id} removes a stored response (a GET afterwards is a 404)',
      api: API,
      vocabulary: ['deleted', 'not-deleted'],
      reference: { value: 'deleted', source: 'openai-reference: DELETE /responses/{id}' },
    },
    'get-after-delete',
    () => ({ observed: 'not-deleted', detail: 'GET after DELETE still returns the response' }),
    (status) => ({ observed: status === 404 ? 'deleted' : 'not-deleted', detail: `GET after DELETE answered ${status}` }),
  ),
  stepCheck(
    {
      id: 'responses.store-false',
      title: 'A response created with store: false cannot be fetched',
      api: API,
      vocabulary: ['not-retrievable', 'retrievable'],
      reference: { value: 'not-retrievable', source: 'openai-reference: store: false responses are not kept' },
    },
    'get',
    () => ({ observed: 'retrievable', detail: 'GET returned the response although it was created with store: false' }),
    (status, message) => ({ observed: 'not-retrievable', detail: `GET answered ${status}: ${message}` }),
  ),
  stepCheck(
    {
      id: 'responses.previous-response-id',
      title: 'A second turn with previous_response_id is accepted and echoes the id',
      api: API,
      vocabulary: ['echoed', 'ignored', 'rejected'],
      reference: { value: 'echoed', source: 'openai-reference: previous_response_id chains turns and is echoed' },
    },
    'second',
    (body, input) => {
      const first = idOf(input, 'first');
      return body?.previous_response_id === first
        ? { observed: 'echoed', detail: `previous_response_id ${String(first)}` }
        : { observed: 'ignored', detail: `accepted, but previous_response_id is ${JSON.stringify(body?.previous_response_id)}` };
    },
    (status, message) => ({ observed: 'rejected', detail: `${status}: ${message}` }),
  ),
  stepCheck(
    {
      id: 'responses.input-items',
      title: 'GET /responses/{id}/input_items lists the input of a stored response',
      api: API,
      vocabulary: ['supported', 'unsupported'],
      reference: { value: 'supported', source: 'openai-reference: GET /responses/{id}/input_items' },
    },
    'items',
    (body) => (body?.object === 'list' ? { observed: 'supported', detail: 'a list came back' } : { observed: 'unsupported', detail: `a 2xx without a list: ${JSON.stringify(body?.object)}` }),
    (status, message) => ({ observed: 'unsupported', detail: `${status}: ${message}` }),
  ),
  backgroundCheck(),
];

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'incomplete']);

function backgroundCheck(): CheckDefinition {
  const definition: CheckDefinition = {
    id: 'responses.background',
    title: 'background: true returns at once and reaches a terminal status when polled',
    api: API,
    vocabulary: ['completed', 'failed', 'not-terminal', 'returned-completed', 'rejected'],
    reference: { value: 'completed', source: 'openai-reference: background responses are queued, then polled with GET' },
    run(input) {
      const created = stepOf(input, 'create');
      if ('settled' in created) return created.settled;
      const answer = answerOf(created.exchange);
      const evidence = created.outcome.exchanges.map((ex) => evidenceOf(created.caseId, ex));
      if (answer.kind === 'rejected') return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      const first = String(answer.body?.status);
      if (TERMINAL.has(first)) return judge(definition, input, 'returned-completed', evidence, `the create call answered with status ${first}: background was not honoured`);
      const polls = created.outcome.exchanges.filter((ex) => ex.step === 'poll');
      const last = polls.at(-1);
      const final = last ? answerOf(last) : undefined;
      const status = final?.kind === 'ok' ? String(final.body?.status) : undefined;
      const detail = `created ${first}, ${polls.length} poll(s), last status ${status ?? 'none'}`;
      if (status === 'completed') return judge(definition, input, 'completed', evidence, detail);
      // A reasoning model may spend the whole budget: the Response ends incomplete, which says nothing of background.
      const spent = status === 'incomplete' && final?.kind === 'ok' && final.body ? budgetSpent(final.body, limitOf(sentBody(created.exchange))) : undefined;
      if (spent) return inconclusive(input, `${detail}; ${spent}`, evidence);
      if (status && TERMINAL.has(status)) return judge(definition, input, 'failed', evidence, detail);
      return judge(definition, input, 'not-terminal', evidence, detail);
    },
  };
  return definition;
}

