/**
 * @module checks/sdk-judges
 * "Can a client parse this": the recorded exchange, byte for byte and read by read, fed to the official SDKs
 * (`openai`, its `openai/bedrock` client, `@anthropic-ai/sdk`) through an injected fetch. The SDK parses it,
 * streams are iterated to the end, and the typed fields an app reads must hold their types.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { BedrockOpenAI } from 'openai/bedrock';
import type { Exchange } from '../transport/exchange.ts';
import { answeredExchanges, observeOk, stalledAnswer } from './answer.ts';
import { evidenceOf, judge, unobserved } from './judge.ts';
import { quietly, SILENT_SDK } from './sdk-quiet.ts';
import { STREAMED } from '../suite/sent-fields.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

type ApiTarget = 'chat' | 'chat-stream' | 'responses' | 'responses-stream' | 'messages' | 'messages-stream' | 'count-tokens';

/** The statuses whose response has no body (Fetch standard, "null body status"). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * What the judges' own fetch threw: the harness failed to replay the answer, so the SDK's "Connection error" around
 * it says nothing about the endpoint.
 */
class JudgeFetchFault extends Error {
  constructor(cause: unknown) {
    super(`the judge's fetch failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'JudgeFetchFault';
  }
}

/** The JudgeFetchFault an SDK error wraps (the SDKs keep the fetch error as `cause`), if any. */
function judgeFetchFault(error: unknown): JudgeFetchFault | undefined {
  for (let at = error, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth += 1) if (at instanceof JudgeFetchFault) return at;
  return undefined;
}

/**
 * A fetch that answers every call with the recorded response, chunk by chunk. A body that stalled ends in an error
 * after its last chunk: a client would wait on it until its own timeout, and never see the end.
 */
export function recordedFetch(exchange: Exchange): typeof fetch {
  return async () => {
    const response = exchange.response!;
    const encoder = new TextEncoder();
    const chunks = response.chunks.map((c) => encoder.encode(c.data));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else if (response.stalledAfterMs !== undefined) controller.error(new Error(`the stream stalled: no data for ${response.stalledAfterMs} ms, and a client waits for the rest`));
        else controller.close();
      },
    });
    const headers = new Headers(Object.entries(response.headers).filter(([name]) => name !== 'content-length' && name !== 'content-encoding'));
    // A Response refuses a body, even an empty one, with a status that has none; a real fetch hands the SDK null.
    return new Response(NULL_BODY_STATUS.has(response.status) ? null : body, { status: response.status, headers });
  };
}

/** The request options of one SDK call: the header naming the exchange whose recorded answer it gets (routedTo). */
interface Call {
  headers: Record<string, string>;
}

/** Returns type problems (empty when every typed field holds its type). Throws when the SDK cannot parse. */
type Judge = (call: Call, params: Record<string, unknown>) => Promise<string[]>;

const expectType = (problems: string[], name: string, value: unknown, type: 'string' | 'number' | 'array' | 'string|null') => {
  const ok = type === 'array' ? Array.isArray(value) : type === 'string|null' ? value === null || typeof value === 'string' : typeof value === type;
  if (!ok) problems.push(`${name} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not ${type}`);
};

/**
 * Problems when the SDK handed back no object at all: it returns null for a 204, and the app's first field read
 * throws. Said here, so that a judge's own field read never throws and passes as the SDK throwing.
 */
const notAnObject = (value: unknown, what: string): string[] => (typeof value === 'object' && value !== null ? [] : [`the SDK returned ${value === null ? 'null' : typeof value}, not ${what}`]);

/**
 * Each SDK's client is built once: a client builds every API resource it has (about 0.1 ms), and a run judges
 * thousands of answers. A call names its exchange in a header that only the injected fetch reads (the header never
 * leaves the process), so that calls in flight at once each get their own answer.
 */
const ROUTE_HEADER = 'x-sdk-judge-exchange';
const routes = new Map<string, Exchange>();
let lastRoute = 0;

const routedFetch: typeof fetch = async (input, init) => {
  try {
    const headers = init?.headers instanceof Headers ? init.headers : new Headers(init?.headers);
    const exchange = routes.get(headers.get(ROUTE_HEADER) ?? '');
    if (!exchange) throw new Error('an SDK call named no judged exchange');
    return await recordedFetch(exchange)(input, init);
  } catch (error) {
    throw new JudgeFetchFault(error);
  }
};

/** Runs `judge` with the call options that route its SDK calls to `exchange`'s recorded answer. */
async function routedTo<T>(exchange: Exchange, judge: (call: Call) => Promise<T>): Promise<T> {
  const id = String((lastRoute += 1));
  routes.set(id, exchange);
  try {
    return await quietly(() => judge({ headers: { [ROUTE_HEADER]: id } }));
  } finally {
    routes.delete(id);
  }
}

// Each SDK loads the first time a judge needs it: a run without sdk.* checks (or without Claude) never pays for it.
let openaiSdk: Promise<{ OpenAI: typeof OpenAI; BedrockOpenAI: typeof BedrockOpenAI }> | undefined;
let anthropicSdk: Promise<typeof Anthropic> | undefined;
const loadOpenAI = () => (openaiSdk ??= Promise.all([import('openai'), import('openai/bedrock')]).then(([o, b]) => ({ OpenAI: o.default, BedrockOpenAI: b.BedrockOpenAI })));
const loadAnthropic = () => (anthropicSdk ??= import('@anthropic-ai/sdk').then((a) => a.default));

let openaiClient: Promise<OpenAI> | undefined;
let bedrockClient: Promise<OpenAI> | undefined;
let anthropicClient: Promise<Anthropic> | undefined;
const openai = (): Promise<OpenAI> => (openaiClient ??= loadOpenAI().then((sdk) => new sdk.OpenAI({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/v1', fetch: routedFetch, maxRetries: 0, ...SILENT_SDK })));
const bedrock = (): Promise<OpenAI> => (bedrockClient ??= loadOpenAI().then((sdk) => new sdk.BedrockOpenAI({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/openai/v1', fetch: routedFetch, maxRetries: 0, ...SILENT_SDK })));
const anthropic = (): Promise<Anthropic> => (anthropicClient ??= loadAnthropic().then((Sdk) => new Sdk({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/anthropic', fetch: routedFetch, maxRetries: 0, ...SILENT_SDK })));

const chatJudge = (client: () => Promise<OpenAI>): Judge => async (call, params) => {
  const completion = await (await client()).chat.completions.create({ ...(params as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming), stream: false }, call);
  const problems = notAnObject(completion, 'a chat completion');
  if (problems.length) return problems;
  expectType(problems, 'id', completion.id, 'string');
  expectType(problems, 'created', completion.created, 'number');
  expectType(problems, 'choices', completion.choices, 'array');
  expectType(problems, 'choices[0].message.content', completion.choices?.[0]?.message?.content, 'string|null');
  return problems;
};

const responsesJudge = (client: () => Promise<OpenAI>): Judge => async (call, params) => {
  const response = await (await client()).responses.create({ ...(params as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming), stream: false }, call);
  const problems = notAnObject(response, 'a Response');
  if (problems.length) return problems;
  expectType(problems, 'id', response.id, 'string');
  expectType(problems, 'created_at', response.created_at, 'number');
  expectType(problems, 'output', response.output, 'array');
  expectType(problems, 'output_text', response.output_text, 'string');
  return problems;
};

const JUDGES: Record<ApiTarget, Judge> = {
  chat: chatJudge(openai),
  'chat-stream': async (call, params) => {
    const stream = await (await openai()).chat.completions.create({ ...(params as unknown as OpenAI.ChatCompletionCreateParamsStreaming), stream: true }, call);
    // The SDK hands each chunk over as it came, unchecked: the fields an app reads off every chunk must hold their types.
    const problems = new Map<string, number[]>();
    let count = 0;
    for await (const chunk of stream) {
      count += 1;
      const seen: string[] = [];
      const value = chunk as Partial<OpenAI.ChatCompletionChunk> | null;
      if (typeof value !== 'object' || value === null) seen.push(`is ${value === null ? 'null' : typeof value}, not a chunk`);
      else {
        expectType(seen, 'id', value.id, 'string');
        expectType(seen, 'created', value.created, 'number');
        expectType(seen, 'choices', value.choices, 'array');
      }
      for (const problem of seen) problems.set(problem, [...(problems.get(problem) ?? []), count]);
    }
    if (count === 0) return ['the stream yielded no chunk'];
    return [...problems].map(([problem, at]) => `${at.length === count && count > 1 ? `every chunk (${count})` : `chunk ${at.slice(0, 3).join(', ')}${at.length > 3 ? ` and ${at.length - 3} more` : ''}`}: ${problem}`);
  },
  responses: responsesJudge(openai),
  'responses-stream': async (call, params) => {
    const stream = await (await openai()).responses.create({ ...(params as unknown as OpenAI.Responses.ResponseCreateParamsStreaming), stream: true }, call);
    let count = 0;
    let final: unknown;
    for await (const event of stream) {
      count += 1;
      const value = event as Partial<OpenAI.Responses.ResponseStreamEvent> | null;
      if (value && (value.type === 'response.completed' || value.type === 'response.incomplete' || value.type === 'response.failed')) final = value.response;
    }
    if (count === 0) return ['the stream yielded no event'];
    // The terminal event's response is what an app keeps: the fields the non-stream judge reads must hold their types.
    // A stream without one is stream.responses' to fail: the SDK iterated it all the same.
    if (final === undefined) return [];
    const response = final as Partial<OpenAI.Responses.Response> | null;
    const problems = notAnObject(response, 'a Response in the terminal event').map((p) => `terminal event: ${p}`);
    if (problems.length || !response) return problems;
    expectType(problems, 'response.id', response.id, 'string');
    expectType(problems, 'response.created_at', response.created_at, 'number');
    expectType(problems, 'response.output', response.output, 'array');
    return problems;
  },
  messages: async (call, params) => {
    const message = await (await anthropic()).messages.create({ ...(params as unknown as Anthropic.MessageCreateParamsNonStreaming), stream: false }, call);
    const problems = notAnObject(message, 'a Message');
    if (problems.length) return problems;
    expectType(problems, 'id', message.id, 'string');
    expectType(problems, 'content', message.content, 'array');
    expectType(problems, 'usage.output_tokens', message.usage?.output_tokens, 'number');
    return problems;
  },
  'messages-stream': async (call, params) => {
    const stream = (await anthropic()).messages.stream(params as unknown as Anthropic.MessageStreamParams, call);
    const message = await stream.finalMessage();
    const problems: string[] = [];
    expectType(problems, 'content', message.content, 'array');
    return problems;
  },
  'count-tokens': async (call, params) => {
    const counted = await (await anthropic()).messages.countTokens(params as unknown as Anthropic.MessageCountTokensParams, call);
    const problems = notAnObject(counted, 'a token count');
    if (problems.length) return problems;
    expectType(problems, 'input_tokens', counted.input_tokens, 'number');
    return problems;
  },
};

/** What one SDK made of one recorded answer: a value of the vocabulary, or undefined when it could not be observed. */
interface SdkReading {
  exchange: Exchange;
  value: 'ok' | 'throws' | 'mistyped' | undefined;
  reason: string;
}

/** `exchange`'s recorded answer fed to `sdk` through `run`. */
async function readOne(exchange: Exchange, sdk: string, run: Judge): Promise<SdkReading> {
  // A client does throw on a stream that went silent, but the stall is the endpoint's infrastructure, which
  // stream.* judges (`stalled`): what the SDK would make of the whole answer was not observed.
  const stalled = exchange.response?.stalledAfterMs;
  if (stalled !== undefined) return { exchange, value: undefined, reason: `could not observe: the answer stalled (no data for ${stalled} ms), so ${sdk} never saw it whole` };
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(exchange.request.body ?? '{}') as Record<string, unknown>;
  } catch {
    // requests are JSON; an empty object is enough for the SDK to build its call
  }
  try {
    const problems = await routedTo(exchange, (call) => run(call, params));
    return problems.length ? { exchange, value: 'mistyped', reason: problems.join('; ') } : { exchange, value: 'ok', reason: `${sdk} parsed it` };
  } catch (error) {
    const fault = judgeFetchFault(error);
    if (fault) return { exchange, value: undefined, reason: `HARNESS_INTERNAL: ${fault.message}; ${sdk} never saw the recorded answer` };
    return { exchange, value: 'throws', reason: `${sdk} threw ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}` };
  }
}

function sdkCheck(id: string, title: string, api: CheckDefinition['api'], target: ApiTarget, sdk: string, override?: Judge): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api,
    vocabulary: ['ok', 'throws', 'mistyped'],
    reference: { value: 'ok', source: `sdk-reference: ${sdk} parses what the API reference describes` },
    // The SDK is asked for a stream: a whole body recorded for a request that asked for none would read as `mistyped`.
    ...(target.endsWith('-stream') ? { sends: [STREAMED] } : {}),
    async run(input: CheckInput): Promise<CheckResult> {
      const seen = observeOk(input);
      if ('settled' in seen) return seen.settled;
      // A probe asks every route prefix, and an app's client is pointed at one of them: each prefix that answered
      // 2xx is fed to the SDK (as sdk.strict.* and created-at.* read them), and the worst reading is the cell's.
      const read = await Promise.all(answeredExchanges(seen.outcome, seen.exchange.step).map((exchange) => readOne(exchange, sdk, override ?? JUDGES[target])));
      const evidence = read.map((r) => evidenceOf(seen.caseId, r.exchange));
      const where = (r: SdkReading) => (read.length > 1 ? `${r.exchange.request.path}: ` : '');
      const worst = (['throws', 'mistyped'] as const).find((value) => read.some((r) => r.value === value));
      if (worst) return judge(definition, input, worst, evidence, read.filter((r) => r.value === worst).map((r) => `${where(r)}${r.reason}`).join('; '));
      // A prefix whose 2xx body stalled is not among them (answerOf: broken): its SDK reading is not observed either.
      const stall = stalledAnswer(seen.outcome, seen.exchange.step);
      if (stall) return unobserved(input, stall.reason, [...evidence, evidenceOf(seen.caseId, stall.exchange)]);
      const hidden = read.find((r) => r.value === undefined);
      // The reason keeps its leading HARNESS_ code (answered-by reads it): the path goes after.
      if (hidden) return unobserved(input, `${hidden.reason}${read.length > 1 ? ` (on ${hidden.exchange.request.path})` : ''}`, evidence);
      return judge(definition, input, 'ok', evidence, `${read.length > 1 ? `every prefix (${read.map((r) => r.exchange.request.path).join(', ')}): ` : ''}${sdk} parsed it`);
    },
  };
  return definition;
}

export const sdkChecks: readonly CheckDefinition[] = [
  sdkCheck('sdk.openai.chat', 'The openai SDK parses a chat completion', 'chat-completions', 'chat', 'openai'),
  sdkCheck('sdk.openai.chat-stream', 'The openai SDK iterates a streamed chat completion to the end', 'chat-completions', 'chat-stream', 'openai'),
  sdkCheck('sdk.openai.responses', 'The openai SDK parses a Response (output_text included)', 'responses', 'responses', 'openai'),
  sdkCheck('sdk.openai.responses-stream', 'The openai SDK iterates a streamed Response to the end', 'responses', 'responses-stream', 'openai'),
  sdkCheck('sdk.openai-bedrock.chat', 'openai/bedrock (BedrockOpenAI) parses a chat completion', 'chat-completions', 'chat', 'openai/bedrock', chatJudge(bedrock)),
  sdkCheck('sdk.openai-bedrock.responses', 'openai/bedrock (BedrockOpenAI) parses a Response', 'responses', 'responses', 'openai/bedrock', responsesJudge(bedrock)),
  sdkCheck('sdk.anthropic.messages', '@anthropic-ai/sdk parses a Message', 'messages', 'messages', '@anthropic-ai/sdk'),
  sdkCheck('sdk.anthropic.messages-stream', '@anthropic-ai/sdk assembles a streamed Message (finalMessage)', 'messages', 'messages-stream', '@anthropic-ai/sdk'),
  sdkCheck('sdk.anthropic.count-tokens', '@anthropic-ai/sdk parses count_tokens', 'count-tokens', 'count-tokens', '@anthropic-ai/sdk'),
];
