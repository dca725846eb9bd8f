/**
 * "Deterministic" is claimed only for an API error (JSON) that came back the same on every attempt, never for a
 * gateway's error page, which is byte-identical in every outage. Either way the exchange is HARNESS_SERVER_ERROR.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange, ExchangeRequest } from '../src/transport/exchange.ts';
import { RetryingTarget } from '../src/transport/retrying-target.ts';

function always(type: string, body: string): RetryingTarget {
  const inner = {
    id: 't',
    mode: 'live' as const,
    send: (request: ExchangeRequest): Promise<Exchange> =>
      Promise.resolve({ step: 'main', prefix: '/v1', request, response: { status: 502, headers: { 'content-type': type }, chunks: [{ t: 0, data: body }] }, error: null, durationMs: 1, attempts: 1 }),
    caseFinished: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return new RetryingTarget(inner, { retries: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve() });
}

const send = (target: RetryingTarget) => target.send({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' }, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });

describe('a 5xx that is the same on every attempt', () => {
  it('as a gateway\'s HTML page: an error that claims nothing about the request', async () => {
    const exchange = await send(always('text/html', '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>'));
    expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(exchange.error?.message).not.toMatch(/deterministic|fails every time|not by chance/);
    expect(exchange.error?.message).toMatch(/the same page on all 3 attempts/);
  });

  it('as an API error (JSON): the same answer on all attempts, likely deterministic', async () => {
    const exchange = await send(always('application/json', '{"error":{"message":"Internal server error","type":"api_error"}}'));
    expect(exchange.error?.code).toBe('HARNESS_SERVER_ERROR');
    expect(exchange.error?.message).toMatch(/the same API error on all 3 attempts: likely deterministic/);
    expect(exchange.error?.message).not.toMatch(/fails every time|not by chance/);
  });
});
