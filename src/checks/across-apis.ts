/**
 * @module checks/across-apis
 * One question asked on every API the model serves (a field on chat and on Responses, an answer on all three):
 * each case of the check is one API's request, read on its own, and the cell combines them. The most telling
 * observation wins (a field one API rejects is `rejected`, whatever another did), and the reason says what each API
 * did, so an app on either API knows where it stands. An API the model does not serve is left out.
 */
import type { ApiId } from '../suite/suite-schema.ts';
import type { Exchange } from '../transport/exchange.ts';
import { bermOnEveryRoute } from './access-denial.ts';
import { answeringExchange, answerOf, namesField, offTopicRejection, refusedOnServedRoute, sentBody, type Answer } from './answer.ts';
import { evidenceOf, inconclusive, judge, settleWithout, unobserved } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence, Observed } from './types.ts';

/** What one API's exchange showed. */
export type ApiReading =
  | { observed: Observed; detail: string }
  /** The answer cannot show the behaviour (cut by its budget, refused for another field). */
  | { inconclusive: string }
  /** Nothing could be observed (a timeout, a 5xx, a missing recording). */
  | { error: string }
  /** This route or API does not serve the model. */
  | { unsupported: string }
  /** The API's case was not reached (the run was stopped, a spend cap): nothing was asked. */
  | { skipped: string };

export interface ApiExchange {
  api: string;
  caseId: string;
  exchange: Exchange;
  answer: Answer;
  /** The JSON body the harness sent (after any refused bound was replaced). */
  request: Record<string, unknown>;
}

/**
 * A rejection read for the fields a check is about: `rejected` when it names one of them (its `param`, or the field
 * as a whole word) or names nothing else; `inconclusive` when it names another field the request carried (a bound,
 * an effort the harness added): then it says nothing about the field under test.
 */
export function readRejection(seen: ApiExchange, about: readonly string[], observed: Observed = 'rejected'): ApiReading {
  const answer = seen.answer;
  if (answer.kind !== 'rejected') return { error: `could not observe: ${'message' in answer ? answer.message : 'no answer'}` };
  const named = about.some((field) => namesField(answer.param, answer.message, field));
  if (!named) {
    const other = offTopicRejection(answer, seen.request, about);
    if (other) return { inconclusive: `refused for ${other}, not ${about[0] ?? 'the request'}: ${answer.status} ${answer.message}` };
  }
  return { observed, detail: `HTTP ${answer.status}: ${answer.message}${named || about.length === 0 ? '' : ` (the error does not name ${about[0]})`}` };
}

/**
 * Reads every API's case and combines the readings into the cell's verdict. `severity` lists the check's values from
 * the most telling to the least: the most telling observed value is the verdict when it is also the check's most
 * telling one; otherwise an API that could not be read makes the cell `error` (or `inconclusive`), since the
 * observation would only hold for some of the model's APIs.
 */
export function acrossApis(definition: CheckDefinition, input: CheckInput, severity: readonly Observed[], read: (seen: ApiExchange) => ApiReading): CheckResult {
  const readings: { api: string; reading: ApiReading }[] = [];
  const evidence: Evidence[] = [];
  for (const outcome of input.outcomes) {
    if (outcome.kind === 'error') {
      readings.push({ api: outcome.api, reading: { error: `${outcome.error.code}: ${outcome.error.message}` } });
      evidence.push(...outcome.exchanges.map((ex) => evidenceOf(outcome.caseId, ex)));
    } else if (outcome.kind === 'unsupported') {
      readings.push({ api: outcome.api, reading: { unsupported: outcome.reason } });
    } else if (outcome.kind === 'skipped') {
      readings.push({ api: outcome.api, reading: { skipped: outcome.reason } });
    } else if (outcome.kind === 'completed') {
      const exchange = answeringExchange(outcome);
      if (!exchange) continue;
      evidence.push(evidenceOf(outcome.caseId, exchange));
      const answer = answerOf(exchange);
      const seen: ApiExchange = { api: outcome.api, caseId: outcome.caseId, exchange, answer, request: sentBody(exchange) };
      if (answer.kind === 'refused' && outcome.routed) readings.push({ api: outcome.api, reading: { error: refusedOnServedRoute(answer) } });
      // No probe found the route: the refusal is of the catalog's prefix, a guess (route-guess.ts), not "not served".
      else if (answer.kind === 'refused' && outcome.routeGuess) readings.push({ api: outcome.api, reading: { error: `could not observe: the endpoint refused the model (${answer.status}: ${answer.message}); ${outcome.routeGuess}` } });
      else if (answer.kind === 'refused') readings.push({ api: outcome.api, reading: refusal(input, outcome.api, answer) });
      else if (answer.kind === 'broken') readings.push({ api: outcome.api, reading: { error: `could not observe: ${answer.message}` } });
      else readings.push({ api: outcome.api, reading: read(seen) });
    }
  }
  // An API whose case was not reached may be the one that serves the model: "not served" holds only when every API
  // was asked, and a value read on some APIs holds for the cell only when the others were asked too.
  const served = readings.filter((r) => !('unsupported' in r.reading));
  const expected = input.expectation?.value ?? null;
  if (served.length === 0) {
    const refused = readings.find((r) => 'unsupported' in r.reading);
    if (refused && 'unsupported' in refused.reading) return { status: 'unsupported', observed: null, expected, reason: refused.reading.unsupported, evidence };
    return settleWithout(input);
  }
  const detail = describeAll(served);
  const observed = served.flatMap(({ reading }) => ('observed' in reading ? [reading.observed] : []));
  const telling = severity.find((value) => observed.includes(value));
  if (telling !== undefined && telling === severity[0]) return judge(definition, input, telling, evidence, detail);
  if (served.some(({ reading }) => 'error' in reading)) return unobserved(input, detail, evidence);
  if (served.some(({ reading }) => 'skipped' in reading)) return { status: 'skipped', observed: null, expected, reason: `not every API was asked (${describeAll(readings)})`, evidence };
  if (served.some(({ reading }) => 'inconclusive' in reading)) return inconclusive(input, detail, evidence);
  return judge(definition, input, telling ?? observed[0] ?? null, evidence, detail);
}

/** A refusal of the model: not served on this API, unless it is the account's Berm on every route (access-denial.ts). */
function refusal(input: CheckInput, api: ApiId, answer: Extract<Answer, { kind: 'refused' }>): ApiReading {
  const account = bermOnEveryRoute(input.outcomes, api);
  return account ? { error: account.reason } : { unsupported: `not served here (${answer.status}: ${answer.message})` };
}

/** What each API showed, for the reason. */
function describeAll(readings: readonly { api: string; reading: ApiReading }[]): string {
  return readings.map(({ api, reading }) => `${api}: ${describe(reading)}`).join('; ');
}

function describe(reading: ApiReading): string {
  if ('observed' in reading) return `${String(reading.observed)} (${reading.detail})`;
  if ('inconclusive' in reading) return `inconclusive: ${reading.inconclusive}`;
  if ('error' in reading) return `error: ${reading.error}`;
  if ('skipped' in reading) return `not asked: ${reading.skipped}`;
  return `not served: ${reading.unsupported}`;
}
