/** Retry-After is read only as delta-seconds or an HTTP-date; anything else leaves the harness's own backoff. */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../src/transport/exchange.ts';
import { retryAfterMs, RetryingTarget } from '../src/transport/retrying-target.ts';

const withHeader = (value: string): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request: { method: 'POST', path: '/v1/chat/completions', headers: {} },
  response: { status: 503, headers: { 'retry-after': value }, chunks: [] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

describe('retryAfterMs', () => {
  const now = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');
  it.each([
    ['7', 7000],
    [' 12 ', 12_000],
    ['Sun, 06 Nov 1994 08:49:37 GMT', 37_000],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 37_000],
    ['Sun Nov  6 08:49:37 1994', 37_000],
  ])('reads %j', (value, ms) => expect(retryAfterMs(withHeader(value), now)).toBe(ms));

  it.each(['-1', '3600, 10', '1.5', 'soon', '2024-01-01', '0x10'])('does not read %j', (value) => expect(retryAfterMs(withHeader(value), now)).toBeUndefined());

  it('a Retry-After of -1 leaves the backoff in place (it waited 0 before)', async () => {
    const waits: number[] = [];
    let sent = 0;
    const inner = {
      id: 't',
      mode: 'live' as const,
      send: () => Promise.resolve({ ...withHeader('-1'), attempts: 1, ...(sent++ > 0 ? { response: { status: 200, headers: {}, chunks: [{ t: 0, data: '{}' }] } } : {}) }),
      caseFinished: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const target = new RetryingTarget(inner, { retries: 1, baseDelayMs: 400, maxDelayMs: 30_000, random: () => 1, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    await target.send(withHeader('-1').request, { model: 'm', caseId: 'c', step: 'main', prefix: '/v1' });
    expect(waits).toEqual([400]);
  });
});
