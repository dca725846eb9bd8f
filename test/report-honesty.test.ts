/**
 * What the reports say of cells that were not a plain observation (review of the capability table and the
 * matrix reports): an API whose own shape check fails or did not measure is never a plain `yes`; the thinking note
 * reads both thinking checks; regions are named beside their latency and the notes only some gave; skipped and
 * not-reached cells are listed with their reasons in matrix.md and kept in matrix.html's failures view; a gate that
 * fails on the run as a whole says why in the page's gate panel; an interrupted run is not said twice.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCapabilityTable } from '../src/report/capability-table.ts';
import { ELSEWHERE_REASON, gateOf } from '../src/report/gate.ts';
import { renderHtml } from '../src/report/html-report.ts';
import { renderMarkdown, statusLine } from '../src/report/markdown-report.ts';
import type { Matrix, MatrixResult } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

type Cell = { check: string; status: MatrixResult['status']; observed: MatrixResult['observed']; notRun?: true; reason?: string };

/** A one-model matrix of one target with these results added (the small matrix's own checks dropped). */
function matrixOf(cells: Cell[], target = 'emulator', runId = 'r1'): Matrix {
  const matrix = smallMatrix([], ['m.one'], undefined, { target, runId });
  const base = matrix.results[0]!;
  matrix.results = cells.map((c) => ({ ...base, ...c, expected: null, expectedSource: null, reason: c.reason ?? `${c.check} read` }));
  return matrix;
}

const cellsOf = (cells: Cell[]) => buildCapabilityTable([matrixOf(cells)]).rows[0]!.cells;
const pass = (check: string, observed: string): Cell => ({ check, status: 'pass', observed });
/** A cell the run planned and did not run: a stop came first (the default), or a filter took it. */
const unrun = (check: string, reason = 'not reached: interrupted (Ctrl-C)'): Cell => ({ check, status: 'skipped', observed: null, notRun: true, reason });

describe('an API whose checks the run did not run or reach is not a plain "yes"', () => {
  it('a shape check not reached or not run makes the API partial; a caveat check is named; an API not served says nothing of them', () => {
    const cells = cellsOf([
      pass('api.responses', 'supported'),
      pass('content.array.responses', 'accepted'),
      unrun('stream.responses'),
      unrun('schema.response'),
      unrun('schema.response-event', ELSEWHERE_REASON),
      pass('api.chat-completions', 'supported'),
      pass('schema.chat-completion', 'valid'),
      pass('schema.chat-completion-chunk', 'valid'),
      unrun('content.array.chat'),
      pass('api.messages', 'unsupported'),
      unrun('schema.anthropic-message'),
    ]);
    expect(cells.Responses).toMatchObject({ value: 'partial', notes: ['not reached: stream.responses, schema.response', 'not run: schema.response-event'] });
    expect(cells['Chat Completions']).toMatchObject({ value: 'yes', notes: ['not reached: content.array.chat'] });
    expect(cells.Messages).toMatchObject({ value: 'no', notes: [] });
  });

  it('a run of some checks (--checks) names what it did not select, in the cells and under the table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-honesty-filtered-'));
    try {
      const run = await cli(['run', '--checks', 'api.*', '--report-dir', dir, '--quiet', 'anthropic.claude-opus-4-7', 'gpt-oss-20b']);
      expect(run.code, run.stderr).toBe(0);
      const table = buildCapabilityTable([JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix]);
      const row = (model: string) => table.rows.find((r) => r.model === model && r.surface === 'mantle')!.cells;
      expect(row('anthropic.claude-opus-4-7').Messages).toMatchObject({ value: 'partial', notes: [expect.stringMatching(/^not run: .*messages\.basic.*schema\.anthropic-event$/)] });
      expect(row('anthropic.claude-opus-4-7').count_tokens).toMatchObject({ value: 'partial', notes: ['not run: messages.count-tokens'] });
      expect(row('openai.gpt-oss-20b').Responses).toMatchObject({ value: 'partial', notes: [expect.stringMatching(/^not run: .*schema\.response, schema\.response-event$/)] });
      const printed = await cli(['table', join(dir, 'matrix.json')]);
      expect(printed.stdout).toMatch(/^Note: emulator [\d-]+, runtime\.emulator [\d-]+: \d+ of the \d+ checks the table reads were not run \(--checks api\.\\\*/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('an API is not a plain "yes" that its own shape checks do not show', () => {
  const messages = [pass('api.messages', 'supported'), pass('api.count-tokens', 'supported'), pass('messages.thinking-budget', 'rejected'), pass('messages.thinking-adaptive', 'accepted')];

  it('a nonconformant Message and count_tokens answer make Messages and count_tokens partial, named', () => {
    const cells = cellsOf([...messages, { check: 'messages.basic', status: 'fail', observed: 'nonconformant' }, { check: 'messages.count-tokens', status: 'fail', observed: 'nonconformant' }]);
    expect(cells.Messages).toMatchObject({ value: 'partial', notes: expect.arrayContaining(['messages.basic: nonconformant']) });
    expect(cells.count_tokens).toMatchObject({ value: 'partial', notes: ['messages.count-tokens: nonconformant'] });
  });

  it('a shape check that observed nothing leaves the API partial, saying it was not measured', () => {
    const cells = cellsOf([...messages, pass('messages.basic', 'conformant'), { check: 'messages.count-tokens', status: 'error', observed: null }, { check: 'messages.error-shape', status: 'inconclusive', observed: null }]);
    expect(cells.count_tokens).toMatchObject({ value: 'partial', notes: ['messages.count-tokens: error, not measured'] });
    expect(cells.Messages).toMatchObject({ value: 'partial', notes: expect.arrayContaining(['messages.error-shape: inconclusive, not measured']) });
  });

  it('Chat and Responses read their schema checks: invalid bodies are partial, lenient-only ones are not', () => {
    const cells = cellsOf([pass('api.chat-completions', 'supported'), pass('api.responses', 'supported'), pass('schema.chat-completion', 'lenient-only'), { check: 'schema.response-event', status: 'fail', observed: 'invalid' }]);
    expect(cells['Chat Completions']).toMatchObject({ value: 'yes', notes: [] });
    expect(cells.Responses).toMatchObject({ value: 'partial', notes: ['schema.response-event: invalid'] });
  });

  it('conformant shapes leave a plain yes', () => {
    const cells = cellsOf([...messages.slice(0, 2), pass('messages.basic', 'conformant'), pass('messages.count-tokens', 'conformant'), pass('messages.error-shape', 'anthropic')]);
    expect(cells.Messages).toMatchObject({ value: 'yes', notes: [] });
    expect(cells.count_tokens).toMatchObject({ value: 'yes', notes: [] });
  });
});

describe('the Messages thinking note reads both thinking checks', () => {
  const served = pass('api.messages', 'supported');
  it.each([
    ['accepted', 'adaptive thinking only (no budget_tokens)'],
    ['rejected', 'no thinking accepted (budget_tokens and adaptive rejected)'],
  ])('budget_tokens rejected, adaptive %s: %s', (adaptive, note) => {
    expect(cellsOf([served, pass('messages.thinking-budget', 'rejected'), pass('messages.thinking-adaptive', adaptive)]).Messages).toMatchObject({ value: 'partial', notes: [note] });
  });
  it('budget_tokens accepted, adaptive rejected: says adaptive was rejected', () => {
    expect(cellsOf([served, pass('messages.thinking-budget', 'accepted'), pass('messages.thinking-adaptive', 'rejected')]).Messages).toMatchObject({ value: 'partial', notes: ['adaptive thinking rejected'] });
  });
  it('budget_tokens not measured, adaptive rejected: says adaptive was rejected', () => {
    const cells = cellsOf([served, { check: 'messages.thinking-budget', status: 'error', observed: null }, pass('messages.thinking-adaptive', 'rejected')]);
    expect(cells.Messages).toMatchObject({ value: 'partial', notes: ['adaptive thinking rejected', 'messages.thinking-budget: error, not measured'] });
  });
  it('budget_tokens accepted, adaptive not measured: names it', () => {
    const cells = cellsOf([served, pass('messages.thinking-budget', 'accepted'), { check: 'messages.thinking-adaptive', status: 'error', observed: null }]);
    expect(cells.Messages).toMatchObject({ value: 'yes', notes: ['messages.thinking-adaptive: error, not measured'] });
  });
});

describe('a table of several regions names the region of a figure and of a note only some regions gave', () => {
  const region = (name: string, cells: Cell[], ms: number, runId = 'r1') => {
    const matrix = matrixOf(cells, name, runId);
    matrix.targets[0]!.region = name;
    const l = { p50: ms, p95: ms * 2 };
    matrix.totals.latency = { [`${name}/m.one`]: { 'chat-completions': { n: 3, headersMs: l, totalMs: l } } } as unknown as NonNullable<Matrix['totals']['latency']>;
    return matrix;
  };
  const responses = [pass('api.responses', 'supported'), pass('content.array.responses', 'accepted')];
  const table = buildCapabilityTable([region('us-east-1', [...responses, pass('responses.input-items', 'unsupported')], 10), region('us-west-2', [pass('api.responses', 'supported'), pass('content.array.responses', 'rejected'), pass('responses.input-items', 'unsupported')], 30)]);
  const row = table.rows[0]!;

  it('latency figures carry their region', () => {
    expect(row.latency).toBe('us-east-1: chat-completions 10/20 ms (recorded); us-west-2: chat-completions 30/60 ms (recorded)');
  });

  it('regions that agree on partial: a note both gave is said once, one only one gave names it', () => {
    expect(row.cells.Responses).toMatchObject({ value: 'partial', notes: ['no input_items', 'array content rejected (in us-west-2)'] });
  });

  it('two runs of one region on one day are told apart by their run id', () => {
    const same = buildCapabilityTable([region('us-east-1', [...responses, pass('responses.input-items', 'unsupported')], 10, 'r1'), region('us-east-1', [pass('api.responses', 'supported'), pass('content.array.responses', 'rejected'), pass('responses.input-items', 'unsupported')], 30, 'r2')]).rows[0]!;
    expect(same.cells.Responses).toMatchObject({ value: 'partial', notes: ['no input_items', 'array content rejected (in us-east-1 2026-11-24 run r2)'] });
    expect(same.latency).toBe('us-east-1 2026-11-24 run r1: chat-completions 10/20 ms (recorded); us-east-1 2026-11-24 run r2: chat-completions 30/60 ms (recorded)');
  });
});

describe('matrix.md says why a cell was skipped or not reached', () => {
  const stopped = () => {
    const matrix = smallMatrix([
      { model: 'xai.grok-4.3', check: 'created-at.chat', status: 'skipped', observed: null, reason: 'step result not sent: step call answered HTTP 400 without it' },
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'skipped', observed: null, notRun: true, reason: 'not reached: interrupted (Ctrl-C)' },
      { model: 'qwen.qwen3-32b', check: 'defaults.temperature', status: 'skipped', observed: null, notRun: true, reason: 'not reached: interrupted (Ctrl-C)' },
      { model: 'qwen.qwen3-32b', check: 'path-prefix', status: 'skipped', observed: null, notRun: true, reason: ELSEWHERE_REASON },
    ]);
    matrix.run = { ...matrix.run, partial: true, interrupted: true, partialReason: 'interrupted (Ctrl-C)' };
    matrix.gate = gateOf(matrix);
    return matrix;
  };

  it('lists a skipped cell with its reason, not-reached cells per model, and counts skipped cells to look at', () => {
    const md = renderMarkdown(stopped());
    expect(md).toContain('- ○ `xai.grok-4.3` `created-at.chat` (emulator): step result not sent: step call answered HTTP 400 without it');
    expect(md).toContain('- ○ `qwen.qwen3-32b` (emulator): 2 cell(s) not reached: interrupted (Ctrl-C)');
    expect(md).not.toContain('not reached: not reached');
    // Cells not reached are this run's to look at, counted with the skipped ones (the totals say them apart).
    expect(md).toContain('| ○ skipped or not reached |');
    expect(md).toMatch(/\| `emulator\/xai\.grok-4\.3` \| 0 \| 0 \| 0 \| 0 \| 0 \| 1 \|/);
    expect(md).toMatch(/\| `emulator\/qwen\.qwen3-32b` \| 0 \| 0 \| 0 \| 0 \| 0 \| 2 \|/);
    expect(md).not.toMatch(/`path-prefix` \| 0 \| 0 \| 0 \| 0 \| 0 \| 1 \|/);
  });

  it('says an interrupted run once, and counts not-reached and not-run cells as the coverage line does', () => {
    const matrix = stopped();
    expect(matrix.gate.problems[0]!.message).toMatch(/^interrupted \(Ctrl-C\): cells not reached/);
    expect(renderMarkdown(matrix)).not.toContain('interrupted (interrupted');
    expect(statusLine(matrix)).toBe('2 pass, 0 fail, 0 flaky, 0 inconclusive, 0 unsupported, 1 skipped, 0 error, 2 not reached (the run stopped first), 1 not run here (filtered out or another shard\'s)');
  });
});

describe('matrix.html counts the cells a stop did not reach as its failures view keeps them', () => {
  it('lists them in the counts tables and opens on the failures view when they are all there is to look at', () => {
    const reason = 'not reached: interrupted (Ctrl-C)';
    const matrix = smallMatrix([
      { model: 'qwen.qwen3-32b', check: 'created-at.chat', status: 'skipped', observed: null, notRun: true, reason },
      { model: 'qwen.qwen3-32b', check: 'defaults.temperature', status: 'skipped', observed: null, notRun: true, reason },
      { model: 'xai.grok-4.3', check: 'path-prefix', status: 'skipped', observed: null, notRun: true, reason: ELSEWHERE_REASON },
    ]);
    matrix.run = { ...matrix.run, partial: true, interrupted: true, partialReason: 'interrupted (Ctrl-C)' };
    matrix.gate = gateOf(matrix);
    const html = renderHtml(matrix);
    expect(html).toContain('"defaultView":"failures"');
    expect(html).toContain('By model (1 of 2)');
    expect(html).toContain('data-value="qwen.qwen3-32b"');
    expect(html).toContain('By check (2 of 3)');
    expect(html).not.toContain('data-filter="check" data-value="path-prefix"');
    expect(html).toContain('<th class="num" title="skipped or not reached">○</th>');
  });
});

describe('matrix.html gate panel', () => {
  it('says why the gate fails when no cell does (too many errors)', () => {
    const matrix = smallMatrix(['created-at.chat', 'defaults.temperature'].map((check) => ({ model: 'xai.grok-4.3', check, status: 'error' as const, observed: null, expected: null, expectedSource: null, reason: 'HTTP 503' })));
    matrix.gate = gateOf({ ...matrix, gate: { ...matrix.gate, errors: { unexpected: 0, max: 1 } } });
    expect(matrix.gate.gating).toEqual([]);
    expect(matrix.gate.verdict).toBe('fail');
    const html = renderHtml(matrix);
    expect(html).not.toContain('<p class="none">No cell fails its stated expectation.</p>');
    expect(html).toMatch(/What fails the gate \(0 cells, 1 run-level problem\)/);
    expect(html).toContain('No cell fails its stated expectation; the run as a whole fails the gate:');
    expect(html).toMatch(/<ul class="why-run"><li>2 errors in cells with no stated expectation/);
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
describe.skipIf(!existsSync(CHROMIUM))('matrix.html failures view in Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-honesty-html-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps skipped cells (not those a filter took), and shows every count column at 1400 px', async () => {
    const long = 'qwen.qwen3-coder-480b-a35b-instruct-with-a-long-long-long-id';
    const matrix = smallMatrix(
      [
        { model: long, check: 'created-at.chat', status: 'skipped', observed: null, reason: 'step result not sent' },
        { model: long, check: 'defaults.temperature', status: 'inconclusive', observed: null, reason: 'hidden' },
        { model: 'xai.grok-4.3', check: 'defaults.temperature', status: 'skipped', observed: null, notRun: true, reason: ELSEWHERE_REASON },
      ],
      ['xai.grok-4.3', long],
    );
    const file = join(dir, 'matrix.html');
    await writeFile(file, renderHtml(matrix));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('#f-view').inputValue()).toBe('failures');
      const visible = (key: string) => page.locator(`td.cell[data-key="${key}"]`).isVisible();
      expect(await visible(`emulator|${long}|created-at.chat`)).toBe(true);
      expect(await page.locator('tr[data-model="xai.grok-4.3"]').isVisible()).toBe(false);
      // Every count (gating to ○) of the "By model" table is inside its box, not scrolled out of it.
      const cut = await page.evaluate(() => {
        const box = document.querySelectorAll('section#lead .box')[1]!;
        const edge = box.getBoundingClientRect().right;
        return Array.from(box.querySelectorAll('td.num, th.num')).filter((c) => c.getBoundingClientRect().right > edge + 0.5).length;
      });
      expect(cut).toBe(0);
      expect(await page.locator('section#lead th.num').allTextContents()).toEqual(['gating', '✗', '!', '≈', '?', '○', 'gating', '✗', '!', '≈', '?', '○']);
    } finally {
      await browser.close();
    }
  });
});
