/**
 * @module transport/empty-stream
 * A 2xx event stream that ended before it began: nothing, or only keep-alive comments (`: ping`, a proxy's while the
 * upstream queued), no field line. stand-in-answer.ts lets it through as an answer to a streamed request, but an
 * upstream that died before it began looks the same: retrying-target.ts tries it again and calls it an outage
 * (HARNESS_SERVER_ERROR) when every attempt answered so, and replay reads an older recording of one the same way.
 */
import { bodyText } from './body.ts';
import { isStreamResponse, type Exchange } from './exchange.ts';
import { carriesField } from './sse.ts';

/** Whether an exchange (not already an error) is a 2xx event stream with no event. */
export function isEmptyStream(exchange: Exchange): boolean {
  const response = exchange.response;
  return !exchange.error && response !== null && response.status >= 200 && response.status < 300 && isStreamResponse(response) && !carriesField(bodyText(response));
}

/**
 * The error of a 2xx event stream that sent no event on every attempt: a load balancer that answers 200 and closes,
 * or an upstream that died before its first byte, looks exactly like it. Judged, it failed every stream check and was
 * recorded over good fixtures.
 */
export function emptyStreamError(exchange: Exchange, attempts: number): Exchange['error'] {
  const status = exchange.response?.status ?? 0;
  const comments = exchange.response && bodyText(exchange.response).trim() ? ' (keep-alive comments only)' : '';
  const on = attempts <= 1 ? 'the only attempt' : `all ${attempts} attempts`;
  return {
    code: 'HARNESS_SERVER_ERROR',
    message: `the endpoint answered ${status} to a streamed request and sent no event on ${on}${comments}: an outage behind a ${status} (a load balancer or an upstream that closed before its first event), not an answer about the model`,
  };
}
