/**
 * @module checks/budget
 * What the output budget did to an answer. A reasoning model may spend a small `max_tokens` on thinking and
 * answer with nothing visible; a check that reads what the model wrote must then say `inconclusive` (the budget,
 * not the endpoint, hid the behaviour) instead of blaming the endpoint. Also: whether an answer shows that the
 * model reasons at all, so the harness can give such models room to think.
 */
import { isRecord } from '../transport/body.ts';

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The usage figures that matter for the budget, from a chat, Responses or Messages body. */
function outputUsage(body: Record<string, unknown>): { output?: number; reasoning?: number } {
  const usage = isRecord(body.usage) ? body.usage : {};
  const details = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const output = num(usage.completion_tokens) ?? num(usage.output_tokens);
  const reasoning = num(details.reasoning_tokens);
  return { ...(output !== undefined ? { output } : {}), ...(reasoning !== undefined ? { reasoning } : {}) };
}

/**
 * The text of a chat message's `content`: the string, or the text parts of an array (`[{"type":"text","text":"OK"}]`)
 * joined; undefined when it is neither (null, absent). Every check that reads what a chat answer says reads it here,
 * so they agree on what was said; whether the array form is allowed is judged by the shape checks (schema, SDK).
 */
export function chatContentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The visible text of an answer on any of the three APIs (content, output_text, text blocks). */
export function visibleText(body: Record<string, unknown>): string {
  if (Array.isArray(body.choices)) {
    const message = isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : {};
    return chatContentText(message.content) ?? '';
  }
  const parts: string[] = [];
  for (const item of Array.isArray(body.output) ? body.output : []) {
    if (!isRecord(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) if (isRecord(part) && typeof part.text === 'string') parts.push(part.text);
  }
  for (const block of Array.isArray(body.content) ? body.content : []) if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  return parts.join('');
}

/** The text of a Responses message's `output_text` parts, joined (as the SDKs' `output_text` joins them), or undefined. */
function messageText(item: Record<string, unknown>): string | undefined {
  const parts = Array.isArray(item.content) ? item.content.filter((part) => isRecord(part) && part.type === 'output_text' && typeof part.text === 'string') : [];
  return parts.length ? parts.map((part) => String(part.text)).join('') : undefined;
}

/**
 * The text of a Response's final answer, or undefined when no message holds output text. A model may speak before it
 * answers (Mantle's messages carry `phase`: "Let me come up with someone." in a `commentary` message, then the JSON in
 * the `final_answer` one), so when any message says `phase: "final_answer"` the last such message is the answer;
 * without phases it is the last message that holds output text, since a Response ends with its answer and an earlier
 * message is a preamble (joining them would glue that preamble onto the JSON a structured answer must be alone).
 */
export function finalAnswerText(body: Record<string, unknown>): string | undefined {
  const messages = (Array.isArray(body.output) ? body.output : []).filter((item): item is Record<string, unknown> => isRecord(item) && item.type === 'message');
  const finals = messages.filter((item) => item.phase === 'final_answer');
  return (finals.length ? finals : messages).map(messageText).filter((text) => text !== undefined).at(-1);
}

/**
 * What an answer says in reply, for a check that judges its words (not whether there were any): a Response's final
 * answer (finalAnswerText), else the visible text.
 */
export function answerText(body: Record<string, unknown>): string {
  return Array.isArray(body.output) ? (finalAnswerText(body) ?? '') : visibleText(body);
}

/**
 * Whether the answer stopped because the output budget ran out, and what shows it: the answer says so, or it says
 * nothing of why it ended (a stream without a finish_reason, which stream.* fails) and its usage reached `limit`
 * (the figures budgetSpent adds show it).
 */
export function stoppedByBudget(body: Record<string, unknown>, limit?: number): string | undefined {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  if (choice?.finish_reason === 'length') return 'finish_reason "length"';
  const incomplete = isRecord(body.incomplete_details) ? body.incomplete_details.reason : undefined;
  if (body.status === 'incomplete' && (incomplete === undefined || incomplete === 'max_output_tokens')) return `status "incomplete"${incomplete ? ` (${String(incomplete)})` : ''}`;
  if (body.stop_reason === 'max_tokens') return 'stop_reason "max_tokens"';
  const said = [choice?.finish_reason, body.status, body.stop_reason].some((reason) => reason !== undefined && reason !== null);
  const { output } = outputUsage(body);
  if (!said && limit !== undefined && output !== undefined && output >= limit) return 'no stop reason given';
  return undefined;
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
  if (!stopped) return undefined;
  const { output, reasoning } = outputUsage(body);
  const text = visibleText(body);
  const figures = [
    stopped,
    output !== undefined ? `output tokens ${output}${limit !== undefined ? (output >= limit ? ` = the limit ${limit}` : ` of ${limit}`) : ''}` : undefined,
    reasoning !== undefined ? `reasoning tokens ${reasoning}` : undefined,
    text ? `${text.length} character(s) of visible text` : 'no visible text',
  ].filter(Boolean);
  const onReasoning = reasoning !== undefined && reasoning > 0 && (!text || (output !== undefined && reasoning >= output - 1));
  return `the output budget was spent${onReasoning ? ' on reasoning' : ''} before the answer was complete: ${figures.join(', ')}`;
}

/** Whether an answer shows that the model reasons: reasoning tokens in usage, reasoning text, or a reasoning item. */
export function showsReasoning(body: Record<string, unknown>): boolean {
  const { reasoning } = outputUsage(body);
  if (reasoning !== undefined && reasoning > 0) return true;
  const message = Array.isArray(body.choices) && isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : {};
  if ([message.reasoning, message.reasoning_content].some((v) => typeof v === 'string' && v.length > 0)) return true;
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
