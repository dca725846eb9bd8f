/**
 * @module transport/derived-secrets
 * The secrets a secret carries inside it, for the redactor (redactor.ts). The redactor finds a value in every escaped,
 * hex and base64 form, but not what is encoded inside it: an endpoint that decodes what it got and echoes a part
 * ("security token expired: IQoJb3...", "decoded credentials: user:pass") would otherwise have that part stored.
 * A short-term `bedrock-api-key-` token is base64 of a presigned URL holding a SigV4 signature, a session token and
 * an access key id; `Basic <base64>` and a long-term `ABSK` key hold a `user:password`. Light on purpose: every path
 * that registers a secret (auth providers, the request's own headers) asks, replay start-up included.
 */
import { MIN_SECRET_LENGTH, type Secret } from './redactor.ts';

const TOKEN_PREFIX = 'bedrock-api-key-';
/** Either base64 alphabet, padded or not: a token or key pasted from another tool may be either. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** What decoded text must be to be a secret: printable ASCII. Random bytes (an `sk-...` key read as base64) are not. */
const PRINTABLE = /^[\x20-\x7e]+$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** Derived secrets per value, kept: the request's headers are asked on every request, with the same values. */
const cache = new Map<string, Secret[]>();

/**
 * The secrets inside `value` (a secret of `kind`), each long enough to redact: for a `bedrock-api-key-` token, its
 * URL's X-Amz-Signature (looked up as the run's signatures are, Secret.hexValues), X-Amz-Security-Token (as written
 * and URL-decoded) and the access key id of X-Amz-Credential; for `Basic <base64>`, an `ABSK` key or a bare base64
 * value that decodes to printable text, the password of its `user:password` (or the text, with no user part). A value that carries
 * nothing (most keys) gives none: decoded text that is not printable, or too short, is no secret.
 */
export function derivedSecrets(value: string, kind: string): Secret[] {
  const key = `${kind}\n${value}`;
  let derived = cache.get(key);
  if (derived) return derived;
  const bare = value.trim().replace(/^Bearer\s+/i, '');
  derived = (bare.startsWith(TOKEN_PREFIX) ? tokenParts(bare.slice(TOKEN_PREFIX.length)) : decodedParts(bare, kind)).filter((s) => s.value.length >= MIN_SECRET_LENGTH && s.value !== value);
  if (cache.size >= 1_000) cache.clear();
  cache.set(key, derived);
  return derived;
}

/** `secrets` with the secrets each carries (derivedSecrets) after it. */
export function withDerived(secrets: readonly Secret[]): Secret[] {
  return secrets.flatMap((secret) => [secret, ...derivedSecrets(secret.value, secret.kind)]);
}

/** Base64 `text` as printable ASCII, or undefined: not base64, or bytes no one would type. */
function decodedText(text: string): string | undefined {
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  // Node reads both alphabets under 'base64'.
  const decoded = Buffer.from(text, 'base64').toString('latin1');
  return PRINTABLE.test(decoded) ? decoded : undefined;
}

/** The presigned URL's credentials (@aws/bedrock-token-generator: host, path, query, `&Version=1`). */
function tokenParts(encoded: string): Secret[] {
  const url = decodedText(encoded);
  const query = url?.split('?')[1];
  if (!query) return [];
  const parts: Secret[] = [];
  // By hand, not URLSearchParams: it reads a `+` as a space, and a token's `+` may be left unescaped.
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).toLowerCase();
    const raw = pair.slice(at + 1);
    const plain = urlDecoded(raw);
    if (name === 'x-amz-signature') {
      const signature = plain.toLowerCase();
      parts.push(HEX64.test(signature) ? { kind: 'sigv4-signature', value: signature, hexValues: new Set([signature]) } : { kind: 'sigv4-signature', value: plain });
    } else if (name === 'x-amz-security-token') {
      parts.push({ kind: 'aws-session-token', value: plain }, ...(raw !== plain ? [{ kind: 'aws-session-token', value: raw }] : []));
    } else if (name === 'x-amz-credential') {
      parts.push({ kind: 'aws-access-key-id', value: plain.split('/')[0] ?? '' });
    }
  }
  return parts;
}

function urlDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `Basic <base64>`, a long-term Bedrock API key (`ABSK` + base64 of `BedrockAPIKey-...:secret`) or a bare base64
 * value: the password of its decoded `user:password` (the part an endpoint that checks it would echo), or the
 * decoded text when it has no user part.
 */
function decodedParts(value: string, kind: string): Secret[] {
  const encoded = value.replace(/^Basic\s+/i, '').replace(/^ABSK(?=QmVkcm9ja0FQSUtleS)/, '');
  const text = decodedText(encoded);
  if (!text) return [];
  // Of `user:password` only the password: the user part is public (a user name, a long-term key's
  // `BedrockAPIKey-<id>-at-<account id>`), and the redactor matches any 12 characters of a secret in a row, so the
  // account id in every ARN an endpoint names would be cut out.
  const colon = text.indexOf(':');
  return [{ kind, value: colon >= 0 ? text.slice(colon + 1) : text }];
}
