/**
 * @module emulator/chat
 * Chat Completions as a Mantle model answers them: a completion or a stream of chunks with the fields real answers
 * carry (ids `chatcmpl-...`, usage details, `obfuscation`, the usage chunk), `created` in the model's lexical form, array content accepted or rejected, parameters honoured, ignored or refused, reasoning where the
 * model puts it, forced tool calls, json_schema output.
 */
import type { ServerResponse } from 'node:http';
import { MANTLE_IDS, type EmulatorContext } from './context.ts';
import { applyStop, breakRequired, exampleFor, promptOf, replyFor, tokensOf } from './generate.ts';
import { imageRefusal, imageReply } from './images.ts';
import { makesCall, thinkingTokensFor, type ModelProfile } from './profile.ts';
import { invalidParam, paramError, typeRefusal } from './request-checks.ts';
import { serviceTierRefusal, servedTier } from './service-tier.ts';
import { callArguments, chatToolCallDeltas, type EmulatedCall } from './tool-stream.ts';
import { countTokens, sendJson, timestamp, toJson, writeSse, type SseEventOut } from './wire.ts';

const REASONING = 'The user wants a short answer.';

function hasArrayContent(messages: unknown): boolean {
  return Array.isArray(messages) && messages.some((m) => m && typeof m === 'object' && Array.isArray((m as Record<string, unknown>).content));
}

/** A parameter the model honours: present in the body and not on the profile's ignore list. */
function honoured(body: Record<string, unknown>, profile: ModelProfile, name: string): unknown {
  return profile.behaviors.ignoredParams.includes(name) ? undefined : body[name];
}

interface Answer {
  message: Record<string, unknown>;
  finish: string;
  tokens: string[];
  /** Output tokens spent thinking (counted in usage, never shown but in the reasoning field). */
  reasoningTokens: number;
}

function answer(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Answer {
  const b = profile.behaviors;
  const tools = Array.isArray(body.tools) ? (body.tools as Record<string, unknown>[]) : [];
  const choice = body.tool_choice as Record<string, unknown> | string | undefined;
  const forced = typeof choice === 'object' ? ((choice.function as Record<string, unknown> | undefined)?.name as string | undefined) : choice === 'required' ? ((tools[0]?.function as Record<string, unknown> | undefined)?.name as string | undefined) : undefined;
  // Effort none of a model that then does not reason: no reasoning text, no thinking tokens.
  const thinkingTokens = thinkingTokensFor(body, b);
  const off = b.thinkingTokens > 0 && thinkingTokens === 0;
  const reasoning = off ? {} : b.chatReasoning === 'message.reasoning' ? { reasoning: REASONING } : b.chatReasoning === 'reasoning_content' ? { reasoning_content: REASONING } : {};
  const lastIsTool = Array.isArray(body.messages) && (body.messages.at(-1) as Record<string, unknown> | undefined)?.role === 'tool';
  const limit = [honoured(body, profile, 'max_tokens'), honoured(body, profile, 'max_completion_tokens')].find((v): v is number => typeof v === 'number');
  // A reasoning model thinks first; a budget it spends on thinking alone leaves nothing visible.
  const thinking = limit === undefined ? thinkingTokens : Math.min(thinkingTokens, limit);
  if (thinkingTokens > 0 && limit !== undefined && limit <= thinkingTokens) {
    return { message: { role: 'assistant', content: '', refusal: null, annotations: [], ...reasoning }, finish: 'length', tokens: [], reasoningTokens: thinking };
  }
  // An empty answer: neither text nor a tool call, and a finish that says all is well (grok-4.6, gpt-5.6-sol).
  if (b.emptyAnswer) return { message: { role: 'assistant', content: '', refusal: null, annotations: [], ...reasoning }, finish: 'stop', tokens: [], reasoningTokens: thinking };
  if (forced && !lastIsTool && b.tools !== 'ignore' && makesCall(b.toolCallRate, context.occurrence)) {
    const tool = tools.find((t) => (t.function as Record<string, unknown> | undefined)?.name === forced);
    const parameters = (tool?.function as Record<string, unknown> | undefined)?.parameters;
    // "required" with parallel calls allowed: one call per city the prompt names (tool-stream.ts).
    const parallel = choice === 'required' && body.parallel_tool_calls !== false;
    const args = b.tools === 'bad-arguments' ? ['{"city": '] : callArguments(promptOf(body), parameters, parallel).map((value) => JSON.stringify(value));
    const calls = args.map((a) => ({ id: context.id('call'), type: 'function', function: { name: forced, arguments: a } }));
    return {
      message: { role: 'assistant', content: null, refusal: null, annotations: [], ...reasoning, tool_calls: calls },
      finish: 'tool_calls',
      tokens: args,
      reasoningTokens: thinking,
    };
  }
  const format = body.response_format as Record<string, unknown> | undefined;
  let text = lastIsTool ? 'It is 21.5 degrees in Paris.' : (imageReply(body, profile) ?? replyFor(promptOf(body), b.offScript));
  if (format?.type === 'json_schema' && b.structured !== 'ignore') {
    const schema = (format.json_schema as Record<string, unknown> | undefined)?.schema;
    const value = exampleFor(schema);
    text = JSON.stringify(b.structured === 'invalid' ? breakRequired(value, schema) : value);
  }
  const stop = applyStop(text, honoured(body, profile, 'stop'));
  const all = tokensOf(stop.text);
  const tokens = limit === undefined ? all : all.slice(0, Math.max(1, limit - thinking));
  return {
    message: { role: 'assistant', content: tokens.join(''), refusal: null, annotations: [], ...reasoning },
    finish: tokens.length < all.length ? 'length' : 'stop',
    tokens,
    reasoningTokens: thinking,
  };
}

function logprobsFor(tokens: string[], body: Record<string, unknown>, profile: ModelProfile): Record<string, unknown> | null {
  if (honoured(body, profile, 'logprobs') !== true) return null;
  const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  return {
    content: tokens.map((token) => ({
      token,
      logprob: -0.25,
      bytes: [...Buffer.from(token)],
      top_logprobs: Array.from({ length: top }, (_, i) => ({ token: i === 0 ? token : `${token}?`, logprob: -0.25 - i, bytes: [...Buffer.from(token)] })),
    })),
    refusal: null,
  };
}

export async function handleChat(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());
  if (!Array.isArray(body.messages) || body.messages.length === 0) return fail(paramError(profile, 'messages', "'messages' must be a non-empty array"));
  const invalid = typeRefusal(body, profile, 'chat-completions') ?? invalidParam(body, profile, 'chat-completions');
  if (invalid) return fail(invalid);
  if (hasArrayContent(body.messages) && profile.arrayContent.chat !== 'accept') {
    return fail(paramError(profile, 'messages', "Invalid 'messages[0].content': array content is not accepted here; send a string"));
  }
  const image = imageRefusal(body, profile);
  if (image) return fail(paramError(profile, 'messages', image));
  const tier = serviceTierRefusal(body, profile);
  if (tier) return fail(tier);
  if (Array.isArray(body.messages) && (body.messages.at(-1) as Record<string, unknown>)?.role === 'tool' && profile.behaviors.toolResult === 'reject') {
    return fail(paramError(profile, 'messages', "Invalid 'messages': tool messages are not supported for this model"));
  }
  const id = context.id(...MANTLE_IDS.chat);
  const created = timestamp(context.now(), profile.createdAt.chat);
  const n = typeof honoured(body, profile, 'n') === 'number' ? Math.max(1, body.n as number) : 1;
  const reply = answer(body, profile, context);
  const logprobs = logprobsFor(reply.tokens, body, profile);
  const nullable = profile.behaviors.nullableFields || logprobs ? { logprobs } : {};
  const promptTokens = countTokens(promptOf(body));
  const completion = (reply.tokens.length + reply.reasoningTokens) * n;
  // The usage real answers carry (gemma-4-31b recording; gpt-oss-20b: cache_write_tokens, MANTLE.md).
  const usage = {
    completion_tokens: completion,
    completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: reply.reasoningTokens * n, rejected_prediction_tokens: 0 },
    prompt_tokens: promptTokens,
    prompt_tokens_details: { audio_tokens: 0, cache_write_tokens: 0, cached_tokens: 0 },
    total_tokens: promptTokens + completion,
  };
  if (body.stream === true) {
    if (profile.streamRejected) return fail(paramError(profile, 'stream', 'Streaming is not supported for this model'));
    return writeSse(res, chatChunks({ id, created, model: profile.id, reply, usage, body, profile }), profile.stream, context.headers());
  }
  const choices = Array.from({ length: n }, (_, index) => ({ index, message: reply.message, ...nullable, finish_reason: reply.finish }));
  const base = { id, object: 'chat.completion', ...(created !== undefined ? { created } : {}), model: profile.id, choices, usage };
  sendJson(res, 200, { ...base, service_tier: servedTier(body, profile), system_fingerprint: profile.behaviors.nullableFields ? 'fp_mantle_emulator' : null }, context.headers());
}

interface ChunkInput {
  id: string;
  created: string | undefined;
  model: string;
  reply: Answer;
  usage: Record<string, unknown>;
  body: Record<string, unknown>;
  profile: ModelProfile;
}

/** Padding of varying length, as the `obfuscation` of real chunks ("q3Zr", "Wm1x9", "tY"). */
const OBFUSCATION = ['q3Zr', 'Wm1x9', 'tY', 'Kp0', 'n7Qe2b'];

function chatChunks(input: ChunkInput): SseEventOut[] {
  const quirks = input.profile.stream;
  let chunkIndex = 0;
  const base = { id: input.id, object: 'chat.completion.chunk', ...(input.created !== undefined ? { created: input.created } : {}), model: input.model };
  const choice = (delta: Record<string, unknown>, finish: string | null) => ({
    index: 0,
    delta,
    ...(input.profile.behaviors.nullableFields ? { logprobs: null } : {}),
    finish_reason: finish,
    ...(quirks.obfuscation ? { obfuscation: OBFUSCATION[chunkIndex++ % OBFUSCATION.length] } : {}),
  });
  const message = input.reply.message;
  const chunks: unknown[] = [{ ...base, choices: [choice({ role: 'assistant', content: '' }, null)] }];
  for (const field of ['reasoning', 'reasoning_content']) if (typeof message[field] === 'string') chunks.push({ ...base, choices: [choice({ [field]: message[field] }, null)] });
  if (Array.isArray(message.tool_calls)) {
    const calls = (message.tool_calls as { id: string; function: { name: string; arguments: string } }[]).map((c): EmulatedCall => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
    for (const toolCalls of chatToolCallDeltas(calls, quirks)) chunks.push({ ...base, choices: [choice({ tool_calls: toolCalls }, null)] });
  } else {
    input.reply.tokens.forEach((piece, i) => {
      chunks.push({ ...base, choices: [choice({ content: piece }, null)] });
      if (quirks.errorFrame && i === 0) chunks.push({ type: 'error', error: JSON.stringify({ message: 'upstream model error', code: 'model_error' }) });
    });
  }
  // The wrong-finish deviation: Bedrock's own stop reason leaking through ("tool_use" is not a chat finish_reason).
  const finish = input.reply.finish === 'tool_calls' && quirks.toolCallStream === 'wrong-finish' ? 'tool_use' : input.reply.finish;
  const includeUsage = (input.body.stream_options as Record<string, unknown> | undefined)?.include_usage === true;
  // With usage asked for, the finish_reason chunk says `usage: null` and a usage chunk follows (bifrost #7065).
  chunks.push({ ...base, choices: [choice({}, quirks.omitFinishReason ? null : finish)], ...(includeUsage ? { usage: null } : {}) });
  if (includeUsage) {
    const usage = input.profile.behaviors.streamUsageDetails === 'null' ? { ...input.usage, prompt_tokens_details: null } : input.usage;
    chunks.push({ ...base, choices: quirks.usageWithChoices ? [choice({}, null)] : [], usage });
  }
  const events: SseEventOut[] = chunks.map((chunk) => ({ data: toJson(chunk) }));
  if (!quirks.omitDone) events.push({ data: '[DONE]' });
  return events;
}
