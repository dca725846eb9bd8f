/**
 * Review r3b 1: history.md had no size bound past its Changes section: a night failing every cell's gate, followed by
 * runs that planned those cells and did not observe them (a -t filter), listed every one of them under "Gating
 * failures not observed in the window" (1696 lines, 403 KB: GitHub refuses a PR comment over 65,536 characters), and
 * the console printed one warning line per cell. One budget bounds the whole file, failing cells first and the cut ones
 * counted exactly; the console names a few and counts the rest.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../src/cli/history-command.ts';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const stamp = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-northeast-1', 'sa-east-1'];
const MODELS = ['openai.gpt-oss-20b', 'deepseek.v3.1'];
const CHECKS = Array.from({ length: 106 }, (_, i) => `check.number-${String(i).padStart(3, '0')}`);
const CELLS = REGIONS.length * MODELS.length * CHECKS.length;

/** A run of every region, model and check (planned), its cells `cell`; with `only`, it observed that check alone (filtered). */
function run(id: string, at: number, cell: HistoryCell, opts: { only?: string; gate?: 'pass' | 'fail' } = {}): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const t of REGIONS) for (const m of MODELS) cells[`${t}/${m}`] = Object.fromEntries((opts.only ? [opts.only] : CHECKS).map((c) => [c, cell]));
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: stamp(at), finishedAt: stamp(at + 30 * 60 * 1000), harnessVersion: '0.1.0', partial: false, filtered: opts.only !== undefined, ...(opts.gate ? { gate: { verdict: opts.gate, problems: [] } } : {}) },
    targets: REGIONS.map((t) => ({ id: t, mode: 'live' as const, region: t, endpointHost: null, sources: ['live'] })),
    models: MODELS.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

/** night 1 fails every cell's gate; nights 2-4 observed one check only (the review's h5 folder). */
function nights(start: number): HistoryRun[] {
  return [
    run('night-01', start, { status: 'fail', observed: 'exponent', gating: true }, { gate: 'fail' }),
    ...[1, 2, 3].map((i) => run(`night-0${i + 1}`, start + i * DAY, { status: 'pass', observed: 'integer' }, { only: CHECKS[0]!, gate: 'pass' })),
  ];
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-history-md-budget-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('history.md after a bad night that later runs did not observe', () => {
  it('stays well under 65,536 characters; the gating failures not observed are cut past the budget and counted exactly', () => {
    const start = Date.parse('2026-11-01T02:00:00.000Z');
    const builder = new HistoryBuilder();
    nights(start).forEach((f, i) => builder.add(`f${i}`, f));
    const md = renderDigest(builder.build({ last: 3, now: new Date(start + 3 * DAY + HOUR) }));
    expect(md.length).toBeLessThan(50_000);
    const standing = CELLS - REGIONS.length * MODELS.length; // every cell but the one check the later nights observed
    expect(md).toContain(`### Gating failures not observed in the window (${standing})`);
    const section = md.slice(md.indexOf('### Gating failures not observed'));
    const listed = section.slice(0, section.indexOf('\n### ') > 0 ? section.indexOf('\n### ') : undefined).split('\n').filter((l) => l.startsWith('- ') && !l.startsWith('- ... and')).length;
    expect(listed).toBeGreaterThan(30);
    expect(listed).toBeLessThan(standing);
    expect(section).toContain(`- ... and ${standing - listed} more gating failure(s) not observed in the window: see history.html`);
  });

  it('the console names a few and counts the rest', async () => {
    const folder = await mkdtemp(join(dir, 'h-'));
    const files = nights(Date.now() - 3 * DAY - HOUR);
    for (const [i, f] of files.entries()) await writeFile(join(folder, `${f.run.startedAt.replace(/[-:.]/g, '')}-${f.run.id}-${i}${RUN_FILE_SUFFIX}`), gzipSync(JSON.stringify(f)));
    let text = '';
    const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
    expect(await historyCommand(folder, { reportDir: join(folder, 'out'), last: '3' }, out)).toBe(0);
    const standing = CELLS - REGIONS.length * MODELS.length;
    const named = text.split('\n').filter((l) => l.includes('failed the gate in night-01, its last observation'));
    expect(named.length).toBe(5);
    expect(text).toContain(`warning: and ${standing - 5} more cell(s) that failed the gate in their last observation, planned and not observed by the last 3 runs`);
    expect(text.split('\n').length).toBeLessThan(30);
    expect((await readFile(join(folder, 'out', 'history.md'), 'utf8')).length).toBeLessThan(50_000);
  });
});
