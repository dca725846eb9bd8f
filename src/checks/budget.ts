/**
 * @module checks/budget
 * What the output budget did to an answer. A reasoning model may spend a small `max_tokens` on thinking and
 * answer with nothing visible; a check that reads what the model wrote must then say `inconclusive` (the budget,
 * not the endpoint, hid the behaviour) instead of blaming the endpoint. Also: whether an answer shows that the
 * model reasons at all, so the harness can give such models room to think.
 */
import { isRecord } from '../transport/body.ts';
import { thinkingOf, visibleText } from './answer-text.ts';

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
 * Whether the answer stopped because the output budget ran out, and what shows it: the answer says so, or it says
 * nothing of why it ended (a stream without a finish_reason, which stream.* fails) and its usage reached `limit`
 * (the figures budgetSpent adds show it). An answer that says its budget ran out while its usage shows less than
 * half of `limit` spent was not cut by the budget the harness asked for (a gateway's clamp, an endpoint that ends
 * answers early): what it shows is judged, not excused.
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
