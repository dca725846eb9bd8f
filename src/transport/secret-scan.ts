/**
 * @module transport/secret-scan
 * The last net before a fixture is written: text that went through the redactor should hold no credential, so
 * anything found here is a bug or bytes that bypassed the transport. Two nets: the exact secret values the run
 * holds, and the credential shapes the redactor replaces. Findings name the kind, never the value.
 */
import { CREDENTIAL_SHAPES, MIN_SECRET_LENGTH } from './redactor.ts';

/** Kinds of credential found in `text`; empty when it is clean. */
export function scanForSecrets(text: string, secrets: readonly string[] = []): string[] {
  const found: string[] = [];
  // Short values would match innocent text; auth providers only hand over real credentials.
  if (secrets.some((secret) => secret.length >= MIN_SECRET_LENGTH && (text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))))) {
    found.push('a credential this run is using');
  }
  // `search` ignores the shared patterns' global flag and lastIndex.
  for (const { description, pattern } of CREDENTIAL_SHAPES) if (text.search(pattern) !== -1 && !found.includes(description)) found.push(description);
  return found;
}
