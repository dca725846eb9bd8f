/**
 * @module checks/stalled-body
 * The rule for a body that stalled (`response.stalledAfterMs`: headers and part of a body, then silence past
 * --idle-timeout): no client read it whole, so no check reads it. Every check that reads a non-stream body asks
 * here, so that none judges the part that arrived (a `fail` the endpoint never sent) or a whole JSON whose response
 * never ended (a `pass` on a body no client finished reading).
 */
import { bodyText } from '../transport/body.ts';
import { isStreamResponse, type ExchangeResponse } from '../transport/exchange.ts';

/**
 * Why a body that stalled cannot be read, or undefined: past --idle-timeout no client had it whole (nor knew it was
 * whole: a body that never ended may hold all its JSON), so a check that reads it observes nothing, never a deviation
 * and never a pass: `error` (infrastructure). A stalled 2xx stream is the one exception: stream.* judge it (`stalled`).
 * `subject` is what the sentence says stalled, as the caller's own sentence names it ('whose body', 'its body').
 */
export function stalledBody(response: ExchangeResponse, subject = 'the answer'): string | undefined {
  if (response.stalledAfterMs === undefined || (response.status < 300 && isStreamResponse(response))) return undefined;
  return `${subject} stalled: no data for ${response.stalledAfterMs} ms after ${bodyText(response).length} character(s)`;
}
