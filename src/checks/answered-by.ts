/**
 * @module checks/answered-by
 * Which model an answer says answered it, when that is another model than the one asked for. A gateway may route an
 * id it does not know to its default model and answer 200: every check then reads that other model's answers. Answers
 * name their model in other forms than the id asked for (Claude on Mantle echoes `claude-opus-4-7` for
 * `anthropic.claude-opus-4-7`; ids come dated, versioned, region-prefixed, as `Org/Name` or in another case), so two
 * names are compared without those. This is evidence: an alias or a deployment name (Azure, LiteLLM) is answered in
 * the name of the model behind it, and the evidence says so; the gate decides what it means (report/observed-models.ts).
 */
import { isRecord, jsonBody, parseJsonText, requestedModel } from '../transport/body.ts';
import { isStreamResponse, type Exchange, type ExchangeResponse } from '../transport/exchange.ts';
import { eventData, sseStream } from '../transport/sse.ts';
import { citesAnotherModel, otherModelAnswers } from './other-model-answers.ts';
import type { CheckResult } from './types.ts';

/** Cross-region inference profile prefixes: `us.anthropic.claude-...`, `global.openai.gpt-...`. */
const REGION_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|global)\./;
/** A provider prefix before a name that starts with a letter: `anthropic.`, `openai.`, `xai.` (not `gpt-5.` of `gpt-5.4`). */
const PROVIDER_PREFIX = /^[a-z][a-z0-9-]*\.(?=[a-z])/;
/**
 * What names a release of the same model: a date (`-20250929`, `-2024-08-06`, a snapshot's `-0709`), `-latest` (and
 * Ollama's `:latest`, what it answers for an id given without a tag), a Bedrock version (`-v1:0`, `-1:0` of
 * `openai.gpt-oss-120b-1:0`), a Vertex `@20240620`. Not Ollama's other tags: `:7b` and `:14b` are two models.
 */
const RELEASE_SUFFIX = /(?:@.*|-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{4}|latest)|-v?\d+:\d+|:\d+|:latest)$/;
/** Answers name at most this much of a model: the name is endpoint text, kept for evidence only. */
const MAX_NAME_CHARS = 128;
/** A stream names its model in its first events (a chat chunk, `response.created`, `message_start`), after pings. */
const EVENTS_READ = 8;

/** A name without release suffixes, case and separators. */
function bareName(name: string): string {
  for (let bare = name.replace(RELEASE_SUFFIX, ''); bare !== name && bare !== ''; bare = name.replace(RELEASE_SUFFIX, '')) name = bare;
  return name.replace(/[._\s]/g, '-');
}

/**
 * The names an id may go by: without `Org/`, a region prefix, case, release suffixes and separators, with and
 * without its provider prefix (`deepseek.v3.1` is also `deepseek-v3.1`; `anthropic.claude-opus-4-7` is also
 * `claude-opus-4-7`). The first is the id's own (its provider prefix kept), the second, when there is one, the id
 * without its provider prefix (messages.model-echo tells the two apart).
 */
export function modelNames(id: string): string[] {
  const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase().replace(REGION_PREFIX, '');
  const withoutProvider = name.replace(PROVIDER_PREFIX, '');
  return withoutProvider === name ? [bareName(name)] : [bareName(name), bareName(withoutProvider)];
}

/**
 * Whether `echoed`, the model an answer names, is another model than `sent`, the id asked for: no name one may go by
 * is a name of the other (modelNames). An empty name says nothing.
 */
export function namesAnotherModel(sent: string, echoed: string): boolean {
  if (echoed === sent || echoed.trim() === '') return false;
  const asked = modelNames(sent);
  return !modelNames(echoed).some((name) => asked.includes(name));
}

/**
 * The id of `ids` that `echoed`, the model an answer names, is a name of, when that is another model than `asked`;
 * undefined for an alias or a deployment name no id of them is (answered in the name of the model behind it).
 */
export function catalogModelNamed(asked: string, echoed: string, ids: Iterable<string>): string | undefined {
  if (!namesAnotherModel(asked, echoed)) return undefined;
  for (const id of ids) if (!namesAnotherModel(id, echoed) && namesAnotherModel(asked, id)) return id;
  return undefined;
}

/** The model a 2xx answer names: the body's `model` (`response.model`, `message.model` in a stream's first events). */
function echoedModel(response: ExchangeResponse): string | undefined {
  if (!isStreamResponse(response)) {
    const body = jsonBody(response);
    return body.ok && isRecord(body.value) && typeof body.value.model === 'string' ? body.value.model : undefined;
  }
  for (const event of sseStream(response).events.slice(0, EVENTS_READ)) {
    const data = eventData(event);
    if (!data.ok || !isRecord(data.value)) continue;
    const holder = isRecord(data.value.response) ? data.value.response : isRecord(data.value.message) ? data.value.message : data.value;
    // Azure's first chunk (its content filter's) names no model: "".
    if (typeof holder.model === 'string' && holder.model !== '') return holder.model;
  }
  return undefined;
}

const answeredByCache = new WeakMap<Exchange, string | null>();

/**
 * The model an exchange's 2xx answer names when it is another model than the request's `model` (namesAnotherModel),
 * cut to MAX_NAME_CHARS; undefined otherwise (the same model, no name, no 2xx, a request naming no model).
 */
export function answeredBy(exchange: Exchange): string | undefined {
  let found = answeredByCache.get(exchange);
  if (found === undefined) {
    found = null;
    const response = exchange.response;
    const body = exchange.request.body;
    const echoed = response && response.status >= 200 && response.status < 300 && body ? echoedModel(response) : undefined;
    // The request is the harness's own JSON: an answer that names the id as sent (most do) needs no parse of it.
    if (body && echoed !== undefined && !body.includes(`"model":${JSON.stringify(echoed)}`)) {
      const model = requestedModel(exchange.request);
      if (model !== undefined && namesAnotherModel(model, echoed)) found = echoed.length > MAX_NAME_CHARS ? [...echoed].slice(0, MAX_NAME_CHARS).join('') : echoed;
    }
    answeredByCache.set(exchange, found);
  }
  return found ?? undefined;
}

/** Names a result keeps of the models that answered in place of the one asked for. */
const MAX_NAMES_KEPT = 3;

/**
 * The result with its reason first saying how many of its answers came in another model's name, and which, when its
 * evidence (or a trial's) holds such answers: what the check read is that model's, whatever its status. First, so
 * that no cut of a long reason loses it; after a leading error code, which readers of reasons look for there. The
 * counts go into `otherModel` too, for the summaries: the reports keep only some of a cell's evidence.
 */
export function withAnsweredBy<T extends Pick<CheckResult, 'reason' | 'evidence' | 'trials' | 'otherModel'>>(result: T): T {
  // Nearly every result of a run has no such answer: it is told without counting its answers.
  if (!citesAnotherModel(result)) return result;
  const other = otherModelAnswers([result]);
  if (other.others === 0) return result;
  const code = /^HARNESS_[A-Z_]+: /.exec(result.reason)?.[0] ?? '';
  const note = `${other.others} of ${other.answers} answer(s) named another model than their request asked for (${other.names})`;
  return { ...result, reason: `${code}${note}; ${result.reason.slice(code.length)}`, otherModel: { answers: other.answers, others: other.others, names: other.named.slice(0, MAX_NAMES_KEPT) } };
}
