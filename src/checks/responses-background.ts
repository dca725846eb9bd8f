/**
 * @module checks/responses-background
 * `background: true` returns at once (queued or in progress) and reaches a terminal status when polled with GET.
 * The harness polls for a bounded time (suites/responses.suite.yaml: about 90 s, longer than a cold start) for a
 * short answer (16 tokens): one still queued or in progress when it stops is `not-terminal`, and the reason names the wait
 * (the harness cannot wait forever, and a check that an endpoint stuck for good could never fail is no check). So is
 * a status the API does not have, none, or a response that the GET no longer finds after it was found (a 404 before
 * the first 2xx is polled again: read-after-write lag). One that ends `incomplete` (the budget spent, a content
 * filter) reached its terminal status, yet completing was not seen: `inconclusive`, naming why it ended. A 4xx is
 * `rejected` only when it names background (checks/rejection-topic.ts); one about another field is `inconclusive`.
 */
import { answerOf, judgeRejection, notObservable, sentBody, stepOf, unreadableAnswer } from './answer.ts';
import { isRecord } from '../transport/body.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { contentFilterOf } from './content-filter.ts';
import { evidenceOf, inconclusive, judge } from './judge.ts';
import type { CheckDefinition } from './types.ts';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'incomplete']);
/** Statuses of a background response on its way. */
const UNDER_WAY = new Set(['queued', 'in_progress']);

/** Why a Response ended incomplete, as its body says: the content filter named, else incomplete_details.reason. */
function endedBy(body: Record<string, unknown>): string {
  const filtered = contentFilterOf(body);
  if (filtered) return `by the endpoint's content filter (${filtered})`;
  const reason = isRecord(body.incomplete_details) ? body.incomplete_details.reason : undefined;
  return reason === undefined ? 'with no incomplete_details.reason' : `with incomplete_details.reason ${JSON.stringify(reason)}`;
}

/** The responses.background check: a background response is queued, then polled with GET to a terminal status. */
export function responsesBackgroundCheck(): CheckDefinition {
  const definition: CheckDefinition = {
    id: 'responses.background',
    title: 'background: true returns at once and reaches a terminal status when polled',
    api: 'responses',
    vocabulary: ['completed', 'failed', 'not-terminal', 'returned-completed', 'rejected'],
    reference: { value: 'completed', source: 'openai-reference: background responses are queued, then polled with GET' },
    // Without a `poll` step there is nothing polled: "not-terminal" would be the case's doing.
    readsSteps: ['create', 'poll'],
    // The model may spend its budget (inconclusive): each trial of a repeated run is judged, so others may still tell.
    dependsOnModel: true,
    run(input) {
      const created = stepOf(input, 'create');
      if ('settled' in created) return created.settled;
      const answer = answerOf(created.exchange);
      const evidence = created.outcome.exchanges.map((ex) => evidenceOf(created.caseId, ex));
      // Only a refusal that names background is runtime's documented "refuses it": one of the input, the model or
      // a bound the request sent says nothing of background, and on Mantle it would fail the gate for it.
      if (answer.kind === 'rejected') return judgeRejection(definition, input, answer, sentBody(created.exchange), ['background'], 'background', evidence, true);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      // A status read from a body that is not a JSON object would be "undefined": neither terminal nor under way.
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const first = String(answer.body.status);
      if (TERMINAL.has(first)) return judge(definition, input, 'returned-completed', evidence, `the create call answered with status ${first}: background was not honoured`);
      const polls = created.outcome.exchanges.filter((ex) => ex.step === 'poll');
      const last = polls.at(-1);
      const final = last ? answerOf(last) : undefined;
      if (final?.kind === 'broken') return notObservable(input, final, evidence);
      if (final?.kind === 'ok' && !final.body) return unreadableAnswer(input, final, evidence);
      const status = final?.kind === 'ok' ? String(final.body?.status) : undefined;
      const detail = `created ${first}, ${polls.length} poll(s), last status ${status ?? (final && 'status' in final ? `none (HTTP ${final.status})` : 'none')}`;
      if (status === 'completed') return judge(definition, input, 'completed', evidence, detail);
      // A reasoning model may spend the whole budget: the Response ends incomplete, which says nothing of background.
      const spent = status === 'incomplete' && final?.kind === 'ok' && final.body ? budgetSpent(final.body, limitOf(sentBody(created.exchange))) : undefined;
      if (spent) return inconclusive(input, `${detail}; ${spent}`, evidence);
      // Ended incomplete by the endpoint's content filter (on "Reply with the word OK."): queued, polled and terminal
      // all happened, so background did its part, but whether it completes was not seen; the filter is the answer's
      // matter (answer.* name it). Any other reason the budget did not excuse (interrupted) is the endpoint's: failed.
      if (status === 'incomplete' && final?.kind === 'ok' && final.body && contentFilterOf(final.body)) return inconclusive(input, `${detail}: background reached a terminal status, but the answer ended ${endedBy(final.body)}, so whether it completes was not seen`, evidence);
      if (status && TERMINAL.has(status)) return judge(definition, input, 'failed', evidence, detail);
      if (status && UNDER_WAY.has(status)) {
        const waited = last?.note ?? `the harness stopped polling after ${polls.length} attempt(s)`;
        const limit = limitOf(sentBody(created.exchange));
        return judge(definition, input, 'not-terminal', evidence, `${detail}: still under way when ${waited}${limit === undefined ? '' : `, for a ${limit}-token answer`}`);
      }
      return judge(definition, input, 'not-terminal', evidence, detail);
    },
  };
  return definition;
}
