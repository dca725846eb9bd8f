/**
 * A flaky-by-nature cell is one behaviour with the values its trials saw (second hostile review): one night its trials
 * agreed on a value both flaky nights around it saw (`flaky {a, b} -> a -> flaky {a, b}`) is no change point; any other
 * turn between flaky and a stable value is (third review: a flaky night is no bridge, history-flaky-rules.test.ts).
 * compare names both trial value sets of a flaky cell whose set changed.
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { compareMatrices } from '../src/report/compare.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** Night `day`: model m1's check c0 as `cell`. */
function night(day: number, cell: HistoryCell): HistoryRun {
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id: `n${day}`, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: 'm1', family: null, inCatalog: true }],
    checks: [{ id: 'c0', group: 'G', api: null }],
    cells: { 't/m1': { c0: cell } },
  };
}
const flaky = (observed: string, values: string[], gating = false): HistoryCell => ({ status: 'flaky', observed, trials: values.map((v) => ['pass', v] as ['pass', string]), ...(gating ? { gating: true as const } : {}) });
const unanimous = (observed: string, gating = false): HistoryCell => (gating ? { status: 'fail', observed, gating: true, trials: [['fail', observed], ['fail', observed], ['fail', observed]] } : { status: 'pass', observed, trials: [['pass', observed], ['pass', observed], ['pass', observed]] });

function changes(cells: HistoryCell[]): string[] {
  const builder = new HistoryBuilder();
  cells.forEach((cell, i) => builder.add(`f${i}`, night(i + 1, cell)));
  return builder.build({ last: 10, now: new Date('2026-01-01T00:00:00Z') }).recent.changes.map((c) => `${c.run}: ${c.text}`);
}

describe('history: a flaky cell and a night its trials agreed', () => {
  const [R, N] = ['message.reasoning', 'none'];
  it('flaky {a, b} -> a -> flaky {b, a} -> b -> flaky {a, b} makes no change point', () => {
    expect(changes([flaky(R, [R, N, R]), unanimous(N), flaky(N, [N, R, N]), unanimous(R), flaky(R, [R, N, R])])).toEqual([]);
  });
  it('a value outside the trial values is a change, either way', () => {
    expect(changes([flaky(R, [R, N, R]), unanimous('other')])).toEqual(['1: flaky (message.reasoning) -> other']);
    expect(changes([unanimous('other'), flaky(R, [R, N, R])])).toEqual(['1: other -> flaky (message.reasoning)']);
  });
  it('became flaky, or settled on a value its trials saw, is a change, the gate turned or not', () => {
    expect(changes([unanimous(N), flaky(N, [N, R, N], true)])).toEqual(['1: none -> flaky (none)']);
    expect(changes([unanimous(N), flaky(N, [N, R, N])])).toEqual(['1: none -> flaky (none)']);
    // The latest run settled: what follows is not known, so it is not taken for a chance agreement.
    expect(changes([flaky(R, [R, N, R]), unanimous(N)])).toEqual(['1: flaky (message.reasoning) -> none']);
  });
});

describe('compare: a flaky cell whose trials saw another set', () => {
  const trials = (values: string[]) => values.map((v) => ({ status: 'pass' as const, observed: v, reason: 'ok', evidence: [] }));
  const cell = (observed: string, values: string[]) => smallMatrix([{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'flaky', observed, trials: trials(values) }]);
  it('names both trial value sets, not `flaky "x" -> flaky "x"`', () => {
    const grown = compareMatrices(cell('integer', ['integer', 'exponent', 'integer']), cell('integer', ['integer', 'none', 'exponent']));
    const reason = (grown.changedObserved ?? [])[0]?.reason ?? '';
    expect(reason).toMatch(/^flaky "integer" of trials \["exponent","integer"\] -> flaky "integer" of trials \["exponent","integer","none"\]: /);
  });
});
