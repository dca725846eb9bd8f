/**
 * @module transport/auth/bearer
 * A Bedrock API key (long-term, or a short-term `bedrock-api-key-...` token) sent as `Authorization: Bearer`.
 */
import { HarnessError } from '../../errors.ts';
import { sendableHeaderValue } from '../headers.ts';
import { withDerived } from '../derived-secrets.ts';
import type { AuthProvider } from './auth.ts';
import { envFlagShown, envNameShown, plausibleEnvName } from './env-name-shown.ts';

/** Reads the key from `envName` (default `AWS_BEARER_TOKEN_BEDROCK`); fails with the fix when it is unset. */
export function bearerFromEnv(envName = 'AWS_BEARER_TOKEN_BEDROCK', env: NodeJS.ProcessEnv = process.env): AuthProvider {
  // Trimmed whole: a key pasted with a line break after it is the key.
  const { value: key, problem } = sendableHeaderValue(env[envName] ?? '', 'all');
  if (!key) {
    // A name that may be the key itself is not quoted, nor put in an `export` line (env-name-shown.ts).
    const fix = plausibleEnvName(envName)
      ? `Export a Bedrock API key (export ${envName}=...), name another variable with --api-key-env NAME`
      : 'Give --api-key-env the NAME of the variable that holds the key (export MY_KEY=..., then --api-key-env MY_KEY)';
    throw new HarnessError('HARNESS_AUTH_MISSING', `No API key: ${envNameShown(envName, '--api-key-env')} is not set. ${fix}, or use --mode replay.`);
  }
  // Sent as a header: a key pasted with a line break in it would fail every request as a connection error.
  if (problem) throw keyValueRefusal(envName, problem, 'Nothing was sent.');
  return bearer(key);
}

/**
 * The refusal of an API key no client can send as a header, naming the variable (when its name is no key) and
 * never the value: `run` and `emulator --api-key-env` say it alike.
 */
export function keyValueRefusal(envName: string, problem: string, outcome: string): HarnessError {
  return new HarnessError('HARNESS_USAGE', `${envFlagShown(envName, '--api-key-env')}: the value of ${envNameShown(envName, '--api-key-env')} ${problem} (not shown: it is a secret); set it to the API key alone. ${outcome}`);
}

/** `key` sent as a bearer token; its secrets are the key and what it carries (a token's signature, derived-secrets.ts). */
export function bearer(key: string): AuthProvider {
  const secrets = withDerived([{ kind: 'api-key', value: key }]);
  return {
    kind: 'bearer',
    headers: async () => ({ authorization: `Bearer ${key}` }),
    secrets: () => secrets,
  };
}
