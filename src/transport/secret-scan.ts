/**
 * @module transport/secret-scan
 * The last net before a fixture is written: text that went through the redactor should hold no credential, so
 * anything found here is a bug or bytes that bypassed the transport. It looks as the redactor does (the same
 * `findCredentials`: the run's own values in any case, escape or base64, and the credential shapes, in every
 * decoded view), so what one finds the other finds. Findings name the kind, never the value.
 */
import { CREDENTIAL_SHAPES, findCredentials } from './redactor.ts';

const OWN = 'a credential this run is using';
/** Findings in a stable order: the run's own values, then the shapes as listed. */
const ORDER = [OWN, ...new Set(CREDENTIAL_SHAPES.map((shape) => shape.description))];

/** Kinds of credential found in `text`; empty when it is clean. */
export function scanForSecrets(text: string, secrets: readonly string[] = []): string[] {
  const found = new Set<string>();
  // Values shorter than MIN_SECRET_LENGTH are skipped there: they would match innocent text.
  const credentials = findCredentials(text, secrets.map((value) => ({ kind: 'own', value })));
  const own = credentials.filter((credential) => credential.own);
  // A shape over characters that are one of the run's own values (its key is `ABSK...`) is that value, said once.
  for (const credential of credentials) if (credential.own || !own.some((o) => o.start < credential.end && credential.start < o.end)) found.add(credential.own ? OWN : credential.description!);
  return ORDER.filter((description) => found.has(description));
}
