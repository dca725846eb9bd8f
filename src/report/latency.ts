/**
 * @module report/latency
 * Latency rows for the reports, from `totals.latency` (per target/model and API: p50/p95 of time to headers,
 * first token and total). Figures from a replay are the recording's, and say so.
 */
import { splitCellKey, type Matrix, type Pct } from './matrix.ts';

export interface LatencyRow {
  /** `target/model`. */
  key: string;
  target: string;
  model: string;
  api: string;
  n: number;
  headers: string;
  firstToken: string;
  total: string;
  /** True when the target was replayed: the times are the recording's, not this run's. */
  recorded: boolean;
}

const ms = (p: Pct | undefined) => (p ? `${Math.round(p.p50)} / ${Math.round(p.p95)}` : '–');

export function latencyRows(matrix: Pick<Matrix, 'totals' | 'targets'>): LatencyRow[] {
  const rows: LatencyRow[] = [];
  for (const [key, apis] of Object.entries(matrix.totals.latency ?? {})) {
    const { target, model } = splitCellKey(key);
    const recorded = matrix.targets.find((t) => t.id === target)?.mode === 'replay';
    for (const [api, l] of Object.entries(apis)) rows.push({ key, target, model, api, n: l.n, headers: ms(l.headersMs), firstToken: ms(l.firstTokenMs), total: ms(l.totalMs), recorded });
  }
  return rows;
}
