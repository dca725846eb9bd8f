/**
 * @module emulator/responses
 * Creating a Response as Mantle does: the field set of real answers (the gemma-4-31b recording), the object echoes
 * the server's defaults for omitted parameters, `created_at` in the model's lexical form, array content that can be rejected inside a 200 (`status: "failed"`), reasoning
 * efforts and encrypted reasoning, forced function calls, json_schema text, `previous_response_id`, `background`,
 * and a stream of typed events with sequence numbers. Stored responses are served by responses-store.ts.
 */
import type { ServerResponse } from 'node:http';
import { MANTLE_IDS, type EmulatorContext } from './context.ts';
import { breakRequired, exampleFor, promptOf, replyFor, tokensOf } from './generate.ts';
import { imageRefusal, imageReply } from './images.ts';
import { makesCall, thinkingTokensFor, type ModelProfile } from './profile.ts';
import { invalidParam, paramError, typeRefusal } from './request-checks.ts';
import { reasoningDetail } from './responses-reasoning.ts';
import { serviceTierRefusal, servedTier } from './service-tier.ts';
import { responseEvents } from './responses-stream.ts';
import { countTokens, sendJson, timestamp, writeSse } from './wire.ts';

type Item = Record<string, unknown>;
const ENCRYPTED_PREFIX = 'gAAAAemulator';

/** The same Response before it is done (queued, in progress): no output, usage or completion time yet. */
export function unfinished(response: Item, status: 'queued' | 'in_progress'): Item {
  return { ...response, status, completed_at: null, output: [], usage: null };
}

/** Function tools echoed as real answers have them: description and parameters (null when absent), and `strict`. */
function echoTools(tools: unknown): unknown {
  if (!Array.isArray(tools)) return [];
  return tools.map((tool) => {
    if (!tool || typeof tool !== 'object' || (tool as Item).type !== 'function') return tool;
    const t = tool as Item;
    // OpenAI's default for Responses function tools is strict: true; the echo states what was applied.
    return { ...t, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? true };
  });
}

/** Any array-form content in the input (the `reject-400` quirk, a deviation for tests). */
function hasArrayContent(input: unknown): boolean {
  return Array.isArray(input) && input.some((item) => item && typeof item === 'object' && Array.isArray((item as Item).content));
}

/**
 * What the one report of the rejection inside a 200 shows (grafana/ai-sdk #207, MANTLE.md "Typing and content quirks"): an earlier
 * assistant turn whose content is an array of `output_text` parts. User `input_text` arrays are not what it reports.
 */
function hasAssistantOutputTextArray(input: unknown): boolean {
  return (
    Array.isArray(input) &&
    input.some((item) => {
      if (!item || typeof item !== 'object' || (item as Item).role !== 'assistant') return false;
      const content = (item as Item).content;
      return Array.isArray(content) && content.some((part) => part && typeof part === 'object' && (part as Item).type === 'output_text');
    })
  );
}

function inputItems(body: Record<string, unknown>): Item[] {
  return Array.isArray(body.input) ? (body.input as Item[]).filter((i) => i && typeof i === 'object') : [];
}

/** The output items: a reasoning item when asked for, then a function call or a message. */
function outputFor(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): { output: Item[]; tokens: number; reasoningTokens: number; incomplete: boolean } {
  const b = profile.behaviors;
  const output: Item[] = [];
  const limit = b.ignoredParams.includes('max_output_tokens') ? null : typeof body.max_output_tokens === 'number' ? body.max_output_tokens : profile.defaults.max_output_tokens;
  // A reasoning model thinks first; a budget it spends on thinking alone leaves nothing visible.
  // Effort none of a model that then does not reason (thinkingTokensFor): no reasoning item, no thinking tokens.
  const thinkingTokens = thinkingTokensFor(body, b);
  const thinking = limit === null ? thinkingTokens : Math.min(thinkingTokens, limit);
  if (thinkingTokens > 0) output.push({ id: context.id('rs'), type: 'reasoning', summary: [], ...reasoningDetail(body, profile) });
  // The reasoning is encrypted whatever follows it (an answer cut by the budget, an empty one), as OpenAI returns it.
  const include = Array.isArray(body.include) ? body.include : [];
  if (include.includes('reasoning.encrypted_content') && b.encryptedReasoning !== 'not-returned') {
    const encrypted = `${ENCRYPTED_PREFIX}${context.id('enc')}`;
    const thought = output.find((item) => item.type === 'reasoning');
    if (thought) thought.encrypted_content = encrypted;
    else output.push({ id: context.id('rs'), type: 'reasoning', summary: [], encrypted_content: encrypted });
  }
  if (thinkingTokens > 0 && limit !== null && limit <= thinkingTokens) return { output, tokens: 0, reasoningTokens: thinking, incomplete: true };
  if (b.emptyAnswer) {
    output.push({ id: context.id('msg'), type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '', annotations: [], logprobs: [] }] });
    return { output, tokens: 0, reasoningTokens: thinking, incomplete: false };
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Item[]) : [];
  const choice = body.tool_choice as Item | string | undefined;
  const forced = typeof choice === 'object' ? (choice.name as string | undefined) : choice === 'required' ? (tools[0]?.name as string | undefined) : undefined;
  const answered = inputItems(body).some((item) => item.type === 'function_call_output');
  if (forced && !answered && b.tools !== 'ignore' && makesCall(b.toolCallRate, context.occurrence)) {
    const tool = tools.find((t) => t.name === forced);
    const args = b.tools === 'bad-arguments' ? '{"city": ' : JSON.stringify(exampleFor(tool?.parameters));
    output.push({ id: context.id('fc'), type: 'function_call', status: 'completed', call_id: context.id('call'), name: forced, arguments: args });
    return { output, tokens: 1, reasoningTokens: thinking, incomplete: false };
  }
  // The server-side web_search tool reached the model (a surface that does not serve it refused the request): a prompt
  // that asks for a search gets one, as a model given the tool runs it; any other prompt gets none.
  const search = tools.find((t) => typeof t.type === 'string' && t.type.startsWith('web_search'));
  if (search && /\bsearch\b/i.test(promptOf(body))) output.push({ id: context.id('ws'), type: 'web_search_call', status: 'completed', action: { type: 'search', query: promptOf(body).slice(0, 120) } });
  let text = answered ? 'It is 21.5 degrees in Paris.' : (imageReply(body, profile) ?? rememberedName(body, profile, context) ?? replyFor(promptOf(body), b.offScript));
  const format = (body.text as Item | undefined)?.format as Item | undefined;
  if (format?.type === 'json_schema' && b.structured !== 'ignore') {
    const value = exampleFor(format.schema);
    text = JSON.stringify(b.structured === 'invalid' ? breakRequired(value, format.schema) : value);
  }
  const all = tokensOf(text);
  const kept = limit === null ? all : all.slice(0, Math.max(1, limit - thinking));
  output.push({
    id: context.id('msg'),
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: kept.join(''), annotations: [], logprobs: [] }],
    phase: 'final_answer',
  });
  return { output, tokens: kept.length, reasoningTokens: thinking, incomplete: kept.length < all.length };
}

/**
 * Each emulator's stored prompts by response id, the chain's history included: what previous_response_id carries, and
 * the tokens it holds (every turn's input and answer), which a chained turn's usage counts as input, as a real
 * endpoint bills them.
 */
interface History {
  prompts: string;
  tokens: number;
}
const histories = new WeakMap<object, Map<string, History>>();

/** Kept beside the emulator's stored responses (each request has its own context; the store is shared). */
function historyOf(context: EmulatorContext): Map<string, History> {
  let history = histories.get(context.responses);
  if (!history) histories.set(context.responses, (history = new Map()));
  return history;
}

/**
 * A second turn that asks for the name the chained history gave ("My name is Ada." then "What is my name?") is
 * answered with it, as a model that sees the history does; a profile that ignores previous_response_id forgets it.
 */
function rememberedName(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): string | undefined {
  const previous = body.previous_response_id;
  if (typeof previous !== 'string' || profile.behaviors.previousResponse !== 'echo' || !/what is my name/i.test(promptOf(body))) return undefined;
  const name = /\bmy name is (\w+)/i.exec(historyOf(context).get(previous)?.prompts ?? '')?.[1];
  return name ? `${name}.` : undefined;
}

export function buildResponse(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Item {
  const b = profile.behaviors;
  const rejected = hasAssistantOutputTextArray(body.input) && profile.arrayContent.responses === 'reject-200-failed';
  const { output, tokens, reasoningTokens, incomplete } = rejected ? { output: [], tokens: 0, reasoningTokens: 0, incomplete: false } : outputFor(body, profile, context);
  // A model that ignores previous_response_id never reads the history: its usage leaves it out.
  const chained = profile.behaviors.previousResponse === 'echo' && typeof body.previous_response_id === 'string' ? (historyOf(context).get(body.previous_response_id)?.tokens ?? 0) : 0;
  const inputTokens = chained + countTokens(promptOf(body));
  const reasoning = (body.reasoning ?? {}) as Item;
  const createdAt = timestamp(context.now(), profile.createdAt.responses);
  const format = ((body.text as Item | undefined)?.format as Item | undefined) ?? { type: 'text' };
  const status = rejected ? 'failed' : incomplete ? 'incomplete' : 'completed';
  // The field set of a real Response (the gemma-4-31b recording, MANTLE.md "Fields real answers carry").
  return {
    id: context.id(...MANTLE_IDS.response),
    object: 'response',
    ...(createdAt !== undefined ? { created_at: createdAt } : {}),
    completed_at: status === 'completed' ? (timestamp(context.now(), profile.createdAt.responses) ?? null) : null,
    status,
    background: body.background === true,
    billing: { payer: 'developer' },
    // MANTLE.md quotes the status and the code only (grafana/ai-sdk #207); the message is the emulator's, naming no cause.
    error: rejected ? { code: 'invalid_prompt', message: 'Invalid prompt.' } : null,
    frequency_penalty: typeof body.frequency_penalty === 'number' ? body.frequency_penalty : 0,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : profile.defaults.max_output_tokens,
    max_tool_calls: null,
    metadata: body.metadata ?? {},
    model: profile.id,
    moderation: null,
    output,
    parallel_tool_calls: true,
    presence_penalty: typeof body.presence_penalty === 'number' ? body.presence_penalty : 0,
    previous_response_id: b.previousResponse === 'echo' ? (body.previous_response_id ?? null) : null,
    prompt_cache_key: typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : null,
    prompt_cache_retention: 'in_memory',
    reasoning: { effort: reasoning.effort ?? profile.defaults.reasoning_effort, summary: typeof reasoning.summary === 'string' ? reasoning.summary : null },
    safety_identifier: typeof body.safety_identifier === 'string' ? body.safety_identifier : null,
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? profile.defaults.temperature,
    text: { format, verbosity: verbosityOf(body, profile) },
    tool_choice: body.tool_choice ?? 'auto',
    tools: echoTools(body.tools),
    top_logprobs: 0,
    top_p: body.top_p ?? profile.defaults.top_p,
    truncation: 'disabled',
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cache_write_tokens: 0, cached_tokens: 0 },
      output_tokens: tokens + reasoningTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + tokens + reasoningTokens,
    },
    ...(body.service_tier !== undefined ? { service_tier: servedTier(body, profile) } : {}),
    // Real gemma-4 answers carry "user": null where the document says string; others are not shown to.
    ...(b.userNull ? { user: null } : {}),
  };
}

/** The verbosity the answer echoes: the one asked for, unless the model ignores it (then its default). */
function verbosityOf(body: Record<string, unknown>, profile: ModelProfile): unknown {
  const asked = (body.text as Item | undefined)?.verbosity;
  return asked === undefined || profile.behaviors.ignoredParams.includes('verbosity') ? 'medium' : asked;
}

/** Why a request that refers back to earlier state cannot be served, if it cannot. */
function stateProblem(body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): { status: number; body: unknown } | undefined {
  const b = profile.behaviors;
  const previous = body.previous_response_id;
  if (typeof previous === 'string') {
    if (b.previousResponse === 'reject') return paramError(profile, 'previous_response_id', "Unsupported parameter: 'previous_response_id' is not supported with this model.", 'unsupported_parameter');
    if (b.previousResponse === 'echo' && !context.responses.has(previous)) return paramError(profile, 'previous_response_id', `Previous response with id '${previous}' not found.`, 'previous_response_not_found');
  }
  if (b.toolResult === 'reject' && inputItems(body).some((item) => item.type === 'function_call_output')) {
    return paramError(profile, 'input', "Invalid 'input': function_call_output items are not supported for this model.");
  }
  for (const item of inputItems(body)) {
    // A reasoning item sent back without encrypted content refers to stored reasoning: nothing to verify.
    if (item.type !== 'reasoning' || item.encrypted_content === undefined || item.encrypted_content === null) continue;
    const encrypted = item.encrypted_content;
    if (b.encryptedReasoning === 'rejected-on-return' || typeof encrypted !== 'string' || !encrypted.startsWith(ENCRYPTED_PREFIX)) {
      return paramError(profile, 'input', 'The encrypted content for item rs could not be verified.', 'invalid_encrypted_content');
    }
  }
  return undefined;
}

export async function handleCreateResponse(res: ServerResponse, body: Record<string, unknown>, profile: ModelProfile, context: EmulatorContext): Promise<void> {
  const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, context.headers());
  if (body.input === undefined) return fail(paramError(profile, 'input', "Missing required parameter: 'input'.", 'missing_required_parameter'));
  const invalid = typeRefusal(body, profile, 'responses') ?? invalidParam(body, profile, 'responses') ?? stateProblem(body, profile, context) ?? serviceTierRefusal(body, profile);
  if (invalid) return fail(invalid);
  const image = imageRefusal(body, profile);
  if (image) return fail(paramError(profile, 'input', image));
  if (hasArrayContent(body.input) && profile.arrayContent.responses === 'reject-400') {
    return fail(paramError(profile, 'input', "Invalid 'input[0].content': array content is not accepted here; send a string"));
  }
  const response = buildResponse(body, profile, context);
  const b = profile.behaviors;
  const background = body.background === true && b.background !== 'synchronous';
  const stored = b.storeResponses && (response.store !== false || b.storeFalse === 'ignored');
  if (stored) {
    const previous = typeof body.previous_response_id === 'string' ? (historyOf(context).get(body.previous_response_id)?.prompts ?? '') : '';
    // Its input (the history within it) and its answer; reasoning is not carried into the next turn.
    const usage = response.usage as { input_tokens: number; output_tokens: number; output_tokens_details: { reasoning_tokens: number } };
    const tokens = usage.input_tokens + usage.output_tokens - usage.output_tokens_details.reasoning_tokens;
    historyOf(context).set(response.id as string, { prompts: `${previous}\n${promptOf(body)}`, tokens });
  }
  if (stored || background) {
    context.responses.set(response.id as string, { id: response.id as string, body: response, pendingPolls: background ? (b.background === 'stuck' ? Infinity : 1) : 0 });
  }
  if (body.stream === true) {
    if (profile.streamRejected) return fail(paramError(profile, 'stream', 'Streaming is not supported for this model'));
    return writeSse(res, responseEvents(response, profile), profile.stream, context.headers());
  }
  if (background) return sendJson(res, 200, unfinished(response, 'queued'), context.headers());
  sendJson(res, 200, b.background === 'synchronous' ? { ...response, background: false } : response, context.headers());
}
