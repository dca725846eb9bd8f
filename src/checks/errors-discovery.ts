/**
 * @module checks/errors-discovery
 * The OpenAI error envelope (`{"error":{"message","type","param","code"}}`) for an unknown model, a bad parameter
 * and a wrong route, and whether GET /v1/models lists the model.
 */
import { excerpt, isRecord, jsonObject } from '../transport/body.ts';
import { classifyAnswer, refusesModel } from '../transport/classify-response.ts';
import type { Exchange } from '../transport/exchange.ts';
import { saysNotEnabled } from '../transport/not-enabled.ts';
import { bermOnEveryRoute, bermWords, deniedAccess, describeDenial, scopeAnswerReason, scopeRefusedOtherId } from './access-denial.ts';
import { closestListedWords, namesListedModel, sameListedIn } from './closest-listed.ts';
import { listedOthers } from './listed-names.ts';
import { notObservable, observe } from './answer.ts';
import { stalledBody } from './stalled-body.ts';
import { evidenceOf, inconclusive, judge, settleWithout, unobserved, type CompletedOutcome } from './judge.ts';
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

/**
 * `modelAnswers`: the request names a model that does not exist, so a refusal of the model (a 404, or a 403 that
 * denies access) is the answer under test; a custom endpoint's answer in a key's scope words is about the key. Otherwise the request names the model under test: a refusal of it (a
 * model gone mid-run, a route that does not serve it) says nothing of the error asked for, and a 403 is an account
 * that lacks access to a model that exists.
 */
function envelopeCheck(id: string, title: string, options: { modelAnswers?: boolean } = {}): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api: 'chat-completions',
    vocabulary: VOCABULARY,
    reference,
    run(input) {
      const seen = observe(input);
      if ('settled' in seen) return seen.settled;
      const { answer, evidence } = seen;
      if (answer.kind === 'ok') return judge(definition, input, 'nonconformant', evidence, `the request was answered with ${answer.status} instead of an error`);
      // A credential failure (auth-rejected), an outage or a throttle stays unobserved: none is the endpoint's answer.
      // A custom endpoint's 401 or 403 in a key's scope words (checks/access-denial.ts): about a key, not the id, so how
      // the endpoint answers an unknown id was not seen; its envelope judged, a gateway's own earned the pass.
      if (options.modelAnswers && scopeRefusedOtherId(seen.exchange, input.model, input.surface)) return inconclusive(input, scopeAnswerReason(seen.exchange, 'how the endpoint answers an unknown model id'), evidence);
      if (answer.kind === 'broken' && !(options.modelAnswers && deniedAccess(seen.exchange))) return notObservable(input, answer, evidence);
      if (answer.kind === 'refused' && !options.modelAnswers) return notObservable(input, answer, evidence);
      const problems = envelopeProblems(seen.exchange);
      const message = answer.kind === 'broken' ? (classifyAnswer(seen.exchange.response!).message ?? 'forbidden') : answer.message;
      return judge(definition, input, problems.length ? 'nonconformant' : 'conformant', evidence, problems.join('; ') || `${seen.exchange.response!.status}: ${message}`);
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
    // An API answered Berm on every route asked: the account's answer, no wrong route's (access-denial.ts), as api.* read it.
    // Asked once per API: each asking reads every outcome.
    const apis = new Set(completed.map((o) => o.api));
    const account = new Set([...apis].filter((api) => bermOnEveryRoute(input.outcomes, api)));
    const refusals = completed.flatMap((o) =>
      o.exchanges
        .filter((ex) => !account.has(o.api) && ex.response && !ex.error && !stalledBody(ex.response) && refusesModel(classifyAnswer(ex.response).kind))
        .map((ex) => ({ caseId: o.caseId, ex })),
    );
    // Say what actually happened: a route that broke (5xx, timeout), said no with a 2xx, or denied access (a 403
    // about the account, as API Gateway's "Missing Authentication Token") is not a route that served the model. A body
    // that stalled was never read whole (stalled-body.ts): whatever it began with, it is no answer to judge.
    const unread = (ex: Exchange) => ex.error || !ex.response || stalledBody(ex.response) !== undefined || ex.response.status >= 500 || classifyAnswer(ex.response).kind === 'error-in-2xx' || classifyAnswer(ex.response).kind === 'forbidden';
    const broken = completed.flatMap((o) => o.exchanges.filter((ex) => unread(ex) || (account.has(o.api) && saysNotEnabled(ex))).map((ex) => ({ caseId: o.caseId, ex })));
    if (refusals.length === 0) {
      if (broken.length) {
        const what = broken.map(({ ex }) => unreadAnswer(ex, true)).join(', ');
        return unobserved(input, `no wrong-route answer to read: ${what}`, broken.map(({ caseId, ex }) => evidenceOf(caseId, ex)));
      }
      return { status: 'skipped', observed: null, expected: input.expectation?.value ?? null, reason: 'every probed route served the model; no wrong-route answer to read', evidence: [], skippedByAnswer: true };
    }
    const bad = refusals.map(({ caseId, ex }) => ({ caseId, ex, problems: envelopeProblems(ex) })).filter((r) => r.problems.length);
    const evidence = (bad.length ? bad : refusals).map(({ caseId, ex }) => evidenceOf(caseId, ex));
    // A probe that broke on every prefix (an outage of one API) was not read: its wrong routes may answer otherwise, so
    // "conformant" cannot be said from the other APIs' alone. A deviation read is the endpoint's, whatever broke.
    const brokenProbes = input.outcomes.filter((o) => o.kind === 'error');
    if (bad.length === 0 && brokenProbes.length > 0) {
      const what = brokenProbes.map((o) => (o.kind === 'error' ? `${o.caseId}: ${o.error.code}` : o.caseId)).join(', ');
      return unobserved(input, `${refusals.length} wrong-route answer(s) read, all OpenAI envelopes, but not every probe was answered (${what})`, evidence);
    }
    // A wrong route of an answered probe that hung or answered a gateway's 5xx was not read either: never a pass on
    // the others. (gemma-4-31b's /v1/responses gave no answer within 60 s on Mantle, MANTLE.md: that model's cell
    // reads error, an infrastructure reading of what may be its endpoint's behaviour, until a source says which.)
    if (bad.length === 0 && broken.length > 0) {
      const what = broken.map(({ ex }) => unreadAnswer(ex, false)).join(', ');
      return unobserved(input, `${refusals.length} wrong-route answer(s) read, all OpenAI envelopes, but not every wrong route answered (${what})`, [...broken.map(({ caseId, ex }) => evidenceOf(caseId, ex)), ...evidence]);
    }
    const detail = bad.length ? bad.map((b) => `${b.ex.request.path} ${b.ex.response!.status}: ${b.problems.join(', ')}`).join('; ') : `${refusals.length} wrong-route answer(s), all OpenAI envelopes`;
    return judge(wrongRoute, input, bad.length ? 'nonconformant' : 'conformant', evidence, detail);
  },
};

/** What a wrong route that was not read answered; `errorIn2xx` says when a 2xx held an error. */
function unreadAnswer(ex: Exchange, errorIn2xx: boolean): string {
  const stalled = !ex.error && ex.response ? stalledBody(ex.response, 'whose body') : undefined;
  if (stalled) return `${ex.request.path}: HTTP ${ex.response!.status}, ${stalled}`;
  if (!ex.error && ex.response && classifyAnswer(ex.response).kind === 'forbidden') return describeDenial(ex);
  if (saysNotEnabled(ex)) return `${ex.request.path}: ${bermWords(ex)}`;
  return `${ex.request.path}: ${ex.error?.code ?? `HTTP ${ex.response?.status}${errorIn2xx && ex.response && ex.response.status < 300 ? ' with an error' : ''}`}`;
}

/** Whether an answer refuses the credentials (a bad key, or a permission they lack), not the request. */
function deniesCredentials(exchange: Exchange): boolean {
  const kind = exchange.response ? classifyAnswer(exchange.response).kind : undefined;
  return kind === 'auth-rejected' || kind === 'forbidden';
}

/** What a refusal of the credentials said, for the reason: their missing permission is the whole story. */
function denial(exchange: Exchange): string {
  if (!deniesCredentials(exchange)) return '';
  const said = classifyAnswer(exchange.response!).message;
  return `${said ? ` (${excerpt(said, 160)})` : ''}: the credentials may not list models`;
}

/**
 * Whether the model list names the model. The list is asked for on every prefix (/v1/models, and
 * /openai/v1/models, which no source shows to exist): `listed` when an answering list holds the id, `not-listed`
 * when lists answered without it, `no-list` when no prefix answered with a list (a 404, a 405). A 401 or 403 that
 * refuses the credentials (no bedrock:ListFoundationModels) hides the list, so `error`, as does a list whose body
 * stalled (never read whole, stalled-body.ts) unless another prefix's list holds the model. A list that says `has_more: true`
 * is one page: without the model on it, the model may be on a later page the case does not ask for, so the cell is
 * `inconclusive`, never `not-listed`. Measured per target (region): sources disagree by region.
 */
const listed: CheckDefinition = {
  id: 'models.listed',
  title: 'Whether GET /v1/models (or /openai/v1/models, when it answers) lists the model',
  api: 'models',
  vocabulary: ['listed', 'not-listed', 'no-list'],
  reference: { value: 'listed', source: 'openai-reference: GET /v1/models lists the models available' },
  run(input) {
    const completed = input.outcomes.filter((o): o is CompletedOutcome => o.kind === 'completed');
    if (completed.length === 0) return settleWithout(input);
    const exchanges = completed.flatMap((o) => o.exchanges.map((ex) => ({ caseId: o.caseId, ex })));
    const evidence = exchanges.map(({ caseId, ex }) => evidenceOf(caseId, ex));
    const lists = exchanges.flatMap(({ ex }) => {
      const body = ex.response && ex.response.status < 300 && !stalledBody(ex.response) ? jsonObject(ex.response) : undefined;
      return body && Array.isArray(body.data) ? [{ path: ex.request.path, ids: body.data.map((m) => (isRecord(m) ? m.id : undefined)), more: body.has_more === true }] : [];
    });
    // A list whose body stalled was never read whole (stalled-body.ts): it may hold the model, so it is no `no-list`,
    // and no `not-listed` while it is the only prefix left that might list it.
    const stall = exchanges.map(({ ex }) => ({ ex, words: !ex.error && ex.response ? stalledBody(ex.response, 'whose body') : undefined })).find((s) => s.words);
    const stalled = stall && `could not read a model list: ${stall.ex.request.path} HTTP ${stall.ex.response!.status}, ${stall.words}`;
    if (lists.length === 0) {
      // A 401/403 about the credentials (a bad key, a missing bedrock:ListFoundationModels) says nothing about whether
      // the endpoint lists the model: as unobserved as an outage. A 404 or 405 says there is no list here.
      const broken = exchanges.find(({ ex }) => ex.error || !ex.response || ex.response.status >= 500 || deniesCredentials(ex));
      if (broken) return unobserved(input, `could not read a model list: ${broken.ex.request.path} ${broken.ex.error?.code ?? `HTTP ${broken.ex.response?.status}${denial(broken.ex)}`}`, evidence);
      if (stalled) return unobserved(input, stalled, evidence);
      return judge(listed, input, 'no-list', evidence, exchanges.map(({ ex }) => `${ex.request.path}: HTTP ${ex.response?.status}`).join(', '));
    }
    const holding = lists.filter((l) => l.ids.includes(input.model));
    const detail = lists.map((l) => `${l.path}: ${l.ids.length} models${l.more ? ' (has_more: true)' : ''}${l.ids.includes(input.model) ? ', this one among them' : ''}`).join('; ');
    if (holding.length === 0 && stalled) return unobserved(input, `${stalled}; the model is not on the list(s) read: ${detail}`, evidence);
    if (holding.length === 0 && lists.some((l) => l.more)) return inconclusive(input, `the model is not on the page read, and the list says has_more: true (a later page may hold it; the case reads one page): ${detail}`, evidence);
    // The closest listed id: the gate's "did you mean" for a typo of an id the endpoint lists (closest-listed.ts).
    const ids = lists.flatMap((l) => l.ids);
    const near = holding.length ? '' : closestListedWords(input.model, ids);
    const result = judge(listed, input, holding.length ? 'listed' : 'not-listed', evidence, `${detail}${near}`);
    // A listed id of the same model vouches only while the answers name no other listed model: the gate reads them.
    if (sameListedIn(near) === undefined) return result;
    return { ...result, listedOthers: listedOthers(ids.filter((id): id is string => typeof id === 'string'), (id) => namesListedModel(input.model, id)) };
  },
};

export const errorChecks: readonly CheckDefinition[] = [
  envelopeCheck('errors.unknown-model', 'A request for a model that does not exist gets the OpenAI error envelope', { modelAnswers: true }),
  envelopeCheck('errors.bad-parameter', 'A request with a mistyped parameter gets a 4xx in the OpenAI error envelope'),
  wrongRoute,
  listed,
];
