/**
 * @module checks/budget-call
 * A forced call in an answer the output budget ended, judged one way whether it came whole (tools.ts) or streamed
 * (tools-stream.ts), so the two checks of one API never disagree on the same content. A call that is complete and
 * fits stands: the budget ran out after it, and chat and Responses judge no finish. Only what the budget can explain
 * yields to it, as `inconclusive`: no call yet, arguments that do not parse or fit (cut short), a finish_reason or
 * stop_reason that never came. A rule of the stream broken before the budget ran out (a first delta without its id,
 * an id that changes, input in content_block_start) is the endpoint's whatever the budget did after: `bad-stream`
 * stands. Messages also wants stop_reason "tool_use", which a turn the budget ended never reached: inconclusive there
 * whatever the call (tools-messages.ts decides its whole bodies the same way).
 */
import { inconclusive } from './judge.ts';
import type { ToolApi } from './tool-calls.ts';
import type { CheckInput, CheckResult } from './types.ts';

/**
 * The verdict on a forced call once the budget is weighed: `result` as judged without it, `spent` why the budget may
 * have ended the answer (undefined when it did not), `call` the call as shown in a reason (undefined when none),
 * `broken` the stream rules the stream broke that the budget cannot explain (none for a whole body).
 */
export function budgetEndedCall(input: CheckInput, api: ToolApi, result: CheckResult, spent: string | undefined, call: string | undefined, broken: readonly string[] = []): CheckResult {
  if (!spent || (result.observed === 'conformant' && api !== 'messages')) return result;
  // The budget ends an answer; it does not rename a call, drop its id or move its input: those came before it ran out.
  if (result.observed === 'bad-stream' && broken.length) return { ...result, reason: `${result.reason} (${spent}, which explains none of it: it broke before the budget ran out)` };
  const what = !call ? 'no call was made' : result.observed === 'conformant' ? `the turn held ${call} and did not get to stop_reason "tool_use"` : `the call (${call}) may have been cut short`;
  return inconclusive(input, `${spent}; ${what} before the budget ran out`, result.evidence);
}
