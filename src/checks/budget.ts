/**
 * @module checks/budget
 * What the output budget did to an answer. A reasoning model may spend a small `max_tokens` on thinking and
 * answer with nothing visible; a check that reads what the model wrote must then say `inconclusive` (the budget,
 * not the endpoint, hid the behaviour) instead of blaming the endpoint. Also: whether an answer shows that the
 * model reasons at all, so the harness can give such models room to think.
 */
import { isRecord } from '../transport/body.ts';
import { splitThinking, thinkingOf, visibleText } from './answer-text.ts';

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
/** A string's length, 0 for anything else: how much text a field holds. */
const textOf = (value: unknown) => (typeof value === 'string' ? value.length : 0);
const chatMessage = (body: Record<string, unknown>): Record<string, unknown> =>
  Array.isArray(body.choices) && isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : {};

/** The usage figures that matter for the budget, from a chat, Responses or Messages body. */
function outputUsage(body: Record<string, unknown>): { output?: number; reasoning?: number } {
  const usage = isRecord(body.usage) ? body.usage : {};
  const details = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const output = num(usage.completion_tokens) ?? num(usage.output_tokens);
  const reasoning = num(details.reasoning_tokens);
  return { ...(output !== undefined ? { output } : {}), ...(reasoning !== undefined ? { reasoning } : {}) };
}

/**
 * Whether the answer stopped because the output budget ran out, and what shows it: the answer says so, or it says
 * nothing of why it ended (a stream without a finish_reason, which stream.* fails) and its usage reached `limit`
 * (the figures budgetSpent adds show it). An answer that says its budget ran out while its usage shows less than
 * half of `limit` spent was not cut by the budget the harness asked for (a gateway's clamp, an endpoint that ends
 * answers early): what it shows is judged, not excused. Usage past `limit` is still a budget stop: an endpoint that
 * raises a limit below its minimum (a clamp up), or counts reasoning apart, spent a budget the model used.
 */
export function stoppedByBudget(body: Record<string, unknown>, limit?: number): string | undefined {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const says = saysBudgetStop(body);
  const { output, reasoning } = outputUsage(body);
  // Reasoning counted apart from the output (some servers do) is spent from the same budget.
  const spent = output === undefined ? undefined : reasoning !== undefined && reasoning > output ? output + reasoning : output;
  if (says) return limit !== undefined && spent !== undefined && spent < limit / 2 ? undefined : says;
  const said = [choice?.finish_reason, body.status, body.stop_reason].some((reason) => reason !== undefined && reason !== null);
  if (!said && limit !== undefined && spent !== undefined && spent >= limit) return 'no stop reason given';
  return undefined;
}

/** Whether the answer holds anything but reasoning its output tokens could have gone to: text, a call, a refusal. */
function holdsAnswer(body: Record<string, unknown>): boolean {
  if (visibleText(body).length > 0) return true;
  const message = chatMessage(body);
  if ((Array.isArray(message.tool_calls) && message.tool_calls.length > 0) || isRecord(message.function_call) || textOf(message.refusal) > 0) return true;
  const part = (entry: unknown) => isRecord(entry) && textOf(entry.text) + textOf(entry.refusal) > 0;
  // Any item or block but reasoning (a call, a tool use) holds an answer; a message only with some text or refusal in it.
  const item = (entry: unknown) => isRecord(entry) && entry.type !== 'reasoning' && (entry.type !== 'message' || (Array.isArray(entry.content) && entry.content.some(part)));
  if (Array.isArray(body.output) && body.output.some(item)) return true;
  return Array.isArray(body.content) && body.content.some((block) => isRecord(block) && block.type !== 'text' && block.type !== 'thinking');
}

const partsText = (parts: unknown) => (Array.isArray(parts) ? parts.reduce((n: number, part) => n + (isRecord(part) ? textOf(part.text) : 0), 0) : 0);

/**
 * How many tokens the reasoning an answer shows could account for: the full reasoning text it shows, at most one
 * token a character (a token decodes to one or more); Infinity for reasoning shown only in part (a summary, Claude's
 * summarised thinking) or unread (encrypted, redacted), which may stand for any count. Empty ones (a reasoning item
 * with `summary: []`, the normal Responses shape) show nothing.
 */
function shownReasoning(body: Record<string, unknown>): number {
  const message = chatMessage(body);
  let chars = textOf(message.reasoning) + textOf(message.reasoning_content);
  if (textOf(message.thinking)) return Infinity;
  for (const detail of Array.isArray(message.reasoning_details) ? message.reasoning_details.filter(isRecord) : []) {
    const kind = String(detail.type ?? '');
    if (/summary|encrypted/.test(kind) && (textOf(detail.summary) || textOf(detail.data) || textOf(detail.text))) return Infinity;
    chars += textOf(detail.text);
  }
  const blocks = [...(Array.isArray(body.output) ? body.output : []), ...(Array.isArray(body.content) ? body.content : [])].filter(isRecord);
  for (const block of blocks) {
    if (block.type === 'redacted_thinking' || (block.type === 'reasoning' && textOf(block.encrypted_content))) return Infinity;
    if ((block.type === 'thinking' && textOf(block.thinking)) || (block.type === 'reasoning' && partsText(block.summary))) return Infinity;
    if (block.type === 'reasoning') chars += partsText(block.content);
  }
  return chars;
}

/**
 * Why an answer the budget ended, with nothing in it, was emptied by the endpoint and not by the budget, or undefined
 * when it may have been the budget. The usage tells: reasoning tokens reported (above 0) and short of half the output
 * tokens, and no more reasoning shown than could make up the rest (shownReasoning), so most of what the model wrote
 * was not reasoning; the answer shows none of it, so the endpoint lost it. Usage without reasoning_tokens cannot
 * tell: left to the budget.
 */
export function outputLost(body: Record<string, unknown>): string | undefined {
  const { output, reasoning } = outputUsage(body);
  // A count of 0 is no evidence: Mantle fills usage details with zeros (accepted_prediction_tokens, audio_tokens and
  // reasoning_tokens 0 beside a reasoning model's answer: MANTLE.md, recordings/), so only a count the endpoint
  // actually keeps (above 0) and short of the output says the rest was lost.
  if (output === undefined || !reasoning || Math.max(reasoning, shownReasoning(body)) * 2 >= output || thinkingOf(visibleText(body)).length > 0 || holdsAnswer(body)) return undefined;
  return `its usage counts ${output} output token(s), ${reasoning} of them reasoning, yet it holds no text and no call, and too little reasoning to account for them: the endpoint did not show what the model wrote`;
}

/** How the answer says its output budget ended it (`finish_reason "length"`, ...), whatever its usage shows. */
export function saysBudgetStop(body: Record<string, unknown>): string | undefined {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const incomplete = isRecord(body.incomplete_details) ? body.incomplete_details.reason : undefined;
  if (choice?.finish_reason === 'length') return 'finish_reason "length"';
  if (body.status === 'incomplete' && (incomplete === undefined || incomplete === 'max_output_tokens')) return `status "incomplete"${incomplete ? ` (${String(incomplete)})` : ''}`;
  return body.stop_reason === 'max_tokens' ? 'stop_reason "max_tokens"' : undefined;
}

/** How an answer says it ended: `finish_reason "stop"`, `status "completed"`, `stop_reason "end_turn"`, or `no stop reason`. */
export function stopReasonOf(body: Record<string, unknown>): string {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const said: [string, unknown][] = [['finish_reason', choice?.finish_reason], ['status', body.status], ['stop_reason', body.stop_reason]];
  const found = said.find(([, value]) => typeof value === 'string');
  return found ? `${found[0]} ${JSON.stringify(found[1])}` : 'no stop reason';
}

/**
 * Why the output budget may have hidden the behaviour under test, or undefined when the answer was not cut:
 * e.g. `the output budget was spent before the answer was complete: finish_reason "length", completion_tokens 64,
 * reasoning_tokens 64, no visible text`. `limit` is the budget the request asked for, when it set one.
 */
export function budgetSpent(body: Record<string, unknown>, limit?: number): string | undefined {
  const stopped = stoppedByBudget(body, limit);
  // An answer that shows nothing of tokens that did not go on reasoning: the budget did not hide it (outputLost).
  if (!stopped || outputLost(body)) return undefined;
  const { output, reasoning } = outputUsage(body);
  const written = visibleText(body);
  // Thinking written into the text (`<think>`) is shown as text but answers nothing: said apart.
  const { answer: text, thinking } = splitThinking(written);
  const thought = text ? '' : thinking;
  // A 0 beside thinking the text shows is a count the endpoint does not keep, not a model that did not reason.
  const zero = thinking ? ' (a count the endpoint does not keep: the text shows thinking)' : ' (0 may be a count the endpoint does not keep: if the model did not reason, the endpoint lost its answer)';
  const figures = [
    stopped,
    output !== undefined ? `output tokens ${output}${limit !== undefined ? (output === limit ? ` = the limit ${limit}` : output > limit ? `, over the limit ${limit}` : ` of ${limit}`) : ''}` : undefined,
    reasoning !== undefined ? `reasoning tokens ${reasoning}${reasoning === 0 ? zero : ''}` : undefined,
    text ? `${text.length} character(s) of visible text` : thought ? `no visible text but thinking written into it (<think>, ${thought.length} character(s))` : 'no visible text',
  ].filter(Boolean);
  const onReasoning = (reasoning !== undefined && reasoning > 0 && (!text || (output !== undefined && reasoning >= output - 1))) || (!text && thought.length > 0);
  return `the output budget was spent${onReasoning ? ' on reasoning' : ''} before the answer was complete: ${figures.join(', ')}`;
}

/** Whether an answer shows that the model reasons: reasoning tokens in usage, reasoning text, or a reasoning item. */
export function showsReasoning(body: Record<string, unknown>): boolean {
  const { reasoning } = outputUsage(body);
  if (reasoning !== undefined && reasoning > 0) return true;
  const message = chatMessage(body);
  if (textOf(message.reasoning) + textOf(message.reasoning_content) > 0) return true;
  // Thinking written into the answer (`<think>`, a model served without a reasoning parser) is reasoning too: such a
  // model needs room to think, and a field left empty of it is where the endpoint put it.
  // Not an empty block (a hybrid model with thinking off writes `<think></think>`), nor against reasoning_tokens 0.
  if (reasoning !== 0 && thinkingOf(visibleText(body)).length > 0) return true;
  if (Array.isArray(body.output) && body.output.some((item) => isRecord(item) && item.type === 'reasoning')) return true;
  return Array.isArray(body.content) && body.content.some((block) => isRecord(block) && block.type === 'thinking');
}

/**
 * Why an answer that carries no reasoning says nothing about where the endpoint puts reasoning, or undefined when
 * the answer shows the model reasoned (then reasoning missing where it is looked for is the endpoint's doing). The
 * usage shows it: without usage, or without reasoning_tokens in it, the model may simply not have reasoned.
 * `nothing` is what there then was not (`no reasoning to carry`); `usageIn` where the usage was read, and `answer`
 * what was read (for a stream: `the usage chunk`, `the stream`).
 */
export function reasoningUnshown(body: Record<string, unknown>, nothing: string, where: { usageIn?: string; answer?: string } = {}): string | undefined {
  if (showsReasoning(body)) return undefined;
  if (reasoningTokens(body) === 0) return `the model did not reason on this request (reasoning_tokens 0${where.usageIn ? ` in ${where.usageIn}` : ''}), so there was ${nothing}`;
  const usage = isRecord(body.usage) ? 'its usage has no reasoning_tokens' : `${where.answer ?? 'the answer'} reports no usage`;
  return `the usage did not show whether the model reasoned on this request (${usage}), so there may have been ${nothing}`;
}

/** The reasoning tokens an answer reports (undefined when usage does not say). */
export function reasoningTokens(body: Record<string, unknown>): number | undefined {
  return outputUsage(body).reasoning;
}

/** The output limit a request body set (max_tokens, max_completion_tokens or max_output_tokens), if any. */
export function limitOf(request: Record<string, unknown>): number | undefined {
  const value = request.max_tokens ?? request.max_completion_tokens ?? request.max_output_tokens;
  return typeof value === 'number' ? value : undefined;
}
