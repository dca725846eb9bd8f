/**
 * `--auth token`: a renewal that fails (a blip of the credential chain while SSO or IMDS refreshes) is not the end of
 * the run. The token in use stays in use until it really ends, the renewal is tried again after a back-off, and only
 * a request with no token left fails. The clock, the credential source and the generator are injected.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import type { OutgoingRequest } from '../src/transport/auth/auth.ts';
import { RETRY_FIRST_MS, shortTermToken } from '../src/transport/auth/token.ts';

const request: OutgoingRequest = { method: 'GET', url: new URL('https://bedrock-mantle.us-east-1.api.aws/v1/models'), headers: {} };
const MINUTE = 60_000;

/** A provider whose credential reads fail while `down` says so. */
function fakes() {
  const clock = { at: Date.UTC(2026, 0, 1) };
  const state = { down: false, reads: 0, made: 0 };
  const credentials = async (): Promise<AwsCredentialIdentity> => {
    state.reads++;
    if (state.down) throw new Error('sso refresh blip');
    return { accessKeyId: `ASIAFAKEFXRTWOC${String(state.reads).padStart(5, '0')}`, secretAccessKey: `fake-secret-access-key-${state.reads}-xxxxxxxx` };
  };
  const auth = shortTermToken(
    { region: 'us-east-1', credentials },
    {
      now: () => clock.at,
      make: async () => `bedrock-api-key-FAKETOKEN${++state.made}${'x'.repeat(40)}`,
    },
  );
  const bearer = async () => (await auth.headers(request)).authorization;
  const outcome = () => bearer().then((value) => value, (error: { code?: string; message: string }) => `${error.code}: ${error.message}`);
  return { clock, state, bearer, outcome };
}

describe('--auth token: a failed renewal', () => {
  it('keeps the token in use, tries again after a back-off, and takes the new token once made', async () => {
    const { clock, state, bearer, outcome } = fakes();
    const first = await bearer();
    clock.at += 56 * MINUTE;
    state.down = true;
    // The renewal fails: the token, 4 minutes from its end, is still sent.
    expect(await outcome()).toBe(first);
    expect(state.reads).toBe(2);
    // Within the back-off: no credential read per request.
    clock.at += RETRY_FIRST_MS - 1;
    expect(await outcome()).toBe(first);
    expect(state.reads).toBe(2);
    state.down = false;
    clock.at += 1;
    const second = await bearer();
    expect(second).not.toBe(first);
    expect(state.reads).toBe(3);
    expect(state.made).toBe(2);
  });

  it('fails requests only once the token has ended, with the chain error, and recovers when the chain does', async () => {
    const { clock, state, bearer, outcome } = fakes();
    const first = await bearer();
    state.down = true;
    clock.at += 56 * MINUTE;
    expect(await outcome()).toBe(first);
    // Tried again every back-off (10 s, 20 s, 40 s, then each minute) while the token lasts.
    for (let at = 56 * MINUTE; at < 60 * MINUTE - 1000; at += 1000) {
      clock.at = Date.UTC(2026, 0, 1) + at;
      expect(await outcome()).toBe(first);
    }
    expect(state.reads).toBeGreaterThan(3);
    expect(state.reads).toBeLessThan(10);
    clock.at = Date.UTC(2026, 0, 1) + 60 * MINUTE;
    const ended = await outcome();
    expect(ended).toMatch(/^HARNESS_AUTH_MISSING: .*sso refresh blip/);
    state.down = false;
    clock.at += MINUTE;
    const next = await bearer();
    expect(next).toMatch(/^Bearer bedrock-api-key-FAKETOKEN2/);
  });

  it('requests that arrive during a failing renewal share one credential read and all get the token in use', async () => {
    const { clock, state, bearer, outcome } = fakes();
    const first = await bearer();
    clock.at += 56 * MINUTE;
    state.down = true;
    const all = await Promise.all([outcome(), outcome(), outcome(), outcome()]);
    expect(all).toEqual([first, first, first, first]);
    expect(state.reads).toBe(2);
  });

  it('a first token that could not be made is tried again after the back-off, not refused for the rest of the run', async () => {
    const { clock, state, bearer, outcome } = fakes();
    state.down = true;
    expect(await outcome()).toMatch(/^HARNESS_AUTH_MISSING: /);
    state.down = false;
    clock.at += RETRY_FIRST_MS - 1;
    expect(await outcome()).toMatch(/^HARNESS_AUTH_MISSING: /);
    expect(state.reads).toBe(1);
    clock.at += 1;
    expect(await bearer()).toMatch(/^Bearer bedrock-api-key-FAKETOKEN1/);
  });
});
