/**
 * @module report/capability-table
 * A model x API capability table like the hand-kept ones in gateway docs, but generated from runs (one per region
 * or several), with provenance per cell (region, date, source) and notes where support is partial.
 */
import type { Matrix, MatrixResult } from './matrix.ts';

export type CapabilityValue = 'yes' | 'no' | 'partial' | 'unknown';

export interface CapabilityCell {
  value: CapabilityValue;
  notes: string[];
  /** Where each observation came from: `us-east-1 2026-11-24 live`. */
  provenance: string[];
}

export interface CapabilityRow {
  model: string;
  family: string | null;
  /** The endpoint surface the row was measured on (`mantle`, `runtime`, `custom`): one row per model and surface. */
  surface: string;
  cells: Record<string, CapabilityCell>;
  /** Total time p50/p95 per API, when the runs measured it (`(recorded)` when replayed). */
  latency?: string;
}

export interface CapabilityTable {
  capabilities: string[];
  rows: CapabilityRow[];
}

type Lookup = (check: string) => MatrixResult | undefined;

interface Capability {
  name: string;
  /** The cell for one target's results, before provenance. */
  judge(get: Lookup): { value: CapabilityValue; notes: string[] };
}

const observed = (get: Lookup, check: string) => {
  const r = get(check);
  return r && (r.status === 'pass' || r.status === 'fail' || r.status === 'flaky') ? r.observed : undefined;
};

/** An API: supported or not, and which of its checks fall short, as notes. */
function api(name: string, apiCheck: string, caveats: Record<string, (value: unknown) => string | undefined>): Capability {
  return {
    name,
    judge(get) {
      const served = observed(get, apiCheck);
      if (served === undefined) return { value: 'unknown', notes: [`${apiCheck}: ${get(apiCheck)?.status ?? 'not run'}`] };
      if (served !== 'supported') return { value: 'no', notes: [] };
      const notes = Object.entries(caveats).flatMap(([check, note]) => {
        const value = observed(get, check);
        const text = value === undefined ? undefined : note(value);
        return text ? [text] : [];
      });
      return { value: notes.length ? 'partial' : 'yes', notes };
    },
  };
}

/** A feature read from several checks: yes when all that apply say so, partial when some do. */
function feature(name: string, checks: Record<string, (value: unknown) => boolean>): Capability {
  return {
    name,
    judge(get) {
      const seen = Object.entries(checks).flatMap(([check, good]) => {
        const value = observed(get, check);
        return value === undefined ? [] : [{ check, value, ok: good(value) }];
      });
      if (seen.length === 0) return { value: 'unknown', notes: [] };
      const bad = seen.filter((s) => !s.ok);
      if (bad.length === 0) return { value: 'yes', notes: [] };
      return { value: bad.length === seen.length ? 'no' : 'partial', notes: bad.map((s) => `${s.check}: ${String(s.value)}`) };
    },
  };
}

const CAPABILITIES: readonly Capability[] = [
  {
    name: 'Route prefix',
    judge: (get) => {
      const value = observed(get, 'path-prefix');
      return value === undefined ? { value: 'unknown', notes: [] } : { value: value === 'none' ? 'no' : 'yes', notes: value === 'none' ? [] : [String(value)] };
    },
  },
  api('Chat Completions', 'api.chat-completions', {
    'content.array.chat': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'stream.chat-completions': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
    'created-at.chat': (v) => (v !== 'integer' ? `created is ${String(v)}` : undefined),
  }),
  api('Responses', 'api.responses', {
    'content.array.responses': (v) => (v === 'rejected' ? 'array content rejected' : undefined),
    'responses.input-items': (v) => (v === 'unsupported' ? 'no input_items' : undefined),
    'responses.background': (v) => (v !== 'completed' ? `background: ${String(v)}` : undefined),
    'responses.web-search': (v) => (v === 'rejected' ? 'no server-side web_search' : undefined),
    'responses.previous-response-id': (v) => (v !== 'echoed' ? `previous_response_id ${String(v)}` : undefined),
    'stream.responses': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
    'created-at.responses': (v) => (v !== 'integer' ? `created_at is ${String(v)}` : undefined),
  }),
  api('Messages', 'api.messages', {
    'messages.thinking-budget': (v) => (v === 'rejected' ? 'adaptive thinking only (no budget_tokens)' : undefined),
    'stream.messages': (v) => (v === 'nonconformant' ? 'stream not conformant' : undefined),
  }),
  api('count_tokens', 'api.count-tokens', {}),
  feature('Tool calling', {
    'tools.chat.forced-call': (v) => v === 'conformant',
    'tools.chat.result-turn': (v) => v === 'accepted',
    'tools.responses.forced-call': (v) => v === 'conformant',
    'tools.responses.result-turn': (v) => v === 'accepted',
  }),
  feature('Structured output', { 'structured-output.chat': (v) => v === 'valid', 'structured-output.responses': (v) => v === 'valid' }),
  {
    name: 'Reasoning effort',
    judge: (get) => {
      const efforts = ['none', 'low', 'medium', 'high'].filter((e) => observed(get, `reasoning.effort.${e}`) === 'accepted');
      const seen = ['none', 'low', 'medium', 'high'].some((e) => observed(get, `reasoning.effort.${e}`) !== undefined);
      if (!seen) return { value: 'unknown', notes: [] };
      return { value: efforts.length === 4 ? 'yes' : efforts.length ? 'partial' : 'no', notes: efforts.length ? [efforts.join(', ')] : [] };
    },
  },
  feature('n, logprobs, stop', { 'params.n': (v) => v === 'honored', 'params.logprobs': (v) => v === 'honored', 'params.stop': (v) => v === 'honored' }),
  feature('Strict SDKs (.NET, Go)', { 'sdk.strict.chat': (v) => v === 'ok', 'sdk.strict.responses': (v) => v === 'ok' }),
];

/** `us-east-1 2026-11-24 live`; a word is not repeated (`emulator 2026-11-24`, not `emulator 2026-11-24 emulator`). */
export function provenanceOf(matrix: Matrix, targetId: string): string {
  const target = matrix.targets.find((t) => t.id === targetId);
  if (!target) return targetId;
  const date = (target.mode === 'replay' ? target.provenance.recordedTo : matrix.run.finishedAt)?.slice(0, 10) ?? '?';
  const place = target.region ?? target.id;
  const sources = target.provenance.sources.length ? target.provenance.sources : [target.mode];
  const words = [place, date, ...sources.filter((s) => s !== place)];
  return [...new Set(words)].join(' ');
}

/** Latency of the model in one run: total time p50/p95 per API, said as recorded when the run replayed it. */
function latencyOf(matrix: Matrix, targetId: string, model: string): string | undefined {
  const apis = matrix.totals.latency?.[`${targetId}/${model}`];
  if (!apis || Object.keys(apis).length === 0) return undefined;
  const recorded = matrix.targets.find((t) => t.id === targetId)?.mode === 'replay';
  const parts = Object.entries(apis).map(([api, l]) => `${api} ${Math.round(l.totalMs.p50)}/${Math.round(l.totalMs.p95)} ms`);
  return `${parts.join(', ')}${recorded ? ' (recorded)' : ''}`;
}

export function buildCapabilityTable(matrices: readonly Matrix[]): CapabilityTable {
  const models = [...new Map(matrices.flatMap((m) => m.models).map((m) => [m.id, m])).values()];
  const indexes = matrices.map((matrix) => new Map(matrix.results.filter((r) => !r.notRun).map((r) => [`${r.target}\u0000${r.model}\u0000${r.check}`, r])));
  const runs = matrices.flatMap((matrix, i) => matrix.targets.map((target) => ({ matrix, i, target, surface: target.surface ?? 'mantle', provenance: provenanceOf(matrix, target.id) })));
  const surfaces = [...new Set(runs.map((r) => r.surface))];
  // Where two runs share a place (one target on two dates), notes name the date too.
  const places = runs.map((r) => r.provenance.split(' ')[0]!);
  const label = (provenance: string) => {
    const place = provenance.split(' ')[0]!;
    return places.filter((p) => p === place).length > 1 ? provenance.split(' ').slice(0, 2).join(' ') : place;
  };
  // One row per model and surface it was run on: a model behaves per surface, and a migration reads both rows.
  const measured = (model: string, i: number, target: string) => [...indexes[i]!.keys()].some((k) => k.startsWith(`${target}\u0000${model}\u0000`));
  const pairs = models.flatMap((model) => surfaces.filter((surface) => runs.some((r) => r.surface === surface && measured(model.id, r.i, r.target.id))).map((surface) => ({ model, surface })));
  const rows = pairs.map(({ model, surface }): CapabilityRow => {
    const cells: Record<string, CapabilityCell> = {};
    const own = runs.filter((r) => r.surface === surface);
    for (const capability of CAPABILITIES) {
      const judged = own.map(({ i, target, provenance }) => {
        const get: Lookup = (check) => indexes[i]!.get(`${target.id}\u0000${model.id}\u0000${check}`);
        return { ...capability.judge(get), provenance };
      });
      const known = judged.filter((j) => j.value !== 'unknown');
      const values = new Set(known.map((j) => j.value));
      const value: CapabilityValue = known.length === 0 ? 'unknown' : values.size === 1 ? [...values][0]! : 'partial';
      const perRun = values.size > 1 ? known.map((j) => `${j.value} in ${label(j.provenance)}`) : [];
      cells[capability.name] = { value, notes: [...new Set([...perRun, ...(known.length ? known : judged).flatMap((j) => j.notes)])], provenance: [...new Set((known.length ? known : judged).map((j) => j.provenance))] };
    }
    const latency = own.map(({ matrix, target }) => latencyOf(matrix, target.id, model.id)).filter((x): x is string => x !== undefined);
    return { model: model.id, family: model.family, surface, cells, ...(latency.length ? { latency: latency.join('; ') } : {}) };
  });
  return { capabilities: CAPABILITIES.map((c) => c.name), rows };
}
