/**
 * @module checks/rejection-topic
 * What a 4xx refusal of a check's request is about, read from the endpoint's own words (its `param`, its message):
 * the field under test, another field the request carried (a bound, an effort the harness added), or nothing it
 * names. A refusal says something about the field under test only when it is about it, so a check blames the
 * endpoint only for what it refused.
 */
import { inconclusive, judge } from './judge.ts';
import type { Answer } from './answer.ts';
import type { CheckDefinition, CheckInput, CheckResult, Evidence } from './types.ts';

type Rejection = Extract<Answer, { kind: 'rejected' }>;

/** Whether a rejection names `field`: its `param` (or a path ending in it), or the field as a whole word in the message. */
export function namesField(param: string | undefined, message: string, field: string): boolean {
  if (param !== undefined) return param === field || param.startsWith(`${field}.`) || param.startsWith(`${field}[`) || param.endsWith(`.${field}`);
  return new RegExp(`(^|[^A-Za-z0-9_.])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(message);
}

/** Optional request fields a rejection may be about without naming them in `param` (read from the message). */
export const INCIDENTAL_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'reasoning_effort', 'reasoning', 'temperature', 'top_p', 'stop', 'logprobs', 'top_logprobs', 'n', 'stream_options', 'include', 'store'];

/**
 * The request field a rejection names when it is not one the check is about: the request was refused for
 * something else (a bound, an effort the harness added), so the rejection says nothing about what is tested.
 */
export function offTopicRejection(answer: Rejection, request: Record<string, unknown>, about: readonly string[]): string | undefined {
  // `reasoning.effort` may name the chat field `reasoning_effort`: try both spellings.
  const candidates = answer.param !== undefined ? [answer.param.split(/[.[]/)[0]!, answer.param.replace(/\./g, '_')] : INCIDENTAL_FIELDS.filter((f) => namesField(undefined, answer.message, f));
  return candidates.find((field) => field in request && !about.includes(field));
}

/** A hyphenated name in a message (a header such as anthropic-beta, a beta flag such as interleaved-thinking-2025-05-14). */
const HYPHENATED = /[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)+/g;

/**
 * Whether a rejection is about one of `about` by its own words: its `param` names it, or its message names it as a
 * word of its own. A field's word inside a hyphenated name is that name (a beta flag, a header), not the field.
 */
function namesAnyOf(answer: Rejection, about: readonly string[]): boolean {
  const message = answer.message.replace(HYPHENATED, ' ');
  return about.some((field) => namesField(answer.param, message, field));
}

/**
 * The verdict on a refusal of the request under test: `rejected` with the endpoint's words, or `inconclusive` when
 * the refusal names another field the request carried (see offTopicRejection), since then it says nothing about
 * `what` (e.g. "its tools"). With `mustName`, a refusal that does not name one of `about` (namesAnyOf) is
 * `inconclusive` too: where the request differs from an ordinary one only in that field (thinking: disabled), a
 * refusal of a header, a beta flag or a malformed request would otherwise read as a refusal of the field.
 */
export function judgeRejection(definition: Pick<CheckDefinition, 'reference'>, input: CheckInput, answer: Rejection, request: Record<string, unknown>, about: readonly string[], what: string, evidence: Evidence[], mustName = false): CheckResult {
  const other = offTopicRejection(answer, request, about);
  if (other) return inconclusive(input, `the request was refused for ${other}, not for ${what}: ${answer.status} ${answer.message}`, evidence);
  if (mustName && !namesAnyOf(answer, about)) return inconclusive(input, `the request was refused, but the refusal does not name ${about.join(' or ')}, so it says nothing of ${what}: ${answer.status} ${answer.message}`, evidence);
  return judge(definition, input, 'rejected', evidence, `${answer.status}: ${answer.message}`);
}
