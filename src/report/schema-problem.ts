/**
 * @module report/schema-problem
 * A file another run wrote (a matrix.json, a history run) that fails its schema, said in one line: the most
 * specific error (in a union, the branch that got deepest), at its JSON path, with the value found there as inert
 * text. Shared by the readers of those files, so they say it the same way.
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
  if (deepest.keyword === 'type') return `${at} must be ${String(params.type)} (got ${shown})`;
  return `${at} ${deepest.message ?? deepest.keyword} (got ${shown})`;
}
