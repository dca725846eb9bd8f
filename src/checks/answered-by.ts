/**
 * @module checks/answered-by
 * Which model an answer says answered it, when that is another model than the one asked for. A gateway may route an
 * id it does not know to its default model and answer 200: every check then reads that other model's answers, and a
 * typo'd id would read as observed. Answers name their model in other forms than the id asked for (Claude on Mantle
 * echoes `claude-opus-4-7` for `anthropic.claude-opus-4-7`; ids come dated, versioned, region-prefixed or as
 * `Org/Name`), so a name counts as another model only when it shares no family word with the id (`llama` for
 * `grok`). Whatever cannot be told (an ARN, an id with no family word) counts as the same model: this is evidence for
 * the gate, which must not fail a run on a guess.
 */
import { isRecord, jsonBody, parseJsonText } from '../transport/body.ts';
import { isStreamResponse, type Exchange, type ExchangeResponse } from '../transport/exchange.ts';
import { eventData, sseStream } from '../transport/sse.ts';

/** Cross-region inference profile prefixes: `us.anthropic.claude-...`, `global.openai.gpt-...`. */
const REGION_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|global)\./;
/** A provider prefix before a name that starts with a letter: `anthropic.`, `openai.`, `xai.` (not `gpt-5.` of `gpt-5.4`). */
const PROVIDER_PREFIX = /^[a-z][a-z0-9-]*\.(?=[a-z])/;
/** Words that name a size, a mode or a release, not a model family: two models may share them. */
const NOT_A_FAMILY = new Set([
  'alpha', 'base', 'beta', 'chat', 'default', 'exp', 'experimental', 'fast', 'instruct', 'large', 'latest', 'lite', 'max', 'medium',
  'mini', 'model', 'nano', 'online', 'plus', 'preview', 'pro', 'reasoning', 'small', 'thinking', 'turbo', 'vision',
]);
/** Answers name at most this much of a model: the name is endpoint text, kept for evidence only. */
const MAX_NAME_CHARS = 128;
/** A stream names its model in its first events (a chat chunk, `response.created`, `message_start`). */
const EVENTS_READ = 3;

/**
 * The family words of a model id: runs of three or more letters of its name, without prefixes or `Org/`; a name with
 * none (`deepseek.v3.1`) takes them from its provider.
 */
function familyWords(id: string): Set<string> {
  const bare = id.toLowerCase().slice(id.lastIndexOf('/') + 1).replace(REGION_PREFIX, '');
  const words = (text: string) => (text.match(/[a-z]{3,}/g) ?? []).filter((word) => !NOT_A_FAMILY.has(word));
  const name = words(bare.replace(PROVIDER_PREFIX, ''));
  return new Set(name.length > 0 ? name : words(bare));
}

/**
 * Whether `echoed`, the model an answer names, is another model than `sent`, the id asked for: true only when both
 * have family words and share none. An ARN names a deployment, not a model: never another.
 */
export function namesAnotherModel(sent: string, echoed: string): boolean {
  if (echoed === sent || echoed.trim() === '' || sent.startsWith('arn:')) return false;
  const asked = familyWords(sent);
  const named = familyWords(echoed);
  if (asked.size === 0 || named.size === 0) return false;
  for (const word of named) if (asked.has(word)) return false;
  return true;
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
    if (typeof holder.model === 'string') return holder.model;
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
      const sent = parseJsonText(body);
      const model = sent.ok && isRecord(sent.value) ? sent.value.model : undefined;
      if (typeof model === 'string' && namesAnotherModel(model, echoed)) found = echoed.length > MAX_NAME_CHARS ? [...echoed].slice(0, MAX_NAME_CHARS).join('') : echoed;
    }
    answeredByCache.set(exchange, found);
  }
  return found ?? undefined;
}
