/**
 * @module suite/withheld-values
 * A value of a suite, catalog or expectations file as a message quotes it, unless it may be a secret: a file named
 * by mistake (a `.env`, AWS credentials) or a key pasted in the wrong place puts a key where a field was meant, and
 * the message would carry it into a CI log (key-shapes.ts says what may be one). Then only its length is said.
 */
import { mayBeSecret } from '../key-shapes.ts';

/** What stands for a value that is not shown. */
function withheld(value: unknown): string {
  return `a ${typeof value === 'string' ? 'string' : 'value'} of ${String(value).length} characters (not shown: it may be a secret)`;
}

/** `value` as JSON, or what it is when it may be a secret. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return mayBeSecret(text) ? withheld(value) : text;
}

/**
 * `line` with every "quoted" value that may be a secret said by its length instead: the last net over every problem,
 * warning and finding a loader gives, whatever message quoted it (`unknown source "..."`, `duplicate case id "..."`).
 */
export function withheldQuotes(line: string): string {
  return line.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inside: string) => (mayBeSecret(inside) ? withheld(inside) : whole));
}
