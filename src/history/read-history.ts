/**
 * @module history/read-history
 * A history folder is read, not trusted: it comes from a git branch, a CI cache or a teammate. Every run file is
 * gunzipped with a size cap (a compression bomb stops at the cap), parsed, and validated against the published
 * schema (`suites/schema/history-run.schema.json`) before any field is used; a bad file is exit 2 naming it and the
 * JSON path of the first bad field. Files that are not run files (other names, hidden temp files) are not read.
 */
import { isAscii } from 'node:buffer';
import { open, readdir } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HarnessError } from '../errors.ts';
import { displayPath, type PathSegment } from '../json-path.ts';
import { inertLine } from '../report/inert-text.ts';
import { schemaProblem } from '../report/schema-problem.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../suite/history-schema.ts';
import { RUN_FILE_SUFFIX } from './history-file.ts';
import { firstProblemIn } from '../json-walk.ts';
import { newerVersion } from '../format-version.ts';
import { startedAtProblem } from './run-values.ts';
import { shardProblem } from '../shard-spec.ts';
import { passesQuickCheck, runSchemaErrors } from './validate-run.ts';

/** The most a run file may unpack to: a full catalog run is well under 1 MiB. */
export const MAX_RUN_BYTES = 32 * 1024 * 1024;
/** The most a run file may hold on disk (it is gzip'd: a full catalog run is about 30 KiB); a bigger one is not read. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** The most containers a run file nests (a run writes 6: shapes, fingerprints, a fingerprint, its paths). */
export const MAX_RUN_DEPTH = 16;

const FIX = `give a file that \`mantle-conformance run --history\` wrote (schema: suites/schema/history-run.schema.json), or move it out of the folder`;

/** One run file's content, validated; `name` names it in errors. */
export function parseRunFile(bytes: Buffer, name: string): HistoryRun {
  const shown = inertLine(name, 300);
  let text: string;
  try {
    const json = name.endsWith('.gz') ? gunzipSync(bytes, { maxOutputLength: MAX_RUN_BYTES }) : bytes;
    // ASCII (what the harness writes) reads the same as Latin-1, which is a copy; UTF-8 decoding is a walk.
    text = json.toString(isAscii(json) ? 'latin1' : 'utf8');
  } catch (cause) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: not a gzip file that unpacks to at most ${MAX_RUN_BYTES / 1024 / 1024} MiB (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: not JSON (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  // A file that passes the quick check nests no deeper than the schema says (it reads fixed fields and never
  // recurses). Any other is walked for depth before anything that recurses (the full validator, the messages'
  // JSON.stringify, the walk for Infinity) sees it: `[[[[...` 5000 deep would overflow the stack (exit 3).
  const quick = passesQuickCheck(value);
  const deep = quick ? undefined : firstProblemIn(value, MAX_RUN_DEPTH, displayPath);
  if (deep) throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: ${inertLine(deep, 300)}: nested more than ${MAX_RUN_DEPTH} levels deep (a run writes 6); ${FIX}`);
  // JSON.parse reads 1e400 as Infinity, which a report would write as null. Only a text with such a literal (an
  // exponent of three digits, or 309 digits in a row) is walked: a year of files is millions of numbers.
  if (mayOverflow(text)) {
    const where = nonFinite(value);
    if (where) throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: ${inertLine(where, 300)} is not a finite number (a literal such as 1e400 reads as Infinity); ${FIX}`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  // `run --history` of a newer version wrote it: a good file this one cannot read (read-matrix.ts says the same).
  const newer = newerVersion(format, HISTORY_RUN_FORMAT);
  if (newer !== undefined) throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: format ${newer} was written by a newer mantle-conformance (this version reads ${HISTORY_RUN_FORMAT}): upgrade mantle-conformance to read it (or move it out of the folder)`);
  if (format !== HISTORY_RUN_FORMAT) {
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: format is ${inertLine(JSON.stringify(format) ?? 'missing', 60)}, expected "${HISTORY_RUN_FORMAT}"; ${FIX}`);
  }
  const errors = quick ? undefined : runSchemaErrors(value);
  if (errors) {
    // A field this version does not know: as likely a newer version's as a hand edit, and the fixes differ.
    const unknown = errors.some((e) => e.keyword === 'additionalProperties');
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: ${schemaProblem(errors, value)}${unknown ? `: a newer mantle-conformance may have written it (upgrade mantle-conformance to read it), or it was edited by hand (${FIX})` : `; ${FIX}`}`);
  }
  const run = (value as HistoryRun).run;
  const problem = startedAtProblem(run.startedAt) ?? shardProblem(run.shard, 'run.shard') ?? referenceProblem(value as HistoryRun);
  if (problem) throw new HarnessError('HARNESS_HISTORY_INVALID', `${shown}: ${problem}; ${FIX}`);
  return value as HistoryRun;
}

/**
 * Whether `text` may hold a number JSON.parse reads as Infinity: a number (after `:`, `,` or `[`) with an exponent of
 * three digits, or 309 digits in a row. Not any `e123`: every run file's check definition digests (hex) hold one, and
 * each file was then walked whole (a year's history took 60 % longer).
 */
export function mayOverflow(text: string): boolean {
  return /[:,[]\s*-?\d+(?:\.\d+)?[eE]\+?\d{3}|\d{309}/.test(text);
}

/** The path of the first number that is not finite, walked with its own stack (nesting is not bounded). */
function nonFinite(document: unknown): string | undefined {
  const stack: [unknown, PathSegment[]][] = [[document, []]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return displayPath(path);
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) stack.push([child, [...path, Array.isArray(value) ? Number(key) : key]]);
  }
  return undefined;
}

/**
 * What the schema cannot say: every `target/model` key names one of the run's targets, every cell one of its
 * checks, every shape one of its fingerprints. A key that does not
 * (`__proto__`, no slash, another target) would reach the report as a cell of no target.
 */
function referenceProblem(run: HistoryRun): string | undefined {
  const targets = new Set(run.targets.map((t) => t.id));
  const checks = new Set(run.checks.map((c) => c.id));
  const key = (field: string, cellKey: string) => {
    const cut = cellKey.indexOf('/');
    if (cut > 0 && cut < cellKey.length - 1 && targets.has(cellKey.slice(0, cut))) return undefined;
    return `${field}: the key ${inertLine(JSON.stringify(cellKey), 80)} is not "<target>/<model>" with a target of the run (${[...targets].map((t) => inertLine(t, 40)).join(', ')})`;
  };
  // Loops over keys (for...in) rather than entries: a year of files is millions of cells.
  for (const cellKey in run.cells) {
    const bad = key('cells', cellKey);
    if (bad) return bad;
    for (const check in run.cells[cellKey]) {
      if (!checks.has(check)) return `cells.${inertLine(cellKey, 80)}: the check ${inertLine(JSON.stringify(check), 80)} is not one of the run's checks`;
    }
  }
  for (const cellKey in run.latency) {
    const bad = key('latency', cellKey);
    if (bad) return bad;
  }
  const shapes = run.shapes;
  for (const cellKey in shapes?.exchanges) {
    const bad = key('shapes.exchanges', cellKey);
    if (bad) return bad;
    const byApi = shapes!.exchanges[cellKey]!;
    for (const api in byApi) {
      for (const exchange in byApi[api]) {
        for (const id of byApi[api]![exchange]!) {
          if (!Object.hasOwn(shapes!.fingerprints, id)) return `shapes.exchanges.${inertLine(cellKey, 80)}: the fingerprint ${inertLine(JSON.stringify(id), 80)} is not in shapes.fingerprints`;
        }
      }
    }
  }
  return undefined;
}

/** A run file someone unpacked (`gunzip`): read as it is (parseRunFile reads both), never silently passed over. */
export const PLAIN_RUN_FILE_SUFFIX = RUN_FILE_SUFFIX.replace(/\.gz$/, '');

/**
 * The run files of `dir`, in name order (which is start-time order), and the names that look like run files but
 * are not regular files (a symbolic link, a folder): those are never followed, only named. An unpacked run file
 * (`*.run.json`) is read too, unless its packed file is there as well (`gunzip -k`): one run is read once.
 */
export async function listRunFiles(dir: string): Promise<{ names: string[]; skipped: string[] }> {
  try {
    const all = await readdir(dir, { withFileTypes: true });
    const packed = new Set(all.filter((e) => e.name.endsWith(RUN_FILE_SUFFIX)).map((e) => e.name));
    const isRunFile = (name: string) => name.endsWith(RUN_FILE_SUFFIX) || (name.endsWith(PLAIN_RUN_FILE_SUFFIX) && !packed.has(`${name}.gz`));
    const entries = all.filter((e) => !e.name.startsWith('.') && isRunFile(e.name));
    return { names: entries.filter((e) => e.isFile()).map((e) => e.name).sort(), skipped: entries.filter((e) => !e.isFile()).map((e) => e.name).sort() };
  } catch (cause) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `history: cannot read the folder ${inertLine(dir, 300)} (${inertLine((cause as Error).message, 120)}); give the folder that run --history DIR appends to`, { cause });
  }
}

/** One run file of `dir`, read and validated. */
export async function readRunFile(dir: string, name: string): Promise<HistoryRun> {
  const path = join(dir, name);
  let bytes: Buffer;
  try {
    // Opened without following a link put there since the folder was listed; sized before anything is read.
    const file = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    try {
      const { size, isFile } = await file.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
      if (!isFile) throw new Error('not a regular file');
      // An unpacked file (`gunzip`) is held to what a packed one may unpack to: the same run reads either way.
      const max = name.endsWith('.gz') ? MAX_FILE_BYTES : MAX_RUN_BYTES;
      if (size > max) throw new HarnessError('HARNESS_HISTORY_INVALID', `${inertLine(path, 300)}: ${size} bytes, more than a run file holds (at most ${max / 1024 / 1024} MiB${max === MAX_RUN_BYTES ? ' unpacked' : ''}); ${FIX}`);
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (cause) {
    if (cause instanceof HarnessError) throw cause;
    throw new HarnessError('HARNESS_HISTORY_INVALID', `${inertLine(path, 300)}: cannot be read (${inertLine((cause as Error).message, 120)}); ${FIX}`, { cause });
  }
  return parseRunFile(bytes, path);
}
