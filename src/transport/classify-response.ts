/**
 * @module transport/classify-response
 * What kind of answer an HTTP response is. Mantle's route errors vary (400 "isn't supported on this route",
 * 401 "Berm is not enabled for this account", 404), so this classifies on status *and* message, and keeps
 * "Berm" (a route error that comes as a 401) apart from a bad key (a real 401 that stops the run).
 */
import { bodyText, isRecord, jsonBody, parseJsonText, type JsonResult } from './body.ts';
import { budgetExceeded } from './budget-exceeded.ts';
import { isStreamResponse, type ExchangeResponse } from './exchange.ts';

export type ResponseClass =
  /** 2xx. */
  | 'ok'
  /**
   * A 2xx whose body is an error envelope and no answer (`errorInSuccess`), in words that do not say "not here": the
   * endpoint said no with a success status. It neither serves nor refuses the model as far as a probe can tell.
   */
  | 'error-in-2xx'
  /** This route prefix does not serve the model. */
  | 'route-unsupported'
  /** The model does not offer this API. */
  | 'api-unsupported'
  /** The endpoint does not know the model id at all. */
  | 'model-unknown'
  /** A real authentication failure: bad, expired or missing key. The run stops. */
  | 'auth-rejected'
  /** A gateway's spend budget (the key's, a team's, one model's) is used up (budget-exceeded.ts): never retried. */
  | 'budget-exceeded'
  /** 403 that is not a route error: the principal lacks a permission or model access. */
  | 'forbidden'
  /** 429, or another 4xx whose error class or words say throttled (`saysThrottle`). */
  | 'throttled'
  /** 5xx. */
  | 'server-error'
  /** Any other 4xx: the endpoint took the request and said no (a bad parameter, a validation error). */
  | 'rejected';

export interface ErrorEnvelope {
  message: string;
  code?: string;
  type?: string;
}

export interface Classification {
  kind: ResponseClass;
  /** The error message the endpoint sent, if any. */
  message?: string;
  /** Which rule decided, for evidence and tests. */
  rule: string;
}

interface Rule {
  name: string;
  kind: ResponseClass;
  /** `text` is the envelope's message, code and type on one line (made once per answer: a message can be megabytes). */
  matches(status: number, envelope: ErrorEnvelope | undefined, text: string): boolean;
}

const textOf = (envelope: ErrorEnvelope | undefined) =>
  `${envelope?.message ?? ''} ${envelope?.code ?? ''} ${envelope?.type ?? ''}`;

const BERM = /berm is not enabled/i;
const NOT_ON_ROUTE = /(isn'?t|is not|not) supported on this route/i;
/**
 * "The model 'us.openai.gpt-oss-20b' does not exist" (Mantle), "The model `x` does not exist" (vLLM, OpenAI): the
 * word model, its id (quoted or bare; ids have dots, so no sentence rule), then "does not exist". A file, tool or
 * project that does not exist is no unknown model, nor is "the model called a function that does not exist".
 */
const MODEL_DOES_NOT_EXIST = /\bmodel\s+(?:id\s+)?(?:(["'`])[^"'`\n]{1,300}\1|[^\s"'`]{1,300})\s+does not exist/i;
/**
 * "The model does not support this API" in Mantle's words: "does not support the '/v1/responses' API" (and close
 * variants).
 */
const API_NOT_OFFERED = /does not support the '[^']*' api|does not support (this|the) (api|endpoint|operation)|(api|endpoint|operation) is not supported (for|by) (this|the) model/i;
/**
 * vLLM's "The model does not support Chat Completions API" (also Responses, Completions, Embeddings ... API): an
 * embedding model that /v1/models lists is one that does not serve chat. The whole message must end at "API": "does
 * not support the 'n' parameter", "tools", "image input", "the Responses API's 'background'", "... API with n > 1"
 * or "... API background mode" refuse a feature of a served API: the answers the param, tools and images checks
 * exist to judge.
 */
const VLLM_API_NOT_OFFERED =
  /\bdoes not support (the )?(chat[ _-]?completions?|completions?|responses|messages|embeddings?|score|rerank|pooling|classification|transcriptions?|translations?|tokeni[sz]ation|detokeni[sz]ation) api[.!]?$/i;
/**
 * Ollama's `"nomic-embed-text:latest" does not support chat` (and `generate`, `completion`, `embeddings`): the whole
 * message, a quoted id and an API's name and nothing after it, so `"x" does not support tools` or `thinking` (a
 * feature of an API it serves) and "does not support chat templates" are the endpoint's answer about the request.
 */
const OLLAMA_API_NOT_OFFERED = /^(["'`])[^"'`\n]{1,300}\1 does not support (chat|generate|completions?|embeddings?)\.?$/i;

/** Whether an error (its message, and `text`: its message, code and type on one line) says the model does not serve the API. */
function apiNotOffered(message: string, text: string): boolean {
  const said = message.trim();
  return API_NOT_OFFERED.test(text) || VLLM_API_NOT_OFFERED.test(said) || OLLAMA_API_NOT_OFFERED.test(said);
}

/**
 * Error codes and types that name a throttle: OpenAI's `rate_limit_exceeded` / `rate_limit_error`, AWS's
 * `ThrottlingException`, `TooManyRequestsException`, `ServiceQuotaExceededException` ("You can resubmit your request
 * later", Bedrock's quota errors), `RequestLimitExceeded`, S3-style `SlowDown`, Mantle's `throttling_error`.
 */
const THROTTLE_CLASS = /rate_?limit|throttl|too_?many_?requests|request_?limit_?exceeded|service_?quota_?exceeded|^slow_?down$|^429$/i;
/**
 * Words that say throttled and nothing else: "Rate limit reached for requests" (OpenAI), "have exceeded token rate
 * limit" (Azure), "Rate exceeded" (AWS), "Too many requests" (not of items of the request: "too many requests tools",
 * "too many requests in the input array"), Bedrock's
 * "Too many tokens, please wait before trying again". Not "limit" alone, nor "try again": a 400 "max_tokens exceeds
 * the model's limit" or "too many tokens in the prompt; try again with a shorter input" is the endpoint's answer
 * about the request.
 */
const THROTTLE_WORDS =
  /\brate[ _-]?limit(ed|s)?\b[^.]{0,40}\b(reached|exceeded|hit)\b|\bexceeded (the |your )?(token |request )?rate limit\b|\brate exceeded\b|\btoo many requests\b(?!\s+(?:tools?|items?|objects?|entries|messages|inputs?|specified|provided|given|included|supplied)\b|\s+in\s+(?:an?\s+|the\s+|this\s+|your\s+|one\s+)?(?:single\s+)?(?:request\s+body|input|array|batch|list|body|payload)\b|\s*[,;:(]?\s*(?:max|maximum|at most)\b(?![^.)]{0,30}\bper\s+(?:second|minute|hour|day)\b))|\btoo many tokens\b[^.]{0,40}\b(wait|per (second|minute|hour|day))\b|\b(request|call)s? (was|were|has been|have been|is|are) throttled\b|\bthrottling ?exception\b/i;

/**
 * Whether an error's code or type names a throttle, or its words say one. A 4xx other than 429 that does is a throttle
 * all the same (`4xx-throttle`: AWS gateways answer `ThrottlingException` with a 400, proxies relay OpenAI's
 * `rate_limit_exceeded` with a 400 or 403): it says nothing about the model, so it is retried and, past the retries,
 * HARNESS_THROTTLED (retrying-target.ts), never judged nor recorded. A 401 is left to the credential rules (a bad key
 * stops the run whatever it says); a "budget" that says so is a throttle too (budget-exceeded.ts).
 */
export function saysThrottle(envelope: ErrorEnvelope): boolean {
  const named = [envelope.code, envelope.type].filter((value): value is string => typeof value === 'string');
  // Only the message's start is read: throttle words are short, an endpoint's message can be megabytes.
  return named.some((value) => THROTTLE_CLASS.test(value)) || THROTTLE_WORDS.test(envelope.message.slice(0, 1000));
}

/**
 * Whether a message is one of the endpoint's own refusals of a model on a route or an API ("isn't supported on this
 * route", "does not support the '/v1/responses' API", Berm, "The model 'x' does not exist"): the same words the
 * rules below believe whatever the status, for the stand-in rules to tell such an answer from a gateway's.
 */
export function refusesByWords(text: string): boolean {
  return BERM.test(text) || NOT_ON_ROUTE.test(text) || apiNotOffered(text, text) || MODEL_DOES_NOT_EXIST.test(text);
}

/** Ordered: the first rule that matches decides (a budget's before 429 and 401); each is pinned by a test with verbatim errors. */
const RULES: readonly Rule[] = [
  { name: 'budget-exceeded', kind: 'budget-exceeded', matches: (status, envelope) => budgetExceeded(status, envelope, saysThrottle) },
  { name: '429', kind: 'throttled', matches: (status) => status === 429 },
  { name: '5xx', kind: 'server-error', matches: (status) => status >= 500 },
  { name: '4xx-throttle', kind: 'throttled', matches: (status, envelope) => status >= 400 && status < 500 && status !== 401 && !!envelope && saysThrottle(envelope) },
  // Mantle answers a prefixed model on the unprefixed route with this 401 (seeds/truefoundry FAQ, litellm #30657); on every route it is the account's (not-enabled.ts).
  { name: 'berm', kind: 'route-unsupported', matches: (_s, _e, text) => BERM.test(text) },
  { name: 'not-on-route', kind: 'route-unsupported', matches: (_s, _e, text) => NOT_ON_ROUTE.test(text) },
  { name: 'api-not-offered', kind: 'api-unsupported', matches: (_s, envelope, text) => apiNotOffered(envelope?.message ?? '', text) },
  { name: '401', kind: 'auth-rejected', matches: (status) => status === 401 },
  // AWS answers bad SigV4 credentials with a 403 (InvalidSignatureException, UnrecognizedClientException).
  {
    name: '403-credentials',
    kind: 'auth-rejected',
    matches: (status, _e, text) => status === 403 && /signature|security token|unrecognizedclient|invalid (api )?key|expired|credential should be scoped/i.test(text),
  },
  { name: '403', kind: 'forbidden', matches: (status) => status === 403 },
  // Mantle's "The model '...' does not exist" (and OpenAI's, vLLM's "The model `x` does not exist"), and the other
  // servers' wordings of the same answer: "Model not found: x", ollama's `model "x" not found, try pulling it first`.
  // A typo'd id must read as unknown there too, not as "this route does not serve it": so do a gateway's "x is not
  // a valid model ID" (OpenRouter) and bedrock-runtime's "The provided model identifier is invalid.", which a 400
  // answered for every API made read as a model served. A bare "Not Found" stays a route answer (a missing route
  // prefix), and so does Anthropic's "model: x" (the Anthropic surface's answer to an OpenAI model). "does not
  // exist" counts only of a model: a file, tool, vector store or project that does not exist is an answer about the
  // request, and the model that gave it is served.
  {
    name: 'model-unknown',
    kind: 'model-unknown',
    matches: (status, _e, text) =>
      (status === 404 || status === 400) &&
      (MODEL_DOES_NOT_EXIST.test(text) ||
        /model_not_found|unknown model|model not found|invalid model|not a valid model (id|identifier|name)\b|model identifier is invalid|\bmodel (["'`])[^"'`\n]{1,300}\2 (was )?not found/i.test(text)),
  },
  { name: '404', kind: 'route-unsupported', matches: (status) => status === 404 },
  { name: '405', kind: 'api-unsupported', matches: (status) => status === 405 },
  { name: '4xx', kind: 'rejected', matches: (status) => status >= 400 && status < 500 },
];

/**
 * The class of a status and its body. `errorType` is the `x-amzn-ErrorType` header, when the caller has the headers:
 * AWS may name the error only there (`ThrottlingException`, `ServiceQuotaExceededException:<namespace>`).
 */
export function classifyResponse(status: number, body: string, errorType?: string): Classification {
  const trimmed = body.trim();
  return classifyBody(status, trimmed, () => parseJsonText(trimmed), errorType);
}

const classified = new WeakMap<ExchangeResponse, Classification>();

/**
 * `classifyResponse` of a response's status and body, decided once per response however many checks ask (a body
 * can be megabytes: parsed and matched once, not once per check), reading the body's JSON already parsed. A 2xx
 * stream is `ok`: its error frames are the stream checks' to judge.
 */
export function classifyAnswer(response: ExchangeResponse): Classification {
  let found = classified.get(response);
  if (!found) {
    const stream = response.status < 300 && isStreamResponse(response);
    found = stream ? { kind: 'ok', rule: '2xx' } : classifyBody(response.status, bodyText(response).trim(), () => jsonBody(response), response.headers['x-amzn-errortype']);
    // A "budget" that says when to try again (Retry-After) is a throttle's: a spent one does not come back in seconds.
    if (found.kind === 'budget-exceeded' && response.headers['retry-after'] !== undefined) found = { ...found, kind: 'throttled', rule: 'budget-retry-after' };
    classified.set(response, found);
  }
  return found;
}

/**
 * The class of a status and its trimmed body; `parse` reads the body's JSON (JSON.parse ignores what was trimmed).
 * A 2xx is `ok` unless its body is an error in place of an answer.
 */
function classifyBody(status: number, trimmed: string, parse: () => JsonResult, errorType?: string): Classification {
  let parsed: JsonResult | undefined;
  const json = () => (parsed ??= parse());
  const envelope = () => typedByHeader(trimmed ? envelopeOf(trimmed, json()) : undefined, errorType);
  if (status < 200 || status >= 300) return classifyEnvelope(status, envelope());
  const body = trimmed ? json() : undefined;
  if (!body?.ok || errorInSuccess(body.value) === undefined) return { kind: 'ok', rule: '2xx' };
  return classifyErrorIn2xx(envelope());
}

/**
 * An error in a 2xx is read by its words as a 400's would be: "not on this route", "does not support the API" and
 * "does not exist" are refusals whatever the status (the api.* probes believe them; errors.wrong-route judges the
 * status); any other error is `error-in-2xx`, neither a serving nor a refusing answer.
 */
function classifyErrorIn2xx(envelope: ErrorEnvelope | undefined): Classification {
  const as400 = classifyEnvelope(400, envelope);
  if (refusesModel(as400.kind)) return { ...as400, rule: `2xx-${as400.rule}` };
  return { kind: 'error-in-2xx', rule: '2xx-error', ...(envelope?.message ? { message: envelope.message } : {}) };
}

/**
 * Members of a 2xx body that make it an answer even when it also carries `error`: a Responses object that failed
 * inside a 200 (`status: "failed"`, `error: {code: "invalid_prompt"}`, MANTLE.md) is the endpoint's answer about
 * the model, and the checks read it.
 */
export const ANSWER_MEMBERS = ['id', 'object', 'choices', 'output', 'content', 'data', 'input_tokens'];

/**
 * The `error` a 2xx JSON body carries in place of an answer: an object or a non-empty string, in a body with none
 * of an answer's members. Undefined for anything else (a completion, a Responses object that failed inside a 200).
 */
export function errorInSuccess(body: unknown): Record<string, unknown> | string | undefined {
  if (!isRecord(body) || ANSWER_MEMBERS.some((member) => member in body)) return undefined;
  const { error } = body;
  return isRecord(error) || (typeof error === 'string' && error) ? error : undefined;
}

function classifyEnvelope(status: number, envelope: ErrorEnvelope | undefined): Classification {
  let text: string | undefined;
  for (const rule of RULES) {
    if (rule.matches(status, envelope, (text ??= textOf(envelope)))) {
      const result: Classification = { kind: rule.kind, rule: rule.name };
      if (envelope?.message) result.message = envelope.message;
      return result;
    }
  }
  return { kind: 'rejected', rule: 'other', ...(envelope?.message ? { message: envelope.message } : {}) };
}

/**
 * The error inside a body, whatever its envelope: OpenAI `{"error":{"message","code","type"}}`, Anthropic
 * `{"type":"error","error":{"type","message"}}`, AWS `{"message"}` / `{"Message"}`, or plain text.
 */
export function errorEnvelope(body: string): ErrorEnvelope | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  return envelopeOf(trimmed, parseJsonText(trimmed));
}

/** The envelope of a non-empty trimmed body, given its parse (JSON.parse ignores the whitespace trimmed away). */
function envelopeOf(trimmed: string, parsed: JsonResult): ErrorEnvelope | undefined {
  if (!parsed.ok) return { message: trimmed.slice(0, 500) };
  const value = parsed.value;
  if (!isRecord(value)) return undefined;
  const inner = isRecord(value.error) ? value.error : typeof value.error === 'string' ? { message: value.error } : value;
  const message = firstString(inner.message, inner.Message, value.message, value.Message, value.detail);
  // A number is a code too (`"code": 429`); an envelope that names its code or type says what it is without words.
  const code = firstString(inner.code, value.code) ?? (typeof (inner.code ?? value.code) === 'number' ? String(inner.code ?? value.code) : undefined);
  const type = firstString(inner.type, value.__type);
  if (message === undefined && code === undefined && type === undefined) return undefined;
  const envelope: ErrorEnvelope = { message: message ?? '' };
  if (code !== undefined) envelope.code = code;
  if (type !== undefined) envelope.type = type;
  return envelope;
}

/**
 * The envelope with the class AWS put in `x-amzn-ErrorType` (the part before `:`, the rest is a namespace URL) as its
 * type, when the body names none: a 400 whose body is only "... You can resubmit your request later." or empty is a
 * `ServiceQuotaExceededException` or a `ThrottlingException` all the same, and read as a rejection it was judged and
 * recorded. A body's own code or type is the endpoint's word and wins.
 */
function typedByHeader(envelope: ErrorEnvelope | undefined, errorType: string | undefined): ErrorEnvelope | undefined {
  const named = errorType?.split(':')[0]?.trim();
  if (!named || envelope?.code !== undefined || envelope?.type !== undefined) return envelope;
  // With no words of its own, the class is what the answer says (a retry's final message quotes it).
  return { ...envelope, message: envelope?.message || named, type: named };
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value) return value;
  return undefined;
}

/** Classes that say the model is reachable through this route and API. */
export function servesModel(kind: ResponseClass): boolean {
  return kind === 'ok' || kind === 'rejected';
}

/** Classes that say this route/API does not serve the model. */
export function refusesModel(kind: ResponseClass): boolean {
  return kind === 'route-unsupported' || kind === 'api-unsupported' || kind === 'model-unknown';
}

/**
 * Why a status says nothing about the model, or undefined when it is an answer. Informational statuses (1xx) are
 * not a final answer; a redirect (3xx) is not followed, so credentials stay with the origin they were meant for; a
 * 304 answers a conditional request the harness never makes; 407 is a proxy asking for its own credentials; 421
 * says the request reached a server that does not serve that host. What a body says instead of an answer (a 408,
 * an empty or HTML 2xx, a gateway's error in a 2xx, a proxy's HTML error page) is stand-in-answer.ts's.
 */
export function notAnAnswer(status: number, location?: string): string | undefined {
  if (status < 200) return `an informational ${status} instead of a final answer`;
  if (status === 304) return 'a 304 Not Modified to a request that asked no condition';
  if (status >= 300 && status < 400) {
    return `a redirect (${status}${location ? ` to ${location}` : ''}); the harness does not follow redirects, so credentials never leave the origin. Point --endpoint at the final URL`;
  }
  if (status === 407) return 'a 407 from a proxy that wants its own credentials';
  if (status === 421) return 'a 421: the request reached a server that does not serve this host';
  return undefined;
}
