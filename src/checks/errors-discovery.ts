/**
 * @module checks/errors-discovery
 * The OpenAI error envelope (`{"error":{"message","type","param","code"}}`) for an unknown model, a bad parameter
 * and a wrong route, and whether GET /v1/models lists the model.
 */
import { bodyText, isRecord, jsonObject } from '../transport/body.ts';
import { classifyResponse, refusesModel } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';
import { notObservable, observe, observeOk } from './answer.ts';
import { evidenceOf, judge, settleWithout, type CompletedOutcome } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

const VOCABULARY = ['conformant', 'nonconformant'] as const;
const reference = { value: 'conformant', source: 'openai-reference: errors are {"error":{"message","type","param","code"}} with a 4xx status' };

/** What is wrong with an error answer's envelope; empty when it is the OpenAI one. */
export function envelopeProblems(exchange: Exchange): string[] {
  const response = exchange.response!;
  const problems: string[] = [];
  if (response.status < 400 || response.status >= 500) problems.push(`status ${response.status}, not a 4xx`);
  const body = jsonObject(response);
  if (!body) return [...problems, 'the body is not a JSON object'];
  const error = isRecord(body.error) ? body.error : undefined;
  if (!error) return [...problems, `no "error" object (keys: ${Object.keys(body).join(', ') || 'none'})`];
  if (typeof error.message !== 'string') problems.push('error.message is not a string');
  if (typeof error.type !== 'string') problems.push('error.type is not a string');
  for (const key of ['param', 'code']) if (!(key in error)) problems.push(`error.${key} is missing (it may be null, not absent)`);
  return problems;
}

function envelopeCheck(id: string, title: string, step?: string): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api: 'chat-completions',
    vocabulary: VOCABULARY,
    reference,
    run(input) {
      const seen = observe(input, step);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      if (answer.kind === 'ok') return judge(definition, input, 'nonconformant', evidence, `the request was answered with ${answer.status} instead of an error`);
      if (answer.kind === 'broken') return notObservable(input, answer, evidence);
      const problems = envelopeProblems(seen.exchange);
      return judge(definition, input, problems.length ? 'nonconformant' : 'conformant', evidence, problems.join('; ') || `${answer.status}: ${answer.message}`);
    },
  };
  return definition;
}

/** The probes' answers on a prefix that does not serve the model: every one should be an OpenAI error envelope. */
const wrongRoute: CheckDefinition = {
  id: 'errors.wrong-route',
  title: 'A route that does not serve the model answers with the OpenAI error envelope',
  api: null,
  vocabulary: VOCABULARY,
  reference,
  run(input: CheckInput): CheckResult {
    const completed = input.outcomes.filter((o): o is CompletedOutcome => o.kind === 'completed');
    if (completed.length === 0) return settleWithout(input);
    const refusals = completed.flatMap((o) =>
      o.exchanges
        .filter((ex) => ex.response && !ex.error && refusesModel(classifyResponse(ex.response.status, bodyText(ex.response)).kind))
        .map((ex) => ({ caseId: o.caseId, ex })),
    );
    if (refusals.length === 0) return { status: 'skipped', observed: null, expected: input.expectation?.value ?? null, reason: 'every probed route served the model; no wrong-route answer to read', evidence: [] };
    const bad = refusals.map(({ caseId, ex }) => ({ caseId, ex, problems: envelopeProblems(ex) })).filter((r) => r.problems.length);
    const evidence = (bad.length ? bad : refusals).map(({ caseId, ex }) => evidenceOf(caseId, ex));
    const detail = bad.length ? bad.map((b) => `${b.ex.request.path} ${b.ex.response!.status}: ${b.problems.join(', ')}`).join('; ') : `${refusals.length} wrong-route answer(s), all OpenAI envelopes`;
    return judge(wrongRoute, input, bad.length ? 'nonconformant' : 'conformant', evidence, detail);
  },
};

const listed: CheckDefinition = {
  id: 'models.listed',
  title: 'Whether GET /v1/models lists the model',
  api: 'models',
  vocabulary: ['listed', 'not-listed'],
  reference: { value: 'listed', source: 'openai-reference: GET /v1/models lists the models available' },
  run(input) {
    const seen = observeOk(input);
    if ('settled' in seen) return seen.settled;
    const ids = Array.isArray(seen.body?.data) ? seen.body.data.map((m) => (isRecord(m) ? m.id : undefined)) : [];
    return judge(listed, input, ids.includes(input.model) ? 'listed' : 'not-listed', seen.evidence, `${ids.length} models listed`);
  },
};

export const errorChecks: readonly CheckDefinition[] = [
  envelopeCheck('errors.unknown-model', 'A request for a model that does not exist gets the OpenAI error envelope'),
  envelopeCheck('errors.bad-parameter', 'A request with a mistyped parameter gets a 4xx in the OpenAI error envelope'),
  wrongRoute,
  listed,
];
