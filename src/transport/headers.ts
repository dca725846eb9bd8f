/**
 * @module transport/headers
 * Which headers may be stored. Credentials, cookies and AWS signing headers never reach a fixture, a report or a
 * log: they are dropped here, and `secret-scan.ts` refuses a fixture that still holds something credential-shaped.
 */

/** Dropped from stored requests and responses. `x-amz-*` covers SigV4 (`x-amz-date`, `x-amz-security-token`, ...). */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === 'authorization' ||
    lower === 'proxy-authorization' ||
    lower === 'x-api-key' ||
    lower === 'api-key' ||
    lower === 'cookie' ||
    lower === 'set-cookie' ||
    lower.startsWith('x-amz-')
  );
}

/** Hop-by-hop and per-connection headers say nothing about the endpoint's behavior and only add noise to fixtures. */
const NOISE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/** Lower-cases names, joins repeated values, drops sensitive and per-connection headers. */
export function storableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isSensitiveHeader(name) || NOISE.has(name.toLowerCase())) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Why `value` cannot be sent as a header value, or undefined when it can. undici refuses a line break, another
 * control character, or a character above U+00FF (it would split or forge headers): caught when a flag or a variable
 * is read, the run stops with the flag to fix, not with every request failing as a connection error.
 */
export function headerValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\r\n]/.test(value)) return 'holds a line break';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return 'holds a control character';
  if (/[^\u0000-\u00ff]/.test(value)) return 'holds a character a header cannot carry (only Latin-1 is allowed)';
  return undefined;
}

/**
 * A header value as HTTP sends it: without the spaces and tabs around it (RFC 9110's optional whitespace, which is
 * not part of the value). Anything else stays, for the header checks to refuse (a line break, a character that
 * Latin-1 cannot carry).
 */
export function headerValueAsSent(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * How a secret read from a variable is trimmed before it is sent as a header: `all` (every blank and line break
 * around it, as a pasted API key is), `http` (the spaces and tabs HTTP drops, `headerValueAsSent`), or `none` (it must
 * be sent as it is: blanks around it, which HTTP drops, are then a problem).
 */
export type HeaderTrim = 'all' | 'http' | 'none';

/**
 * `raw` as it will be sent, trimmed as `trim` says, and why no client can send it as a header value, or undefined
 * when one can. Each caller words its own refusal around `problem`, naming its variable and never the value.
 */
export function sendableHeaderValue(raw: string, trim: HeaderTrim): { value: string; problem: string | undefined } {
  const value = trim === 'all' ? raw.trim() : trim === 'http' ? headerValueAsSent(raw) : raw;
  const blanks = trim === 'none' && headerValueAsSent(raw) !== raw ? 'begins or ends with a blank, which HTTP drops, so no client can send it' : undefined;
  return { value, problem: headerValueProblem(value) ?? blanks };
}
