/**
 * @module json-path
 * Keys of JSON documents someone else wrote. Where in a document a problem is, as a person reads it:
 * `exchanges[0].response.status`; a key that is not plain text (a line break, a control character, a space, a quote
 * or a bracket) is shown as a quoted JSON string, so it can neither break the message's line nor pass for another
 * path. And the schema of an object whose every key is checked (`AnyKey`).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * `key -> value` for every key. Not Type.Record, whose pattern `^(.*)$` no key with a line break matches, so such a
 * key's value would go unchecked (and reach the code that reads it as anything: a crash, not an error naming the
 * file).
 */
export const AnyKey = <T extends TSchema>(value: T, options: { description?: string } = {}) =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, ...options });

/** A key of an object, or an index of a list. */
export type PathSegment = string | number;

/** A JSON pointer's segments (ajv's `instancePath`): indexes as numbers, `~1` and `~0` decoded. */
export function pathOf(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

const NOT_PLAIN = /[^\x21-\x7e]|["'[\]\\]|^$/;

export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (NOT_PLAIN.test(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out || '(top level)';
}
