/**
 * A DELETE whose status arrived is not sent again: the retry met the resource already gone (404) and turned
 * responses.delete from pass to inconclusive. A throttled DELETE (refused before it was handled) is still retried.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';

function answering(first: Partial<Exchange>): { target: RetryingTarget; sent: () => number } {
  let sent = 0;
  const inner = {
    id: 't',
    mode: 'live' as const,
    send(request: ExchangeRequest): Promise<Exchange> {
      sent += 1;
      const base: Exchange = { step: 'main', prefix: '/v1', request, response: null, error: null, durationMs: 1, attempts: 1 };
      if (sent === 1) return Promise.resolve({ ...base, ...first });
      return Promise.resolve({ ...base, response: { status: 404, headers: { 'content-type': 'application/json' }, chunks: [{ t: 0, data: '{"error":{"message":"not found"}}' }] } });
    },
    caseFinished: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { target: new RetryingTarget(inner, { retries: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() }), sent: () => sent };
}

const context = { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' };
const cut: Partial<Exchange> = { response: { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, chunks: [] }, error: { code: 'HARNESS_STREAM_CUT', message: 'the body stopped before it ended' } };

describe('retrying a DELETE', () => {
  it('whose status arrived: not sent again, the first failure is the error', async () => {
    const { target, sent } = answering(cut);
    const exchange = await target.send({ method: 'DELETE', path: '/v1/responses/resp_1', headers: {} }, context);
    expect(sent()).toBe(1);
    expect(exchange.error?.code).toBe('HARNESS_STREAM_CUT');
    expect(exchange.response?.status).toBe(200);
  });

  it('that was throttled, or that got no answer at all: sent again', async () => {
    const throttled = answering({ response: { status: 429, headers: {}, chunks: [] } });
    await throttled.target.send({ method: 'DELETE', path: '/v1/responses/resp_1', headers: {} }, context);
    expect(throttled.sent()).toBe(2);
    const reset = answering({ error: { code: 'HARNESS_CONNECTION', message: 'refused' } });
    await reset.target.send({ method: 'DELETE', path: '/v1/responses/resp_1', headers: {} }, context);
    expect(reset.sent()).toBe(2);
  });

  it('a GET that failed the same way is still retried', async () => {
    const { target, sent } = answering(cut);
    await target.send({ method: 'GET', path: '/v1/responses/resp_1', headers: {} }, context);
    expect(sent()).toBe(2);
  });
});
