/**
 * @module report/shape-drift
 * What changed in the structure of a (target, model, API)'s answers between two runs: JSON paths added or gone,
 * types changed (`created: integer -> exponent`), stream event types, response header names, and kinds of answer
 * (`200 json`, `400 json`). Only the exchanges both runs made are compared (the same case, step and route), so a
 * run that selected fewer checks shows no drift for what it did not send. Drift never gates: a new field passes
 * every check, and is how a provider's next change announces itself.
 */
import type { ShapeFingerprint, ShapeTable } from '../checks/shape.ts';
import { splitCellKey } from './matrix.ts';

export interface ShapeDrift {
  target: string;
  model: string;
  api: string;
  /** `path type` entries only the later run's answers had (`(400) ` before the path for an answer that is not 2xx). */
  added: string[];
  vanished: string[];
  /** Paths both had, with other types. */
  changedType: { path: string; before: string[]; after: string[] }[];
  events: { added: string[]; vanished: string[] };
  headers: { added: string[]; vanished: string[] };
  /** Kinds of answer (`200 json`, `400 json`, `200 sse`) to the same requests that only one run got. */
  answers: { added: string[]; vanished: string[] };
}

/** The structure of one (target/model, API) in one run, per kind of answer. */
interface Side {
  paths: Map<string, Map<string, Set<string>>>;
  events: Map<string, Set<string>>;
  headers: Map<string, Set<string>>;
}

const variantOf = (f: ShapeFingerprint) => `${f.status} ${f.kind}`;
const label = (variant: string, path: string) => (variant.startsWith('2') ? path : `(${variant.split(' ')[0]}) ${path}`);

function sideOf(table: ShapeTable, byKey: Record<string, string[]>, keys: readonly string[]): Side {
  const side: Side = { paths: new Map(), events: new Map(), headers: new Map() };
  for (const key of keys) {
    for (const id of Object.hasOwn(byKey, key) ? byKey[key]! : []) {
      const fingerprint = Object.hasOwn(table.fingerprints, id) ? table.fingerprints[id] : undefined;
      if (!fingerprint) continue;
      const variant = variantOf(fingerprint);
      const paths = side.paths.get(variant) ?? new Map<string, Set<string>>();
      side.paths.set(variant, paths);
      for (const entry of fingerprint.paths) {
        const at = entry.lastIndexOf(' ');
        const path = entry.slice(0, at);
        paths.set(path, (paths.get(path) ?? new Set()).add(entry.slice(at + 1)));
      }
      const events = side.events.get(variant) ?? new Set<string>();
      for (const event of fingerprint.events ?? []) events.add(event);
      side.events.set(variant, events);
      const headers = side.headers.get(variant) ?? new Set<string>();
      for (const header of fingerprint.headers) headers.add(header);
      side.headers.set(variant, headers);
    }
  }
  return side;
}

const only = (a: Iterable<string>, b: ReadonlySet<string> | ReadonlyMap<string, unknown>) => [...a].filter((x) => !b.has(x));
const sorted = (list: string[]) => [...new Set(list)].sort();

function diffSides(before: Side, after: Side): Omit<ShapeDrift, 'target' | 'model' | 'api'> {
  const drift: Omit<ShapeDrift, 'target' | 'model' | 'api'> = { added: [], vanished: [], changedType: [], events: { added: [], vanished: [] }, headers: { added: [], vanished: [] }, answers: { added: [], vanished: [] } };
  drift.answers.added = sorted(only(after.paths.keys(), before.paths));
  drift.answers.vanished = sorted(only(before.paths.keys(), after.paths));
  for (const [variant, now] of after.paths) {
    const was = before.paths.get(variant);
    if (!was) continue;
    for (const [path, types] of now) {
      const old = was.get(path);
      if (!old) drift.added.push(...[...types].map((t) => `${label(variant, path)} ${t}`));
      else if (old.size !== types.size || [...types].some((t) => !old.has(t))) drift.changedType.push({ path: label(variant, path), before: [...old].sort(), after: [...types].sort() });
    }
    for (const [path, types] of was) if (!now.has(path)) drift.vanished.push(...[...types].map((t) => `${label(variant, path)} ${t}`));
    drift.events.added.push(...only(after.events.get(variant) ?? [], before.events.get(variant) ?? new Set()));
    drift.events.vanished.push(...only(before.events.get(variant) ?? [], after.events.get(variant) ?? new Set()));
    drift.headers.added.push(...only(after.headers.get(variant) ?? [], before.headers.get(variant) ?? new Set()));
    drift.headers.vanished.push(...only(before.headers.get(variant) ?? [], after.headers.get(variant) ?? new Set()));
  }
  drift.added = sorted(drift.added);
  drift.vanished = sorted(drift.vanished);
  drift.changedType.sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const pair of [drift.events, drift.headers]) {
    pair.added = sorted(pair.added);
    pair.vanished = sorted(pair.vanished);
  }
  return drift;
}

/** Whether anything drifted. */
export function hasDrift(drift: Omit<ShapeDrift, 'target' | 'model' | 'api'>): boolean {
  return drift.added.length + drift.vanished.length + drift.changedType.length + drift.events.added.length + drift.events.vanished.length + drift.headers.added.length + drift.headers.vanished.length + drift.answers.added.length + drift.answers.vanished.length > 0;
}

/** The drift of every (target, model, API) both tables hold, in key order; empty when nothing drifted. */
export function shapeDrift(before: ShapeTable | undefined, after: ShapeTable | undefined): ShapeDrift[] {
  if (!before || !after) return [];
  const out: ShapeDrift[] = [];
  for (const cell of Object.keys(after.exchanges).sort()) {
    // Keys from files: read as own keys only, never a prototype's member (`constructor`).
    const was = Object.hasOwn(before.exchanges, cell) ? before.exchanges[cell] : undefined;
    if (!was) continue;
    const { target, model } = splitCellKey(cell);
    for (const [api, now] of Object.entries(after.exchanges[cell]!).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const old = Object.hasOwn(was, api) ? was[api] : undefined;
      if (!old) continue;
      const keys = Object.keys(now).filter((k) => Object.hasOwn(old, k));
      if (keys.length === 0) continue;
      const drift = diffSides(sideOf(before, old, keys), sideOf(after, now, keys));
      if (hasDrift(drift)) out.push({ target, model, api, ...drift });
    }
  }
  return out;
}

/** One line per kind of change: `added choices[].obfuscation string; type created integer -> exponent`. */
export function describeDrift(drift: ShapeDrift, max = 6): string {
  const list = (items: string[]) => (items.length > max ? `${items.slice(0, max).join(', ')} (+${items.length - max} more)` : items.join(', '));
  const parts = [
    drift.added.length ? `added ${list(drift.added)}` : '',
    drift.vanished.length ? `vanished ${list(drift.vanished)}` : '',
    drift.changedType.length ? `type ${list(drift.changedType.map((c) => `${c.path} ${c.before.join('|')} -> ${c.after.join('|')}`))}` : '',
    drift.events.added.length ? `new events ${list(drift.events.added)}` : '',
    drift.events.vanished.length ? `events gone ${list(drift.events.vanished)}` : '',
    drift.headers.added.length ? `new headers ${list(drift.headers.added)}` : '',
    drift.headers.vanished.length ? `headers gone ${list(drift.headers.vanished)}` : '',
    drift.answers.added.length ? `new answers ${list(drift.answers.added)}` : '',
    drift.answers.vanished.length ? `answers gone ${list(drift.answers.vanished)}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
