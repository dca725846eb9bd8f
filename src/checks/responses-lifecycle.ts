/**
 * @module checks/responses-lifecycle
 * The stateful side of the Responses API: a stored response can be fetched and deleted, `store: false` is not
 * kept, `previous_response_id` chains a second turn, `input_items` (documented unsupported, seeds/portkey), and
 * `background: true` returns at once and reaches a terminal status when polled (responses-background.ts).
 * A 404 proves nothing alone: an endpoint that keeps nothing, or serves no GET at all, answers 404 to every GET. So a
 * 404 after DELETE counts only when the response was fetched before it and the DELETE succeeded, and a 404 to a
 * store: false response only when a stored one was fetched in the same run (responses.lifecycle, the control).
 * A 4xx in not-found words ("Response with id 'x' does not exist") weighs as a 404 does.
 */
import { isRecord } from '../transport/body.ts';
import { answerText } from './answer-text.ts';
import { budgetSpent, limitOf } from './budget.ts';
import { answerOf, notObservable, sentBody, stepOf, unreadableAnswer, type Answer } from './answer.ts';
import { responsesBackgroundCheck } from './responses-background.ts';
import { evidenceOf, inconclusive, judge, settleWithout, type CompletedOutcome } from './judge.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { CaseOutcome, CheckDefinition, CheckInput, CheckResult, Evidence, Observed } from './types.ts';

const API = 'responses' as const;

/**
 * A step's answer as the endpoint's reply to that step. A refusal (a 405, "not on this route", a 400 "Response with id
 * 'x' does not exist", which the classifier reads as the model unknown) after the same case created a response on
 * the same route cannot mean the model is not served there: it is the endpoint's answer to the GET, DELETE or chained
 * turn, so it is judged as a rejection, never `unsupported`. A 404 counts so even without that create.
 */
function answerTo(outcome: CompletedOutcome, exchange: Exchange, created: string): Answer {
  const answer = answerOf(exchange);
  if (answer.kind !== 'refused') return answer;
  const served = answer.status === 404 || outcome.exchanges.some((ex) => ex.step === created && ex.prefix === exchange.prefix && answerOf(ex).kind === 'ok');
  return served ? { kind: 'rejected', status: answer.status, message: answer.message } : answer;
}

/**
 * Whether a rejection says the response is not there: a 404, or a 4xx whose not-found words name a response by its
 * id (`resp_...`, "Response with id", `param: response_id`: Mantle-style 400s); "Header 'x-response-region' not
 * found" is about something else.
 */
const saysNotFound = (answer: Extract<Answer, { kind: 'rejected' }>): boolean =>
  answer.status === 404 || (/\bdoes not exist\b|\bnot found\b/i.test(answer.message) && (answer.param === 'response_id' || /\bresp_[A-Za-z0-9]|\bresponse with id\b/i.test(answer.message)));

/** Reads one step: a 2xx is handed to `observe`, a 4xx becomes `onRejected`'s value (or an error when it has none). */
function stepCheck(
  definition: Omit<CheckDefinition, 'run'>,
  step: string,
  observe: (body: Record<string, unknown> | undefined, input: CheckInput) => { observed: Observed; detail: string },
  onRejected?: (status: number, message: string, outcome: CompletedOutcome) => { observed: Observed; detail: string },
): CheckDefinition {
  const check: CheckDefinition = {
    ...definition,
    run(input): CheckResult {
      const found = stepOf(input, step);
      if ('settled' in found) return found.settled;
      const answer = answerTo(found.outcome, found.exchange, 'create');
      const evidence = found.outcome.exchanges.map((ex) => evidenceOf(found.caseId, ex));
      if (answer.kind === 'ok') {
        // An id or an object read from a body that is not a JSON object is none: no finding, nothing observed.
        if (!answer.body) return unreadableAnswer(input, answer, evidence);
        const { observed, detail } = observe(answer.body, input);
        return judge(check, input, observed, evidence, detail);
      }
      if (answer.kind === 'rejected' && onRejected) {
        const { observed, detail } = onRejected(answer.status, answer.message, found.outcome);
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

const only = (input: CheckInput, outcomes: readonly CaseOutcome[]): CheckInput => ({ ...input, outcomes });

/** How many times a polled step was asked (a GET right after create is asked again while it answers 404). */
function attemptsOf(outcome: CompletedOutcome, step: string): string {
  const count = outcome.exchanges.filter((ex) => ex.step === step).length;
  return count > 1 ? ` (${count} attempts)` : '';
}

/** Whether the `get` step of a completed case fetched the response its `create` step made: undefined when it did. */
function notFetched(input: CheckInput, outcome: CompletedOutcome): string | undefined {
  const scoped = only(input, [outcome]);
  const found = stepOf(scoped, 'get');
  if ('settled' in found) return found.settled.reason;
  const answer = answerOf(found.exchange);
  if (answer.kind !== 'ok') return `its GET answered ${describe(answer)}${attemptsOf(outcome, 'get')}`;
  const created = idOf(scoped, 'create');
  return answer.body?.id === created ? undefined : `its GET returned id ${JSON.stringify(answer.body?.id)}, not ${JSON.stringify(created)}`;
}

const describe = (answer: Answer): string => ('message' in answer ? `${answer.status ?? 'no status'}: ${answer.message}` : String(answer.status));

export const responsesLifecycleChecks: readonly CheckDefinition[] = [
  stepCheck(
    {
      id: 'responses.retrieve',
      title: 'A stored response can be fetched with GET /responses/{id}',
      api: API,
      vocabulary: ['retrievable', 'not-retrievable'],
      reference: { value: 'retrievable', source: 'openai-reference: store defaults to true; GET /responses/{id} returns it' },
      readsSteps: ['create', 'get'],
    },
    'get',
    (body, input) => (body?.id === idOf(input, 'create') ? { observed: 'retrievable', detail: 'GET returned the same id' } : { observed: 'not-retrievable', detail: `GET returned id ${JSON.stringify(body?.id)}` }),
    (status, message, outcome) => ({ observed: 'not-retrievable', detail: `GET answered ${status}: ${message}${attemptsOf(outcome, 'get')}` }),
  ),
  deleteCheck(),
  storeFalseCheck(),
  previousResponseCheck(),
  stepCheck(
    {
      id: 'responses.input-items',
      title: 'GET /responses/{id}/input_items lists the input of a stored response',
      api: API,
      vocabulary: ['supported', 'unsupported'],
      reference: { value: 'supported', source: 'openai-reference: GET /responses/{id}/input_items' },
      // `create` too: a refusal of the GET is the endpoint's answer only after the case created a response (answerTo).
      readsSteps: ['create', 'items'],
    },
    'items',
    (body) => (body?.object === 'list' ? { observed: 'supported', detail: 'a list came back' } : { observed: 'unsupported', detail: `a 2xx without a list: ${JSON.stringify(body?.object)}` }),
    (status, message) => ({ observed: 'unsupported', detail: `${status}: ${message}` }),
  ),
  responsesBackgroundCheck(),
];

/**
 * A GET after DELETE that still returns the response is `not-deleted`, and so is a DELETE refused when the GET after
 * it is no not-found. Its 404 is `deleted` only when the response was fetched before the DELETE and the DELETE
 * answered 2xx: otherwise the 404 may be all the endpoint ever answers.
 */
function deleteCheck(): CheckDefinition {
  const definition: CheckDefinition = {
    id: 'responses.delete',
    title: 'DELETE /responses/{id} removes a stored response (a GET afterwards is a 404)',
    api: API,
    vocabulary: ['deleted', 'not-deleted'],
    reference: { value: 'deleted', source: 'openai-reference: DELETE /responses/{id}' },
    // Not `get`: it only tells a 404 after the DELETE from a response that was never retrievable.
    readsSteps: ['create', 'delete', 'get-after-delete'],
    run(input) {
      const found = stepOf(input, 'get-after-delete');
      if ('settled' in found) return found.settled;
      const evidence = found.outcome.exchanges.map((ex) => evidenceOf(found.caseId, ex));
      const after = answerTo(found.outcome, found.exchange, 'create');
      if (after.kind === 'ok') return judge(definition, input, 'not-deleted', evidence, 'GET after DELETE still returns the response');
      if (after.kind !== 'rejected') return notObservable(input, after, evidence);
      const deleted = stepOf(input, 'delete');
      if ('settled' in deleted) return deleted.settled;
      const answer = answerTo(deleted.outcome, deleted.exchange, 'create');
      if (answer.kind === 'broken') return notObservable(input, answer, evidence);
      const before = notFetched(input, found.outcome);
      const gone = saysNotFound(after);
      if (!gone) {
        // A GET after DELETE that is no answer about the response: the DELETE's own refusal is what was observed.
        if (answer.kind !== 'ok') return judge(definition, input, 'not-deleted', evidence, `the DELETE answered ${describe(answer)}; GET after DELETE answered ${after.status}`);
        if (before) return inconclusive(input, `GET after DELETE answered ${describe(after)}, and the response was not fetched before the DELETE either (${before}): whether the DELETE removed it cannot be told`, evidence);
        return judge(definition, input, 'not-deleted', evidence, `GET after DELETE answered ${after.status}`);
      }
      if (before) return inconclusive(input, `GET after DELETE answered ${after.status}, but the response was not fetched before the DELETE either (${before}): the ${after.status} does not show the DELETE removed it`, evidence);
      if (answer.kind !== 'ok') return inconclusive(input, `the DELETE answered ${describe(answer)}, yet the GET afterwards answered ${after.status}: whether the DELETE removed it cannot be told`, evidence);
      return judge(definition, input, 'deleted', evidence, `fetched before, DELETE answered 2xx, GET after DELETE answered ${after.status === 404 ? '404' : describe(after)}`);
    },
  };
  return definition;
}

/** Whether a completed case created its response with store: false (the case under test, not the control). */
const sentStoreFalse = (outcome: CaseOutcome): boolean => outcome.kind === 'completed' && outcome.exchanges.some((ex) => ex.step === 'create' && sentBody(ex).store === false);

/**
 * A store: false response that a GET returns is `retrievable`. A 404 to it is `not-retrievable` only when a stored
 * response (responses.lifecycle, fed to this check too) was fetched in the same run; without that control the 404
 * may be an endpoint that keeps nothing or serves no GET.
 */
function storeFalseCheck(): CheckDefinition {
  const definition: CheckDefinition = {
    id: 'responses.store-false',
    title: 'A response created with store: false cannot be fetched',
    api: API,
    vocabulary: ['not-retrievable', 'retrievable'],
    reference: { value: 'not-retrievable', source: 'openai-reference: store: false responses are not kept' },
    readsSteps: ['create', 'get'],
    run(input) {
      const subject = input.outcomes.find((o): o is CompletedOutcome => sentStoreFalse(o));
      const controls = input.outcomes.filter((o) => o !== subject && !sentStoreFalse(o));
      if (!subject) return settleWithout(only(input, input.outcomes.filter((o) => o.kind !== 'completed')));
      const scoped = only(input, [subject]);
      const found = stepOf(scoped, 'get');
      if ('settled' in found) return found.settled;
      const evidence = subject.exchanges.map((ex) => evidenceOf(subject.caseId, ex));
      const answer = answerTo(subject, found.exchange, 'create');
      if (answer.kind === 'ok') return judge(definition, input, 'retrievable', evidence, 'GET returned the response although it was created with store: false');
      if (answer.kind !== 'rejected') return notObservable(input, answer, evidence);
      const detail = `GET answered ${answer.status}: ${answer.message}${attemptsOf(subject, 'get')}`;
      const control = controlFetched(input, controls, evidence, subject.exchanges.filter((ex) => ex.step === 'get').length, answer.status);
      if (typeof control !== 'string') return control;
      return judge(definition, input, 'not-retrievable', [...evidence, ...controlEvidence(controls)], `${detail}; ${control}`);
    },
  };
  return definition;
}

/** What shows a stored response can be fetched in this run (a sentence), or the verdict when nothing does. */
function controlFetched(input: CheckInput, controls: readonly CaseOutcome[], evidence: Evidence[], asked: number, status: number): string | CheckResult {
  const completed = controls.find((o): o is CompletedOutcome => o.kind === 'completed');
  const without = `so the ${status} does not show that store: false was honoured`;
  if (!completed) {
    if (controls.length === 0) return inconclusive(input, `nothing in this run fetched a stored response (responses.lifecycle not run), ${without}`, evidence);
    const settled = settleWithout(only(input, controls));
    if (settled.status === 'error') return { ...settled, reason: `could not observe the control, a stored response fetched in ${controls[0]!.caseId}: ${settled.reason}` };
    // A stop or a spend cap left the control unrun: the run's doing, not the model's (README, "Runs cut short").
    if (settled.status === 'skipped') return { ...settled, reason: `the control, a stored response fetched in ${controls[0]!.caseId}, was not run (${settled.reason}), so the ${status} shows nothing yet`, evidence };
    return inconclusive(input, `no stored response was fetched in this run (${controls[0]!.caseId}: ${settled.status}, ${settled.reason}), ${without}`, evidence);
  }
  const why = notFetched(input, completed);
  if (why) return inconclusive(input, `a stored response was not fetched in this run either (${completed.caseId}: ${why}), ${without}`, evidence);
  // A stored response readable only after some 404s (read-after-write lag): a 404 asked fewer times may be the lag.
  const took = completed.exchanges.filter((ex) => ex.step === 'get').length;
  if (took > asked) return inconclusive(input, `a stored response was fetched in ${completed.caseId} only at attempt ${took}, and this GET was asked ${asked} time(s), ${without}`, evidence);
  return `a stored response was fetched in ${completed.caseId}${took > 1 ? ` at attempt ${took}` : ''}`;
}

function controlEvidence(controls: readonly CaseOutcome[]): Evidence[] {
  const completed = controls.find((o): o is CompletedOutcome => o.kind === 'completed');
  const get = completed?.exchanges.filter((ex) => ex.step === 'get' && ex.response && ex.response.status < 300).at(-1);
  return completed && get ? [evidenceOf(completed.caseId, get)] : [];
}

/** The name the first turn gives, which the second asks for (suites/responses.suite.yaml, responses.chain). */
const NAME = /\bMy name is (\w+)/i;

/**
 * The second turn must echo the id and be answered with the first in mind: the suite gives a name in the first turn
 * and asks for it in the second. An echoed id whose answer does not name it is `ignored` when the usage shows the
 * history was not sent to the model (historyDropped), else `inconclusive`: the model may have ignored it (or spent its
 * budget), which its words cannot tell apart from an endpoint that dropped the history.
 */
function previousResponseCheck(): CheckDefinition {
  const definition: CheckDefinition = {
    id: 'responses.previous-response-id',
    title: 'A second turn with previous_response_id is accepted, echoes the id and is answered with the first turn in mind',
    api: API,
    vocabulary: ['echoed', 'ignored', 'rejected'],
    reference: { value: 'echoed', source: 'openai-reference: previous_response_id chains turns and is echoed' },
    readsSteps: ['first', 'second'],
    // Whether the answer names the name is the model's doing too: judged on every trial of a repeated run.
    dependsOnModel: true,
    run(input) {
      const found = stepOf(input, 'second');
      if ('settled' in found) return found.settled;
      const evidence = found.outcome.exchanges.map((ex) => evidenceOf(found.caseId, ex));
      const answer = answerTo(found.outcome, found.exchange, 'first');
      if (answer.kind === 'rejected') return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
      if (answer.kind !== 'ok') return notObservable(input, answer, evidence);
      if (!answer.body) return unreadableAnswer(input, answer, evidence);
      const first = idOf(input, 'first');
      const echoed = answer.body.previous_response_id;
      if (echoed !== first) return judge(definition, input, 'ignored', evidence, `accepted, but previous_response_id is ${JSON.stringify(echoed)}`);
      const firstStep = found.outcome.exchanges.find((ex) => ex.step === 'first');
      const name = firstStep ? NAME.exec(JSON.stringify(sentBody(firstStep).input ?? ''))?.[1] : undefined;
      if (!name) return judge(definition, input, 'echoed', evidence, `previous_response_id ${String(first)} (the first turn gives no name to ask for)`);
      const said = answerText(answer.body);
      if (new RegExp(`\\b${name}\\b`, 'i').test(said)) return judge(definition, input, 'echoed', evidence, `previous_response_id ${String(first)}, and the answer names ${name}`);
      const head = `previous_response_id ${String(first)} is echoed, but the answer does not name ${name} (${JSON.stringify(said.slice(0, 80))})`;
      // Read even from an answer its budget cut: the input it counts is no choice of the model's.
      const dropped = firstStep ? historyDropped(answerOf(firstStep), answer.body, sentBody(firstStep)) : undefined;
      if (dropped) return judge(definition, input, 'ignored', evidence, `${head}, and ${dropped}`);
      const spent = budgetSpent(answer.body, limitOf(sentBody(found.exchange)));
      return inconclusive(input, `${head}: ${spent ? `${spent}, so it could not say the name` : 'the history may have been dropped, or the model ignored it'}`, evidence);
    },
  };
  return definition;
}

const inputTokens = (body: Record<string, unknown> | undefined) => (body && isRecord(body.usage) && typeof body.usage.input_tokens === 'number' ? body.usage.input_tokens : undefined);

/** Input tokens the usage counts as read from or written to a cache (some endpoints keep them out of input_tokens), any at all. */
function cachedTokens(body: Record<string, unknown>): boolean {
  const usage = isRecord(body.usage) ? body.usage : {};
  const details = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const counts = [details.cached_tokens, details.cache_write_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens];
  return counts.some((n) => typeof n === 'number' && n > 0) || isRecord(usage.cache_creation);
}

/**
 * How the usage shows the second turn reached the model without the first, or undefined when it cannot tell. A signal
 * the model cannot affect: with the history, the second turn's input is the first turn's input, its answer and the
 * new input, so more tokens than the first turn's input alone; no more than that, and the history was not sent.
 */
function historyDropped(first: Answer, second: Record<string, unknown>, firstRequest: Record<string, unknown>): string | undefined {
  const before = first.kind === 'ok' ? inputTokens(first.body) : undefined;
  const after = inputTokens(second);
  // It cannot tell: a count of 0 (usage an endpoint does not keep), cached tokens some endpoints count apart from
  // input_tokens (Anthropic and Bedrock do), or first-turn instructions, which a chained turn does not carry.
  if (!before || !after || cachedTokens(second) || firstRequest.instructions !== undefined) return undefined;
  if (after > before) return undefined;
  return `its usage counts ${after} input token(s), no more than the ${before} of the first turn alone: the history was not sent to the model`;
}
