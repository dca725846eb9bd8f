/**
 * @module cli/sigv4-refusal
 * The fix for a SigV4 signature AWS refused for a reason that is not the credentials themselves, read from AWS's own
 * words: a signature scoped to a region the endpoint is not in (`--region`), one made on a clock that is off
 * ("Signature expired" / "Signature not yet current", with the skew when the answer shows both times), and session
 * credentials that expired (refresh them, at the source named). "Check the sigv4 credentials" sent a user to keys
 * that were fine. Used at the credentials check (preflight.ts) and when a refusal stops the run mid-way
 * (run-command.ts). The endpoint's words are only read here: what is returned holds the run's own settings and
 * numbers, never text from the answer.
 */
import type { AuthConfig } from '../run/run-config.ts';
import { profileAsked } from '../transport/auth/credential-chain-error.ts';

/** AWS's words for a signature scoped to a region the endpoint does not serve. */
const WRONG_REGION = /scoped to a valid region|not a valid region/i;
/** AWS's words for a signature made too long before (or after) the endpoint's time, with the times when given. */
const CLOCK = /Signature (expired|not yet current): (\d{8}T\d{6}Z) is (?:now earlier|still later) than \d{8}T\d{6}Z \((\d{8}T\d{6}Z) [-+] 5 min\.?\)/i;
const CLOCK_WORDS = /Signature expired|Signature not yet current|Request has expired|RequestTimeTooSkewed|difference between the request time and the current time is too large/i;
/** AWS's words for session credentials (a session token) that are past their end. */
const EXPIRED_SESSION = /ExpiredToken|security token included in the request is expired|provided token has expired/i;

/** 20261206T101500Z as milliseconds since the epoch. */
function amzTime(stamp: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/i.exec(stamp)!;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** A span of time as people say it: `42 s`, `20 min`, `3 h 5 min`. */
function span(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Where the run's AWS credentials came from, as the user set it. */
function credentialOrigin(auth: Pick<AuthConfig, 'profile'>, env: NodeJS.ProcessEnv = process.env): { source: string; refresh: string } {
  const { profile, fromEnv } = profileAsked(auth.profile, env);
  if (profile) {
    const flag = fromEnv ? 'AWS_PROFILE' : '--profile';
    return { source: `profile ${profile} (${flag})`, refresh: `aws sso login --profile ${profile} for an SSO profile, or get new ones from its credential_process or role` };
  }
  if (env.AWS_ACCESS_KEY_ID) {
    return { source: 'the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)', refresh: 'export the three again from a new session: aws sts assume-role, or aws configure export-credentials --format env' };
  }
  return { source: 'the AWS default credential chain (the default profile, or the machine\'s role)', refresh: 'aws sso login for an SSO default profile, or assume the role again' };
}

/**
 * The fix for a refusal of a SigV4 signature whose words name its cause (`said`: the endpoint's message, or a line
 * that quotes it), or undefined for any other refusal (and for any other --auth). `regions`: the regions the run
 * signed for. Each fix starts in lower case, to follow "The run stopped; " or be capitalised.
 */
export function sigv4Refusal(auth: Pick<AuthConfig, 'kind' | 'profile'>, said: string | undefined, regions: readonly (string | null)[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (auth.kind !== 'sigv4' || !said) return undefined;
  if (WRONG_REGION.test(said)) {
    const signed = [...new Set(regions.filter((r): r is string => !!r))];
    const which = signed.length ? `this run signed for ${signed.join(' and ')}` : 'the signature named a region the endpoint is not in';
    return `the endpoint is in another region (not the credentials): ${which}; give --region the region the endpoint is in (with --targets, the region in surface:REGION=URL), or the endpoint of the region you meant`;
  }
  const clock = CLOCK.exec(said);
  if (clock) {
    // The signature's time is this machine's clock; the endpoint's, in brackets, is AWS's: the difference is the skew.
    const skew = amzTime(clock[2]!) - amzTime(clock[3]!);
    const way = skew < 0 ? 'behind' : 'ahead of';
    return `this machine's clock is about ${span(skew)} ${way} AWS's (the signature is good for 5 minutes either side; not the credentials): set the clock right (NTP), then run again`;
  }
  if (CLOCK_WORDS.test(said)) return `this machine's clock is off from AWS's by more than the 5 minutes a signature allows (not the credentials): set the clock right (NTP), then run again`;
  if (EXPIRED_SESSION.test(said)) {
    const { source, refresh } = credentialOrigin(auth, env);
    return `the session credentials from ${source} expired: refresh them (${refresh}), then run again`;
  }
  return undefined;
}

/** `text` with its first letter capitalised: a fix that starts a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
