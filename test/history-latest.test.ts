/**
 * What history says of the latest run: a cell that fails the latest run's gate is listed first and never cut,
 * whichever run its failure began in; a latency series whose earlier median was 0 ms is compared, not passed over as
 * "no latency moved"; and the reports say when the folder's latest run was and warn when it is clearly stale (a night
 * whose run could not reach its endpoint appends nothing).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import { changesByPriority } from '../src/history/recent-changes.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { historyInFolder } from './helpers/history-files.ts';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const stamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** A run of target `t`, model `m`, started at `at` (ms), with `cells` (check -> cell) and optional latency and gate. */
function run(id: string, at: number, cells: Record<string, HistoryCell>, extra: { latency?: HistoryRun['latency']; gate?: 'pass' | 'fail'; target?: string } = {}): HistoryRun {
  const target = extra.target ?? 't';
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: stamp(at), finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...(extra.gate ? { gate: { verdict: extra.gate, problems: [] } } : {}) },
    targets: [{ id: target, mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: [{ id: 'm', family: null, inCatalog: true }],
    checks: Object.keys(cells).map((c) => ({ id: c, group: 'G', api: null })),
    cells: { [`${target}/m`]: cells },
    ...(extra.latency ? { latency: extra.latency } : {}),
  };
}

function build(files: HistoryRun[], now: number, last = 10) {
  const builder = new HistoryBuilder();
  files.forEach((f, i) => builder.add(`f${i}`, f));
  return builder.build({ last, now: new Date(now) });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-history-latest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `history` in-process on a folder of `files`: its exit code, console and history.md. */
const historyCli = (files: HistoryRun[]) => historyInFolder(dir, files);

const START = Date.parse('2026-11-01T02:00:00.000Z');
const OTHERS = Array.from({ length: 40 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);

/**
 * Seven nightly runs (/tmp/rvh/s6.py's shape): `created-at.chat` turns integer -> exponent, failing the gate, in
 * night 5 and still fails it in night 7, the latest; `relaxed` turns the same way in night 5 but no longer gates in
 * night 7 (an expectation relaxed); in night 7 forty other cells change to a value that does not gate.
 */
function nights(at: (night: number) => number): HistoryRun[] {
  return Array.from({ length: 7 }, (_, i) => {
    const night = i + 1;
    const cells: Record<string, HistoryCell> = {
      'created-at.chat': night >= 5 ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' },
      relaxed: night >= 5 ? { status: 'fail', observed: 'exponent', ...(night < 7 ? { gating: true as const } : {}) } : { status: 'pass', observed: 'integer' },
    };
    for (const c of OTHERS) cells[c] = { status: 'pass', observed: night >= 7 ? 'v2' : 'v1' };
    return run(`night-0${night}`, at(night), cells, { gate: night >= 5 ? 'fail' : 'pass' });
  });
}

describe('a cell failing the latest run\'s gate is never cut, whichever run its failure began in', () => {
  const report = build(nights((n) => START + (n - 1) * DAY), START + 6 * DAY + HOUR);

  it('the model names the cells the latest run observed failing its gate, not one that no longer gates', () => {
    expect(report.recent.failingNow).toEqual([{ target: 't', model: 'm', check: 'created-at.chat' }]);
    const { changes, keep } = changesByPriority(report.recent);
    expect(keep).toBe(1);
    expect(changes[0]).toMatchObject({ check: 'created-at.chat', run: 4 });
  });

  it('history.md lists it first among the changes, though 40 newer changes push older ones past the 30 lines', () => {
    const md = renderDigest(report);
    const section = md.slice(md.indexOf('### Changes'));
    expect(section).toMatch(/^### Changes \(42 changes in 42 cells\)\n\n- `m` `created-at\\?\.chat` \(t\): integer -> exponent on 2026-11-05 \(run `night-05`\) \(its last change fails the gate\)\n/);
    expect(section).toContain('- ... and 12 more (see history.html)');
    // The relaxed cell no longer fails the gate: an old change, cut like the others.
    expect(section).not.toContain('`relaxed`');
  });

  it('the console counts it', async () => {
    const now = Date.now();
    const { code, console } = await historyCli(nights((n) => now - (7 - n) * DAY - HOUR));
    expect(code).toBe(0);
    expect(console).toContain("last 10 runs per target: 42 change(s) in 42 cell(s) (1 cell(s) failing the latest run's gate)");
  });
});

describe('a latency median of 0 ms before the window', () => {
  /** 22 nightly runs of the `models` API: p50/p95 `before` in runs 1-12, `after` in runs 13-22. */
  function latencyRuns(before: [number, number], after: [number, number]) {
    return Array.from({ length: 22 }, (_, i) => {
      const [p50, p95] = i < 12 ? before : after;
      const pct = { p50, p95 };
      return run(`n${i + 1}`, START + i * DAY, { c: { status: 'pass', observed: 'yes' } }, { latency: { 't/m': { models: { n: 30, headersMs: pct, totalMs: pct } } } });
    });
  }
  const now = START + 21 * DAY + HOUR;

  it('0 -> 2500 ms is a shift (each side at least 1 ms for the ratio), and the digest does not say no latency moved', () => {
    const report = build(latencyRuns([0, 0], [900, 2500]), now);
    expect(report.recent.latency).toEqual([expect.objectContaining({ api: 'models', metric: 'totalP95', before: 0, after: 2500, ratio: 2500 })]);
    expect(report.recent.latencyUncompared).toBeUndefined();
    const md = renderDigest(report);
    expect(md).toContain('### Latency (1)');
    expect(md).toContain('total p95 2500x (0 ms -> 2500 ms)');
    expect(md).not.toContain('no latency beyond');
  });

  it('0 -> 0 and 0 -> 15 ms (under the 20 ms floor) are no shift, and compared', () => {
    for (const after of [[0, 0], [10, 15]] as [number, number][]) {
      const report = build(latencyRuns([0, 0], after), now);
      expect(report.recent.latency).toEqual([]);
      expect(report.recent.latencyUncompared).toBeUndefined();
    }
  });
});

describe('when the folder\'s latest run was', () => {
  const nightly = (count: number, perNight = 1) =>
    Array.from({ length: count * perNight }, (_, i) => run(`n${i}`, START + Math.floor(i / perNight) * DAY + (i % perNight) * 10 * 60 * 1000, { c: { status: 'pass', observed: 'yes' } }, { target: `r${i % perNight}` }));
  const last = START + 6 * DAY;

  it('history.md says it and how long before now; not stale the hour after, nor the night after a missed run', () => {
    const fresh = renderDigest(build(nightly(7), last + 90 * 60 * 1000));
    expect(fresh).toContain("The folder's latest run `n6` started 2026-11-07 02:00 UTC, 1 hour before now (2026-11-07 03:30 UTC).");
    expect(fresh).not.toContain('Stale');
    // One night appended nothing: said (24 hours), not yet twice the usual interval.
    const missed = renderDigest(build(nightly(7), last + DAY + 5 * 60 * 1000));
    expect(missed).toContain('started 2026-11-07 02:00 UTC, 24 hours before now (2026-11-08 02:05 UTC).');
    expect(missed).not.toContain('Stale');
  });

  it('older than twice the usual interval and a day: a warning in history.md and history.html, each run\'s date in it', () => {
    const report = build(nightly(7), last + 3 * DAY);
    const md = renderDigest(report);
    expect(md).toContain("**Stale:** the folder's latest run `n6` started 2026-11-07 02:00 UTC, 3 days before now (2026-11-10 02:00 UTC): more than twice the folder's usual interval between runs (24 hours) and more than a day.");
    expect(md).toContain('so what this says is as of 2026-11-07, not current.');
    expect(renderHistoryHtml(report, { script: '', style: '' })).toMatch(/Read with care \(\d+\)<\/h2><ul><li>the folder's latest run n6 started 2026-11-07 02:00 UTC, 3 days before now/);
  });

  it('the runs of one night minutes apart are one night: the usual interval is a day, not minutes', () => {
    // Three regions 10 minutes apart each night; 30 hours after the latest: not stale (a median of all gaps would be 10 minutes).
    const md = renderDigest(build(nightly(5, 3), START + 4 * DAY + 20 * 60 * 1000 + 30 * HOUR));
    expect(md).toContain('30 hours before now');
    expect(md).not.toContain('Stale');
  });

  it('a folder of one run is stale after a day', () => {
    expect(renderDigest(build(nightly(1), START + 2 * DAY))).toContain("**Stale:** the folder's latest run `n0` started 2026-11-01 02:00 UTC, 2 days before now (2026-11-03 02:00 UTC): more than a day.");
  });

  it('the console says it, warns when stale, and the exit code stays 0', async () => {
    const now = Date.now();
    const at = (ago: number) => Array.from({ length: 5 }, (_, i) => run(`n${i}`, now - ago - (4 - i) * DAY, { c: { status: 'pass', observed: 'yes' } }));
    const fresh = await historyCli(at(2 * HOUR));
    expect(fresh.code).toBe(0);
    expect(fresh.console).toMatch(/\nthe folder's latest run n4 started \d{4}-\d\d-\d\d \d\d:\d\d UTC, 2 hours before now \(/);
    expect(fresh.console).not.toContain('warning');
    const stale = await historyCli(at(3 * DAY));
    expect(stale.code).toBe(0);
    expect(stale.console).toMatch(/^warning: the folder's latest run n4 started .* UTC, 3 days before now .*: more than twice the folder's usual interval between runs \(24 hours\) and more than a day\. No run since appended to the folder/);
    expect(stale.md).toContain('**Stale:**');
  });
});
