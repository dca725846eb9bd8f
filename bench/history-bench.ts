/**
 * (f) of the bench: a synthetic history of a year of nightly runs (365 days x 3 regions x every model and check of a
 * real run), written as `run --history` writes it, then `history` over the folder as a user runs it. It prints the
 * folder's size, how long `history` takes and how much memory, how large history.html is, and, when a Chromium is at
 * hand, how long the page takes to open and to filter. The history is varied as a real one is: values that change
 * and change back, flaky cells, a model missing for a while in one region, a field added to answers, latency noise
 * and one model's latency doubling in the last week.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { historyRunOf, RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import type { Matrix } from '../src/report/matrix.ts';
import type { HistoryRun } from '../src/suite/history-schema.ts';

const gzipAsync = promisify(gzip);
const DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 365);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A small deterministic generator: the same history every time. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Writes the synthetic folder from one real run (its first target's cells); returns the number of files. */
export async function writeSyntheticHistory(folder: string, matrix: Matrix): Promise<number> {
  await mkdir(folder, { recursive: true });
  const base = historyRunOf(matrix);
  const source = base.targets[0]!.id;
  const rand = random(20261203);
  const own = (key: string) => key.startsWith(`${source}/`);
  const models = Object.keys(base.cells).filter(own).map((k) => k.slice(source.length + 1));
  const cellKeys = models.flatMap((m) => Object.keys(base.cells[`${source}/${m}`]!).map((check) => [m, check] as const));
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  // 40 cells whose value changes for a span of days and back; 30 cells flaky on about a third of the nights.
  const changes = Array.from({ length: 40 }, () => ({ cell: pick(cellKeys), region: pick(REGIONS), from: Math.floor(rand() * DAYS), days: 1 + Math.floor(rand() * 20) }));
  const flaky = Array.from({ length: 30 }, () => ({ cell: pick(cellKeys), region: pick(REGIONS) }));
  const missing = { model: pick(models), region: REGIONS[1]!, from: Math.floor(DAYS / 2), to: Math.floor(DAYS / 2) + 14 };
  const slow = pick(models);
  const drifting = Object.keys(base.shapes?.exchanges ?? {}).find(own);
  // A year that ends tonight: run files dated after now are refused (read-history, run-values.ts).
  const start = Math.floor(Date.now() / 86_400_000) * 86_400_000 - DAYS * 86_400_000 + 2 * 3_600_000;
  let written = 0;
  for (let day = 0; day < DAYS; day++) {
    await Promise.all(
      REGIONS.map(async (region, r) => {
        const at = new Date(start + day * 86_400_000 + r * 600_000).toISOString();
        const rename = (key: string) => `${region}/${key.slice(source.length + 1)}`;
        const cells: HistoryRun['cells'] = {};
        for (const [key, checks] of Object.entries(base.cells)) {
          if (!own(key)) continue;
          if (region === missing.region && key === `${source}/${missing.model}` && day >= missing.from && day < missing.to) continue;
          cells[rename(key)] = checks;
        }
        const edit = (model: string, check: string, cell: HistoryRun['cells'][string][string]) => {
          const key = `${region}/${model}`;
          if (cells[key]) cells[key] = { ...cells[key], [check]: cell };
        };
        for (const c of changes) if (c.region === region && day >= c.from && day < c.from + c.days) edit(c.cell[0], c.cell[1], { status: 'fail', observed: 'changed' });
        for (const f of flaky) if (f.region === region && rand() < 0.33) edit(f.cell[0], f.cell[1], { status: 'flaky', observed: base.cells[`${source}/${f.cell[0]}`]![f.cell[1]]!.observed, trials: [['pass', 'a'], ['fail', 'b'], ['pass', 'a']] });
        const latency: NonNullable<HistoryRun['latency']> = {};
        for (const [key, apis] of Object.entries(base.latency ?? {})) {
          if (!own(key)) continue;
          const factor = (key.endsWith(`/${slow}`) && day >= DAYS - 7 ? 2 : 1) * (0.8 + 0.4 * rand());
          const scale = (p: { p50: number; p95: number }) => ({ p50: Math.round(p.p50 * factor), p95: Math.round(p.p95 * factor) });
          latency[rename(key)] = Object.fromEntries(Object.entries(apis).map(([api, l]) => [api, { n: l.n, headersMs: scale(l.headersMs), ...(l.firstTokenMs ? { firstTokenMs: scale(l.firstTokenMs) } : {}), totalMs: scale(l.totalMs) }]));
        }
        const shapes: HistoryRun['shapes'] = base.shapes ? { fingerprints: { ...base.shapes.fingerprints }, exchanges: {} } : undefined;
        if (shapes && base.shapes) {
          for (const [key, byApi] of Object.entries(base.shapes.exchanges)) if (own(key)) shapes.exchanges[rename(key)] = byApi;
          // From day 200 on, one model's answers carry a new field in every region.
          if (drifting && day >= 200) {
            const [api, keys] = Object.entries(base.shapes.exchanges[drifting]!)[0]!;
            const [exchange, ids] = Object.entries(keys)[0]!;
            const fingerprint = base.shapes.fingerprints[ids[0]!]!;
            shapes.fingerprints['synthetic-new-field'] = { ...fingerprint, paths: [...fingerprint.paths, 'service_tier string'].sort() };
            shapes.exchanges[rename(drifting)] = { ...base.shapes.exchanges[drifting], [api]: { ...keys, [exchange]: ['synthetic-new-field', ...ids.slice(1)] } };
          }
        }
        const run: HistoryRun = {
          ...base,
          run: { ...base.run, id: `nightly-${String(day).padStart(3, '0')}-${region}`, startedAt: at, finishedAt: at, partial: false, filtered: false },
          targets: [{ ...base.targets[0]!, id: region, region, endpointHost: `bedrock-mantle.${region}.api.aws`, mode: 'live', sources: ['live'] }],
          models: base.models.filter((m) => !(region === missing.region && m.id === missing.model && day >= missing.from && day < missing.to)),
          cells,
          latency,
          ...(shapes ? { shapes } : {}),
        };
        const name = `${at.replace(/[-:]/g, '').slice(0, 15)}Z-${run.run.id}-000000000000${RUN_FILE_SUFFIX}`;
        await writeFile(join(folder, name), await gzipAsync(JSON.stringify(run), { level: 9 }));
        written += 1;
      }),
    );
  }
  return written;
}

export async function folderBytes(folder: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(folder)) total += (await stat(join(folder, name))).size;
  return total;
}

/** Opens history.html in Chromium (from disk) and times the load and a few filters; undefined without a Chromium. */
export async function pageTimings(file: string): Promise<{ loadMs: number; rows: number; filters: { label: string; ms: number; rows: number }[] } | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const loadMs = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return nav ? nav.loadEventEnd - nav.startTime : Number.NaN;
    });
    if (errors.length) throw new Error(`history.html: ${errors.join('; ')}`);
    // Each filter is applied synchronously on its input event: the time is the page's, to the rows drawn.
    const filter = (selector: string, value: string | boolean) =>
      page.evaluate(
        ([sel, v]) => {
          const el = document.querySelector(sel as string) as HTMLInputElement;
          const t = performance.now();
          if (typeof v === 'boolean') {
            el.checked = v;
            el.dispatchEvent(new Event('change'));
          } else {
            el.value = v;
            el.dispatchEvent(new Event('input'));
          }
          return { ms: performance.now() - t, rows: document.querySelectorAll('#cell-rows tr').length, count: document.querySelector('#f-count')!.textContent ?? '' };
        },
        [selector, value] as const,
      );
    const filters: { label: string; ms: number; rows: number }[] = [];
    for (const [label, selector, value] of [
      ['every cell (changed-only off)', '#f-changed', false],
      ['model contains "claude"', '#f-model', 'claude'],
      ['check contains "stream"', '#f-check', 'stream'],
      ['both cleared', '#f-model', ''],
    ] as const) {
      if (label === 'both cleared') await filter('#f-check', '');
      const r = await filter(selector, value);
      filters.push({ label: `${label}: ${r.count}`, ms: r.ms, rows: r.rows });
    }
    return { loadMs, rows: await page.locator('#cell-rows tr').count(), filters };
  } finally {
    await browser.close();
  }
}
