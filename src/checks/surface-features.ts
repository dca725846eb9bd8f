/**
 * @module checks/surface-features
 * Behaviour the two AWS surfaces are documented to differ on (MANTLE.md, "Two surfaces on one engine"): the
 * server-side `web_search` tool (Mantle only), cross-region inference profile ids (`us.`: runtime only; Mantle
 * answers 404 "does not exist"), and the `OpenAI-Project` header (runtime has only the default project). Background
 * responses are `responses.background` (runtime answers at once: `returned-completed`). Each runs on every surface;
 * the catalog's `surfaces:` block says what each one is expected to do.
 */
import { excerpt, isRecord } from '../transport/body.ts';
import type { Exchange } from '../transport/exchange.ts';
import { scopeAnswerReason, scopeRefusedOtherId } from './access-denial.ts';
import { answerOf, judgeRejection, namesField, notObservable, offTopicRejection, sentBody, unreadableAnswer, type Answer } from './answer.ts';
import { evidenceOf, inconclusive, judge, settleWithout, unobserved, type CompletedOutcome } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence } from './types.ts';

/** The first case that got an answer: the model's one API among several cases, one per API family. */
function firstAnswered(input: CheckInput): { caseId: string; outcome: CompletedOutcome } | { settled: CheckResult } {
  const completed = input.outcomes.find((o): o is CompletedOutcome => o.kind === 'completed' && o.exchanges.length > 0);
  return completed ? { caseId: completed.caseId, outcome: completed } : { settled: settleWithout(input) };
}

/** The answer to the last request of the first answered case, with what it sent and its evidence, or the cell already settled. */
function lastAnswer(input: CheckInput): { answer: Answer; exchange: Exchange; request: Record<string, unknown>; evidence: Evidence[] } | { settled: CheckResult } {
  const found = firstAnswered(input);
  if ('settled' in found) return found;
  const exchange = found.outcome.exchanges.at(-1)!;
  return { answer: answerOf(exchange), exchange, request: sentBody(exchange), evidence: [evidenceOf(found.caseId, exchange)] };
}

/** A 4xx: on the project case the endpoint's answer about the header (a 404 included), so a finding, not "not served". */
const isRefusal = (answer: Answer): answer is Extract<Answer, { kind: 'rejected' | 'refused' }> => answer.kind === 'rejected' || answer.kind === 'refused';

const isWebSearch = (tool: unknown): boolean => isRecord(tool) && typeof tool.type === 'string' && tool.type.startsWith('web_search');

/**
 * `supported` only when a `web_search_call` item shows a search ran: the case asks for something only a search finds,
 * but leaves searching to the model (no tool_choice), so a 200 without one cannot tell a model that chose not to
 * search from an endpoint that dropped the tool without a word (`inconclusive`), unless the answer's own `tools` echo
 * lacks the tool: then the endpoint said it dropped it (`ignored`). A 4xx, or a 200 with status "failed", is
 * `rejected`.
 */
const webSearch: CheckDefinition = {
  id: 'responses.web-search',
  title: 'Whether a Response with the server-side web_search tool runs a search (bedrock-runtime documents no server-side tools)',
  api: 'responses',
  vocabulary: ['supported', 'ignored', 'rejected'],
  params: ['tools'],
  reference: { value: 'supported', source: 'openai-reference: the Responses API runs the built-in web_search tool server-side' },
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') {
      const body = answer.body;
      if (!body) return unreadableAnswer(input, answer, evidence);
      const status = body.status;
      if (status === 'failed') return judge(webSearch, input, 'rejected', evidence, 'HTTP 200 with status "failed"');
      const calls = (Array.isArray(body.output) ? body.output : []).filter((item): item is Record<string, unknown> => isRecord(item) && item.type === 'web_search_call');
      const states = calls.map((c) => JSON.stringify(c.status)).join(', ');
      if (calls.some((c) => c.status !== 'failed')) return judge(webSearch, input, 'supported', evidence, `HTTP ${answer.status}, status ${JSON.stringify(status)}: ${calls.length} web_search_call item(s) (status ${states})`);
      if (calls.length) return unobserved(input, `could not observe: the search ran and failed (${calls.length} web_search_call item(s), status "failed")`, evidence);
      if (Array.isArray(body.tools) && !body.tools.some(isWebSearch)) {
        return judge(webSearch, input, 'ignored', evidence, `HTTP ${answer.status}, no search ran, and the answer echoes tools ${excerpt(JSON.stringify(body.tools), 80)} without web_search: the tool was dropped`);
      }
      const cut = status === 'incomplete' ? ' (the answer was cut by its budget)' : '';
      return inconclusive(input, `HTTP ${answer.status}, status ${JSON.stringify(status)}${cut}, but no web_search_call item: the model chose not to search, or the endpoint dropped the tool without a word; the request leaves searching to the model, so a 200 alone shows neither`, evidence);
    }
    // A refusal naming another field the request sent (its max_output_tokens) says nothing about the tool.
    if (answer.kind === 'rejected') return judgeRejection(webSearch, input, answer, seen.request, ['tools'], 'the web_search tool', evidence);
    if (answer.kind === 'refused') return judge(webSearch, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
    return notObservable(input, answer, evidence);
  },
};

const profileId: CheckDefinition = {
  id: 'models.profile-id',
  title: 'Whether a cross-region inference profile id (us.<model>) is served (Mantle answers 404 "does not exist")',
  api: null,
  vocabulary: ['served', 'not-found'],
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') return judge(profileId, input, 'served', evidence, `HTTP ${answer.status} for the profile id`);
    // A refusal of the model (404 "does not exist", a route that does not know it) is the endpoint's answer about the id.
    if (answer.kind === 'refused') return judge(profileId, input, 'not-found', evidence, `${answer.status}: ${answer.message}`);
    if (answer.kind === 'rejected') return profileRejection(input, answer, seen.request, evidence);
    // A custom endpoint's 401 or 403 in a key's scope words (checks/access-denial.ts): its answer, not an error of
    // the way, but about a key, so nothing of whether the endpoint serves the id (errors.unknown-model reads it so too).
    if (scopeRefusedOtherId(seen.exchange, input.model, input.surface)) return inconclusive(input, scopeAnswerReason(seen.exchange, 'whether the endpoint serves the profile id'), evidence);
    return notObservable(input, answer, evidence);
  },
};

/**
 * Any other 4xx is about the id only when it names it (`param: model`, the word model, or the id itself): a bare
 * "Request validation failed", or a bound the request sent, may refuse a served id for something else.
 */
function profileRejection(input: CheckInput, answer: Extract<Answer, { kind: 'rejected' }>, request: Record<string, unknown>, evidence: Evidence[]): CheckResult {
  const said = `${answer.status}: ${answer.message}`;
  const other = offTopicRejection(answer, request, ['model']);
  if (other) return inconclusive(input, `the request was refused for ${other}, not for the profile id: ${said}`, evidence);
  const id = typeof request.model === 'string' ? request.model : undefined;
  if (namesField(answer.param, answer.message, 'model') || (id !== undefined && answer.message.includes(id))) return judge(profileId, input, 'not-found', evidence, said);
  const about = answer.param === undefined ? 'says nothing about the model' : `is about ${answer.param}, not the model`;
  return inconclusive(input, `${said}: the refusal ${about}, so whether the profile id is served cannot be told`, evidence);
}

/** A project id no account has: an endpoint that reads the header must refuse it. */
export const UNKNOWN_PROJECT = 'proj_mantle-conformance-no-such-project';

/** Wording that says something is not taken at all. */
const UNSUPPORTED = /\b(not supported|unsupported|not allowed|not permitted|not accepted|not recognized|unrecognized|cannot be used)\b/i;
/** A refusal of a header as such: "unexpected header openai-project", "the OpenAI-Project header is not supported". */
const HEADER_REFUSED =
  /\b(unexpected|unknown|invalid|unsupported|disallowed|forbidden)\s+(http\s+)?header\b(?!\s+value)|\bnot an?\s+(supported|allowed|accepted|recognized|valid)\s+(http\s+)?header\b|\bdoes not (support|accept|allow)\b[^.]{0,40}\bheader\b|\bheader\b[^.]{0,60}\b(not supported|unsupported|not allowed|not permitted|not accepted|not recognized|unrecognized|cannot be used)\b|\b(not supported|unsupported|not allowed|not permitted|not accepted|not recognized|unrecognized|cannot be used)\b[^.]{0,60}\bheader\b/i;
/** Words about the one project asked for: "this project", "project 'x'", "unknown project", "no access to project". */
const THIS_PROJECT = /\b(this|the|your|that|requested|specified)\s+project\b|(?<![-\w])project\s*(['"`(]|id\b|not found|does not exist|mismatch)|\b(unknown|unrecognized|invalid|mismatched|no access to|access to)\s+(the\s+)?project\b/i;
/** Words of a project looked up: not found, no access, mismatched. */
const LOOKED_UP = /\b(not found|does not exist|doesn't exist|no access|not have access|not allowed for|mismatch(ed)?|not a member|unknown project|invalid project)\b/i;
/** The word project on its own: not the header's own name (OpenAI-Project), nor a compound (project-scoped). */
const A_PROJECT = /(?<![-\w])projects?(?![-\w])/i;
/** The header's own name: "OpenAI-Project is not supported". */
const THE_HEADER = /(?<![-\w])openai-project(?![-\w])/i;

/**
 * What a refusal of the unknown project tells, when it tells, in this order: `honoured` when it quotes the project id
 * with words of a lookup; `rejected` when it refuses a header as such (a gateway may quote the value it refuses);
 * `honoured` when it quotes the id; `honoured` when it speaks of the one project asked for (not found, no access,
 * mismatched, unrecognized: the value was read); `rejected` for other not-taken wording beside the header's name or
 * the word project ("projects are not supported here"); `honoured` for any other word of a project. Undefined when
 * it says neither (a bare "Bad Request", an error about another field, "Server-side tools are not supported"):
 * nothing then tells a header looked up from one refused as unsupported.
 */
export function projectRefusal(message: string): 'honoured' | 'rejected' | undefined {
  const quoted = message.includes(UNKNOWN_PROJECT);
  // The id quoted with words of a lookup shows the value was read ("Invalid header: project 'x' not found"); a
  // gateway that refuses the header may quote its value too ("Unsupported header OpenAI-Project: proj_x").
  if (quoted && LOOKED_UP.test(message)) return 'honoured';
  if (HEADER_REFUSED.test(message)) return 'rejected';
  if (quoted) return 'honoured';
  if (THIS_PROJECT.test(message)) return 'honoured';
  // Not-taken wording is about the header only beside its name or the word project: "Server-side tools are not
  // supported" refuses something else, and reading it as the header refused would fail Mantle for it.
  if (UNSUPPORTED.test(message) && (THE_HEADER.test(message) || A_PROJECT.test(message))) return 'rejected';
  return A_PROJECT.test(message) ? 'honoured' : undefined;
}

const project: CheckDefinition = {
  id: 'headers.openai-project',
  title: 'What an OpenAI-Project header naming an unknown project does: refused as unknown (honoured), refused as unsupported, or ignored',
  api: null,
  vocabulary: ['honoured', 'rejected', 'ignored'],
  reference: { value: 'honoured', source: 'openai-reference: OpenAI-Project selects the project a request is billed to; an unknown project is refused' },
  run(input) {
    const seen = lastAnswer(input);
    if ('settled' in seen) return seen.settled;
    const { answer, evidence } = seen;
    if (answer.kind === 'ok') return judge(project, input, 'ignored', evidence, `HTTP ${answer.status}: the unknown project ${UNKNOWN_PROJECT} was not looked up`);
    if (isRefusal(answer)) {
      // The header is no body field: a refusal naming one the body carried (a bound) is about that field.
      const other = answer.kind === 'rejected' ? offTopicRejection(answer, seen.request, []) : undefined;
      if (other) return inconclusive(input, `the request was refused for ${other}, not for the OpenAI-Project header: ${answer.status} ${answer.message}`, evidence);
      const verdict = projectRefusal(answer.message);
      if (verdict) return judge(project, input, verdict, evidence, `${answer.status}: ${answer.message}`);
      const names = answer.kind === 'rejected' && answer.param !== undefined ? ` (it names ${answer.param})` : '';
      return inconclusive(input, `${answer.status}: ${answer.message}: the refusal says neither that the header is unsupported nor anything about the project${names}, so it cannot tell whether the project was looked up`, evidence);
    }
    return notObservable(input, answer, evidence);
  },
};

export const surfaceFeatureChecks: readonly CheckDefinition[] = [webSearch, profileId, project];
