/**
 * @module transport/secret-scan
 * Finds credentials in text about to be written (fixtures, reports). Two nets: the exact secret values the run
 * holds, and shapes that look like credentials whatever their origin. Findings name the kind, never the value.
 */

const SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a Bedrock API key', pattern: /bedrock-api-key-[A-Za-z0-9+/=_-]{8,}/ },
  { kind: 'a bearer token', pattern: /Bearer\s+[A-Za-z0-9._~+/=-]{12,}/ },
  { kind: 'a SigV4 signature', pattern: /Signature=[0-9a-f]{64}|X-Amz-Signature=/ },
  { kind: 'an AWS session token', pattern: /x-amz-security-token"?\s*[:=]\s*"?[A-Za-z0-9/+=]{16,}/i },
  { kind: 'an AWS secret access key', pattern: /aws_secret_access_key\s*[:=]\s*\S{16,}/i },
];

/** Kinds of credential found in `text`; empty when it is clean. */
export function scanForSecrets(text: string, secrets: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    // Short values would match innocent text; auth providers only hand over real credentials.
    if (secret.length >= 8 && text.includes(secret)) {
      found.push('a credential this run is using');
      break;
    }
  }
  for (const { kind, pattern } of SHAPES) if (pattern.test(text)) found.push(kind);
  return found;
}
