/**
 * The run history: three runs against the emulator on three days with a quirk switched between them (Grok's
 * Responses created_at integer, exponent, integer), appended to a history folder. `history` names the change
 * points with the right dates in history.json, in the digest, and in history.html (in Chromium: from disk, no
 * network, nothing the CSP refuses, the chart drawn). The folder is append-only and merge-friendly (concurrent
 * appends, unique names, no temp files), and a bad file in it is exit 2 naming it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryReport } from '../src/history/history-model.ts';
import { appendRun, RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { ROOT, catalogEmulator, cli } from './helpers/harness.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'history-key-0123456789' };
/** Grok's created_at switches; Qwen's chat stream chunks gain a field (`obfuscation`) on the last day: shape drift. */
const DAYS = [
  { at: '2026-12-01T02:00:00.000Z', createdAt: 'integer', obfuscation: false },
  { at: '2026-12-03T02:00:00.000Z', createdAt: 'exponent', obfuscation: false },
  { at: '2026-12-05T02:00:00.000Z', createdAt: 'integer', obfuscation: true },
] as const;

let dir: string;
let history: string;
let out: string;
let report: HistoryReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'history-'));
  history = join(dir, 'history');
  out = join(dir, 'out');
  for (const [i, day] of DAYS.entries()) {
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { createdAt: { responses: day.createdAt } }, 'qwen.qwen3-32b': { stream: { obfuscation: day.obfuscation } } }, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
    // The run's clock says the day (only Date is faked: timers and the network run as usual).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(day.at) });
    try {
      const run = await cli(
        ['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'us-west-2', '--models', 'xai.grok-4.3,qwen.qwen3-32b', '--checks', 'created-at.*,path-prefix,stream.*', '--report-dir', join(dir, `run-${i}`), '--history', history, '--quiet'],
        KEY,
      );
      expect([0, 1], run.stderr).toContain(run.code);
    } finally {
      vi.useRealTimers();
      await emulator.close();
    }
  }
  const result = await cli(['history', history, '--report-dir', out, '--last', '5']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('read 3 run file(s): 3 run(s), 1 target(s)');
  report = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as HistoryReport;
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('history', () => {
  it('appends one gzip file per run, and nothing else', async () => {
    const names = await readdir(history);
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(/^2026120[135]T020000Z-.+-[0-9a-f]{12}\.run\.json\.gz$/);
  });

  it('history.json names the change points with the dates of the runs that saw them', () => {
    expect(report.format).toBe('mantle-conformance.history/1');
    expect(report.runs.map((r) => r.startedAt.slice(0, 10))).toEqual(['2026-12-01', '2026-12-03', '2026-12-05']);
    const cell = report.cells.find((c) => c.target === 'us-west-2' && c.model === 'xai.grok-4.3' && c.check === 'created-at.responses')!;
    expect(cell.changes.map((c) => [c.text, c.date])).toEqual([
      ['integer -> exponent', '2026-12-03'],
      ['exponent -> integer', '2026-12-05'],
    ]);
    expect(cell.segments.map((s) => [s.observed, s.runs])).toEqual([
      ['integer', 1],
      ['exponent', 1],
      ['integer', 1],
    ]);
    // The other model did not change: one segment, no change point.
    const other = report.cells.find((c) => c.model === 'qwen.qwen3-32b' && c.check === 'created-at.responses')!;
    expect(other.changes).toEqual([]);
    expect(other.segments).toHaveLength(1);
    expect(report.recent.changes.filter((c) => c.check === 'created-at.responses').map((c) => `${c.model} ${c.text} ${c.date}`)).toEqual([
      'xai.grok-4.3 integer -> exponent 2026-12-03',
      'xai.grok-4.3 exponent -> integer 2026-12-05',
    ]);
    // Each live run measured latency: one point per run per API.
    const latency = report.latency.find((l) => l.model === 'xai.grok-4.3' && l.api === 'responses')!;
    expect(latency.runs).toEqual([0, 1, 2]);
  });

  it('names the shape drift with the run that first saw it, while the cells stayed as they were', async () => {
    const qwen = report.drift.filter((d) => d.drift.model === 'qwen.qwen3-32b');
    expect(qwen.map((d) => [d.date, d.drift.api, d.drift.added, d.drift.vanished])).toEqual([['2026-12-05', 'chat-completions', ['[chat.completion.chunk] choices[].obfuscation string'], []]]);
    // Grok's created_at is drift too: its type by lexeme changed, and changed back.
    const grok = report.drift.filter((d) => d.drift.model === 'xai.grok-4.3');
    const typeChanges = grok.map((d) => [d.date, d.drift.api, d.drift.changedType.map((c) => `${c.path}: ${c.before.join()} -> ${c.after.join()}`)] as const);
    expect(typeChanges.map(([date, api]) => [date, api])).toEqual([
      ['2026-12-03', 'responses'],
      ['2026-12-05', 'responses'],
    ]);
    expect(typeChanges[0]![2]).toContain('created_at: integer -> exponent');
    expect(typeChanges[0]![2]).toContain('[response.created] response.created_at: integer -> exponent');
    expect(typeChanges[1]![2]).toContain('created_at: exponent -> integer');
    expect(report.recent.drift).toHaveLength(3);
    expect(report.cells.filter((c) => c.model === 'qwen.qwen3-32b' && c.changes.length > 0)).toEqual([]);
    const digest = await readFile(join(out, 'history.md'), 'utf8');
    expect(digest).toContain('### Shape drift (3)');
    expect(digest).toMatch(/- `qwen\.qwen3-32b` `chat-completions` \(us-west-2\) on 2026-12-05: added .*obfuscation/);
  });

  it('the digest says it in one line per cell, with dates and run ids', async () => {
    const digest = await readFile(join(out, 'history.md'), 'utf8');
    const line = digest.split('\n').find((l) => l.includes('`created-at.responses`'))!;
    expect(line).toMatch(/^- `xai\.grok-4\.3` `created-at\.responses` \(us-west-2\): integer -> exponent on 2026-12-03 \(run `[^`]+`\), exponent -> integer on 2026-12-05/);
    expect(digest).toContain('## Mantle conformance: what changed in the last 5 runs');
  });

  it('two jobs appending at once write two whole files with distinct names and leave no temp file', async () => {
    const matrix = JSON.parse(await readFile(join(dir, 'run-0', 'matrix.json'), 'utf8')) as Matrix;
    // One CI run's job uploading again: its files are one run whatever their slots.
    matrix.run.ci = { system: 'github', runId: '4242', attempt: 1 };
    const folder = join(dir, 'concurrent');
    const files = await Promise.all(Array.from({ length: 8 }, () => appendRun(folder, matrix)));
    expect(new Set(files).size).toBe(8);
    const names = await readdir(folder);
    expect(names.sort()).toEqual(files.map((f) => f.slice(folder.length + 1)).sort());
    // Shards of one run id (and a duplicate upload) are one run in the history.
    const result = await cli(['history', folder, '--report-dir', join(dir, 'concurrent-out')]);
    expect(result.stdout).toContain('read 8 run file(s): 1 run(s)');
  });

  it('a history folder that cannot be written is exit 2 naming --history, before anything is sent', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const run = await cli(['run', '--models', 'zai.glm-5', '--history', join(file, 'h'), '--report-dir', join(dir, 'r'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --history .*cannot append the run there/);
  });
});

describe('a history folder is untrusted', () => {
  const bad = async (name: string, bytes: Buffer) => {
    const folder = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    await mkdir(folder, { recursive: true });
    for (const f of await readdir(history)) await writeFile(join(folder, f), await readFile(join(history, f)));
    await writeFile(join(folder, name), bytes);
    return cli(['history', folder, '--report-dir', join(folder, 'out')]);
  };

  it.each([
    ['not gzip', Buffer.from('hello'), /not a gzip file/],
    ['not JSON', gzipSync('{nope'), /not JSON/],
    ['another format', gzipSync(JSON.stringify({ format: 'mantle-conformance.matrix/2' })), /format is "mantle-conformance\.matrix\/2"/],
    ['a bad status', gzipSync(JSON.stringify({ format: 'mantle-conformance.history-run/1', run: { id: 'r', startedAt: '2026-12-01T00:00:00Z', finishedAt: 'x', harnessVersion: '1', partial: false, filtered: false }, targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: [] }], models: [], checks: [], cells: { 't/m': { c: { status: '<script>', observed: null } } } })), /cells\.t\/m\.c\.status/],
    ['a compression bomb', gzipSync(Buffer.alloc(40 * 1024 * 1024, 32)), /unpacks to at most 32 MiB/],
  ])('%s: exit 2 naming the file', async (_name, bytes, message) => {
    const result = await bad(`20261206T000000-evil-000000000000${RUN_FILE_SUFFIX}`, bytes);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_HISTORY_INVALID');
    expect(result.stderr).toContain(`20261206T000000-evil-000000000000${RUN_FILE_SUFFIX}`);
    expect(result.stderr).toMatch(message);
  });

  const validRun = async () => JSON.parse(gunzipSync(await readFile(join(history, (await readdir(history)).sort()[0]!))).toString('utf8')) as Record<string, any>;
  it.each([
    ['a cell key with no target', (r: Record<string, any>) => void (r.cells['nonslash'] = { 'path-prefix': { status: 'pass', observed: '/v1' } }), /cells: the key "nonslash" is not "<target>\/<model>"/],
    ['a cell key of another target', (r: Record<string, any>) => void (r.cells['eu-west-1/m'] = { 'path-prefix': { status: 'pass', observed: '/v1' } }), /cells: the key "eu-west-1\/m" is not .* \(us-west-2\)/],
    ['a __proto__ cell key', (r: Record<string, any>) => void (r.cells = JSON.parse('{"__proto__":{"path-prefix":{"status":"pass","observed":null}}}')), /cells: the key "__proto__"/],
    ['a __proto__ check', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3'] = JSON.parse('{"__proto__":{"status":"pass","observed":null}}')), /the check "__proto__" is not one of the run's checks/],
    ['a __proto__ latency key', (r: Record<string, any>) => void (r.latency = JSON.parse('{"__proto__":{"responses":{"n":1,"headersMs":{"p50":1,"p95":1},"totalMs":{"p50":1,"p95":1}}}}')), /latency: the key "__proto__"/],
    ['an observed value that is an object', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3']['path-prefix'].observed = { a: 1 }), /cells\.us-west-2\/xai\.grok-4\.3\.path-prefix\.observed must be string,number,null/],
    ['an observed value of 301 characters', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3']['path-prefix'].observed = 'x'.repeat(301)), /observed must NOT have more than 300 characters/],
    ['a trial status that is not one', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3']['path-prefix'].trials = [['flaky', 'x']]), /trials\[0\]\[0\] must be one of "pass", "fail", "inconclusive", "unsupported", "skipped", "error" \(got "flaky"\)/],
    ['an empty check id', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3'][''] = { status: 'pass', observed: null }), /cells\.us-west-2\/xai\.grok-4\.3 .*must NOT have fewer than 1 characters/],
    ['a shape that is not a fingerprint of the file', (r: Record<string, any>) => void (r.shapes.exchanges['us-west-2/xai.grok-4.3'].responses = { k: ['constructor'] }), /the fingerprint "constructor" is not in shapes\.fingerprints/],
    ['a start that is no date', (r: Record<string, any>) => void (r.run.startedAt = '2026-02-30T25:61:00Z'), /run\.startedAt: "2026-02-30T25:61:00Z" is not a real date and time in UTC/],
    ['a start in the future', (r: Record<string, any>) => void (r.run.startedAt = '2099-01-01T00:00:00.000Z'), /run\.startedAt: "2099-01-01T00:00:00\.000Z" is later than now .* by more than a day; .*fix the clock/],
    // JSON.stringify of it in the message overflowed the stack: exit 3 with a stack trace.
    ['an observed value 5000 arrays deep', (r: Record<string, any>) => void (r.cells['us-west-2/xai.grok-4.3']['path-prefix'].observed = 'DEEP'), /path-prefix\.observed\[0\]\[0\].*: nested more than 16 levels deep/],
  ])('%s: exit 2 naming the file and the key', async (_name, mutate, message) => {
    const run = await validRun();
    mutate(run);
    const text = JSON.stringify(run).replace('"DEEP"', `${'['.repeat(5000)}1${']'.repeat(5000)}`);
    const result = await bad(`20261206T000000-evil-000000000000${RUN_FILE_SUFFIX}`, gzipSync(text));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('HARNESS_HISTORY_INVALID');
    expect(result.stderr).toContain(`20261206T000000-evil-000000000000${RUN_FILE_SUFFIX}`);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('move it out of the folder');
  });

  it('a second file of a run id with no CI identity (a copy, a re-run outside CI) is another run of the id, named, exit 0', async () => {
    const first = (await readdir(history)).sort()[0]!;
    const second = first.replace(/[0-9a-f]{12}(?=\.run\.json\.gz$)/, 'ffffffffffff');
    const copy = await bad(second, await readFile(join(history, first)));
    expect(copy.code, copy.stderr).toBe(0);
    expect(copy.stdout).toContain('read 4 run file(s): 4 run(s)');
    expect(copy.stdout).toContain('was reused by other runs');
    const run = await validRun();
    run.cells['us-west-2/xai.grok-4.3']['created-at.responses'].observed = 'exponent';
    const rerun = await bad(second, gzipSync(JSON.stringify(run)));
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('read 4 run file(s): 4 run(s)');
  });

  it('a huge file is refused by its size before it is read', async () => {
    const folder = join(dir, 'huge');
    await mkdir(folder, { recursive: true });
    const name = join(folder, `20261206T000000-huge-000000000000${RUN_FILE_SUFFIX}`);
    await writeFile(name, '');
    await truncate(name, 600 * 1024 * 1024);
    const result = await cli(['history', folder, '--report-dir', join(folder, 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/20261206T000000-huge-000000000000\.run\.json\.gz: 629145600 bytes, more than a run file holds \(at most 8 MiB\)/);
  });

  it('a symbolic link named like a run file is named and never followed; nothing in the folder is deleted', async () => {
    const folder = join(dir, `linked-${Math.random().toString(36).slice(2)}`);
    await mkdir(folder, { recursive: true });
    for (const f of await readdir(history)) await writeFile(join(folder, f), await readFile(join(history, f)));
    const secret = join(dir, 'outside.txt');
    await writeFile(secret, 'not a run');
    await symlink(secret, join(folder, `20261206T000000-link-000000000000${RUN_FILE_SUFFIX}`));
    const before = (await readdir(folder)).sort();
    const result = await cli(['history', folder, '--report-dir', join(dir, 'linked-out')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/skipped 20261206T000000-link-000000000000\.run\.json\.gz: not a regular file .*copy the run file into/);
    expect(result.stdout).toContain('read 3 run file(s)');
    expect((await readdir(folder)).sort()).toEqual(before);
    expect(await readFile(secret, 'utf8')).toBe('not a run');
  });

  it('files that are not run files (other names, hidden temp files) are not read', async () => {
    const result = await bad('.20261206T000000-x.run.json.gz.123.tmp', Buffer.from('half'));
    expect(result.code).toBe(0);
    const notes = await bad('README.md', Buffer.from('# notes'));
    expect(notes.code).toBe(0);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('history.html in Chromium', () => {
  it('opens from disk with no network and nothing refused, shows the change points with their dates, filters, and draws the chart', async (context) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      const file = pathToFileURL(join(out, 'history.html')).href;
      await page.goto(file);
      expect(requests.filter((url) => url !== file)).toEqual([]);
      expect(problems).toEqual([]);

      const recent = await page.locator('#recent').textContent();
      expect(recent).toContain('xai.grok-4.3 created-at.responses (us-west-2): integer -> exponent on 2026-12-03');
      expect(recent).toContain('exponent -> integer on 2026-12-05');
      expect(recent).toMatch(/qwen\.qwen3-32b chat-completions \(us-west-2\) on 2026-12-05: added .*obfuscation/);

      // Only cells that changed are listed at first; a filter narrows them, a click shows the change points.
      const row = page.locator('tr[data-key="us-west-2|xai.grok-4.3|created-at.responses"]');
      expect(await row.isVisible()).toBe(true);
      expect(await page.locator('tr[data-key="us-west-2|qwen.qwen3-32b|created-at.responses"]').count()).toBe(0);
      await page.fill('#f-check', 'created-at.resp');
      await expect.poll(() => page.locator('#cell-rows tr').count()).toBe(1);
      await row.click();
      const changes = await page.locator('#detail table.changes').textContent();
      expect(changes).toContain('2026-12-03');
      expect(changes).toContain('integer -> exponent');
      expect(changes).toContain('2026-12-05');
      expect(page.url()).toMatch(/check=created-at\.resp/);
      await page.uncheck('#f-changed');
      await page.fill('#f-check', '');
      await expect.poll(() => page.locator('#cell-rows tr').count()).toBe(report.cells.length);

      // The latency chart: uPlot drew a canvas for the selected (target, model, API).
      expect(await page.locator('#latency-chart .uplot canvas').count()).toBe(1);
      expect(problems).toEqual([]);
      await mkdir(join(ROOT, 'test-output'), { recursive: true });
      await page.fill('#f-check', 'created-at');
      await page.check('#f-changed');
      await page.locator('tr[data-key="us-west-2|xai.grok-4.3|created-at.responses"]').click();
      await page.screenshot({ path: join(ROOT, 'test-output', 'history-html.png') });
      await context.annotate('screenshot of history.html with a cell opened', { path: join(ROOT, 'test-output', 'history-html.png'), contentType: 'image/png' });

      // Markup in a run file (ids, values, event names) stays text: no script runs.
      const hostile = join(dir, 'hostile');
      await mkdir(hostile, { recursive: true });
      for (const f of await readdir(history)) await writeFile(join(hostile, f), await readFile(join(history, f)));
      const p = '<img src=x onerror="window.__pwned=1">';
      const run = JSON.parse(gunzipSync(await readFile(join(history, (await readdir(history)).sort()[2]!))).toString('utf8'));
      run.run.id = 'hostile-run';
      run.run.startedAt = '2026-12-05T03:00:00.000Z';
      run.cells[`us-west-2/${p}`] = { [p]: { status: 'fail', observed: `</script><script>window.__pwned=2</script>` } };
      run.models.push({ id: p, family: p, inCatalog: false });
      run.checks.push({ id: p, group: p, api: p });
      await writeFile(join(hostile, `20261205T030000Z-hostile-000000000000${RUN_FILE_SUFFIX}`), gzipSync(JSON.stringify(run)));
      expect((await cli(['history', hostile, '--report-dir', join(hostile, 'out')])).code).toBe(0);
      const evil = await browser.newPage();
      await evil.goto(`${pathToFileURL(join(hostile, 'out', 'history.html')).href}#changed=0`);
      await evil.locator('#cell-rows tr').first().click();
      expect(await evil.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await evil.locator('#detail h3').textContent()).toContain('<img');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
