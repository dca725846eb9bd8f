/**
 * @module checks/stalled-body
 * The rule for a body that stalled (`response.stalledAfterMs`: headers and part of a body, then silence past
 * --idle-timeout): no client read it whole, so no check reads it. Every check that reads a non-stream body asks
 * here, so that none judges the part that arrived (a `fail` the endpoint never sent) or a whole JSON whose response
 * never ended (a `pass` on a body no client finished reading).
 */
import { bodyText } from '../transport/body.ts';
import { isStreamResponse, type Exchange, type ExchangeResponse } from '../transport/exchange.ts';
import type { CompletedOutcome } from './judge.ts';

/**
 * Why a body that stalled cannot be read, or undefined: past --idle-timeout no client had it whole (nor knew it was
 * whole: a body that never ended may hold all its JSON), so a check that reads it observes nothing, never a deviation
 * and never a pass: `error` (infrastructure). A stalled 2xx stream is the one exception: stream.* judge it (`stalled`).
 */
export function stalledBody(response: ExchangeResponse): string | undefined {
  if (response.stalledAfterMs === undefined || (response.status < 300 && isStreamResponse(response))) return undefined;
  return `the answer stalled: no data for ${response.stalledAfterMs} ms after ${bodyText(response).length} character(s)`;
}

/**
 * The first 2xx of `step` whose body stalled (stalledBody): a check that reads every prefix's 2xx (created-at.*,
 * sdk.*) did not observe that prefix, so it may not say all of them hold.
 */
export function stalledAnswer(outcome: CompletedOutcome, step = outcome.exchanges.at(-1)?.step): { exchange: Exchange; reason: string } | undefined {
  const exchange = outcome.exchanges.find((ex) => ex.step === step && !ex.error && ex.response && ex.response.status < 300 && stalledBody(ex.response));
  return exchange && { exchange, reason: `could not observe: ${exchange.request.path} answered ${exchange.response!.status} and ${stalledBody(exchange.response!)!.replace(/^the answer /, 'its body ')}` };
}
