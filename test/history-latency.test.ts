/**
 * Latency is compared between each target's last N runs and as many before them: in a folder of N runs or fewer
 * nothing is compared, and the reports say that rather than "no latency moved".
 */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';

function run(day: number, totalP95: number): HistoryRun {
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id: `r${day}`, startedAt: `2026-12-0${day}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: 'm', family: null, inCatalog: true }],
    checks: [{ id: 'c', group: 'G', api: null }],
    cells: { 't/m': { c: { status: 'pass', observed: 'yes' } } },
    latency: { 't/m': { chat: { n: 30, headersMs: { p50: 10, p95: 20 }, totalMs: { p50: totalP95 / 2, p95: totalP95 } } } },
  };
}

function build(last: number) {
  const builder = new HistoryBuilder();
  [15, 15, 316, 316].forEach((p95, i) => builder.add(`f${i}`, run(i + 1, p95)));
  return builder.build({ last, now: new Date('2026-12-31T00:00:00Z') });
}

describe('latency not compared', () => {
  it('a folder of --last runs or fewer says latency was not compared, never that none moved', () => {
    const report = build(10);
    expect(report.recent.latency).toEqual([]);
    expect(report.recent.latencyUncompared).toBe(1);
    const md = renderDigest(report);
    expect(md).toContain('Latency not compared for 1 (target, model, API): fewer than 11 comparable runs');
    expect(md).not.toContain('no latency beyond');
    const html = renderHistoryHtml(report, { script: '', style: '' });
    expect(html).toContain('Latency not compared for 1');
    expect(html).not.toContain('No latency moved');
  });

  it('with runs before the window the shift is found and nothing is said uncompared', () => {
    const report = build(2);
    expect(report.recent.latency).toHaveLength(1);
    expect(report.recent.latencyUncompared).toBeUndefined();
    expect(renderDigest(report)).not.toContain('not compared');
  });
});
