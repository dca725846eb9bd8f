/**
 * matrix.html in Chromium, as a person reads it: the failures view shows the cells that fail the gate whatever their
 * status, "What fails the gate" says what it left out and names every failing model, the page without JavaScript
 * claims no view it does not apply, the lead keeps its width with the drawer open and breaks long words, a clicked
 * cell is never under the sticky model column, a jump from the lead clears every filter hiding its cell, and the
 * count rows' links show exactly the cells they count. Skips, saying why, where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellsToLookAt } from '../src/report/gate.ts';
import { renderHtml } from '../src/report/html-report.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { ROOT, cli } from './helpers/harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`html-lead.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const MODELS = 'qwen.qwen3-32b,openai.gpt-oss-20b,openai.gpt-5.4,openai.gpt-5.4-2026-03-05,qwen.qwen3-coder-480b-a35b-instruct';
const STATED = '\nmodels:\n  qwen.qwen3-32b:\n    responses.retrieve:\n      observed: retrievable\n      reason: we rely on it\n      link: https://example.com/x\n';

it('counts tables put the worst first: gating, fail + error, then flaky, inconclusive, skipped', () => {
  const cell = (model: string, status: MatrixResult['status'], gating = false) => ({ target: 't', model, check: 'c', status, gating }) as MatrixResult;
  const results = [cell('skips', 'skipped'), cell('unsure', 'inconclusive'), cell('unsure', 'inconclusive'), cell('varies', 'flaky'), cell('fails', 'fail'), cell('gates', 'unsupported', true)];
  expect(cellsToLookAt(results, (r) => r.model).map(([k]) => k)).toEqual(['gates', 'fails', 'varies', 'unsure', 'skips']);
});

describe.skipIf(!available)('matrix.html lead, views and layout in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let matrix: Matrix;
  const page = async (file: string, width = 1400, javaScriptEnabled = true): Promise<Page> => {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
    const p = await context.newPage();
    await p.goto(pathToFileURL(file).href);
    return p;
  };
  const rendered = async (name: string, change: (m: Matrix) => void): Promise<string> => {
    const copy = structuredClone(matrix);
    change(copy);
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderHtml(copy));
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-'));
    const expectations = (await readFile(join(ROOT, 'suites', 'expectations.yaml'), 'utf8')).replace('\nmodels:\n', STATED);
    await writeFile(join(dir, 'exp.yaml'), expectations);
    const run = await cli(['run', '--quiet', '--models', MODELS, '--expectations', join(dir, 'exp.yaml'), '--report-dir', join(dir, 'run')]);
    expect(run.code, run.stderr).toBe(1);
    matrix = JSON.parse(await readFile(join(dir, 'run', 'matrix.json'), 'utf8')) as Matrix;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the n/a cells that fail the gate in the failures view, and their check link shows them', async () => {
    const gating = matrix.results.filter((r) => r.gating);
    expect(gating.map((r) => r.status)).toEqual(['unsupported', 'unsupported']);
    const p = await page(join(dir, 'run', 'matrix.html'));
    expect(await p.locator('#f-view').inputValue()).toBe('failures');
    expect(await p.locator('td.cell.gating:visible').count()).toBe(2);
    await p.click('button[data-filter=check][data-value="responses.retrieve"]');
    expect(await p.locator('td.cell.gating:visible').count()).toBe(2);
    expect(await p.locator('#f-count').textContent()).toMatch(/^[1-9]\d* model rows x 1 checks shown$/);
    await p.context().close();

    // Alone, they still open the page in the failures view.
    const only = await rendered('only-na', (m) => m.results.forEach((r) => { if (!r.gating && r.status !== 'unsupported') r.status = 'pass'; }));
    const q = await page(only);
    expect(await q.locator('#f-view').inputValue()).toBe('failures');
    expect(await q.locator('td.cell.gating:visible').count()).toBe(2);
    await q.context().close();
  });

  it('"What fails the gate" names every failing model when it cuts, and says how many it left out', async () => {
    const file = await rendered('many', (m) => m.results.forEach((r) => { r.gating = true; }));
    const html = await readFile(file, 'utf8');
    const lead = html.slice(html.indexOf('<section id="lead">'), html.indexOf('<h2>By model'));
    expect(lead.match(/<td class="why">/g)).toHaveLength(200);
    expect(lead).toContain(`... and ${matrix.results.length - 200} more cells that fail the gate, not listed here`);
    const listed = new Set([...lead.matchAll(/data-key="([^"|]+)\|([^"|]+)\|/g)].map(([, t, m]) => `${t}|${m}`));
    expect(listed).toEqual(new Set(matrix.results.map((r) => `${r.target}|${r.model}`)));
  });

  it('without JavaScript claims no view: the filters and the click hint are hidden, the jump and count links read as text, a noscript line says why, titles hold the reasons', async () => {
    const p = await page(join(dir, 'run', 'matrix.html'), 1400, false);
    expect(await p.locator('nav.filters').isVisible()).toBe(false);
    expect(await p.locator('p.no-script').isVisible()).toBe(true);
    expect(await p.locator('header').innerText()).not.toContain('click a cell');
    const inconclusive = matrix.results.find((r) => r.status === 'inconclusive')!;
    const title = await p.locator(`td[data-key="${inconclusive.target}|${inconclusive.model}|${inconclusive.check}"]`).getAttribute('title');
    expect(title).toContain(inconclusive.reason.slice(0, 80));
    expect(title).toContain(`expected ${inconclusive.expected === null ? 'nothing stated' : JSON.stringify(inconclusive.expected)}`);
    // The jump links of "What fails the gate" and the By model / By check links act only through the script: without
    // it they read as plain text (the page's colour, no pointer), and the noscript line names them.
    const look = (selector: string, at: Page) => at.locator(selector).first().evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).cursor, getComputedStyle(e.closest('td')!).color]);
    for (const selector of ['section#lead button[data-key]', 'section#lead button[data-filter]']) {
      const [color, cursor, around] = await look(selector, p);
      expect(cursor, selector).not.toBe('pointer');
      expect(color, selector).toBe(around);
    }
    expect(await p.locator('p.no-script').innerText()).toContain('the links of "What fails the gate" and the counts need JavaScript');
    await p.context().close();
    const q = await page(join(dir, 'run', 'matrix.html'));
    expect(await q.locator('nav.filters').isVisible()).toBe(true);
    expect(await q.locator('header').innerText()).toContain('click a cell');
    for (const selector of ['section#lead button[data-key]', 'section#lead button[data-filter]']) {
      const [color, cursor] = await look(selector, q);
      expect(cursor, selector).toBe('pointer');
      expect(color, selector).toBe('rgb(26, 115, 232)');
    }
    await q.context().close();
  });

  it('keeps the lead readable with the drawer open, and breaks a long word in a reason', async () => {
    const file = await rendered('long-word', (m) => {
      const r = m.results.find((x) => x.gating)!;
      r.reason = `expected "retrievable", got "n/a"; HTTP 400: ${'X'.repeat(4000)}`;
    });
    const p = await page(file);
    const [scroll, client] = await p.evaluate(() => { const b = document.querySelector('section#lead .box')!; return [b.scrollWidth, b.clientWidth] as const; });
    expect(scroll).toBeLessThanOrEqual(client + 1);
    await p.locator('section#lead button[data-key]').first().click();
    expect(await p.locator('#detail').isVisible()).toBe(true);
    const width = await p.evaluate(() => document.querySelector('section#lead > div')!.getBoundingClientRect().width);
    expect(width).toBeGreaterThanOrEqual(400);
    await p.context().close();
  });

  it('brings a clicked cell clear of the sticky model column, at 800 px too', async () => {
    for (const width of [1024, 800]) {
      const p = await page(join(dir, 'run', 'matrix.html'), width);
      await p.selectOption('#f-view', 'all');
      const keys = await p.locator('tr[data-model="qwen.qwen3-coder-480b-a35b-instruct"] td.cell').evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.key!));
      for (const k of [keys[0]!, keys[5]!, keys[Math.floor(keys.length / 2)]!, keys.at(-1)!]) {
        const at = await p.evaluate(async (k) => {
          const td = Array.from(document.querySelectorAll<HTMLElement>('td.cell')).find((t) => t.dataset.key === k)!;
          td.click();
          await new Promise((r) => setTimeout(r, 100));
          const b = td.getBoundingClientRect();
          const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
          return hit === td || td.contains(hit) ? 'the cell' : `${hit?.tagName}.${hit?.className}`;
        }, k);
        expect(at, `${k} at ${width} px`).toBe('the cell');
      }
      await p.context().close();
    }
  });

  it('a jump from "What fails the gate" clears every filter that hides its cell', async () => {
    const p = await page(join(dir, 'run', 'matrix.html'));
    const gating = matrix.results.find((r) => r.gating)!;
    const group = await p.locator('#f-group option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const other = group.find((g) => g !== matrix.checks.find((c) => c.id === gating.check)!.group)!;
    await p.selectOption('#f-group', other);
    await p.selectOption('#f-family', { index: 1 });
    const b = p.locator('section#lead button[data-key]').first();
    const k = (await b.getAttribute('data-key'))!;
    await b.click();
    expect(await p.locator('#detail').isVisible()).toBe(true);
    expect(await p.evaluate((k) => Array.from(document.querySelectorAll<HTMLElement>('td.cell')).find((t) => t.dataset.key === k)!.offsetParent !== null, k)).toBe(true);
    expect(await p.locator('#f-group').inputValue()).toBe('');
    await p.context().close();
  });

  it('a By model or By check link shows exactly the cells it counts, not those of ids it is part of', async () => {
    const p = await page(join(dir, 'run', 'matrix.html'));
    await p.click('button[data-filter=model][data-value="openai.gpt-5.4"]');
    const rows = await p.locator('tr[data-model]:not(.hidden)').evaluateAll((rs) => [...new Set(rs.map((r) => (r as HTMLElement).dataset.model))]);
    expect(rows).toEqual(['openai.gpt-5.4']);
    await p.context().close();
    // A check id that is the start of another (api.responses, api.responses-compact) likewise.
    const prefix = matrix.checks.map((c) => c.id).find((id) => matrix.checks.some((c) => c.id !== id && c.id.startsWith(id)))!;
    const file = await rendered('prefix', (m) => { m.results.find((r) => r.check === prefix)!.status = 'inconclusive'; });
    const q = await page(file);
    await q.click(`button[data-filter=check][data-value="${prefix}"]`);
    expect(await q.locator('thead th[data-check]:not(.hidden)').evaluateAll((ths) => [...new Set(ths.map((th) => (th as HTMLElement).dataset.check))])).toEqual([prefix]);
    await q.context().close();
  });
});
