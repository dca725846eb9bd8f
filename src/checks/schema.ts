/**
 * @module checks/schema
 * Every JSON body and every stream event of a model's run, held against the JSON Schema of what it claims to be:
 * chat.completion, chat.completion.chunk, response, response stream events, the error envelope, and Anthropic's
 * message and events. Each check reports both modes in one word: `valid` (strictly), `lenient-only` (what
 * tolerant clients accept, but not strict ones), or `invalid`; and, as an observation that never fails a cell,
 * the fields the objects carry that the schema does not define.
 */
import { bodyText, excerpt, isRecord, NESTED_TOO_DEEP, writtenBody } from '../transport/body.ts';
import { isStreamResponse, type Exchange } from '../transport/exchange.ts';
import { sseStream, writtenEventData } from '../transport/sse.ts';
import type { ApiId } from '../suite/suite-schema.ts';
import { deniedAccess, describeDenial } from './access-denial.ts';
import { answerOf, type Answer } from './answer.ts';
import { clientTakes } from './client-read-events.ts';
import { evidenceOf, judge, settleWithout, unobserved, type CompletedOutcome } from './judge.ts';
import { resolveApiRoute } from './route.ts';
import { routeGuessOf } from './route-guess.ts';
import { routerPage, servedRoutes } from './router-page.ts';
import { stalledBody } from './stalled-body.ts';
import { schemaValues } from './schema-modes.ts';
import { asksFor, STREAM_KINDS, withCasesNotRead } from './schema-unread.ts';
import { PROJECT_SCHEMAS, type SchemaKind, type SchemaSet } from './schemas/schema-set.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence } from './types.ts';

export { PROJECT_SCHEMAS, type SchemaKind, type SchemaSet };

interface Sample {
  caseId: string;
  exchange: Exchange;
  where: string;
  value: unknown;
  /** `value` is JSON.parse's, every number as written (WrittenJson): its own plain and strict value. */
  plain?: boolean;
  /** A stand-in for a body that is not JSON (it fails the schema; it has no fields to list). */
  synthetic?: boolean;
  /** Why the sample fails whatever the schema says (a 2xx body that is not a JSON object), in place of its problems. */
  problem?: string;
  /** A body that ends before its JSON does: cut short on the way, not an object to judge. */
  cut?: boolean;
  /** JSON nested too deep to read with its lexemes (JsonResult `tooDeep`): an object not judged. */
  tooDeep?: boolean;
  /** A 403 that denies access (access-denial.ts): the account's answer, not an error body of the model's; not judged. */
  denied?: boolean;
  /** A router's page for a path it does not have (routerPage): no error of the API's; not judged. */
  routerPage?: boolean;
  /** A body that stalled (stalled-body.ts): never read whole by any client; not judged, and no `valid` without it. */
  stalled?: boolean;
}

/** `text/plain: Bad Request`: what a body that cannot be the envelope holds instead (endpoint text, cut short). */
function heldInstead(exchange: Exchange): string {
  const response = exchange.response!;
  return `${response.headers['content-type'] ?? 'no content-type'}: ${excerpt(bodyText(response), 80)}`;
}

/** Whether a body that does not parse ends before its JSON does (cut short), rather than being malformed partway. */
function endsEarly(text: string): boolean {
  const trimmed = text.trimEnd();
  try {
    JSON.parse(trimmed);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    return /end of JSON input/i.test(message) || (at !== null && Number(at[1]) >= trimmed.length);
  }
}

const OPENAI_APIS: ReadonlySet<ApiId> = new Set(['chat-completions', 'responses', 'models']);


/** The kinds read from a whole 2xx body (not a stream, not an error status). */
const BODY_KINDS: ReadonlySet<SchemaKind> = new Set(['chat-completion', 'response', 'anthropic-message']);

/** Whether `exchange` is where a body of `kind` is read: a 2xx, not a stream, of the kind's API and request. */
function bodyPlace(kind: SchemaKind, api: ApiId, exchange: Exchange): boolean {
  const response = exchange.response;
  if (!response || exchange.error || response.status < 200 || response.status >= 300 || isStreamResponse(response)) return false;
  if (kind === 'chat-completion') return api === 'chat-completions';
  if (kind === 'anthropic-message') return api === 'messages';
  return kind === 'response' && api === 'responses' && exchange.request.method !== 'DELETE' && !exchange.request.path.includes('/input_items');
}

/**
 * Adds the lossless values of one kind that an exchange carries to `found`. A run's streams hold many thousands of
 * events, and each of the seven checks reads every exchange: a sample is made once, where it is found.
 */
function addSamples(kind: SchemaKind, outcome: CompletedOutcome, exchange: Exchange, found: Sample[], served: ReadonlySet<string>): void {
  const response = exchange.response;
  if (!response || exchange.error) return;
  const { api, caseId } = outcome;
  // A body that stalled is set aside as such (stalled-body.ts), whichever kind would have read it.
  const pushStalled = () => void found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, stalled: true });
  if (BODY_KINDS.has(kind)) {
    // A 2xx whose body is an error envelope holds no object: the endpoint said no with the wrong status, which
    // errors.* judge; read against a completion's schema it made this check blame a body that was never one.
    if (!bodyPlace(kind, api, exchange)) return;
    if (stalledBody(response)) return pushStalled();
    if (answerOf(exchange).kind !== 'ok') return;
    const parsed = writtenBody(response);
    if (parsed.ok && isRecord(parsed.value)) found.push({ caseId, exchange, where: 'body', value: parsed.value, plain: parsed.plain });
    else if (!parsed.ok && parsed.tooDeep) found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, tooDeep: true });
    // A 2xx that starts as JSON but is not a JSON object (cut short on the way, or malformed): no object of the kind,
    // and the checks of what the model did cannot read it either (answer.ts, unreadableAnswer). Judged here.
    else if (!parsed.ok && endsEarly(bodyText(response))) found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, cut: true });
    else {
      const what = parsed.ok ? `JSON ${parsed.value === null ? 'null' : Array.isArray(parsed.value) ? 'array' : typeof parsed.value}` : 'not JSON';
      found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, problem: `the ${response.status} body is not a JSON object (${what})` });
    }
    return;
  }
  const ok = response.status >= 200 && response.status < 300;
  const stream = isStreamResponse(response);
  const addEvents = () => {
    const events = sseStream(response).events;
    // An event its client never reads as an object (`[DONE]` and what follows it, Anthropic's `ping`) is not judged.
    const takes = clientTakes(api, events);
    events.forEach((event, index) => {
      const parsed = writtenEventData(event);
      if (parsed.ok && isRecord(parsed.value)) found.push({ caseId, exchange, where: `event ${index}`, value: parsed.value, plain: parsed.plain });
      else if (!parsed.ok && parsed.tooDeep) found.push({ caseId, exchange, where: `event ${index}`, value: {}, synthetic: true, tooDeep: true });
      // An event whose data is not a JSON object is no object of the kind (as a whole body that is not one): it fails,
      // where dropping it made a stream of nothing but such events `skipped` and one such event invisible.
      else if (takes[index] === 'read') {
        const what = parsed.ok ? `JSON ${parsed.value === null ? 'null' : Array.isArray(parsed.value) ? 'array' : typeof parsed.value}` : 'not JSON';
        found.push({ caseId, exchange, where: `event ${index}`, value: {}, synthetic: true, problem: `the event's data is not a JSON object (${what}): ${excerpt(event.data, 60)}` });
      }
    });
  };
  switch (kind) {
    case 'chat-completion-chunk':
      if (api === 'chat-completions' && ok && stream) addEvents();
      return;
    case 'response-event':
      if (api === 'responses' && ok && stream) addEvents();
      return;
    case 'anthropic-event':
      if (api === 'messages' && ok && stream) addEvents();
      return;
    case 'error': {
      if (!OPENAI_APIS.has(api) || ok) return;
      // A body that stalled was not read whole by any client: what arrived is no envelope to judge (`invalid` blamed
      // the endpoint for a cut it did not send), and a whole one whose response never ended no `valid` either.
      if (stalledBody(response)) return pushStalled();
      // API Gateway's `{"message":"Missing Authentication Token"}` on a prefix it does not route, or `Forbidden` for an
      // account without access: errors.unknown-model alone judges such a 403, as README says.
      if (deniedAccess(exchange)) {
        found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, denied: true });
        return;
      }
      if (routerPage(exchange, api, served)) {
        found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, routerPage: true });
        return;
      }
      // A body that is not JSON cannot be the envelope: it fails, said as what it is rather than a missing member.
      const parsed = writtenBody(response);
      if (parsed.ok) found.push({ caseId, exchange, where: 'body', value: parsed.value, plain: parsed.plain });
      else found.push({ caseId, exchange, where: 'body', value: {}, synthetic: true, ...(parsed.tooDeep ? { tooDeep: true } : { problem: `the ${response.status} body is not JSON (${heldInstead(exchange)})` }) });
      return;
    }
    default:
      return;
  }
}

const KINDS: { kind: SchemaKind; api: ApiId | null; title: string }[] = [
  { kind: 'chat-completion', api: 'chat-completions', title: 'chat.completion bodies against the OpenAI schema' },
  { kind: 'chat-completion-chunk', api: 'chat-completions', title: 'chat.completion.chunk stream events against the OpenAI schema' },
  { kind: 'response', api: 'responses', title: 'Response objects against the OpenAI schema' },
  { kind: 'response-event', api: 'responses', title: 'Responses stream events against the OpenAI schema' },
  { kind: 'error', api: null, title: 'Error bodies of the OpenAI routes against the OpenAI error envelope' },
  { kind: 'anthropic-message', api: 'messages', title: 'Anthropic Message bodies against the Anthropic schema' },
  { kind: 'anthropic-event', api: 'messages', title: 'Anthropic stream events against the Anthropic schema' },
];

function schemaCheck(kind: SchemaKind, api: ApiId | null, title: string): CheckDefinition {
  const definition: CheckDefinition = {
    id: `schema.${kind}`,
    title,
    api,
    vocabulary: ['valid', 'lenient-only', 'invalid'],
    readsAllCases: true,
    reference: { value: 'valid', source: 'openai-reference: the published OpenAI / Anthropic object schemas' },
    run(input: CheckInput): CheckResult {
      const found: Sample[] = [];
      const served = kind === 'error' ? servedRoutes(input.outcomes) : new Set<string>();
      for (const outcome of input.outcomes) if (outcome.kind === 'completed') for (const exchange of outcome.exchanges) addSamples(kind, outcome, exchange, found, served);
      // A body cut short on the way (a proxy's buffer, a dropped connection that still ended cleanly) holds no object
      // to judge, and the other checks cannot read it either: an error when nothing else was read.
      const samples = found.filter((sample) => !sample.cut && !sample.tooDeep && !sample.denied && !sample.routerPage && !sample.stalled);
      const cut = found.find((sample) => sample.cut);
      // An object too deep to read is not judged: the others may still show the kind broken, never that all of it holds.
      const deep = found.find((sample) => sample.tooDeep);
      // A body that stalled is not read (stalled-body.ts): the same, and said first when nothing else was read.
      const stall = found.find((sample) => sample.stalled);
      const notRead = (stall && unobserved(input, `could not observe every ${kind} object: ${stall.exchange.request.method} ${stall.exchange.request.path} in ${stall.caseId} answered ${stall.exchange.response!.status} and ${stalledBody(stall.exchange.response!, 'its body')}`, [evidenceOf(stall.caseId, stall.exchange)])) || (deep && unobserved(input, `could not observe every ${kind} object: ${deep.where} of ${deep.caseId} is ${NESTED_TOO_DEEP}`, [evidenceOf(deep.caseId, deep.exchange)]));
      if (notRead && samples.length === 0) return notRead;
      if (samples.length === 0 && cut) {
        return unobserved(input, `could not observe the ${kind} object: the ${cut.exchange.response!.status} body ends before its JSON does (${bodyText(cut.exchange.response!).length} character(s) arrived): cut short on the way`, [evidenceOf(cut.caseId, cut.exchange)]);
      }
      const denials = found.filter((sample) => sample.denied);
      const pages = found.filter((sample) => sample.routerPage);
      const aside = [denials.length ? deniedOnly(denials) : '', pages.length ? routerPagesOnly(pages) : ''].filter(Boolean).join('; ');
      // Only denials or router pages: nothing the endpoint's API said was read, so nothing observed, never a pass.
      if (samples.length === 0 && aside) return unobserved(input, `could not observe the ${kind} object: ${aside}`, [...denials, ...pages].slice(0, 2).map((d) => evidenceOf(d.caseId, d.exchange)));
      if (samples.length === 0) return nothingToRead(input, api, kind);
      const judged = judgeSamples(definition, input, kind, samples);
      const verdict = withCasesNotRead(input, api, kind, aside ? { ...judged, reason: `${judged.reason}; not judged: ${aside}` } : judged);
      if (notRead && verdict.observed === 'valid') return notRead;
      // The events a stalled stream sent are real (one that breaks the schema, strictly or not, is a finding), but it
      // never sent the rest: 'valid' needs a stream that ended.
      const stalled = (sample: Sample) => sample.exchange.response?.stalledAfterMs !== undefined;
      if (verdict.observed !== 'valid' || !STREAM_KINDS.has(kind) || !samples.every(stalled)) return verdict;
      const first = samples[0]!;
      return unobserved(input, `could not observe a whole stream: every ${kind} stream stalled before it ended (no data for ${first.exchange.response!.stalledAfterMs} ms); stream.* judge the stall`, [evidenceOf(first.caseId, first.exchange)]);
    },
  };
  return definition;
}

/** The verdict on `samples`: valid, lenient-only or invalid, with the problems and the extra fields found. */
function judgeSamples(definition: CheckDefinition, input: CheckInput, kind: SchemaKind, samples: Sample[]): CheckResult {
  const schemas = input.schemas ?? PROJECT_SCHEMAS;
  const strictFailures: { sample: Sample; problems: string[] }[] = [];
  const lenientFailures: { sample: Sample; problems: string[] }[] = [];
  const extras = new Set<string>();
  for (const sample of samples) {
    const { plain, strict, strictAway } = schemaValues(sample.value, sample.plain === true);
    if (!sample.synthetic) for (const field of schemas.extraFields(kind, plain)) extras.add(field);
    // Integral numbers written with a `.` are read off the integers both ways: a bound the written number meets
    // fails on one reading only, `type: integer` on both (schema-modes.ts, offIntegers); every other rule is held to
    // the number itself (`1.0` against `exclusiveMinimum: 1` fails on it, and on only one reading).
    const strictProblems = sample.problem
      ? [sample.problem]
      : strictAway === undefined
        ? schemas.problems(kind, 'strict', strict)
        : [...new Set([...schemas.problems(kind, 'strict', plain), ...schemas.problems(kind, 'strict', strict, undefined, { value: strictAway })])];
    if (strictProblems.length === 0) continue;
    strictFailures.push({ sample, problems: strictProblems });
    const lenientProblems = sample.problem ? [sample.problem] : schemas.problems(kind, 'lenient', plain);
    if (lenientProblems.length) lenientFailures.push({ sample, problems: lenientProblems });
  }
  const shown = (lenientFailures.length ? lenientFailures : strictFailures).slice(0, 2);
  const evidence: Evidence[] = shown.map(({ sample, problems }) => evidenceOf(sample.caseId, sample.exchange, `${sample.where}: ${problems.join('; ')}`));
  const extra = extras.size ? `; ${describeExtras([...extras].sort())}` : '';
  const counted = `${samples.length} object(s) from ${new Set(samples.map((s) => s.caseId)).size} case(s), ${schemas.source}`;
  if (strictFailures.length === 0) return judge(definition, input, 'valid', evidence, `${counted}${extra}`);
  const describe = (failures: typeof strictFailures) => failures.slice(0, 2).map(({ sample, problems }) => `${sample.caseId} ${sample.where}: ${problems.join(', ')}`).join(' | ');
  if (lenientFailures.length === 0) return judge(definition, input, 'lenient-only', evidence, `strict: ${describe(strictFailures)}; lenient: all ${samples.length} valid${extra}; ${counted}`);
  return judge(definition, input, 'invalid', evidence, `${describe(lenientFailures)}${extra}; ${counted}`);
}

/** `2 answer(s) were 403 denials of access, no error of the model's: /openai/v1/models: 403 denied access (...), ...`. */
function deniedOnly(denials: readonly Sample[]): string {
  const paths = [...new Set(denials.map((d) => describeDenial(d.exchange)))];
  return `${denials.length} answer(s) were 403 denials of access, no error of the model's: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
}

/** `2 answer(s) were a router's page ..., no error of the API's: GET /openai/v1/models: 404 not JSON (text/plain: ...)`. */
function routerPagesOnly(pages: readonly Sample[]): string {
  const said = [...new Set(pages.map((p) => `${p.exchange.request.method} ${p.exchange.request.path}: ${p.exchange.response!.status} not JSON (${heldInstead(p.exchange)})`))];
  return `${pages.length} answer(s) were a router's page for a path it does not have, no error of the API's: ${said.slice(0, 3).join(', ')}${said.length > 3 ? ` and ${said.length - 3} more` : ''}`;
}

const MAX_EXTRAS = 12;

/** "extra fields: billing, output[].phase": names the endpoint chose, so only plain ones are shown as they are. */
export function describeExtras(fields: readonly string[]): string {
  const shown = fields.slice(0, MAX_EXTRAS).map((f) => (/^[\w$.\-[\]]{1,80}$/.test(f) ? f : JSON.stringify(f.slice(0, 80))));
  const more = fields.length > MAX_EXTRAS ? ` and ${fields.length - MAX_EXTRAS} more` : '';
  return `extra fields: ${shown.join(', ')}${more}`;
}

function nothingToRead(input: CheckInput, api: ApiId | null, kind: SchemaKind): CheckResult {
  const expected = input.expectation?.value ?? null;
  const ofApi = input.outcomes.filter((o) => api === null || o.api === api);
  const route = api ? resolveApiRoute(input.outcomes, api) : undefined;
  if (route?.state === 'unsupported') return { status: 'unsupported', observed: null, expected, reason: route.reason, evidence: [] };
  // Refused on a prefix no probe found (route-guess.ts): not "nothing to read", the guess was wrong.
  if (route?.state === 'unknown' && routeGuessOf(ofApi)) return unobserved(input, route.reason, []);
  if (ofApi.some((o) => o.kind === 'error' || o.kind === 'skipped')) return settleWithout({ ...input, outcomes: ofApi });
  const saidNo = BODY_KINDS.has(kind) ? errorInPlaceOfBody(kind, ofApi) : undefined;
  if (saidNo) return unobserved(input, `could not observe the ${kind} object: the endpoint answered ${saidNo.answer.status} with an error (${saidNo.answer.message}); errors.* judge the status`, [evidenceOf(saidNo.caseId, saidNo.exchange)]);
  // Cases of the API came back whole with no such object: the endpoint's answers left nothing to read, when one of them
  // asked for it (a stream for the stream kinds). A suite that never asked left the cell unobserved, not the endpoint.
  if (ofApi.some((o) => o.kind === 'completed')) {
    if (ofApi.some((o) => o.kind === 'completed' && o.exchanges.some((ex) => asksFor(kind, ex)))) {
      return { status: 'skipped', observed: null, expected, reason: `no ${kind} object was observed in this run`, evidence: [], skippedByAnswer: true };
    }
    const what = STREAM_KINDS.has(kind) ? 'a streaming' : 'a non-streaming';
    return { status: 'skipped', observed: null, expected, reason: `no ${kind} object was observed in this run: no case in the suites asks for one (${what} ${api} request)`, evidence: [] };
  }
  return { status: 'skipped', observed: null, expected, reason: `no ${kind} object was observed in this run`, evidence: [] };
}

/** The first exchange where a body of `kind` was to be read that holds an error envelope instead. */
function errorInPlaceOfBody(kind: SchemaKind, outcomes: CheckInput['outcomes']): { caseId: string; exchange: Exchange; answer: Extract<Answer, { kind: 'rejected' }> } | undefined {
  for (const outcome of outcomes) {
    if (outcome.kind !== 'completed') continue;
    for (const exchange of outcome.exchanges) {
      if (!bodyPlace(kind, outcome.api, exchange)) continue;
      const answer = answerOf(exchange);
      if (answer.kind === 'rejected') return { caseId: outcome.caseId, exchange, answer };
    }
  }
  return undefined;
}

export const schemaChecks: readonly CheckDefinition[] = KINDS.map(({ kind, api, title }) => schemaCheck(kind, api, title));
