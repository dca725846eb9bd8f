/**
 * @module checks/refusal
 * A model's refusal, as each API says it: Chat Completions' `message.refusal`, a Responses `refusal` content part,
 * Messages' `stop_reason: "refusal"`. It is the model's documented answer, not the endpoint's doing: a check that
 * finds no call, no JSON or no text beside one says so (inconclusive) instead of blaming the endpoint. A content
 * filter is not a refusal: it is the endpoint's (content-filter.ts).
 */
import { excerpt, isRecord } from '../transport/body.ts';
import { inconclusive } from './judge.ts';
import type { CheckInput, CheckResult, Evidence } from './types.ts';

export interface Refusal {
  /** What the model said, when it said something (empty for a bare `stop_reason: "refusal"`). */
  text: string;
  /** `the model refused ("I'm sorry, ...")`, for a reason. */
  said: string;
}

/** A refusal in words (a chat `refusal`, a Responses refusal part, whole or streamed), or undefined for no words. */
export function worded(text: string): Refusal | undefined {
  return text.trim() ? { text, said: `the model refused (${JSON.stringify(excerpt(text, 80))})` } : undefined;
}

/** The refusal an answer holds, on any of the three APIs, or undefined. */
export function refusalOf(body: Record<string, unknown>): Refusal | undefined {
  const message = Array.isArray(body.choices) && isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : undefined;
  const parts = Array.isArray(body.output) ? body.output.flatMap((item) => (isRecord(item) && Array.isArray(item.content) ? item.content : [])) : [];
  const part = parts.find((p) => isRecord(p) && p.type === 'refusal' && typeof p.refusal === 'string' && p.refusal.trim() !== '') as Record<string, unknown> | undefined;
  const text = typeof message?.refusal === 'string' && message.refusal.trim() ? message.refusal : typeof part?.refusal === 'string' ? part.refusal : undefined;
  if (text !== undefined) return worded(text);
  if (body.stop_reason === 'refusal') return { text: '', said: 'the model refused (stop_reason "refusal")' };
  return undefined;
}

/**
 * `inconclusive` when the answer is a refusal, saying what the model did `instead` of what was looked for ("instead
 * of calling the tool", "in place of the JSON"); undefined when it is none.
 */
export function refusedInstead(input: CheckInput, body: Record<string, unknown>, instead: string, evidence: Evidence[]): CheckResult | undefined {
  const refused = refusalOf(body);
  return refused ? refusedWith(input, refused, instead, evidence) : undefined;
}

/** `inconclusive` for a refusal already read (a stream's), saying what the model did `instead`. */
export function refusedWith(input: CheckInput, refused: Refusal, instead: string, evidence: Evidence[]): CheckResult {
  return inconclusive(input, `${refused.said} ${instead}: the model's choice, not the endpoint's`, evidence);
}
