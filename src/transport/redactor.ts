/**
 * @module transport/redactor
 * Replaces credentials with `[REDACTED:<kind>]` in text that came over the wire, before anything else sees it. Two
 * nets: the exact values the run holds (API key, short-term token, AWS keys, each request's SigV4 signature,
 * every --header-env value, also JSON-, slash- and URL-escaped), and shapes that look like credentials whatever
 * their origin (AWS key ids, `bedrock-api-key-` tokens, bearer tokens, signatures, session tokens).
 *
 * Text split into parts (the reads of a stream) is redacted as one string and the result mapped back onto the
 * parts, so a value split across two reads is caught and read boundaries and times stay where they were.
 */

/** A secret value and what it is; the kind is all that remains of it in stored text. */
export interface Secret {
  kind: string;
  value: string;
}

/** Values shorter than this are not matched: they would redact ordinary words. Real credentials are longer. */
export const MIN_SECRET_LENGTH = 8;

export interface CredentialShape {
  /** Goes into `[REDACTED:<kind>]`. */
  kind: string;
  /** For the secret scan's messages: "a bearer token". */
  description: string;
  /**
   * Matches a credential; the group named `secret`, when there is one, is the part replaced (labels like `Bearer `
   * and JSON quotes stay). Every pattern starts with a literal, never a lookbehind: a lookbehind with `\s+` is
   * tried at every position and turns a megabyte of whitespace into minutes.
   */
  pattern: RegExp;
}

/**
 * Credential-shaped strings. A redacted value never matches again: no value class admits `[`, so
 * `Bearer [REDACTED:api-key]` is clean for the scan that runs before a fixture is written.
 */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  { kind: 'aws-access-key-id', description: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/dg },
  { kind: 'bedrock-api-key', description: 'a Bedrock API key', pattern: /bedrock-api-key-[A-Za-z0-9+/=_%-]{8,}/dg },
  { kind: 'bearer-token', description: 'a bearer token', pattern: /\b[Bb]earer\s+(?<secret>[A-Za-z0-9._~+/=-]{12,})/dg },
  { kind: 'sigv4-signature', description: 'a SigV4 signature', pattern: /\bSignature=(?<secret>[0-9a-f]{64})/dg },
  { kind: 'sigv4-signature', description: 'a SigV4 signature', pattern: /X-Amz-Signature=(?<secret>[^&\s"'\\[]+)/dgi },
  { kind: 'aws-session-token', description: 'an AWS session token', pattern: /x-amz-security-token"?\s*[:=]\s*"?(?<secret>[A-Za-z0-9/+=%]{16,})/dgi },
  { kind: 'aws-secret-access-key', description: 'an AWS secret access key', pattern: /aws_secret_access_key"?\s*[:=]\s*"?(?<secret>[A-Za-z0-9/+=]{16,})/dgi },
];

export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

interface Range {
  start: number;
  end: number;
  kind: string;
}

export interface Redacted<T> {
  value: T;
  /** How many credentials were replaced. */
  count: number;
}

/**
 * One per run (per auth provider): it asks `secrets` each time, because credentials resolve lazily (SigV4 keys
 * on the first request, the short-term token when it is made).
 */
export class Redactor {
  readonly #secrets: () => readonly Secret[];

  constructor(secrets: () => readonly Secret[] = () => []) {
    this.#secrets = secrets;
  }

  /** `text` with every credential replaced; `extra` are secrets of this request only (its signature). */
  text(text: string, extra: readonly Secret[] = []): Redacted<string> {
    const { value, count } = this.parts([text], extra);
    return { value: value[0] ?? '', count };
  }

  /** The parts of one text (stream reads), redacted as one string and cut again at the same boundaries. */
  parts(parts: readonly string[], extra: readonly Secret[] = []): Redacted<string[]> {
    const joined = parts.join('');
    const ranges = findRanges(joined, [...this.#secrets(), ...extra]);
    if (ranges.length === 0) return { value: [...parts], count: 0 };
    return { value: cutRanges(parts, ranges), count: ranges.length };
  }
}

/** Every credential in `text`, merged where they overlap; the run's own values win the kind of an overlap. */
function findRanges(text: string, secrets: readonly Secret[]): Range[] {
  const found: (Range & { own: boolean })[] = [];
  for (const { kind, value } of secrets) {
    for (const variant of variants(value)) {
      for (let at = text.indexOf(variant); at !== -1; at = text.indexOf(variant, at + variant.length)) {
        found.push({ start: at, end: at + variant.length, kind, own: true });
      }
    }
  }
  for (const shape of CREDENTIAL_SHAPES) {
    for (const match of text.matchAll(shape.pattern)) {
      const [start, end] = match.indices?.groups?.secret ?? [match.index, match.index + match[0].length];
      found.push({ start, end, kind: shape.kind, own: false });
    }
  }
  found.sort((a, b) => a.start - b.start || Number(b.own) - Number(a.own) || b.end - a.end);
  const merged: Range[] = [];
  for (const range of found) {
    const last = merged.at(-1);
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end, kind: range.kind });
  }
  return merged;
}

/** How a value may appear in text: as it is, JSON-escaped, with `/` escaped (PHP, some gateways), URL-encoded. */
function variants(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, json, json.replace(/\//g, '\\/'), encodeURIComponent(value)])];
}

/**
 * Rebuilds the parts with the ranges (offsets into their concatenation) replaced: the placeholder goes into the
 * part where the credential starts, its other characters are dropped from the parts they were in. A part that
 * held nothing but the tail of a credential comes back empty: one part out for each part in.
 */
function cutRanges(parts: readonly string[], ranges: readonly Range[]): string[] {
  const out: string[] = [];
  let offset = 0;
  let next = 0;
  for (const part of parts) {
    const start = offset;
    const end = offset + part.length;
    let text = '';
    let pos = start;
    while (pos < end) {
      while (next < ranges.length && ranges[next]!.end <= pos) next++;
      const range = ranges[next];
      if (!range || range.start >= end) {
        text += part.slice(pos - start);
        break;
      }
      if (range.start > pos) {
        text += part.slice(pos - start, range.start - start);
        pos = range.start;
      }
      if (pos === range.start) text += placeholder(range.kind);
      pos = Math.min(range.end, end);
    }
    out.push(text);
    offset = end;
  }
  return out;
}

/**
 * The secret parts of the credential headers one request carried: its SigV4 signature (new for every request),
 * a bearer token, a session token, a gateway key. Dates and body hashes that SigV4 adds are not secret.
 */
export function secretsOfAuthHeaders(headers: Readonly<Record<string, string>>): Secret[] {
  const secrets: Secret[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const signature = /Signature=([0-9a-f]{64})/.exec(value)?.[1];
      if (signature) secrets.push({ kind: 'sigv4-signature', value: signature });
      const bearer = /^Bearer\s+(\S+)$/i.exec(value)?.[1];
      if (bearer) secrets.push({ kind: 'api-key', value: bearer });
    } else if (lower === 'x-amz-security-token') {
      secrets.push({ kind: 'aws-session-token', value });
    } else if (lower !== 'x-amz-date' && lower !== 'x-amz-content-sha256') {
      secrets.push({ kind: 'header-env', value });
    }
  }
  return secrets;
}
