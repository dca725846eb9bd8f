/**
 * Review r2b 3: the stale-history warning took the folder's newest run of any kind, so replay runs (PR jobs on
 * fixtures) appended to the folder hid a live endpoint that appended nothing for three nights. The latest live or
 * record run is judged too, by the same rule among live and record runs, and warned of, naming its targets.
 * Review r2b 6: "never cut" had no size bound: a night failing 1712 cells made history.md (a PR comment; GitHub
 * refuses bodies over 65,536 characters) 250 KB. The Changes section is capped by size, failing cells first, and the
 * cells cut are counted; the heading and the console count stay exact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { historyInFolder } from './helpers/history-files.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const stamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** A run started at `at` (ms) of `targets` (each with `models`, every check's cell `cell`), live or replay. */
function run(id: string, at: number, opts: { mode?: 'live' | 'replay'; targets?: string[]; models?: string[]; checks?: string[]; cell?: HistoryCell; gate?: 'pass' | 'fail' } = {}): HistoryRun {
  const { mode = 'live', targets = ['us-west-2'], models = ['m'], checks = ['c'], cell = { status: 'pass', observed: 'yes' } } = opts;
  const cells: HistoryRun['cells'] = {};
  for (const t of targets) for (const m of models) cells[`${t}/${m}`] = Object.fromEntries(checks.map((c) => [c, cell]));
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: stamp(at), finishedAt: stamp(at + 30 * 60 * 1000), harnessVersion: '0.1.0', partial: false, filtered: false, ...(opts.gate ? { gate: { verdict: opts.gate, problems: [] } } : {}) },
    targets: targets.map((t) => ({ id: t, mode, region: t, endpointHost: null, sources: [mode === 'replay' ? 'emulator' : 'live'] })),
    models: models.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: checks.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

function build(files: HistoryRun[], now: number) {
  const builder = new HistoryBuilder();
  files.forEach((f, i) => builder.add(`f${i}`, f));
  return builder.build({ last: 10, now: new Date(now) });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-history-stale-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `history` in-process on a folder of `files`: its exit code, console and history.md. */
const historyCli = (files: HistoryRun[]) => historyInFolder(dir, files);

const START = Date.parse('2026-11-01T02:00:00.000Z');

describe('a live endpoint that appended nothing, behind replay runs appended since', () => {
  // Live nightly 11-01..11-07 02:00, then only PR replay jobs 11-08..11-10 14:00 (the review's a2 folder).
  const live = Array.from({ length: 7 }, (_, i) => run(`night-0${i + 1}`, START + i * DAY));
  const replays = [8, 9, 10].map((d) => run(`pr-${d}`, START + (d - 1) * DAY + 12 * HOUR, { mode: 'replay' }));

  it('history.md and history.html warn that the latest live or record run is stale, naming it and its targets', () => {
    const report = build([...live, ...replays], Date.parse('2026-11-10T15:00:00.000Z'));
    const md = renderDigest(report);
    expect(md).toContain("The folder's latest run `pr-10` started 2026-11-10 14:00 UTC, 1 hour before now");
    expect(md).toContain("**Stale:** the latest live or record run `night-07` (us-west-2) started 2026-11-07 02:00 UTC, 3 days before now (2026-11-10 15:00 UTC): more than twice the folder's usual interval between live or record runs (24 hours) and more than a day. Only replay runs (recordings, not the endpoint) appended to the folder since");
    expect(md).toContain("so what this says of those targets' endpoints is as of 2026-11-07, not current.");
    expect(renderHistoryHtml(report, { script: '', style: '' })).toMatch(/Read with care \(\d+\)<\/h2><ul>.*<li>the latest live or record run night-07 \(us-west-2\) started 2026-11-07 02:00 UTC, 3 days before now/s);
  });

  it('not stale the night after a live run, nor with no live run at all', () => {
    expect(renderDigest(build([...live, replays[0]!], Date.parse('2026-11-08T15:00:00.000Z')))).not.toContain('Stale');
    expect(renderDigest(build(replays, Date.parse('2026-11-10T15:00:00.000Z')))).not.toContain('Stale');
  });

  it('the console warns, and the exit code stays 0', async () => {
    const now = Date.now();
    const files = [...Array.from({ length: 5 }, (_, i) => run(`n${i}`, now - 3 * DAY - (4 - i) * DAY)), run('pr', now - HOUR, { mode: 'replay' })];
    const result = await historyCli(files);
    expect(result.code).toBe(0);
    expect(result.console).toMatch(/^warning: the latest live or record run n4 \(us-west-2\) started .* UTC, 3 days before now .*: more than twice the folder's usual interval between live or record runs \(24 hours\) and more than a day\. Only replay runs/m);
    expect(result.md).toContain('**Stale:** the latest live or record run `n4`');
  });
});

describe('history.md on a night when every cell fails', () => {
  // 8 regions x 2 models x 107 checks: 1712 cells that passed six nights and fail the seventh's gate (the review's a3).
  const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-northeast-1', 'sa-east-1'];
  const CHECKS = Array.from({ length: 107 }, (_, i) => `check.number-${String(i).padStart(3, '0')}`);
  const nights = (at: (night: number) => number) =>
    Array.from({ length: 7 }, (_, i) =>
      run(`night-${i + 1}`, at(i), { targets: REGIONS, models: ['openai.gpt-oss-20b', 'deepseek.v3.1'], checks: CHECKS, gate: i === 6 ? 'fail' : 'pass', cell: i === 6 ? { status: 'fail', observed: 'exponent', gating: true } : { status: 'pass', observed: 'integer' } }),
    );

  it('stays well under 65,536 characters, failing cells first, the cut ones counted; the heading counts every one', () => {
    const md = renderDigest(build(nights((i) => START + i * DAY), START + 6 * DAY + HOUR));
    expect(md.length).toBeLessThan(40_000);
    expect(md).toContain('### Changes (1712 changes in 1712 cells)');
    const listed = md.split('\n').filter((l) => l.includes(" (its last change fails the gate)")).length;
    expect(listed).toBeGreaterThan(30);
    expect(md).toContain(`- ... and ${1712 - listed} more failing cell(s): see history.html`);
  });

  it('the console count stays exact', async () => {
    const now = Date.now();
    const result = await historyCli(nights((i) => now - (6 - i) * DAY - HOUR));
    expect(result.console).toContain("1712 change(s) in 1712 cell(s) (1712 cell(s) failing the latest run's gate)");
    expect(result.md.length).toBeLessThan(40_000);
  });
});
