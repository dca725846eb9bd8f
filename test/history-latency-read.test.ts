/**
 * Latency of a history of filtered runs (a nightly with a fixed `--models a,b`) is compared between runs that
 * selected the same; an unpacked run file is held to the size a packed one may unpack to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { MAX_FILE_BYTES, MAX_RUN_BYTES, readRunFile } from '../src/history/read-history.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';

function runOf(id: string, day: number, models: string[], totalP95: number, filtered = true): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  const latency: NonNullable<HistoryRun['latency']> = {};
  for (const m of models) {
    cells[`t/${m}`] = { c1: { status: 'pass', observed: 'yes' } };
    latency[`t/${m}`] = { chat: { n: 30, headersMs: { p50: 10, p95: 20 }, totalMs: { p50: totalP95 / 2, p95: totalP95 } } };
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: models.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: [{ id: 'c1', group: 'G', api: null }],
    cells,
    latency,
  };
}

const build = (runs: HistoryRun[], last: number) => {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
};

describe('latency of filtered runs', () => {
  it('runs that selected the same models and checks are compared; a run of another selection is not', () => {
    const ab = ['a', 'b'];
    const nights = [1, 2, 3, 4].map((d) => runOf(`n${d}`, d, ab, 100));
    const slow = [5, 6].map((d) => runOf(`n${d}`, d, ab, 600));
    expect(build([...nights, ...slow], 2).recent.latency.map((l) => [l.model, l.ratio])).toEqual([['a', 6], ['b', 6]]);
    // One slow run of only `a` (another selection) among them measured other requests: no shift.
    expect(build([...nights, runOf('one', 5, ['a'], 600), runOf('one2', 6, ['a'], 600)], 2).recent.latency).toEqual([]);
  });
});

describe('an unpacked run file', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'history-read-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('over 8 MiB is read like its packed file (held to the 32 MiB a packed one may unpack to)', async () => {
    const text = JSON.stringify(runOf('n1', 1, ['a'], 100));
    // Whitespace is JSON: a pretty-printed or padded file unpacks this large.
    await writeFile(join(dir, 'big.run.json'), `${text}${' '.repeat(MAX_FILE_BYTES + 1024)}`);
    expect((await readRunFile(dir, 'big.run.json')).run.id).toBe('n1');
    await writeFile(join(dir, 'huge.run.json'), `${text}${' '.repeat(MAX_RUN_BYTES + 1024)}`);
    await expect(readRunFile(dir, 'huge.run.json')).rejects.toThrow(/huge\.run\.json: \d+ bytes, more than a run file holds \(at most 32 MiB unpacked\)/);
  });
});
