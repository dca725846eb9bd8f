/**
 * @module history/read-history
 * A history folder is read, not trusted: it comes from a git branch, a CI cache or a teammate. Every run file is
 * gunzipped with a size cap (a compression bomb stops at the cap), parsed, and validated against the published
 * schema (`suites/schema/history-run.schema.json`) before any field is used; a bad file is exit 2 naming it and the
 * JSON path of the first bad field. Files that are not run files (other names, hidden temp files) are not read.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject } from 'ajv';
import { HarnessError } from '../errors.ts';
import { inertLine } from '../report/inert-text.ts';
import { HISTORY_RUN_FORMAT, HistoryRunSchema, type HistoryRun } from '../suite/history-schema.ts';
import { displayPath, pathOf, valueAt } from '../suite/yaml-source.ts';
import { RUN_FILE_SUFFIX } from './history-file.ts';

/** The most a run file may unpack to: a full catalog run is well under 1 MiB. */
export const MAX_RUN_BYTES = 32 * 1024 * 1024;

const validate = new Ajv({ allErrors: false, strict: false }).compile(HistoryRunSchema);
const FIX = `give a file that \`mantle-conformance run --history\` wrote (schema: suites/schema/history-run.schema.json), or move it out of the folder`;

function problemOf(errors: readonly ErrorObject[], data: unknown): string {
  const deepest = [...errors].sort((a, b) => pathOf(b.instancePath).length - pathOf(a.instancePath).length)[0]!;
  const path = pathOf(deepest.instancePath);
  const at = displayPath(path);
  const params = deepest.params as Record<string, unknown>;
  if (deepest.keyword === 'required') return `${at === '(top level)' ? '' : `${at}.`}${String(params.missingProperty)} is missing`;
  if (deepest.keyword === 'additionalProperties') return `${at}: unknown field ${inertLine(JSON.stringify(params.additionalProperty), 80)}`;
  const value = valueAt(data, path);
  const shown = value === undefined ? 'nothing' : inertLine(JSON.stringify(value) ?? String(value), 60);
  return `${at} ${deepest.message ?? deepest.keyword} (got ${shown})`;
}

/** One run file's content, validated; `name` names it in errors. */
export function parseRunFile(bytes: Buffer, name: string): HistoryRun {
  const shown = inertLine(name, 300);
  let text: string;
  try {
    text = (name.endsWith('.gz') ? gunzipSync(bytes, { maxOutputLength: MAX_RUN_BYTES }) : bytes).toString('utf8');
  } catch (cause) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: not a gzip file that unpacks to at most ${MAX_RUN_BYTES / 1024 / 1024} MiB (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: not JSON (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== HISTORY_RUN_FORMAT) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: format is ${inertLine(JSON.stringify(format) ?? 'missing', 60)}, expected "${HISTORY_RUN_FORMAT}"; ${FIX}`);
  }
  if (!validate(value)) throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: ${problemOf(validate.errors ?? [], value)}; ${FIX}`);
  return value as HistoryRun;
}

/** The run files of `dir`, in name order (which is start-time order). */
export async function listRunFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name.endsWith(RUN_FILE_SUFFIX))
      .map((e) => e.name)
      .sort();
  } catch (cause) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `history: cannot read the folder ${inertLine(dir, 300)} (${inertLine((cause as Error).message, 120)}); give the folder that run --history DIR appends to`, { cause });
  }
}

/** One run file of `dir`, read and validated. */
export async function readRunFile(dir: string, name: string): Promise<HistoryRun> {
  const path = join(dir, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${inertLine(path, 300)}: cannot be read (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  return parseRunFile(bytes, path);
}
