/**
 * @module cli/env-name-flags
 * Flags that take the NAME of an environment variable holding a secret (`--api-key-env NAME`, `--header-env
 * HEADER=NAME`, the emulator's `--api-key-env`). The easy slip is to give the secret itself (`--api-key-env "$KEY"`),
 * so a value that is not a variable name is never quoted back: CI logs other than GitHub's, and keys fetched from a
 * vault at run time, are not masked. Only a header name the user plainly typed (words, not a token) is shown.
 * A value that is a valid name but may still be the key (`gsk_...`, a hex key) passes here, and is not quoted by the
 * messages about its variable either (transport/auth/env-name-shown.ts).
 */
import { HarnessError } from '../errors.ts';

/** What a shell accepts as a variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP header name as `--header-env` takes it. */
const HEADER_NAME = /^[A-Za-z0-9-]+$/;

function usage(flag: string, message: string): HarnessError {
  return new HarnessError('HARNESS_USAGE', `${flag}: ${message}`);
}

const NOT_A_NAME = 'is not an environment variable name (letters, digits and _, not starting with a digit; not shown: it may be the key itself)';

/** `raw` when it is a variable name; else HARNESS_USAGE that says so without quoting it, and the fix. */
export function envNameFlag(flag: string, raw: string): string {
  if (ENV_NAME.test(raw)) return raw;
  throw usage(flag, `the value given ${NOT_A_NAME}; give the NAME of the variable that holds the key, e.g. ${flag} MY_KEY_VAR`);
}

/**
 * Whether a header name may be quoted: words of up to 20 characters joined by `-` (`x-litellm-api-key`,
 * `Ocp-Apim-Subscription-Key`). The part before the first `=` of a key given whole (an `ABSK...=` key is base64,
 * padding included; `sk-proj-<32 characters>`) is one long run of characters, never words.
 */
function shownHeader(header: string): boolean {
  return HEADER_NAME.test(header) && header.length <= 64 && header.split('-').every((word) => word.length > 0 && word.length <= 20);
}

/** `--header-env HEADER=NAME` as { header, env }; a bad one is HARNESS_USAGE quoting at most the header name. */
export function headerEnvSpec(spec: string): { header: string; env: string } {
  const eq = spec.indexOf('=');
  const header = eq < 0 ? spec : spec.slice(0, eq);
  const env = eq < 0 ? '' : spec.slice(eq + 1);
  if (eq > 0 && HEADER_NAME.test(header) && ENV_NAME.test(env)) return { header, env };
  if (eq > 0 && shownHeader(header)) {
    throw usage('--header-env', `${header}=...: what follows "=" ${NOT_A_NAME}; give the NAME of the variable that holds the header's value, e.g. --header-env ${header}=MY_KEY_VAR`);
  }
  throw usage('--header-env', 'the value given is not HEADER=ENV_VAR (not shown: it may be a secret); give the header name and the NAME of the variable that holds its value, e.g. --header-env x-portkey-api-key=PORTKEY_API_KEY');
}
