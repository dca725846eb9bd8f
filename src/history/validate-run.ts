/**
 * @module history/validate-run
 * A run file against the published schema (`suites/schema/history-run.schema.json`), quickly: a year of nightly
 * runs is a thousand files of thousands of cells each, and ajv's generic walk of the per-cell parts (cells, latency,
 * shape fingerprints) cost more than reading them. Those parts are checked by hand below, the rest of the file by
 * ajv against the schema with those parts left open. The hand check only ever says yes where the schema does (it
 * is as strict or stricter: a test holds it to that on generated files); whenever it says no, the full schema
 * decides and its errors are the ones reported, so a bad file is named exactly as before.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { MATRIX_STATUSES } from '../suite/matrix-schema.ts';
import { HistoryRunSchema, type HistoryRun } from '../suite/history-schema.ts';

const AJV_OPTIONS = { allErrors: false, strict: false } as const;
const OPEN = {};
/** The schema with the per-cell parts left open (`{}` accepts anything): ajv checks the rest of the file. */
const frame = new Ajv(AJV_OPTIONS).compile({ ...HistoryRunSchema, properties: { ...HistoryRunSchema.properties, cells: OPEN, latency: OPEN, shapes: OPEN } });
let full: ValidateFunction | undefined;

/** The schema's errors for a parsed run file, or undefined when it is valid. */
export function runSchemaErrors(value: unknown): readonly ErrorObject[] | undefined {
  if (passesQuickCheck(value)) return undefined;
  full ??= new Ajv(AJV_OPTIONS).compile(HistoryRunSchema);
  return full(value) ? undefined : (full.errors ?? []);
}

/** Yes only where the schema says yes (the fast path; a test holds it to the schema). */
export function passesQuickCheck(value: unknown): boolean {
  return frame(value) && perCellParts(value as HistoryRun);
}

const STATUSES: ReadonlySet<unknown> = new Set(MATRIX_STATUSES);
const TRIAL_STATUSES: ReadonlySet<unknown> = new Set(MATRIX_STATUSES.filter((s) => s !== 'flaky'));
const KINDS: ReadonlySet<unknown> = new Set(['json', 'sse', 'text', 'empty']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** JSON Schema counts characters as code points; a string no longer in UTF-16 units is within the bound. */
function atMost(text: string, max: number): boolean {
  if (text.length <= max) return true;
  let n = 0;
  for (const _ of text) if (++n > max) return false;
  return true;
}
const isKey = (key: string) => key.length > 0 && atMost(key, 200);
const isScalar = (value: unknown) => value === null || typeof value === 'number' || (typeof value === 'string' && atMost(value, 300));
const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isMs = (value: unknown) => typeof value === 'number' && value >= 0;
const isPct = (value: unknown) => isObject(value) && isMs(value.p50) && isMs(value.p95);
function isEntries(value: unknown, maxItems: number): boolean {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (const entry of value) if (typeof entry !== 'string' || !atMost(entry, 2000)) return false;
  return true;
}

/** HistoryCellSchema. */
function isCell(cell: unknown): boolean {
  if (!isObject(cell) || !STATUSES.has(cell.status) || !isScalar(cell.observed)) return false;
  if (cell.gating !== undefined && cell.gating !== true) return false;
  const trials = cell.trials;
  if (trials === undefined) return true;
  if (!Array.isArray(trials) || trials.length > 10) return false;
  for (const trial of trials) if (!Array.isArray(trial) || trial.length !== 2 || !TRIAL_STATUSES.has(trial[0]) || !isScalar(trial[1])) return false;
  return true;
}

/** `key -> key -> value` maps (the schema's Map_, and ShapeTableSchema's records, whose keys are not bounded). */
function isMapOfMaps(value: unknown, keys: (key: string) => boolean, item: (value: unknown) => boolean): boolean {
  if (!isObject(value)) return false;
  for (const outer in value) {
    const inner = value[outer];
    if (!keys(outer) || !isObject(inner)) return false;
    for (const key in inner) if (!keys(key) || !item(inner[key])) return false;
  }
  return true;
}

const isLatency = (l: unknown) => isObject(l) && isCount(l.n) && isPct(l.headersMs) && isPct(l.totalMs) && (l.firstTokenMs === undefined || isPct(l.firstTokenMs));
const anyKey = () => true;

/** ShapeTableSchema: fingerprint id -> fingerprint; target/model -> API -> exchange -> fingerprint ids. */
function isShapes(shapes: unknown): boolean {
  if (!isObject(shapes) || !isObject(shapes.fingerprints)) return false;
  for (const id in shapes.fingerprints) {
    const f = shapes.fingerprints[id];
    if (!isObject(f) || typeof f.status !== 'number' || !Number.isInteger(f.status) || !KINDS.has(f.kind)) return false;
    if (!isEntries(f.paths, 400) || !isEntries(f.headers, 400) || (f.events !== undefined && !isEntries(f.events, 200)) || (f.truncated !== undefined && f.truncated !== true)) return false;
  }
  return isMapOfMaps(shapes.exchanges, anyKey, (byExchange) => {
    if (!isObject(byExchange)) return false;
    for (const key in byExchange) {
      const ids = byExchange[key];
      if (!Array.isArray(ids)) return false;
      // Every index, holes too (every() would skip them; the schema does not).
      for (const id of ids) if (typeof id !== 'string') return false;
    }
    return true;
  });
}

/** The parts `frame` left open. */
function perCellParts(run: HistoryRun): boolean {
  return isMapOfMaps(run.cells, isKey, isCell) && (run.latency === undefined || isMapOfMaps(run.latency, isKey, isLatency)) && (run.shapes === undefined || isShapes(run.shapes));
}
