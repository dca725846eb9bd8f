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
  cells: Record<string, CapabilityCell>;
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
  return r && (r.status === 'pass' || r.status === 'fail') ? r.observed : undefined;
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

function provenanceOf(matrix: Matrix, targetId: string): string {
  const target = matrix.targets.find((t) => t.id === targetId)!;
  const date = (target.mode === 'replay' ? target.provenance.recordedTo : matrix.run.finishedAt)?.slice(0, 10) ?? '?';
  return `${target.region ?? target.id} ${date} ${target.provenance.sources.join('+') || target.mode}`;
}

export function buildCapabilityTable(matrices: readonly Matrix[]): CapabilityTable {
  const models = [...new Map(matrices.flatMap((m) => m.models).map((m) => [m.id, m])).values()];
  const indexes = matrices.map((matrix) => new Map(matrix.results.filter((r) => !r.notRun).map((r) => [`${r.target}\u0000${r.model}\u0000${r.check}`, r])));
  const rows = models.map((model): CapabilityRow => {
    const cells: Record<string, CapabilityCell> = {};
    for (const capability of CAPABILITIES) {
      const judged = matrices.flatMap((matrix, i) =>
        matrix.targets.map((target) => {
          const get: Lookup = (check) => indexes[i]!.get(`${target.id}\u0000${model.id}\u0000${check}`);
          return { ...capability.judge(get), provenance: provenanceOf(matrix, target.id) };
        }),
      );
      const known = judged.filter((j) => j.value !== 'unknown');
      const values = new Set(known.map((j) => j.value));
      const value: CapabilityValue = known.length === 0 ? 'unknown' : values.size === 1 ? [...values][0]! : 'partial';
      const perRegion = values.size > 1 ? known.map((j) => `${j.value} in ${j.provenance.split(' ')[0]}`) : [];
      cells[capability.name] = { value, notes: [...new Set([...perRegion, ...judged.flatMap((j) => j.notes)])], provenance: judged.map((j) => j.provenance) };
    }
    return { model: model.id, family: model.family, cells };
  });
  return { capabilities: CAPABILITIES.map((c) => c.name), rows };
}

const SYMBOL: Record<CapabilityValue, string> = { yes: 'yes', no: 'no', partial: 'partial', unknown: '?' };

export function tableMarkdown(table: CapabilityTable): string {
  const provenance = [...new Set(table.rows.flatMap((r) => Object.values(r.cells).flatMap((c) => c.provenance)))];
  const mark = (p: string) => String.fromCharCode(97 + provenance.indexOf(p));
  const lines = [`| model | ${table.capabilities.join(' | ')} |`, `|---|${table.capabilities.map(() => '---').join('|')}|`];
  for (const row of table.rows) {
    const cells = table.capabilities.map((name) => {
      const cell = row.cells[name]!;
      const notes = cell.notes.length ? ` (${cell.notes.join('; ')})` : '';
      return `${SYMBOL[cell.value]}${notes} <sup>${[...new Set(cell.provenance)].map(mark).join(',')}</sup>`.replace(/\|/g, '\\|');
    });
    lines.push(`| \`${row.model}\` | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Provenance: ' + provenance.map((p) => `<sup>${mark(p)}</sup> ${p}`).join(' · '), '', 'Generated by mantle-conformance from measured runs; "?" means not measured (not run, or the endpoint errored).', '');
  return lines.join('\n');
}

export function tableCsv(table: CapabilityTable): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['model', 'capability', 'value', 'notes', 'provenance'].join(',')];
  for (const row of table.rows) {
    for (const name of table.capabilities) {
      const cell = row.cells[name]!;
      lines.push([row.model, name, cell.value, cell.notes.join('; '), cell.provenance.join('; ')].map(quote).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
