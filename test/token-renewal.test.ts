/**
 * `--auth token` makes a new short-term token before the one in use ages out: an hour after it was made, or when the
 * AWS credentials it was made from expire, whichever is first, less a margin. The clock and the token generator are
 * injected: an hour passes in a line. A refusal that says the token expired is told as the token's age.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import type { OutgoingRequest } from '../src/transport/auth/auth.ts';
import { agedOutToken, shortTermToken } from '../src/transport/auth/token.ts';

const request: OutgoingRequest = { method: 'GET', url: new URL('https://bedrock-mantle.us-east-1.api.aws/v1/models'), headers: {} };
const MINUTE = 60_000;

function fakes(expiration?: () => Date | undefined) {
  const clock = { at: Date.UTC(2026, 0, 1) };
  const made: { at: number; expiresInSeconds: number | undefined; accessKeyId: string }[] = [];
  let reads = 0;
  const credentials = async (): Promise<AwsCredentialIdentity> => {
    reads++;
    const expires = expiration?.();
    return { accessKeyId: `ASIAFAKEFXAUTH${String(reads).padStart(6, '0')}`, secretAccessKey: `fake-secret-access-key-${reads}-xxxxxxxx`, ...(expires ? { expiration: expires } : {}) };
  };
  const auth = shortTermToken(
    { region: 'us-east-1', credentials },
    {
      now: () => clock.at,
      make: async (config) => {
        const resolved = config.credentials as AwsCredentialIdentity;
        made.push({ at: clock.at, expiresInSeconds: config.expiresInSeconds, accessKeyId: resolved.accessKeyId });
        return `bedrock-api-key-FAKETOKEN${made.length}${'x'.repeat(40)}`;
      },
    },
  );
  const bearer = async () => (await auth.headers(request)).authorization;
  return { clock, made, auth, bearer };
}

describe('--auth token renews its token', () => {
  it('one token for 55 minutes, then a new one; both stay secrets', async () => {
    const { clock, made, auth, bearer } = fakes();
    const first = await bearer();
    expect(made).toHaveLength(1);
    expect(made[0]!.expiresInSeconds).toBe(3600);
    clock.at += 54 * MINUTE;
    expect(await bearer()).toBe(first);
    clock.at += 1 * MINUTE;
    const second = await bearer();
    expect(second).not.toBe(first);
    expect(made).toHaveLength(2);
    // Made from credentials read again (the chain refreshes what is near its end).
    expect(made[1]!.accessKeyId).not.toBe(made[0]!.accessKeyId);
    clock.at += 54 * MINUTE;
    expect(await bearer()).toBe(second);
    const kept = auth.secrets().filter((s) => s.kind === 'bedrock-token').map((s) => `Bearer ${s.value}`);
    expect(kept).toEqual(expect.arrayContaining([first, second]));
  });

  it('credentials that expire first end the token sooner', async () => {
    let now = 0;
    const { clock, made, bearer } = fakes(() => new Date(now + 20 * MINUTE));
    now = clock.at;
    await bearer();
    clock.at += 14 * MINUTE;
    await bearer();
    expect(made).toHaveLength(1);
    clock.at += 1 * MINUTE;
    now = clock.at;
    await bearer();
    expect(made).toHaveLength(2);
  });

  it('credentials about to expire do not make a token per request', async () => {
    const { clock, made, bearer } = fakes(() => new Date(clock.at + 2 * MINUTE));
    await Promise.all([bearer(), bearer(), bearer()]);
    clock.at += 30_000;
    await bearer();
    expect(made).toHaveLength(1);
    clock.at += 31_000;
    await bearer();
    expect(made).toHaveLength(2);
  });

  it('requests that arrive while a token is made share it', async () => {
    const { clock, made, bearer } = fakes();
    await bearer();
    clock.at += 56 * MINUTE;
    const all = await Promise.all([bearer(), bearer(), bearer(), bearer()]);
    expect(new Set(all).size).toBe(1);
    expect(made).toHaveLength(2);
  });

  it('a refusal saying the token expired is told as its age, not as wrong credentials', () => {
    const said = agedOutToken('token', 'POST /v1/chat/completions answered 401: Authentication failed: the bearer token has expired');
    expect(said).toContain('short-term Bedrock token');
    expect(said).toContain('aged out');
    expect(said).toContain('60 minutes');
    expect(agedOutToken('token', 'answered 401: invalid api key')).toBeUndefined();
    expect(agedOutToken('bearer', 'the bearer token has expired')).toBeUndefined();
  });
});
