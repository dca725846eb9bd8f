/**
 * matrix.html in a real browser (Debian's Chromium, driven by playwright-core): it opens from disk with no
 * network, a click on a cell shows observed vs expected, the reason and the evidence, and the filters hide what
 * they should. Skips, saying why, where Chromium is not installed (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`html-report.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

describe.skipIf(!available)('matrix.html in Chromium', () => {
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'html-'));
    const before = join(dir, 'before');
    expect((await cli(['run', '--models', 'xai.grok-4.3,qwen.qwen3-32b,anthropic.claude-opus-4-7', '--report-dir', before, '--quiet'])).code).toBe(0);
    const emulator = await catalogEmulator({ 'qwen.qwen3-32b': { createdAt: { chat: 'exponent' } } }, { apiKey: 'html-key-0123456789' });
    try {
      await cli(
        ['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'xai.grok-4.3,qwen.qwen3-32b,anthropic.claude-opus-4-7', '--baseline', join(before, 'matrix.json'), '--report-dir', join(dir, 'after'), '--quiet'],
        { AWS_BEARER_TOKEN_BEDROCK: 'html-key-0123456789' },
      );
    } finally {
      await emulator.close();
    }
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

  it('opens from disk without the network, shows a cell\'s detail on click, filters, and takes a screenshot', async (context) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const file = pathToFileURL(join(dir, 'after', 'matrix.html')).href;
    await page.goto(file);
    expect(requests.filter((url) => url !== file)).toEqual([]);

    await page.click('td[data-key="emulator|qwen.qwen3-32b|created-at.chat"]');
    const detail = page.locator('#detail');
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await detail.locator('h3').textContent()).toBe('qwen.qwen3-32bcreated-at.chat');
    expect(await detail.locator('.status').textContent()).toBe('✗ fail');
    expect(await detail.locator('.observed').textContent()).toBe('exponent');
    expect(await detail.locator('.expected').textContent()).toBe('integer');
    expect(await detail.locator('.reason').textContent()).toContain('expected "integer", got "exponent"');
    expect(await detail.locator('table.evidence').textContent()).toContain('POST /v1/chat/completions');
    expect(await detail.textContent()).toContain('new failure');

    await mkdir(join(ROOT, 'test-output'), { recursive: true });
    const screenshot = join(ROOT, 'test-output', 'matrix-html.png');
    await page.screenshot({ path: screenshot, fullPage: false });
    await context.annotate('screenshot of matrix.html with a cell opened', { path: screenshot, contentType: 'image/png' });

    await page.click('#close-detail');
    expect(await detail.isVisible()).toBe(false);
    await page.selectOption('#f-status', 'fail');
    const visibleModels = await page.locator('tr[data-model]:not(.hidden)').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.model));
    expect(visibleModels).toEqual(['qwen.qwen3-32b']);
    await page.selectOption('#f-status', '');
    await page.check('#f-changes');
    const changedColumns = await page.locator('thead th[data-check]:not(.hidden)').evaluateAll((ths) => ths.map((th) => (th as HTMLElement).dataset.check));
    expect(changedColumns).toContain('created-at.chat');
    expect(changedColumns).not.toContain('path-prefix');
    await page.close();
  });

  it('opens at 1440 px with the failures in view, keeps the view in the URL, and its drawer covers no cell', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const file = pathToFileURL(join(dir, 'after', 'matrix.html')).href;
    await page.goto(file);
    const failing = page.locator('td[data-key="emulator|qwen.qwen3-32b|created-at.chat"]');
    const inView = async (locator: typeof failing) => {
      const box = await locator.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 900 && box.x >= 0 && box.x + box.width <= 1440;
    };
    // No scrolling: the failing cell, and its line in "What fails the gate", are on the first screen.
    expect(await inView(failing)).toBe(true);
    expect(await inView(page.locator('#lead button[data-key="emulator|qwen.qwen3-32b|created-at.chat"]'))).toBe(true);
    expect(await page.locator('#f-view').inputValue()).toBe('failures');
    // The failures-only view drops all-green rows and columns (Grok's row has an inconclusive web search: shown).
    expect(await page.locator('tr[data-model="anthropic.claude-opus-4-7"]').isVisible()).toBe(false);
    expect(await page.locator('thead th[data-check="path-prefix"]').isVisible()).toBe(false);

    await failing.click();
    const drawer = await page.locator('#detail').boundingBox();
    const cell = await failing.boundingBox();
    expect(drawer && cell && cell.x + cell.width <= drawer.x).toBe(true);
    expect(await inView(failing)).toBe(true);
    expect(page.url()).toContain('cell=emulator%7Cqwen.qwen3-32b%7Ccreated-at.chat');

    // A shared link opens the same view: the filter state is in the URL.
    await page.click('#close-detail');
    await page.selectOption('#f-view', 'all');
    await page.fill('#f-model', 'grok');
    await expect.poll(() => page.url()).toMatch(/model=grok/);
    const shared = page.url();
    expect(shared).toMatch(/#.*view=all/);
    const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await other.goto(shared);
    expect(await other.locator('#f-model').inputValue()).toBe('grok');
    expect(await other.locator('tr[data-model]:not(.hidden)').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.model))).toEqual(['xai.grok-4.3']);
    await other.close();
    await page.close();
  });

  it('keeps a model the gate found nothing of observed in the failures-only view, marked, even when its cells read pass', async () => {
    const { renderHtml } = await import('../src/report/html-report.ts');
    const matrix = JSON.parse(await readFile(join(dir, 'after', 'matrix.json'), 'utf8')) as Matrix;
    // As a gateway answering xai.grok-4.3 in another model's name leaves it: every cell green, nothing of it observed.
    matrix.gate.problems.push({ kind: 'unobserved-model', target: 'emulator', model: 'xai.grok-4.3', message: 'xai.grok-4.3 (emulator): nothing of it observed' });
    const file = join(dir, 'unobserved.html');
    await writeFile(file, renderHtml(matrix));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('#f-view').inputValue()).toBe('failures');
    const row = page.locator('tr[data-model="xai.grok-4.3"]');
    expect(await row.isVisible()).toBe(true);
    expect(await row.locator('th.model').textContent()).toBe('xai.grok-4.3 (nothing observed, see the gate)');
    // The other all-green row still leaves the view.
    expect(await page.locator('tr[data-model="anthropic.claude-opus-4-7"]').isVisible()).toBe(false);
    await page.close();
  });

  it('renders markup from a matrix.json as inert text: no script runs, whatever field holds it', async () => {
    const matrix = JSON.parse(await readFile(join(dir, 'after', 'matrix.json'), 'utf8')) as Matrix;
    const payloads = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=2</script>', "'><svg onload=window.__pwned=3>", '</script><script>window.__pwned=4</script>'];
    const hostile = structuredClone(matrix);
    // Observed values are words of their check's vocabulary (the file is refused otherwise): the payloads are made
    // words of every check, and nothing is stated against them.
    for (const check of hostile.checks) {
      check.vocabulary = [...(check.vocabulary === 'number-or-null' ? [] : check.vocabulary), ...payloads];
      if (typeof check.reference === 'number') check.reference = null;
    }
    hostile.results.forEach((r, i) => {
      const p = payloads[i % payloads.length]!;
      // A right-to-left override would show the reason reversed in the drawer; the grid flattens it, so must the drawer.
      r.reason = `${p} \u202Eliaf\u202C \u2066x\u2069`;
      r.observed = p;
      r.expected = null;
      r.expectedSource = null;
      r.trials = undefined;
      r.evidence = [{ case: p, step: p, request: p, excerpt: p, requestId: p }];
    });
    hostile.checks[0]!.title = payloads[1]!;
    const file = join(dir, 'hostile', 'matrix.json');
    await mkdir(join(dir, 'hostile'), { recursive: true });
    // Model and target ids are names (src/names.ts): markup in one is refused before anything renders.
    const badIds = structuredClone(hostile);
    badIds.models[0]!.id = payloads[0]!;
    badIds.results.forEach((r) => (r.model = r.model === matrix.models[0]!.id ? payloads[0]! : r.model));
    await writeFile(file, JSON.stringify(badIds));
    const refusedId = await cli(['report', file]);
    expect(refusedId.code).toBe(2);
    expect(refusedId.stderr).toContain('models[0].id');
    await writeFile(file, JSON.stringify(hostile));
    const rendered = await cli(['report', file]);
    // `report` exits with the hostile run's gate (its cells fail): rendered, not refused.
    expect(rendered.code, rendered.stderr).toBe(1);
    expect(rendered.stderr).toBe('');

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${pathToFileURL(join(dir, 'hostile', 'matrix.html')).href}#view=all`);
    await page.locator('td.cell').first().click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('td.cell').count()).toBeGreaterThan(0);
    expect(await page.locator('#detail').textContent()).toContain('<');
    expect(await page.locator('#detail .reason').textContent()).toContain('\ufffdliaf\ufffd');
    expect(await page.locator('#detail').textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    await page.close();

    // merge of hostile inputs writes an inert page too.
    const merged = join(dir, 'hostile-merged');
    const mergedRun = await cli(['merge', file, file, '--report-dir', merged]);
    expect([0, 1]).toContain(mergedRun.code);
    const mergedPage = await browser.newPage();
    mergedPage.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await mergedPage.goto(`${pathToFileURL(join(merged, 'matrix.html')).href}#view=all`);
    await mergedPage.locator('td.cell').first().click();
    for (const button of await mergedPage.locator('#lead button').all()) await button.click();
    expect(await mergedPage.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await mergedPage.close();

    // A status is a class name and a symbol in the page: only the closed set is accepted.
    hostile.results[0]!.status = '"><script>alert(1)</script>' as Matrix['results'][number]['status'];
    await writeFile(file, JSON.stringify(hostile));
    const refused = await cli(['report', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HARNESS_REPORT_INVALID');
    expect(refused.stderr).toContain('results[0].status');
  });
});
