/**
 * @module transport/auth/token
 * A short-term Bedrock API key (`bedrock-api-key-...`) made locally from AWS credentials by AWS's Bedrock token
 * generator (a presigned CallWithBearerToken URL), sent as a bearer token. Each token is asked for an hour and lives
 * no longer than the credentials it is made from; a run can outlast both (65 models x 105 checks with --repeat 3 or
 * a --tpm cap), so a new one is made before the one in use ages out.
 */
import { getToken } from '@aws/bedrock-token-generator';
import type { AwsCredentialIdentity } from '@smithy/types';
import { withDerived } from '../derived-secrets.ts';
import type { AuthProvider, Secret } from './auth.ts';
import { credentialSource, secretsOf, type AwsCredentialOptions } from './sigv4.ts';

/** What a token is asked to live: an hour (the generator allows 12; a leaked one is good for less). */
const TOKEN_SECONDS = 3600;
/** A token this close to its end is replaced: a request signed now may wait in a queue, then retry, before it is read. */
const RENEW_MARGIN_MS = 5 * 60_000;
/** A token is used this long at least: credentials that are themselves about to end would otherwise make one per request. */
const MIN_USE_MS = 60_000;

/** What the provider reads the time from and makes tokens with: the clock and the generator, replaced in tests. */
export interface TokenMaker {
  now(): number;
  make: typeof getToken;
}

/** A renewal that failed (a blip of the credential chain: SSO or IMDS refreshing) is tried again this long after, doubling up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 10_000;
const RETRY_MAX_MS = 60_000;

/**
 * A provider that makes short-term tokens from `options`' AWS credentials and sends them as bearer tokens: one for
 * every request until it is within RENEW_MARGIN_MS of its end (an hour after it was made, or the credentials'
 * expiration when that comes first), then a new one from credentials read again (the chain refreshes those). A
 * renewal that fails keeps the token in use until its end (the margin is there for that) and is tried again on a
 * request after a back-off; only a request made when no token is left that has not ended fails, with the chain's error.
 */
export function shortTermToken(options: AwsCredentialOptions, maker: TokenMaker = { now: Date.now, make: getToken }): AuthProvider {
  const credentials = credentialSource(options);
  // The token in use, when it is to be replaced and when it ends.
  let current: { value: string; renewAt: number; endsAt: number } | undefined;
  // The renewal under way: the requests meanwhile share it. One at a time.
  let pending: Promise<string> | undefined;
  // After a failed renewal: its error, when the next may start, and how many failed in a row (the back-off doubles).
  let failed: { error: unknown; retryAt: number; count: number } | undefined;
  let seen: AwsCredentialIdentity | undefined;
  // Every token made and what it carries (its presigned URL's signature is a credential of its own,
  // derived-secrets.ts): an endpoint may echo an earlier one after it was replaced.
  const tokenSecrets: Secret[] = [];
  const newToken = async (): Promise<string> => {
    const madeAt = maker.now();
    const resolved = await credentials();
    seen = resolved;
    const value = await maker.make({ credentials: resolved, region: options.region, expiresInSeconds: TOKEN_SECONDS });
    tokenSecrets.push(...withDerived([{ kind: 'bedrock-token', value }]));
    const endsAt = Math.min(madeAt + TOKEN_SECONDS * 1000, resolved.expiration?.getTime() ?? Infinity);
    current = { value, renewAt: Math.max(endsAt - RENEW_MARGIN_MS, madeAt + MIN_USE_MS), endsAt };
    return value;
  };
  const renewal = (): Promise<string> | undefined => {
    if (pending || (failed && maker.now() < failed.retryAt)) return pending;
    pending = newToken().then(
      (value) => {
        failed = undefined;
        return value;
      },
      (error: unknown) => {
        const count = (failed?.count ?? 0) + 1;
        failed = { error, count, retryAt: maker.now() + Math.min(RETRY_FIRST_MS * 2 ** (count - 1), RETRY_MAX_MS) };
        throw error;
      },
    );
    void pending.finally(() => (pending = undefined)).catch(() => undefined);
    return pending;
  };
  const bearer = async (): Promise<string> => {
    if (current && maker.now() < current.renewAt) return current.value;
    const renewing = renewal();
    try {
      if (renewing) return await renewing;
    } catch (error) {
      // The token in use has not ended: a failed renewal is no reason to drop it.
      if (current && maker.now() < current.endsAt) return current.value;
      throw error;
    }
    if (current && maker.now() < current.endsAt) return current.value;
    throw failed?.error;
  };
  return {
    kind: 'token',
    async headers() {
      return { authorization: `Bearer ${await bearer()}` };
    },
    secrets: () => [...secretsOf(seen), ...tokenSecrets],
  };
}

/**
 * What a mid-run refusal of a token means when the endpoint says it expired: the token the harness made aged out
 * (tokens are renewed before their end, so the clock or the credentials' own expiry is off), not that the
 * credentials are wrong. Undefined for any other refusal.
 */
export function agedOutToken(kind: string, said: string): string | undefined {
  if (kind !== 'token' || !/expired/i.test(said)) return undefined;
  return `the short-term Bedrock token the harness made from the AWS credentials aged out (each is made for ${TOKEN_SECONDS / 60} minutes, or until the credentials expire when that is sooner, and replaced ${RENEW_MARGIN_MS / 60_000} minutes before its end): check that this machine's clock is right and that the AWS credentials outlast the run (refresh them: aws sso login, or assume the role again), then run again`;
}
