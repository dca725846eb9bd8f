/** The JSON body a step sent (empty when it sent none). */
export function sentBody(exchange: Exchange): Record<string, unknown> {
  const sent = parseJsonText(exchange.request.body ?? '{}');
  return sent.ok && isRecord(sent.value) ? sent.value : {};
}

/**
 * @module checks/answer
 * Reading one step's answer the same way in every check: a 2xx with its body, a rejection (the endpoint's answer,
 * naming a parameter or not), a refusal (this route/API does not serve the model), or broken. And the verdict
 * scaffolding that follows from it, so that each check only says what it observes in a 2xx.
 */
import { isRecord, jsonBody, parseJsonText } from '../transport/body.ts';
import { classifyAnswer, refusesModel } from '../transport/classify-response.ts';
import { isStreamResponse, type Exchange } from '../transport/exchange.ts';
import { bermOnEveryRoute } from './access-denial.ts';
import { evidenceOf, inconclusive, judge, requireCompleted, settleWithout, unobserved, type CompletedOutcome } from './judge.ts';
import { routeGuessOf } from './route-guess.ts';
import { INCIDENTAL_FIELDS, offTopicRejection } from './rejection-topic.ts';
import { stalledBody } from './stalled-body.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence, Observed } from './types.ts';

export type Answer =
  | { kind: 'ok'; status: number; body: Record<string, unknown> | undefined }
  | { kind: 'rejected'; status: number; message: string; param?: string }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'broken'; status?: number; message: string };

export function answerOf(exchange: Exchange): Answer {
  if (exchange.error || !exchange.response) return { kind: 'broken', message: exchange.error ? `${exchange.error.code}: ${exchange.error.message}` : 'no response' };
  const { status } = exchange.response;
  const stalled = stalledBody(exchange.response);
  if (stalled) return { kind: 'broken', status, message: stalled };
  const classification = classifyAnswer(exchange.response);
  if (classification.kind === 'ok') {
    const parsed = jsonBody(exchange.response);
    return { kind: 'ok', status, body: parsed.ok && isRecord(parsed.value) ? parsed.value : undefined };
  }
  const message = classification.message ?? `HTTP ${status}`;
  if (refusesModel(classification.kind)) return { kind: 'refused', status, message };
  // An error in a 2xx is the endpoint saying no with the wrong status: a rejection (errors.* judge the status).
  if (classification.kind !== 'rejected' && classification.kind !== 'error-in-2xx') return { kind: 'broken', status, message: `HTTP ${status} ${classification.kind}: ${message}` };
  const parsed = jsonBody(exchange.response);
  const inner = parsed.ok && isRecord(parsed.value) && isRecord(parsed.value.error) ? parsed.value.error : undefined;
  const param = typeof inner?.param === 'string' ? inner.param : undefined;
  // The classification's message is the envelope's (always non-empty when there is one), else `HTTP <status>`.
  return { kind: 'rejected', status, message, ...(param ? { param } : {}) };
}

/**
 * The exchange that speaks for a step (default: the case's last): a probe sends one step to several prefixes, and a
 * refused bound is sent again, so the last 2xx of the step, else its last exchange. When no prefix answered 2xx and
 * the last one refused the model while another broke, the broken one: the prefix that broke may be the one that
 * serves the model, so which route serves it cannot be told (`error`, as successfulExchange decides for api.*).
 */
export function answeringExchange(outcome: CompletedOutcome, step?: string): Exchange | undefined {
  const name = step ?? outcome.exchanges.at(-1)?.step;
  const ofStep = outcome.exchanges.filter((ex) => ex.step === name);
  const ok = ofStep.filter((ex) => ex.response && ex.response.status < 300 && !ex.error).at(-1);
  if (ok) return ok;
  const last = ofStep.at(-1);
  if (last && answerOf(last).kind === 'refused') return ofStep.find((ex) => answerOf(ex).kind === 'broken') ?? last;
  return last;
}

/** The exchange of a step, or the verdict to give when the step was not sent. */
export function stepOf(input: CheckInput, step?: string): { caseId: string; exchange: Exchange; outcome: CompletedOutcome } | { settled: CheckResult } {
  const found = requireCompleted(input);
  if ('settled' in found) return found;
  const outcome = found.outcome;
  const exchange = answeringExchange(outcome, step);
  if (exchange) return { caseId: outcome.caseId, exchange, outcome };
  // A step at or after the one that broke was never observed: no verdict on its absence (run/observed-steps.ts).
  const broken = outcome.brokenStep;
  if (broken) return { settled: unobserved(input, `${broken.error.code}: step ${step} not observed: step ${broken.step} of case ${outcome.caseId} broke (${broken.error.message})`, outcome.exchanges.map((ex) => evidenceOf(outcome.caseId, ex))) };
  const reason = outcome.incomplete ? `step ${step} not sent: ${outcome.incomplete.reason}` : `case ${outcome.caseId} has no step ${step}`;
  // Cut short by a refusal on a route no probe found: the guess was wrong, which is no verdict and no skip.
  const refused = outcome.routeGuess ? outcome.exchanges.find((ex) => ex.response && !ex.error && refusesModel(classifyAnswer(ex.response).kind)) : undefined;
  if (outcome.routeGuess && refused) return { settled: unobserved(input, `could not observe: ${reason}; the endpoint refused the model on ${refused.request.path}: ${outcome.routeGuess}`, outcome.exchanges.map((ex) => evidenceOf(outcome.caseId, ex))) };
  // Not sent because an earlier answer left nothing to build it from: the endpoint's doing, not a suite's.
  const byAnswer = outcome.incomplete ? { skippedByAnswer: true as const } : {};
  return { settled: { status: 'skipped', observed: null, expected: input.expectation?.value ?? null, reason, evidence: outcome.exchanges.map((ex) => evidenceOf(outcome.caseId, ex)), ...byAnswer } };
}

export interface Observation {
  caseId: string;
  exchange: Exchange;
  outcome: CompletedOutcome;
  answer: Answer;
  evidence: Evidence[];
}

/** The step answeredExchanges and stalledAnswer read when none is named: the case's last. */
const lastStep = (outcome: CompletedOutcome): string | undefined => outcome.exchanges.at(-1)?.step;

/**
 * The 2xx answers of `step` (default: the case's last), in the order sent: a probe's are one per route prefix that
 * served it, and a client may be pointed at any of them (created-at.*, sdk.strict.* read them all).
 */
export function answeredExchanges(outcome: CompletedOutcome, step = lastStep(outcome)): Exchange[] {
  return outcome.exchanges.filter((ex) => ex.step === step && answerOf(ex).kind === 'ok');
}

/**
 * The first 2xx of `step` whose body stalled (stalledBody), which answeredExchanges leaves out (answerOf: broken): a
 * check that reads every prefix's 2xx (created-at.*, sdk.*) did not observe that prefix, so it may not say all hold.
 */
export function stalledAnswer(outcome: CompletedOutcome, step = lastStep(outcome)): { exchange: Exchange; reason: string } | undefined {
  const exchange = outcome.exchanges.find((ex) => ex.step === step && !ex.error && ex.response && ex.response.status < 300 && stalledBody(ex.response));
  return exchange && { exchange, reason: `could not observe: ${exchange.request.path} answered ${exchange.response!.status} and ${stalledBody(exchange.response!, 'its body')}` };
}

/** A step's answer with its evidence, or the verdict when the step was not sent. */
export function observe(input: CheckInput, step?: string): Observation | { settled: CheckResult } {
  const found = stepOf(input, step);
  if ('settled' in found) return found;
  return { ...found, answer: answerOf(found.exchange), evidence: [evidenceOf(found.caseId, found.exchange)] };
}

/** A step's 2xx body; anything else (not sent, refused, rejected, broken) comes back as the verdict. */
export function observeOk(input: CheckInput, step?: string): (Observation & { body: Record<string, unknown> | undefined }) | { settled: CheckResult } {
  const seen = observe(input, step);
  if ('settled' in seen) return seen;
  if (seen.answer.kind !== 'ok') return { settled: notObservable(input, seen.answer, seen.evidence) };
  return { ...seen, body: seen.answer.body };
}

/**
 * The verdict for a 2xx whose body is not a JSON object (cut short on the way, or malformed), for a check that reads
 * what the model did: nothing of it can be read, so neither "no call" nor "not JSON" is observed. schema.* judge
 * such a body (`invalid`: no object of the kind).
 */
export function unreadableAnswer(input: CheckInput, answer: Extract<Answer, { kind: 'ok' }>, evidence: Evidence[]): CheckResult {
  return unobserved(input, `could not observe: HTTP ${answer.status} with a body that is not a JSON object, so what the model did cannot be read (schema.* judge the body)`, evidence);
}

/** Whether the check read only cases sent on the route the probes found serving the model (no probe among them). */
export function onServedRoute(input: CheckInput): boolean {
  const completed = input.outcomes.filter((o): o is CompletedOutcome => o.kind === 'completed');
  return completed.length > 0 && completed.every((o) => o.routed);
}

/**
 * Why a refusal of the model on the route its probe found serving it is no "not served": the endpoint said both,
 * so what the request would show was not observed (an error, which gates where an expectation is stated, never n/a).
 */
export function refusedOnServedRoute(answer: Extract<Answer, { kind: 'refused' }>): string {
  return `could not observe: the endpoint refused the model (${answer.status}: ${answer.message}) on the route its probe found serving it`;
}

/** The verdict for an answer that is not a 2xx and not the rejection the check observes. */
export function notObservable(input: CheckInput, answer: Answer, evidence: Evidence[]): CheckResult {
  const expected = input.expectation?.value ?? null;
  if (answer.kind === 'refused' && onServedRoute(input)) return unobserved(input, refusedOnServedRoute(answer), evidence);
  // No probe asked where the model is served: a refusal on the catalog's prefix says only that the guess was wrong.
  const guess = answer.kind === 'refused' ? routeGuessOf(input.outcomes) : undefined;
  if (answer.kind === 'refused' && guess) return unobserved(input, `could not observe: the endpoint refused the model (${answer.status}: ${answer.message}); ${guess}`, evidence);
  // Berm on every route asked is the account's answer, as the route checks read it (access-denial.ts): never n/a.
  const account = answer.kind === 'refused' ? bermOnEveryRoute(input.outcomes) : undefined;
  if (account) return unobserved(input, account.reason, evidence);
  if (answer.kind === 'refused') return { status: 'unsupported', observed: null, expected, reason: `the model is not served here (${answer.status}: ${answer.message})`, evidence };
  const message = 'message' in answer ? answer.message : `HTTP ${answer.status}`;
  return unobserved(input, `could not observe: ${message}`, evidence);
}

/**
 * The earlier step whose 2xx answer, the model's, a step is built from (the forced call a tool result answers).
 * What the model did there is no verdict on the later step: `lacked` says why the answer held nothing to build it
 * from (a refusal, a spent budget, no call), undefined when something else was missing; `madeWrong` what the model
 * got wrong in what the later step sends back (a call whose arguments are not JSON), which a rejection may be about.
 */
export interface BuiltOn {
  step: string;
  /** The check that judges the endpoint's answer to `step` (named when that answer left nothing to send). */
  judgedBy: string;
  lacked(body: Record<string, unknown>, request: Record<string, unknown>): string | undefined;
  madeWrong(body: Record<string, unknown>, request: Record<string, unknown>): string | undefined;
}

/** The earlier step's 2xx answer as JSON, with its request and evidence, or undefined when it has none. */
function earlierAnswer(outcome: CompletedOutcome, step: string): { body: Record<string, unknown>; request: Record<string, unknown>; evidence: Evidence; status: number } | undefined {
  const exchange = answeringExchange(outcome, step);
  const answer = exchange ? answerOf(exchange) : undefined;
  if (!exchange || answer?.kind !== 'ok' || !answer.body) return undefined;
  return { body: answer.body, request: sentBody(exchange), evidence: evidenceOf(outcome.caseId, exchange), status: answer.status };
}

/**
 * `inconclusive` when a step was not sent because the model's 2xx answer to `on.step` lacked what it needed: the
 * model's choice left nothing to observe; otherwise `settled` (not sent for the endpoint's refusal of the earlier
 * step, a 4xx its own check judges, stays `skipped`, naming that check).
 */
function notSent(input: CheckInput, step: string | undefined, on: BuiltOn, settled: CheckResult): CheckResult {
  const found = requireCompleted(input);
  if ('settled' in found || found.outcome.incomplete === undefined || found.outcome.incomplete.step !== step) return settled;
  const earlier = earlierAnswer(found.outcome, on.step);
  const why = earlier && on.lacked(earlier.body, earlier.request);
  // Not sent for the endpoint's refusal of the earlier step: the check that judges that answer says more. (A 2xx
  // that lacked what the next turn needs, not the model's doing, is said by the skipped reason itself.)
  if (!earlier) return { ...settled, reason: `${settled.reason} (${on.judgedBy} judges step ${on.step}'s answer)` };
  if (!why) return settled;
  return inconclusive(input, `step ${step} not sent: step ${on.step} answered HTTP ${earlier.status}, but ${why}, so there was nothing to send back`, [earlier.evidence]);
}

/**
 * A check whose observation is "did the endpoint take this request": `accepted` for a 2xx (unless `failedInside`
 * finds a rejection inside it), `rejected` for a 4xx that is the endpoint's answer. With `builtOn`, what the model
 * did in the earlier step is not held against the endpoint (see BuiltOn).
 */
export function acceptanceCheck(options: {
  id: string;
  title: string;
  api: CheckDefinition['api'];
  step?: string;
  reference?: CheckDefinition['reference'];
  /** The step is only sent when the model did something first (e.g. made a tool call): judge every trial. */
  dependsOnModel?: boolean;
  failedInside?(body: Record<string, unknown> | undefined): string | undefined;
  builtOn?: BuiltOn;
  /**
   * The optional fields (bounds, efforts: INCIDENTAL_FIELDS) the check is about. A rejection naming another of them
   * is `inconclusive`: the request was refused for a bound or an effort, not for what is tested. Every other field
   * of the request is the request under test.
   */
  about?: readonly string[];
}): CheckDefinition {
  const definition: CheckDefinition = {
    id: options.id,
    title: options.title,
    api: options.api,
    vocabulary: ['accepted', 'rejected'],
    readsSteps: [...(options.builtOn ? [options.builtOn.step] : []), ...(options.step ? [options.step] : [])],
    ...(options.dependsOnModel ? { dependsOnModel: true as const } : {}),
    ...(options.reference ? { reference: options.reference } : {}),
    run(input) {
      const seen = observe(input, options.step);
      if ('settled' in seen) return options.builtOn ? notSent(input, options.step, options.builtOn, seen.settled) : seen.settled;
      const { evidence } = seen;
      let answer = seen.answer;
      if (answer.kind === 'ok') {
        // A body that is not a JSON object (cut, damaged) may hide the rejection: `accepted` would claim it did not. A
        // stream has no body object: it is read as before (its events are the stream checks').
        if (options.failedInside && !answer.body && !isStreamResponse(seen.exchange.response!)) return unreadableAnswer(input, answer, evidence);
        const inside = options.failedInside?.(answer.body);
        if (!inside) return judge(definition, input, 'accepted', evidence, `HTTP ${answer.status}`);
        // A refusal inside a 2xx is weighed as a 4xx's is: it may be of the model's own mistake, or of a bound.
        answer = { kind: 'rejected', status: answer.status, message: inside };
      }
      if (answer.kind === 'rejected') {
        const on = options.builtOn;
        const earlier = on && earlierAnswer(seen.outcome, on.step);
        const wrong = on && earlier && on.madeWrong(earlier.body, earlier.request);
        // The request carried the model's own mistake back: the refusal may be of it, not of the step's form.
        if (on && earlier && wrong) return inconclusive(input, `HTTP ${answer.status}: ${answer.message}; the request sent back what the model answered in step ${on.step}, where ${wrong}, so the refusal may be of the model's mistake`, [earlier.evidence, ...evidence]);
        // A refusal of a bound or an effort (the harness's, e.g. room to think) says nothing about the request's form.
        const request = sentBody(seen.exchange);
        const about = [...Object.keys(request).filter((field) => !INCIDENTAL_FIELDS.includes(field)), ...(options.about ?? [])];
        const other = offTopicRejection(answer, request, about);
        if (other) return inconclusive(input, `the request was refused for ${other}, not for what ${options.id} asks: ${answer.status} ${answer.message}`, evidence);
        return judge(definition, input, 'rejected', evidence, `HTTP ${answer.status}: ${answer.message}`);
      }
      return notObservable(input, answer, evidence);
    },
  };
  return definition;
}

/** A Responses object that failed inside a 200: `status: "failed"` with its error. */
export function failedResponse(body: Record<string, unknown> | undefined): string | undefined {
  if (body?.status !== 'failed') return undefined;
  const error = isRecord(body.error) ? `${String(body.error.code ?? '')} ${String(body.error.message ?? '')}`.trim() : 'no error detail';
  return `the response has status "failed" (${error})`;
}

export { judge, settleWithout, type Observed };
export { judgeRejection, namesField, offTopicRejection } from './rejection-topic.ts';

/**
 * The first 2xx exchange among the outcomes (a probe answers on one prefix of several), or the verdict when none
 * answered: `error` when one broke, `unsupported` when every route refused the model (not the account's Berm on every
 * route: `error`, as api.* say), else `error` naming the answer.
 */
export function successfulExchange(input: CheckInput): { caseId: string; exchange: Exchange } | { settled: CheckResult } {
  const completed = input.outcomes.filter((o): o is CompletedOutcome => o.kind === 'completed');
  if (completed.length === 0) return { settled: settleWithout(input) };
  const seen = completed.flatMap((o) => o.exchanges.map((exchange) => ({ caseId: o.caseId, exchange, answer: answerOf(exchange) })));
  const ok = seen.find((s) => s.answer.kind === 'ok');
  if (ok) return { caseId: ok.caseId, exchange: ok.exchange };
  const expected = input.expectation?.value ?? null;
  const broken = seen.find((s) => s.answer.kind === 'broken');
  if (broken && broken.answer.kind === 'broken') return { settled: unobserved(input, broken.answer.message, [evidenceOf(broken.caseId, broken.exchange)]) };
  const evidence = seen.map((s) => evidenceOf(s.caseId, s.exchange));
  if (seen.every((s) => s.answer.kind === 'refused')) {
    const account = bermOnEveryRoute(input.outcomes);
    if (account) return { settled: unobserved(input, account.reason, evidence) };
    const first = seen[0]!.answer as Extract<Answer, { kind: 'refused' }>;
    return { settled: { status: 'unsupported', observed: null, expected, reason: `the model does not serve this API (${first.status} ${first.message})`, evidence } };
  }
  const answered = seen.find((s) => s.answer.kind === 'rejected')!.answer as Extract<Answer, { kind: 'rejected' }>;
  return { settled: unobserved(input, `could not observe: the endpoint answered ${answered.status} (${answered.message})`, evidence) };
}
