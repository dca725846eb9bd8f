/**
 * @module transport/auth/env-name-shown
 * How a message names the variable a flag points at (`--api-key-env NAME`, `--header-env HEADER=NAME`, the
 * emulator's `--api-key-env`). The easy slip is to give the key itself (`--api-key-env "$KEY"`), and many keys are
 * valid shell names too (an Azure OpenAI hex key, `gsk_...`, `hf_...`, `ghp_...`, plain alphanumeric keys): the
 * variable is then unset, and "X is not set" would print the key in a CI log that nobody masks. So a name is quoted
 * only when it plausibly is one; otherwise the message names the flag and says why the name is not shown.
 */

/** The longest name quoted. */
const MAX_SHOWN = 64;
/** Prefixes of well-known key formats (case as the vendors issue them: `HF_TOKEN` is a name, `hf_...` a key). */
const KEY_PREFIX = /^(?:sk-|sk_|rk_|pk_|gsk_|hf_|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xai-|fw_|r8_|AKIA|ASIA|ABSK|AIza)/;
/**
 * One word of a name: letters, then at most one group of up to four digits and more letters (`KEY`, `2`, `EU1`,
 * `K8S`, `GPT4O`, `2024`), at most 16 characters. A key is one long run, or letters and digits interleaved.
 */
const WORD = /^(?:[a-z]{0,16}(?:[0-9]{1,4}[a-z]*)?)$/;
/** Sixteen hex digits in a row: a hex key (or a piece of one), never a word. */
const HEX_RUN = /[0-9a-f]{16}/i;

/**
 * Whether `name` plausibly is the name of a variable, not a key given in its place: upper-case words joined by `_`
 * (`AWS_BEARER_TOKEN_BEDROCK`, `MY_KEY_2`) or lower-case ones (`openai_key`), of at most 64 characters, no word
 * longer than 16, no run of hex and no key's prefix. What fails is still used as the name; it is only not shown.
 */
export function plausibleEnvName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_SHOWN || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  // One case throughout: a mixed-case run (`ghp_16C7e42F...`, a Mistral or Cohere key) is a key's alphabet.
  if (name !== name.toUpperCase() && name !== name.toLowerCase()) return false;
  if (KEY_PREFIX.test(name) || HEX_RUN.test(name)) return false;
  return name.split('_').every((word) => word.length <= 16 && WORD.test(word.toLowerCase()));
}

/**
 * `name` when it plausibly is a variable's name, else "the variable named by `flag` (not shown: it may be the key
 * itself)". `flag` is how the user gave it: `--api-key-env`, or `--header-env api-key=...`.
 */
export function envNameShown(name: string, flag: string): string {
  return plausibleEnvName(name) ? name : `the variable named by ${flag} (not shown: it may be the key itself)`;
}

/** `flag NAME` as typed when the name is shown, else `flag` alone (for "--api-key-env X: ..." prefixes). */
export function envFlagShown(name: string, flag: string): string {
  return plausibleEnvName(name) ? `${flag} ${name}` : flag;
}

/** `--header-env HEADER=NAME` as typed when the name is shown, else `--header-env HEADER=...`. */
export function headerEnvFlagShown(header: string, name: string): string {
  return `--header-env ${header}=${plausibleEnvName(name) ? name : '...'}`;
}
