/**
 * @module transport/auth/env-name-shown
 * How a message names the variable a flag points at (`--api-key-env NAME`, `--header-env HEADER=NAME`, the
 * emulator's `--api-key-env`). The easy slip is to give the key itself (`--api-key-env "$KEY"`), and many keys are
 * valid shell names too (an Azure OpenAI hex key, `gsk_...`, `hf_...`, `ghp_...`, plain alphanumeric keys): the
 * variable is then unset, and "X is not set" would print the key in a CI log that nobody masks. So a name is quoted
 * only when it plausibly is one; otherwise the message names the flag and says why the name is not shown.
 */
import { HEX_RUN, KEY_PREFIX } from '../../key-shapes.ts';

/** The longest name quoted. */
const MAX_SHOWN = 64;
/**
 * One word of a name: letters, then at most one group of up to four digits and more letters (`KEY`, `2`, `EU1`,
 * `K8S`, `GPT4O`, `2024`), at most 16 characters; or a longer run of letters only that reads as words (`wordLike`:
 * `INTERNATIONALIZATION`, `AZUREOPENAIAPIKEY`), at most 24. A key is one long run, or letters and digits interleaved.
 */
const WORD = /^(?:[a-z]{0,16}(?:[0-9]{1,4}[a-z]*)?)$/;
const LONG_WORD = 24;
/** The pieces of a camelCase word: an acronym (`AI` in `AzureOpenAIKey`), a capitalised word, a lower-case run. */
const CAMEL_PIECE = /[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+|[^A-Za-z]+/g;

/**
 * Whether a run of letters reads as words, not as random letters (a quarter of which are vowels): at least `share`
 * of them vowels (y counts) and no four consonants in a row. Words do (`internationalization` has half, `mantle` a
 * third); random letters seldom do.
 */
function wordLike(letters: string, share: number): boolean {
  const vowels = letters.replace(/[^aeiouy]/gi, '').length;
  return vowels >= letters.length * share && !/[^aeiouy]{4}/i.test(letters);
}

/** One `_`-separated word in one case: a WORD, or a longer run of letters that reads as words. */
function oneCaseWord(word: string): boolean {
  const lower = word.toLowerCase();
  if (word.length <= 16) return WORD.test(lower);
  return word.length <= LONG_WORD && /^[a-z]+$/.test(lower) && wordLike(lower, 0.4);
}

/**
 * One camelCase word (`AzureOpenAIKey`, `apiKey`, `GroqApiKey`, `Mantle`), no digit: words that read as words, of
 * three letters or more but one (`my`, `Ai`), and at most one acronym of two to five capitals. A mixed-case key's
 * pieces are single letters, short, vowel-less or runs of capitals (`aBcDeF`: `a`, `Bc`, `De`), or digits among them.
 */
function camelWord(word: string): boolean {
  const pieces = word.match(CAMEL_PIECE) ?? [];
  const acronyms = pieces.filter((piece) => /^[A-Z]+$/.test(piece));
  if (acronyms.length > 1 || acronyms.some((piece) => piece.length < 2 || piece.length > 5)) return false;
  if (pieces.filter((piece) => piece.length === 2).length > 1) return false;
  return pieces.every((piece) => /^[A-Z]+$/.test(piece) || (/^[A-Za-z]{2,24}$/.test(piece) && /[aeiouy]/i.test(piece) && wordLike(piece, 1 / 4)));
}

/**
 * Whether `name` plausibly is the name of a variable, not a key given in its place: words joined by `_`, each in one
 * case (`AWS_BEARER_TOKEN_BEDROCK`, `MY_KEY_2`, `openai_key`, Terraform's `TF_VAR_openai_key`) or camelCase words
 * (`AzureOpenAIKey`, `Mantle_Key`), of at most 64 characters, no word longer than 16 unless it reads as words (24),
 * no run of hex and no key's prefix. What fails is still used as the name; it is only not shown.
 */
export function plausibleEnvName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_SHOWN || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  if (KEY_PREFIX.test(name) || HEX_RUN.test(name)) return false;
  // A mixed-case word must be camelCase words: a mixed-case run (a Mistral or Cohere key) is a key's alphabet.
  return name.split('_').every((word) => (word === word.toUpperCase() || word === word.toLowerCase() ? oneCaseWord(word) : camelWord(word)));
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

/** `the key in AWS_BEARER_TOKEN_BEDROCK`: where a bearer key was read, its variable named only when that is a name. */
export function keyInShown(apiKeyEnv: string): string {
  return `the key in ${envNameShown(apiKeyEnv, '--api-key-env')}`;
}

/** `X-Api-Key from GATEWAY_KEY`: a `--header-env` header and the variable it came from, named as keyInShown names one. */
export function headerFromShown(header: string, env: string): string {
  return `${header} from ${envNameShown(env, headerEnvFlagShown(header, env))}`;
}
