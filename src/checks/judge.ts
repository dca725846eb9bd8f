/**
 * @module checks/judge
 * Shared by every check: settling outcomes that cannot be read (unsupported, error, skipped), comparing an observed
 * value with the expectation, and building evidence. Keeps verdict wording the same across checks.
 */
import { describeExpected, meets } from '../suite/expected.ts';
import { answeredBy } from './answered-by.ts';
import { exchangeTiming } from './latency.ts';
import { bodyText, excerpt } from '../transport/body.ts';
import { describeRequest, requestIdOf, type Exchange } from '../transport/exchange.ts';
import type { CaseOutcome, CheckDefinition, CheckInput, CheckResult, Evidence, Observed } from './types.ts';

export type CompletedOutcome = Extract<CaseOutcome, { kind: 'completed' }>;

/**
 * The first completed outcome, or the result to report when there is none: `error` if any outcome broke, else
 * `skipped` if one was not reached, else `unsupported` if the model does not serve the API.
 */
export function requireCompleted(
  input: CheckInput,
  accept: (outcome: CompletedOutcome) => boolean = () => true,
): { outcome: CompletedOutcome } | { settled: CheckResult } {
  const completed = input.outcomes.find((o): o is CompletedOutcome => o.kind === 'completed' && accept(o));
  if (completed) return { outcome: completed };
  return { settled: settleWithout(input) };
}

/** The verdict when no outcome could be read. */
export function settleWithout(input: CheckInput): CheckResult {
  const expected = input.expectation?.value ?? null;
  const errored = input.outcomes.find((o) => o.kind === 'error');
  if (errored && errored.kind === 'error') {
    return {
      status: 'error',
      observed: null,
      expected,
      reason: `${errored.error.code}: ${errored.error.message}`,
      evidence: errored.exchanges.map((ex) => evidenceOf(errored.caseId, ex)),
    };
  }
  // A case not reached (a stopped run, a spend cap) may be the one whose API serves the model: "not served" holds
  // only when every case was asked.
  const skipped = input.outcomes.find((o) => o.kind === 'skipped');
  if (skipped && skipped.kind === 'skipped') return { status: 'skipped', observed: null, expected, reason: skipped.reason, evidence: [] };
  const unsupported = input.outcomes.find((o) => o.kind === 'unsupported');
  if (unsupported && unsupported.kind === 'unsupported') {
    return { status: 'unsupported', observed: null, expected, reason: unsupported.reason, evidence: [] };
  }
  return { status: 'skipped', observed: null, expected, reason: 'no case in the suites feeds this check', evidence: [] };
}

const show = (value: Observed) => JSON.stringify(value);

/**
 * A case of the check's API (any, for a check of no one API) it reads that was not run: a stop or a spend cap, the
 * only way a case outcome is `skipped` (a case the plan left out, an API the model does not serve, is `unsupported`).
 */
type Judged = Pick<CheckDefinition, 'reference'> & { api?: CheckDefinition['api'] };

function notRunCase(definition: Judged, input: CheckInput): { caseId: string; reason: string; ran: number } | undefined {
  const own = input.outcomes.filter((o) => definition.api == null || o.api === definition.api);
  const notRun = own.find((o) => o.kind === 'skipped');
  if (!notRun || notRun.kind !== 'skipped') return undefined;
  return { caseId: notRun.caseId, reason: notRun.reason, ran: own.filter((o) => o.kind !== 'skipped').length };
}

/**
 * A pass that rests on part of what the check reads is none: the case not run may be the one that deviates, so
 * `skipped`; so is a fail that read only the conformant value (the case not run may show the deviation expected). A
 * deviation read stands (no case added can undo an invalid object read), said to rest on a cut run.
 */
function cutShort(definition: Judged, input: CheckInput, judged: CheckResult): CheckResult {
  const cut = notRunCase(definition, input);
  if (!cut) return judged;
  // A conformant reading on part of the cases misses the expected deviation (a `lenient-only` model's valid objects)
  // only for want of the rest: no verdict either.
  const conformant = definition.reference !== undefined && definition.reference !== null && meets(definition.reference.value, judged.observed);
  if (judged.status !== 'pass' && !conformant) return { ...judged, reason: `${judged.reason}; read from ${cut.ran} case(s): ${cut.caseId} was not run (${cut.reason})` };
  const reason = `not judged: case ${cut.caseId} was not run (${cut.reason}); a pass on the ${cut.ran} case(s) that ran would rest on part of what this check reads`;
  return { status: 'skipped', observed: null, expected: input.expectation?.value ?? null, reason, evidence: [] };
}

/**
 * An `inconclusive` read on part of the check's cases says nothing of the model: the case a stop or a spend cap did
 * not run may be the one that shows the behaviour, so `skipped`, its reason naming that case and the cap or stop,
 * never what the model did. Applied to every check's result (run/observed-steps.ts), as judge() applies cutShort.
 */
export function cutInconclusive(definition: Pick<Judged, 'api'>, input: CheckInput, result: CheckResult): CheckResult {
  if (result.status !== 'inconclusive') return result;
  const cut = notRunCase(definition, input);
  if (!cut) return result;
  const reason = `not judged: case ${cut.caseId} was not run (${cut.reason}); the ${cut.ran} case(s) that ran could not show the behaviour alone (${result.reason})`;
  return { status: 'skipped', observed: null, expected: result.expected, reason, evidence: [] };
}

/** What a failing cell with no stated expectation says of the gate (the reports word it again for a new failure since a baseline). */
export const NOT_GATING_WORDS = 'no expectation stated for this model, so it does not gate';

/**
 * Compares `observed` with the model's expectation. With none stated, a check that has an OpenAI reference value
 * still says whether the observation matches it (so a new model's deviations show), but the result has
 * `expected: null` and does not gate the run.
 */
export function judge(
  definition: Judged,
  input: CheckInput,
  observed: Observed,
  evidence: Evidence[],
  detail?: string,
): CheckResult {
  return cutShort(definition, input, judgeRead(definition, input, observed, evidence, detail));
}

function judgeRead(definition: Judged, input: CheckInput, observed: Observed, evidence: Evidence[], detail?: string): CheckResult {
  const tail = detail ? `; ${detail}` : '';
  const expectation = input.expectation;
  if (expectation) {
    const pass = meets(expectation.value, observed);
    return {
      status: pass ? 'pass' : 'fail',
      observed,
      expected: expectation.value,
      reason: pass
        ? `${show(observed)} as expected (${expectation.source})${tail}`
        : `expected ${describeExpected(expectation.value)}, got ${show(observed)} (${expectation.source})${tail}`,
      evidence,
    };
  }
  const reference = definition.reference;
  if (reference) {
    const pass = meets(reference.value, observed);
    return {
      status: pass ? 'pass' : 'fail',
      observed,
      expected: null,
      reason: pass
        ? `${show(observed)} matches the reference (${reference.source}); no expectation stated for this model${tail}`
        : `${show(observed)} differs from the reference ${show(reference.value)} (${reference.source}); ${NOT_GATING_WORDS}${tail}`,
      evidence,
    };
  }
  return { status: 'pass', observed, expected: null, reason: `observed ${show(observed)}; no expectation stated${tail}`, evidence };
}

export { sameValue } from '../suite/expected.ts';

/**
 * The verdict when what the model chose or was allowed to do hid the behaviour under test (its output budget was
 * spent, a control showed the effect could not be seen): neither a pass nor a fail, and the reason names the
 * precondition that did not hold.
 */
/** Nothing could be observed (the harness or the endpoint broke): an error, never a verdict on the behaviour. */
export function unobserved(input: CheckInput, reason: string, evidence: Evidence[]): CheckResult {
  return { status: 'error', observed: null, expected: input.expectation?.value ?? null, reason, evidence };
}

export function inconclusive(input: CheckInput, reason: string, evidence: Evidence[]): CheckResult {
  return { status: 'inconclusive', observed: null, expected: input.expectation?.value ?? null, reason, evidence };
}

/**
 * Evidence for one exchange: request line, status, request id, a short body excerpt, and the model that answered when
 * the answer names another one. Never headers.
 */
export function evidenceOf(caseId: string, exchange: Exchange, excerptText?: string): Evidence {
  const evidence: Evidence = { case: caseId, step: exchange.step, request: describeRequest(exchange.request) };
  if (exchange.response) {
    evidence.status = exchange.response.status;
    const requestId = requestIdOf(exchange.response);
    if (requestId) evidence.requestId = requestId;
    evidence.excerpt = excerpt(excerptText ?? bodyText(exchange.response));
  }
  if (exchange.error) {
    evidence.error = exchange.error.code;
    if (!evidence.excerpt) evidence.excerpt = excerpt(exchange.error.message);
  }
  if (exchange.trial !== undefined) evidence.trial = exchange.trial;
  if (exchange.note !== undefined) evidence.note = exchange.note;
  if (exchange.response?.contentEncoding) evidence.encoding = exchange.response.contentEncoding;
  const timing = exchangeTiming(exchange);
  if (timing) evidence.timing = timing;
  const other = answeredBy(exchange);
  if (other !== undefined) evidence.answeredBy = other;
  return evidence;
}

