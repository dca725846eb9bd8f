/**
 * @module key-shapes
 * What looks like a key, for every message that would quote a value it did not make: a flag's value that should
 * have been a variable's name (transport/auth/env-name-shown.ts), a value a suite, catalog or expectations file
 * holds (suite/ajv-messages.ts). A file named by mistake (a `.env`, `~/.aws/credentials`) puts a key where a field
 * was meant, and CI logs other than GitHub's, and keys fetched from a vault at run time, are not masked.
 */

/**
 * Prefixes of well-known key formats (case as the vendors issue them: `HF_TOKEN` is a name, `hf_...` a key), with
 * Bedrock's short-term API key (`bedrock-api-key-`, what AWS_BEARER_TOKEN_BEDROCK holds) and PyPI's upload token.
 */
const VENDOR_PREFIXES = ['sk-', 'sk_', 'rk_', 'pk_', 'gsk_', 'hf_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'xai-', 'fw_', 'r8_', 'AIza', 'bedrock-api-key-', 'pypi-'];
// Letters, digits, `-` and `_` only: nothing in them is special to a RegExp outside a class.
const VENDOR = VENDOR_PREFIXES.join('|');
/**
 * AWS's `AKIA`/`ASIA` access key ids and `ABSK` Bedrock keys go on with a long run of letters and digits, never `_`:
 * `ASIA_GATEWAY_KEY` and `AKIA_KEY` are names.
 */
const AWS_ID = '(?:AKIA|ASIA|ABSK)[A-Za-z0-9]{12}';
/**
 * How an AWS session token (`aws_session_token`, what `aws sso` and STS credentials hold) starts: hundreds of base64
 * characters whose first bytes are the same for a region's tokens (`IQoJb3JpZ2luX2Vj`, older `FwoGZXIvYXdzE`).
 */
const AWS_SESSION = '(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)';
/**
 * A word that starts as a key does, for a variable's name (transport/auth/env-name-shown.ts): there the prefix alone
 * is enough, since a name not shown costs only its display (`hf_abcdef`, `sk_live_abc` are never names).
 */
export const KEY_PREFIX = new RegExp(`^(?:${VENDOR}|${AWS_ID}|${AWS_SESSION})`);
/**
 * A word that is a key, for a value a message would quote: a vendor's prefix with at least 20 key characters after it.
 * The shortest real ones have that many (GitLab's `glpat-` 20, Fireworks' `fw_` 24, Stripe's `sk_live_` 24, DeepSeek's
 * `sk-` 32, Hugging Face's `hf_` 34; xAI's `xai-` 80), and a shorter word is an id or a typo whose "did you mean" must
 * stay (`xai-grok-4.3` beside this product's `xai.grok-4.3`, a check `sk-stream.usage`).
 */
const KEY_WORD = new RegExp(`^(?:(?:${VENDOR})[A-Za-z0-9_+/-]{20,}|${AWS_ID}|${AWS_SESSION})`);
/**
 * An AWS secret access key: 40 characters of base64 mixing upper and lower case and digits. About one in four has
 * no `/` or `+`, so neither is asked for; an id of this product is not 40 such characters (its `.`, `-` and `_`
 * end a word).
 */
const AWS_SECRET = /^(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9/+]{40}$/;
/** A hundred base64 characters in a row: a token or a piece of one (a session token, a JWT's part), never a word. */
const BASE64_RUN = /[A-Za-z0-9+/]{100}/;
/** Sixteen hex digits in a row: a hex key (or a piece of one), never a word. */
export const HEX_RUN = /[0-9a-f]{16}/i;

/**
 * The variables a run reads its keys from by default: the Bedrock API key (`--api-key-env`'s default) and the AWS
 * credential chain's secrets. A command adds the ones its flags name (`keysReadFrom`).
 */
const keyVariables = new Set(['AWS_BEARER_TOKEN_BEDROCK', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/** Values shorter than this are not looked for: they would match innocent text (the redactor's own floor). */
const MIN_OWN_LENGTH = 8;

/** Adds the variables a command's flags say hold its keys (`--api-key-env NAME`, `--header-env HEADER=NAME`). */
export function keysReadFrom(...names: readonly string[]): void {
  for (const name of names) keyVariables.add(name);
}

/**
 * Whether `text` may carry a secret: one of its words is shaped as a well-known key is, it holds a run of hex or of
 * base64, or it holds the value of a variable the run reads a key from (this process's own key, whatever its shape).
 */
export function mayBeSecret(text: string, env: NodeJS.ProcessEnv = process.env): boolean {
  // A word starts at the text's start or after anything a key is not made of (`KEY=ABSK...`, `id = AKIA...`).
  if (text.split(/[^A-Za-z0-9_+/=-]+|=/).some((word) => KEY_WORD.test(word) || AWS_SECRET.test(word))) return true;
  if (HEX_RUN.test(text) || BASE64_RUN.test(text)) return true;
  return [...keyVariables].some((name) => {
    const value = env[name]?.trim();
    return value !== undefined && value.length >= MIN_OWN_LENGTH && text.includes(value);
  });
}
