/**
 * @module checks/content-filter
 * A content filter that ended an answer: chat `finish_reason: "content_filter"`, Responses
 * `incomplete_details.reason: "content_filter"` (Messages has no such reason, only the model's `refusal`). Unlike a
 * refusal it is the endpoint's doing (its guardrails), and the harness's prompts ask for nothing to filter: a check
 * that finds no call, no JSON or no text still fails, and its reason names the filter.
 */
import { isRecord } from '../transport/body.ts';
import type { CheckResult } from './types.ts';

/** How a chat finish reason says a content filter ended the answer, or undefined. */
export function chatFinishFilter(finish: unknown): string | undefined {
  return finish === 'content_filter' ? 'finish_reason "content_filter"' : undefined;
}

/** How an answer (a chat completion or a Response) says a content filter ended it, or undefined. */
export function contentFilterOf(body: Record<string, unknown>): string | undefined {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const chat = chatFinishFilter(choice?.finish_reason);
  if (chat) return chat;
  const details = isRecord(body.incomplete_details) ? body.incomplete_details : undefined;
  if (details?.reason === 'content_filter') return `${body.status === undefined ? '' : `status ${JSON.stringify(body.status)}, `}incomplete_details.reason "content_filter"`;
  return undefined;
}

/** `result` with its reason naming the content filter `filtered` said ended the answer, if one did. */
export function namingFilter(result: CheckResult, filtered: string | undefined): CheckResult {
  return filtered && result.status === 'fail' ? { ...result, reason: `${result.reason}; the endpoint's content filter ended the answer (${filtered})` } : result;
}
