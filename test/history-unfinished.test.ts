/**
 * What a history folder cannot be trusted to have finished, or to say truthfully: a run that lost a shard, stopped
 * early or was interrupted is named in history.md and history.html, and the cells it did not run are "not run" now
 * (never an older run's pass); a file nested thousands deep is exit 2 naming it (not a stack overflow); a file dated
 * in the future is refused (it would sort last and "fix" the latest run's regressions). A run that finished, whole
 * or in all its shards, reads as before.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../src/errors.ts';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { renderHistoryHtml } from '../src/history/history-html.ts';
import type { HistoryReport } from '../src/history/history-model.ts';
import { listRunFiles, parseRunFile } from '../src/history/read-history.ts';
import { readHistory } from '../src/history/read-pool.ts';
import { startedAtProblem } from '../src/history/run-values.ts';
import { uplotAssets } from '../src/history/uplot-asset.ts';
import { runSchemaErrors } from '../src/history/validate-run.ts';
import { schemaProblem } from '../src/report/schema-problem.ts';
import { HISTORY_RUN_FORMAT, type HistoryRun } from '../src/suite/history-schema.ts';
import { packageWorkers } from './helpers/harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MODELS = ['m1', 'm2', 'm3'];
const CHECKS = ['c1', 'c2'];

/** A run of target `t` on 2025-12-`day`, with the cells of `models` (each check passing with `value`). */
function runOf(id: string, day: number, models = MODELS, extra: Partial<HistoryRun['run']> = {}, value = 'yes'): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  for (const m of models) cells[`t/${m}`] = Object.fromEntries(CHECKS.map((c) => [c, { status: 'pass' as const, observed: value }]));
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...extra },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: MODELS.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
  };
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'history-unfinished-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The folder's report, digest and page (read in one thread). */
async function historyOf(name: string, runs: HistoryRun[]): Promise<{ report: HistoryReport; md: string; html: string; folder: string }> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const [i, run] of runs.entries()) await writeFile(join(folder, `2025120${i}T020000Z-${run.run.id}-${String(i).padStart(12, '0')}${RUN_FILE_SUFFIX}`), gzipSync(JSON.stringify(run)));
  const builder = new HistoryBuilder();
  await readHistory(folder, (await listRunFiles(folder)).names, builder, 0, packageWorkers);
  const report = builder.build({ last: 10, now: new Date('2026-01-01T00:00:00Z') });
  return { report, md: renderDigest(report), html: renderHistoryHtml(report, await uplotAssets()), folder };
}

const lostShard = () => [runOf('night-1', 1), runOf('night-2', 2, ['m1'], { shard: '1/3' }), runOf('night-2', 2, ['m3'], { shard: '3/3' })];

describe('a run that did not finish', () => {
  it('lost a shard: the run says which, history.md and history.html name it, and "nothing changed" is not said', async () => {
    const { report, md, html } = await historyOf('lost-shard', lostShard());
    const night2 = report.runs.find((r) => r.id === 'night-2')!;
    expect(night2.shards).toEqual([{ target: 't', seen: ['1/3', '3/3'], missing: ['2/3'] }]);
    expect(md).toContain('### Runs that did not finish (1)');
    expect(md).toContain('- run `night-2` (2025-12-02): t: shard 2/3 missing (read 1/3, 3/3)');
    expect(md).not.toContain('Nothing changed');
    expect(html).toContain('<section id="unfinished"><h2>Runs that did not finish (1)</h2>');
    expect(html).toContain('run night-2 (2025-12-02): t: shard 2/3 missing (read 1/3, 3/3)');
    // m2 was in the lost shard: its cells are absent in the latest run, and the page can filter on "not run".
    expect(report.cells.find((c) => c.model === 'm2')!.segments.at(-1)!.status).toBe('absent');
    expect(html).toContain('<option value="absent">not run</option>');
  });

  it('interrupted or partial: the flag is kept in history.json and the run is named', async () => {
    const { report, md, html } = await historyOf('stopped', [runOf('night-1', 1), runOf('night-2', 2, MODELS, { partial: true, interrupted: true })]);
    expect(report.runs.map((r) => [r.id, r.partial, r.interrupted])).toEqual([['night-1', false, undefined], ['night-2', true, true]]);
    expect(md).toContain('- run `night-2` (2025-12-02): interrupted; partial (stopped before every cell ran)');
    expect(html).toContain('run night-2 (2025-12-02): interrupted; partial (stopped before every cell ran)');
    const partialOnly = await historyOf('partial', [runOf('night-1', 1), runOf('night-2', 2, MODELS, { partial: true })]);
    expect(partialOnly.md).toContain('- run `night-2` (2025-12-02): partial (stopped before every cell ran)');
  });

  it('a run that finished, whole or in all its shards, reads as before: no such section, no new field but the shards read', async () => {
    const { report, md, html } = await historyOf('whole', [runOf('night-1', 1), runOf('night-2', 2, ['m1', 'm2'], { shard: '1/2' }), runOf('night-2', 2, ['m3'], { shard: '2/2' })]);
    expect(report.runs.map((r) => Object.keys(r))).toEqual([
      ['index', 'id', 'startedAt', 'files', 'targets', 'modes', 'partial', 'filtered', 'harnessVersion'],
      ['index', 'id', 'startedAt', 'files', 'targets', 'modes', 'partial', 'shards', 'filtered', 'harnessVersion'],
    ]);
    expect(report.runs[1]!.shards).toEqual([{ target: 't', seen: ['1/2', '2/2'], missing: [] }]);
    expect(md).not.toContain('did not finish');
    expect(md).toContain('Nothing changed in the last 10 runs');
    expect(html).not.toContain('id="unfinished"');
    expect(html).not.toContain('<option value="absent">');
  });
});

describe.skipIf(!existsSync(CHROMIUM))('history.html "now" is the latest run', () => {
  it('a cell the latest run did not run is "not run" now, and "status now: pass" leaves it out; one it ran is its state', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const nowOf = async (hash: string) => {
        await page.goto(`${pathToFileURL(join(folder, 'history.html')).href}#${hash}`);
        await page.reload();
        return page.locator('#cell-rows tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-key')}: ${r.children[4]!.textContent}`));
      };
      const { html, folder } = await historyOf('page', lostShard());
      await writeFile(join(folder, 'history.html'), html);
      expect(await nowOf('changed=0&model=m2')).toEqual(['t|m2|c1: not run', 't|m2|c2: not run']);
      expect(await nowOf('changed=0&status=pass')).toEqual(['t|m1|c1: ✓ yes', 't|m1|c2: ✓ yes', 't|m3|c1: ✓ yes', 't|m3|c2: ✓ yes']);
      expect(await nowOf('changed=0&status=absent')).toEqual(['t|m2|c1: not run', 't|m2|c2: not run']);
      // The same runs, finished: every cell is its state in the latest run.
      const whole = await historyOf('page-whole', [runOf('night-1', 1), runOf('night-2', 2)]);
      await writeFile(join(whole.folder, 'history.html'), whole.html);
      await page.goto(`${pathToFileURL(join(whole.folder, 'history.html')).href}#changed=0&status=pass`);
      expect(await page.locator('#cell-rows tr').count()).toBe(6);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('a run file that cannot be trusted', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'x';
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  /** The run as JSON with `"DEEP"` written `depth` arrays deep (JSON.stringify itself would overflow). */
  const deepText = (run: unknown, depth: number) => JSON.stringify(run).replace('"DEEP"', `${'['.repeat(depth)}"x"${']'.repeat(depth)}`);

  it.each([
    ['an observed value', (run: Record<string, any>) => void (run.cells['t/m1'].c1.observed = 'DEEP'), 'cells.t/m1.c1.observed[0]'],
    ['the format', (run: Record<string, any>) => void (run.format = 'DEEP'), 'format[0]'],
    ['an unknown field', (run: Record<string, any>) => void (run.extra = 'DEEP'), 'extra[0]'],
  ])('nested thousands deep in %s: exit 2 naming the file and the path, not a stack overflow', async (_name, mutate, path) => {
    const run = runOf('deep', 1) as unknown as Record<string, any>;
    mutate(run);
    const error = (() => {
      try {
        parseRunFile(gzipSync(deepText(run, 5000)), 'deep.run.json.gz');
      } catch (e) {
        return e;
      }
      return undefined;
    })() as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('HARNESS_HISTORY_INVALID');
    expect(error.message).toMatch(new RegExp(`^deep\\.run\\.json\\.gz: ${path.replace(/[.[\]/]/g, '\\$&')}.*: nested more than 16 levels deep`));
    expect(error.message).toContain('move it out of the folder');
  });

  it('the schema error of a deeply nested value is said, not thrown', () => {
    const value = { ...runOf('deep', 1), cells: { 't/m1': { c1: { status: 'pass', observed: nested(100_000) } } } };
    const errors = runSchemaErrors(value)!;
    expect(schemaProblem(errors, value)).toBe('cells.t/m1.c1.observed must be string,number,null (got a list nested too deep to show)');
  });

  it('a start in the future (beyond a day: clocks differ) is refused, naming the file and the fix', async () => {
    const now = Date.parse('2025-12-05T00:00:00Z');
    expect(startedAtProblem('2025-12-05T23:00:00.000Z', now)).toBeUndefined();
    expect(startedAtProblem('2025-12-06T00:00:00.000Z', now)).toBeUndefined();
    expect(startedAtProblem('2025-12-06T00:00:01.000Z', now)).toMatch(/^run\.startedAt: "2025-12-06T00:00:01\.000Z" is later than now \(2025-12-05T00:00:00\.000Z\) by more than a day; .*fix the clock of the machine that wrote it/);
    const future = runOf('skewed', 1, MODELS, { startedAt: '2099-01-01T00:00:00.000Z' });
    expect(() => parseRunFile(gzipSync(JSON.stringify(future)), 'skewed.run.json.gz')).toThrow(/^skewed\.run\.json\.gz: run\.startedAt: "2099-01-01T00:00:00\.000Z" is later than now/);
    // A run that just started on a machine whose clock is a little ahead reads.
    const ahead = runOf('ahead', 1, MODELS, { startedAt: new Date(Date.now() + 60 * 60 * 1000).toISOString() });
    expect(parseRunFile(gzipSync(JSON.stringify(ahead)), 'ahead.run.json.gz').run.id).toBe('ahead');
  });

  it.each(['abc', '0/3', '4/3', '1/'])('a shard of %j (not i/n as --shard takes it) is refused: missing shards are counted by it', (shard) => {
    const run = runOf('bad-shard', 1, MODELS, { shard });
    expect(() => parseRunFile(gzipSync(JSON.stringify(run)), 'bad.run.json.gz')).toThrow(`bad.run.json.gz: run.shard: ${JSON.stringify(shard)} is not i/n with 1 <= i <= n`);
  });
});
