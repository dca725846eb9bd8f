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
import { observeOk } from './answer.ts';
import { judge, unobserved } from './judge.ts';
import type { CheckDefinition, CheckInput, CheckResult } from './types.ts';

type ApiTarget = 'chat' | 'chat-stream' | 'responses' | 'responses-stream' | 'messages' | 'messages-stream' | 'count-tokens';

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
    return new Response(body, { status: response.status, headers });
  };
}

/** Returns type problems (empty when every typed field holds its type). Throws when the SDK cannot parse. */
type Judge = (exchange: Exchange, params: Record<string, unknown>) => Promise<string[]>;

const expectType = (problems: string[], name: string, value: unknown, type: 'string' | 'number' | 'array' | 'string|null') => {
  const ok = type === 'array' ? Array.isArray(value) : type === 'string|null' ? value === null || typeof value === 'string' : typeof value === type;
  if (!ok) problems.push(`${name} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not ${type}`);
};

// Each SDK loads the first time a judge needs it: a run without sdk.* checks (or without Claude) never pays for it.
let openaiSdk: Promise<{ OpenAI: typeof OpenAI; BedrockOpenAI: typeof BedrockOpenAI }> | undefined;
let anthropicSdk: Promise<typeof Anthropic> | undefined;
const loadOpenAI = () => (openaiSdk ??= Promise.all([import('openai'), import('openai/bedrock')]).then(([o, b]) => ({ OpenAI: o.default, BedrockOpenAI: b.BedrockOpenAI })));
const loadAnthropic = () => (anthropicSdk ??= import('@anthropic-ai/sdk').then((a) => a.default));

const openai = async (exchange: Exchange): Promise<OpenAI> => new (await loadOpenAI()).OpenAI({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/v1', fetch: recordedFetch(exchange), maxRetries: 0 });
const bedrock = async (exchange: Exchange): Promise<OpenAI> => new (await loadOpenAI()).BedrockOpenAI({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/openai/v1', fetch: recordedFetch(exchange), maxRetries: 0 });
const anthropic = async (exchange: Exchange): Promise<Anthropic> => new (await loadAnthropic())({ apiKey: 'judge', baseURL: 'http://sdk-judge.invalid/anthropic', fetch: recordedFetch(exchange), maxRetries: 0 });

const chatJudge = (client: (ex: Exchange) => Promise<OpenAI>): Judge => async (exchange, params) => {
  const completion = await (await client(exchange)).chat.completions.create({ ...(params as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming), stream: false });
  const problems: string[] = [];
  expectType(problems, 'id', completion.id, 'string');
  expectType(problems, 'created', completion.created, 'number');
  expectType(problems, 'choices', completion.choices, 'array');
  expectType(problems, 'choices[0].message.content', completion.choices?.[0]?.message?.content, 'string|null');
  return problems;
};

const responsesJudge = (client: (ex: Exchange) => Promise<OpenAI>): Judge => async (exchange, params) => {
  const response = await (await client(exchange)).responses.create({ ...(params as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming), stream: false });
  const problems: string[] = [];
  expectType(problems, 'id', response.id, 'string');
  expectType(problems, 'created_at', response.created_at, 'number');
  expectType(problems, 'output', response.output, 'array');
  expectType(problems, 'output_text', response.output_text, 'string');
  return problems;
};

const JUDGES: Record<ApiTarget, Judge> = {
  chat: chatJudge(openai),
  'chat-stream': async (exchange, params) => {
    const stream = await (await openai(exchange)).chat.completions.create({ ...(params as unknown as OpenAI.ChatCompletionCreateParamsStreaming), stream: true });
    const problems: string[] = [];
    let count = 0;
    for await (const chunk of stream) {
      count += 1;
      if (!Array.isArray(chunk.choices)) problems.push(`chunk ${count}: choices is not an array`);
    }
    if (count === 0) problems.push('the stream yielded no chunk');
    return problems;
  },
  responses: responsesJudge(openai),
  'responses-stream': async (exchange, params) => {
    const stream = await (await openai(exchange)).responses.create({ ...(params as unknown as OpenAI.Responses.ResponseCreateParamsStreaming), stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    return types.length === 0 ? ['the stream yielded no event'] : [];
  },
  messages: async (exchange, params) => {
    const message = await (await anthropic(exchange)).messages.create({ ...(params as unknown as Anthropic.MessageCreateParamsNonStreaming), stream: false });
    const problems: string[] = [];
    expectType(problems, 'id', message.id, 'string');
    expectType(problems, 'content', message.content, 'array');
    expectType(problems, 'usage.output_tokens', message.usage?.output_tokens, 'number');
    return problems;
  },
  'messages-stream': async (exchange, params) => {
    const stream = (await anthropic(exchange)).messages.stream(params as unknown as Anthropic.MessageStreamParams);
    const message = await stream.finalMessage();
    const problems: string[] = [];
    expectType(problems, 'content', message.content, 'array');
    return problems;
  },
  'count-tokens': async (exchange, params) => {
    const counted = await (await anthropic(exchange)).messages.countTokens(params as unknown as Anthropic.MessageCountTokensParams);
    const problems: string[] = [];
    expectType(problems, 'input_tokens', counted.input_tokens, 'number');
    return problems;
  },
};

function sdkCheck(id: string, title: string, api: CheckDefinition['api'], target: ApiTarget, sdk: string, override?: Judge): CheckDefinition {
  const definition: CheckDefinition = {
    id,
    title,
    api,
    vocabulary: ['ok', 'throws', 'mistyped'],
    reference: { value: 'ok', source: `sdk-reference: ${sdk} parses what the API reference describes` },
    async run(input: CheckInput): Promise<CheckResult> {
      const seen = observeOk(input);
      if ('settled' in seen) return seen.settled;
      const { evidence, exchange } = seen;
      // A client does throw on a stream that went silent, but the stall is the endpoint's infrastructure, which
      // stream.* judges (`stalled`): what the SDK would make of the whole answer was not observed.
      const stalled = exchange.response?.stalledAfterMs;
      if (stalled !== undefined) return unobserved(input, `could not observe: the answer stalled (no data for ${stalled} ms), so ${sdk} never saw it whole`, evidence);
      let params: Record<string, unknown> = {};
      try {
        params = JSON.parse(exchange.request.body ?? '{}') as Record<string, unknown>;
      } catch {
        // requests are JSON; an empty object is enough for the SDK to build its call
      }
      try {
        const problems = await (override ?? JUDGES[target])(exchange, params);
        return judge(definition, input, problems.length ? 'mistyped' : 'ok', evidence, problems.join('; ') || `${sdk} parsed it`);
      } catch (error) {
        return judge(definition, input, 'throws', evidence, `${sdk} threw ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`);
      }
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
