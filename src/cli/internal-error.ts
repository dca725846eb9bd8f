/**
 * @module cli/internal-error
 * What is printed of an error the harness did not expect (HARNESS_INTERNAL): its stack, with every credential the
 * process sent replaced as reports replace them (transport/process-secrets.ts). Such an error may quote a value it
 * was handling, a key among them; CI log masking catches the key as written, not its hex or base64.
 */
import { processSecrets } from '../transport/process-secrets.ts';
import { Redactor } from '../transport/redactor.ts';

export function internalErrorText(error: unknown): string {
  const text = (error as Error)?.stack ?? String(error);
  try {
    return new Redactor(processSecrets).text(text).value;
  } catch {
    // The redactor broke too: where the error arose, never what it said.
    const frames = text.split('\n').filter((line) => /^\s+at /.test(line));
    const name = error instanceof Error ? error.name : typeof error;
    return [`${name} (its message is not shown: it could not be checked for credentials)`, ...frames].join('\n');
  }
}
