/**
 * Shape drift across a run that did not make an exchange: each exchange is compared with the latest earlier run that
 * made it, so a probes-only or partial run between two full runs hides neither a drift nor a recovery.
 */
import { describe, expect, it } from 'vitest';
import type { ShapeFingerprint } from '../src/checks/shape.ts';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';

const fp = (paths: string[], events?: string[]): ShapeFingerprint => ({ status: 200, kind: events ? 'sse' : 'json', paths, ...(events ? { events } : {}), headers: ['content-type'] });
const FINGERPRINTS: Record<string, ShapeFingerprint> = {
  probe: fp(['id string', 'object string']),
  streamDone: fp(['[chat.completion.chunk] created integer'], ['chat.completion.chunk', '[DONE]']),
  streamNoDone: fp(['[chat.completion.chunk] created exponent'], ['chat.completion.chunk']),
};

function run(id: string, day: number, exchanges: Record<string, string[]>, extra: Partial<HistoryRun['run']> = {}): HistoryRun {
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2026-12-0${day}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...extra },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: 'm', family: null, inCatalog: true }],
    checks: [{ id: 'c', group: 'G', api: null }],
    cells: { 't/m': { c: { status: 'pass', observed: 'yes' } } },
    shapes: { fingerprints: Object.fromEntries(Object.values(exchanges).flat().map((id) => [id, FINGERPRINTS[id]!])), exchanges: { 't/m': { 'chat-completions': exchanges } } },
  };
}

function build(runs: HistoryRun[]) {
  const builder = new HistoryBuilder();
  runs.forEach((r, i) => builder.add(`f${i}`, r));
  return builder.build({ last: 10, now: new Date('2026-12-31T00:00:00Z') });
}

describe('drift across a run without the exchange', () => {
  it('a probes-only run between two full runs hides no drift of the stream', () => {
    const report = build([
      run('a', 1, { 'probe.chat': ['probe'], 'stream.chat': ['streamDone'] }),
      run('b', 2, { 'probe.chat': ['probe'] }, { filtered: true }),
      run('c', 3, { 'probe.chat': ['probe'], 'stream.chat': ['streamNoDone'] }),
    ]);
    expect(report.drift).toHaveLength(1);
    expect(report.drift[0]).toMatchObject({ run: 2, since: 0 });
    expect(report.drift[0]!.drift.events.vanished).toEqual(['[DONE]']);
    expect(renderDigest(report)).toContain('events gone \\[DONE\\]');
  });

  it('and hides no recovery; a run of the same exchanges in between is the one compared with', () => {
    const report = build([
      run('a', 1, { 'probe.chat': ['probe'], 'stream.chat': ['streamNoDone'] }),
      run('b', 2, { 'probe.chat': ['probe'], 'stream.chat': ['streamNoDone'] }),
      run('c', 3, { 'probe.chat': ['probe'] }, { partial: true }),
      run('d', 4, { 'probe.chat': ['probe'] }, { partial: true }),
      run('e', 5, { 'probe.chat': ['probe'], 'stream.chat': ['streamDone'] }),
    ]);
    expect(report.drift.map((d) => [d.run, d.since, d.drift.events.added])).toEqual([[4, 1, ['[DONE]']]]);
  });
});
