/**
 * @module transport/process-secrets
 * The secrets this process has sent, for text that leaves it outside any run's redactor: the message of an error
 * the harness did not expect (cli/internal-error.ts), which may quote a value it was handling (V8's "Invalid regular
 * expression: /<pattern>/" quotes the pattern). Each run's redactor adds its source (http-exchange.ts redactorFor).
 */
import type { Secret } from './redactor.ts';

/** Sources kept at most: a process that runs many runs (a test suite) lets the oldest go. */
const MAX_SOURCES = 64;
const sources: (() => readonly Secret[])[] = [];

/** Adds `source`, and returns it. */
export function rememberSecrets<T extends () => readonly Secret[]>(source: T): T {
  sources.push(source);
  if (sources.length > MAX_SOURCES) sources.shift();
  return source;
}

/** Every secret the remembered sources hold now; a source that fails to answer gives none. */
export function processSecrets(): Secret[] {
  return sources.flatMap((source) => {
    try {
      return [...source()];
    } catch {
      return [];
    }
  });
}
