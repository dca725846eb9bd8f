/**
 * Every report of a merge that lacks a shard names the missing shard's cells as that shard's (cross-format review,
 * finding 3): they were asked for and never run, not "filtered out (a model filter or -t) or in another shard". The
 * cells' reasons in matrix.json, the console's coverage line, matrix.md, matrix.html (its coverage and its
 * failures-only view, which kept no row of the shard's pairs), junit.xml and the step summary say the same.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELSEWHERE_REASON } from '../src/report/gate.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli, type CliResult } from './helpers/harness.ts';

const MODELS = ['openai.gpt-oss-20b', 'anthropic.claude-haiku-4-5', 'anthropic.claude-opus-4-7'];
const RUN = 'fxs-m';
const MISSING = `not run: in the missing shard 2/3 of run ${RUN}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let dir: string;
let merge: CliResult;
let merged: Matrix;
/** `target/model` of each pair shard 2 ran something of: what the merge lacks. */
let held: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fxs-missing-'));
  for (const i of [1, 2, 3]) {
    const run = await cli(['run', '--models', MODELS.join(','), '--shard', `${i}/3`, '--run-id', RUN, '--report-dir', join(dir, `s${i}`), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
  }
  const shard2 = JSON.parse(await readFile(join(dir, 's2', 'matrix.json'), 'utf8')) as Matrix;
  held = [...new Set(shard2.results.filter((r) => !r.notRun).map((r) => `${r.target}/${r.model}`))].sort();
  merge = await cli(['merge', join(dir, 's1', 'matrix.json'), join(dir, 's3', 'matrix.json'), '--report-dir', join(dir, 'm13')], { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_ACTIONS: 'true' });
  merged = JSON.parse(await readFile(join(dir, 'm13', 'matrix.json'), 'utf8')) as Matrix;
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const file = (name: string) => readFile(join(dir, 'm13', name), 'utf8');

describe('a merge that lacks shard 2/3', () => {
  it("words each cell shard 2 held as the missing shard's, and no cell as filtered out", () => {
    expect(merge.code, merge.stderr).toBe(1);
    expect(held.length).toBeGreaterThan(0);
    const cells = merged.results.filter((r) => held.includes(`${r.target}/${r.model}`));
    expect(cells.length).toBeGreaterThan(0);
    for (const r of cells) expect({ cell: `${r.target}/${r.model}/${r.check}`, notRun: r.notRun, reason: r.reason }).toEqual({ cell: `${r.target}/${r.model}/${r.check}`, notRun: true, reason: MISSING });
    // The run had no filter: no cell is left saying "filtered out or in another shard".
    expect(merged.results.filter((r) => r.reason === ELSEWHERE_REASON)).toEqual([]);
  });

  it('says so in the coverage line of the console, matrix.md, matrix.html and the step summary alike', async () => {
    const n = merged.results.filter((r) => r.reason === MISSING).length;
    const words = `${n} not run: in the missing shard 2/3 of run ${RUN}`;
    const [md, html, summary] = [await file('matrix.md'), await file('matrix.html'), await readFile(join(dir, 'summary.md'), 'utf8')];
    expect(merge.stdout).toMatch(new RegExp(`^coverage: .*; not observed: .*${words}$`, 'm'));
    expect(md).toMatch(new RegExp(`^Coverage: .*${words}\\.$`, 'm'));
    expect(html).toMatch(new RegExp(`<p class="coverage">Coverage: [^<]*${words}</p>`));
    expect(summary).toMatch(new RegExp(`^Coverage: .*${words}\\.$`, 'm'));
    // The status counts (matrix.md, matrix.html, the summary) say them as the coverage does.
    expect(md).toMatch(new RegExp(`^- 3 models x \\d+ checks: .*, ${words}$`, 'm'));
    expect(summary).toMatch(new RegExp(`: .*, ${words}\\.$`, 'm'));
    for (const text of [merge.stdout, md, html, summary]) expect(text).not.toContain("filtered out or another shard's");
  });

  it('lists them in matrix.md per model, as cells never run, and counts them among the cells to look at', async () => {
    const md = await file('matrix.md');
    for (const pair of held) {
      const [target, model] = pair.split('/') as [string, string];
      expect(md).toMatch(new RegExp(`^- ○ \`${model.replace(/\./g, '\\.')}\` \\(${target.replace(/\./g, '\\.')}\\): \\d+ cell\\(s\\) not run: in the missing shard 2/3 of run ${RUN}$`, 'm'));
      expect(md).toMatch(new RegExp(`^\\| \`${pair.replace(/\./g, '\\.')}\` \\| 0 \\| 0 \\| 0 \\| 0 \\| 0 \\| \\d+ \\|$`, 'm'));
    }
    expect(md).toContain('| ○ skipped or in a missing shard |');
  });

  it('keeps them in junit.xml as skipped testcases that name the shard, not as cells "not run here"', async () => {
    const junit = await file('junit.xml');
    const n = merged.results.filter((r) => r.reason === MISSING).length;
    expect(junit.split(`<skipped message="skipped: ${MISSING}"/>`).length - 1).toBe(n);
    expect(junit).not.toContain('name="not run here"');
  });

  it('keeps their rows in the HTML failures-only view, the one it opens on', async () => {
    const html = await file('matrix.html');
    expect(html).toContain('"defaultView":"failures"');
    for (const pair of held) {
      const [target, model] = pair.split('/') as [string, string];
      const cells = [...html.matchAll(/<td class="([^"]*)"[^>]*data-key="([^"|]*)\|([^"|]*)\|[^"]*"/g)].filter((m) => m[2] === target && m[3] === model);
      expect(cells.length).toBeGreaterThan(0);
      for (const m of cells) expect(m[1]).not.toContain('not-run');
    }
  });

  it.skipIf(!existsSync(CHROMIUM))('shows each pair of the missing shard as a row in Chromium, in the view the page opens on', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'm13', 'matrix.html')).href);
      expect(await page.locator('#f-view').inputValue()).toBe('failures');
      for (const pair of held) {
        const [target, model] = pair.split('/') as [string, string];
        const row = page.locator(`section.target[data-target="${target}"] tr[data-model="${model}"]`);
        expect(await row.evaluate((el) => el.classList.contains('hidden')), pair).toBe(false);
      }
      await page.locator(`td[data-key="${held[0]!.replace('/', '|')}|path-prefix"]`).click();
      expect(await page.locator('#detail .reason').textContent()).toContain(MISSING);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
