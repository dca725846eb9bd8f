/**
 * The rules two modules now share, each checked where it is written once: the wait before a retry (the run's
 * RetryingTarget and the CLI's sendRetried), a URL hostname on this machine (proxyFor and the credential checks), and
 * the profile the AWS credential chain reads (the chain's failure message and a refused signature's fix).
 */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../src/transport/exchange.ts';
import { isLoopbackHostname } from '../src/transport/proxy.ts';
import { retryWait } from '../src/transport/retrying-target.ts';
import { profileAsked } from '../src/transport/auth/credential-chain-error.ts';

const answered = (headers: Record<string, string>): Exchange => ({
  step: 'main',
  prefix: '/v1',
  request: { method: 'POST', path: '/v1/chat/completions', headers: {} },
  response: { status: 429, headers, chunks: [] },
  error: null,
  durationMs: 1,
  attempts: 1,
});

describe('retryWait', () => {
  const delays = { baseDelayMs: 400, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

  it('backs off exponentially with jitter, cut to the longest wait', () => {
    expect(retryWait(answered({}), 1, delays, () => 1)).toEqual({ delayMs: 400 });
    expect(retryWait(answered({}), 3, delays, () => 0)).toEqual({ delayMs: 800 });
    expect(retryWait(answered({}), 10, delays, () => 1)).toEqual({ delayMs: 30_000 });
  });

  it('waits a Retry-After within the cap, cut to the longest wait', () => {
    expect(retryWait(answered({ 'retry-after': '7' }), 1, delays, () => 1)).toEqual({ delayMs: 7000 });
    expect(retryWait(answered({ 'retry-after': '45' }), 1, delays, () => 1)).toEqual({ delayMs: 30_000 });
  });

  it('says what a Retry-After past the cap asked, and the cap; with no cap it is waited, cut to the longest wait', () => {
    expect(retryWait(answered({ 'retry-after': '61' }), 1, delays, () => 1)).toEqual({ askedMs: 61_000, capMs: 60_000 });
    expect(retryWait(answered({ 'retry-after': '61' }), 1, { baseDelayMs: 400, maxDelayMs: 30_000 }, () => 1)).toEqual({ delayMs: 30_000 });
  });
});

describe('isLoopbackHostname', () => {
  it('reads a URL hostname bracketed, with a trailing dot or in capitals', () => {
    for (const host of ['[::1]', 'LOCALHOST.', 'api.localhost', '127.1.2.3', '[::ffff:7f00:1]']) expect(isLoopbackHostname(host), host).toBe(true);
    for (const host of ['0.0.0.0', '[::]', '10.0.0.1', '127.example.com', '[::ffff:a00:1]']) expect(isLoopbackHostname(host), host).toBe(false);
  });
});

describe('profileAsked', () => {
  it('takes --profile over AWS_PROFILE, and says when AWS_PROFILE chose it', () => {
    expect(profileAsked('dev', { AWS_PROFILE: 'prod' })).toEqual({ profile: 'dev', fromEnv: false });
    expect(profileAsked(undefined, { AWS_PROFILE: 'prod' })).toEqual({ profile: 'prod', fromEnv: true });
    expect(profileAsked(undefined, { AWS_PROFILE: '' })).toEqual({ profile: undefined, fromEnv: false });
    expect(profileAsked(undefined, {})).toEqual({ profile: undefined, fromEnv: false });
  });
});
