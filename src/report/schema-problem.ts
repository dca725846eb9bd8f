/**
 * @module report/schema-problem
 * A file another run wrote (a matrix.json, a history run) that fails its schema, said in one line: the most
 * specific error (in a union, the branch that got deepest), at its JSON path, with the value found there as inert
 * text, and for a wrong type, constant or value of a list what the value may be. Shared by the readers of those
 * files, so they say it the same way.
 */
import type { ErrorObject } from 'ajv';
import { displayPath, pathOf } from '../json-path.ts';
import { valueAt } from '../suite/yaml-source.ts';
import { inertLine } from './inert-text.ts';

/**
 * A value as JSON for a message, or a word for it when it cannot be written: a file from elsewhere may nest deeper
 * than JSON.stringify's recursion reaches (`[[[[...` thousands deep), and that is the file's error, not a crash.
 */
function preview(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? 'a list nested too deep to show' : 'a value nested too deep to show';
  }
}

/** One line for a schema's errors on `data`: the deepest error, at its JSON path, with the value found there. */
export function schemaProblem(errors: readonly ErrorObject[], data: unknown): string {
  const deepest = [...errors].sort((a, b) => pathOf(b.instancePath).length - pathOf(a.instancePath).length)[0]!;
  const path = pathOf(deepest.instancePath);
  // The path is made of the file's keys: as inert as its values (no escape sequence or line break reaches the console).
  const at = inertLine(displayPath(path), 400);
  const params = deepest.params as Record<string, unknown>;
  if (deepest.keyword === 'required') return `${at === '(top level)' ? '' : `${at}.`}${String(params.missingProperty)} is missing`;
  if (deepest.keyword === 'additionalProperties') return `${at}: unknown field ${inertLine(JSON.stringify(params.additionalProperty), 80)}`;
  const value = valueAt(data, path);
  const shown = value === undefined ? 'nothing' : inertLine(preview(value), 60);
  const allowed = ALLOWED.has(deepest.keyword) ? allowedAt(errors, deepest.instancePath) : undefined;
  if (allowed) return `${at} must be ${allowed} (got ${shown})`;
  return `${at} ${deepest.message ?? deepest.keyword} (got ${shown})`;
}

/** The errors that say what a value may be: a type, a constant, a list of values. */
const ALLOWED = new Set(['type', 'const', 'enum']);

/**
 * What the value at `instancePath` may be, in words: Ajv says a constant or a list only as "must be equal to
 * constant" and "... one of the allowed values", and a union of literals (`"live" | "emulator"`) as one such error per
 * branch, each naming one of them. Every branch's at that path is said, so the message names each allowed value;
 * undefined when a branch failed on something else there (a missing field: the value may be an object too).
 */
function allowedAt(errors: readonly ErrorObject[], instancePath: string): string | undefined {
  const here = errors.filter((e) => e.instancePath === instancePath && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  if (here.some((e) => !ALLOWED.has(e.keyword))) return undefined;
  const wordsOf = (e: ErrorObject): string[] => {
    const params = e.params as { type?: unknown; allowedValue?: unknown; allowedValues?: unknown[] };
    if (e.keyword === 'type') return [String(params.type)];
    return (e.keyword === 'const' ? [params.allowedValue] : (params.allowedValues ?? [])).map((v) => inertLine(preview(v), 80));
  };
  const words = [...new Set(here.flatMap(wordsOf))];
  if (words.length === 0) return undefined;
  return words.length === 1 ? words[0] : `one of ${inertLine(words.join(', '), 400)}`;
}
