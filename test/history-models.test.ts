/**
 * What history says of models and latency: a `--models listed` run selected what the endpoint lists, so a model the
 * list dropped disappeared; a run that stopped early says nothing of models it did not reach; latency is compared
 * only between runs that ran their whole selection; an unpacked run file is read, not silently passed over.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { historyRunOf, RUN_FILE_SUFFIX } from '../src/history/history-file.ts';
import { renderDigest } from '../src/history/history-digest.ts';
import { listRunFiles, readRunFile } from '../src/history/read-history.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { HISTORY_RUN_FORMAT, type HistoryCell, type HistoryRun } from '../src/suite/history-schema.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODELS = ['m1', 'm2', 'm3'];
const CHECKS = ['c1', 'c2'];

function runOf(id: string, day: number, cell: (model: string) => HistoryCell | undefined, extra: Partial<HistoryRun['run']> = {}, models = MODELS, totalP95 = 100): HistoryRun {
  const cells: HistoryRun['cells'] = {};
  const latency: NonNullable<HistoryRun['latency']> = {};
  for (const m of models) {
    const value = cell(m);
    if (!value) continue;
    cells[`t/${m}`] = Object.fromEntries(CHECKS.map((c) => [c, value]));
    latency[`t/${m}`] = { chat: { n: 30, headersMs: { p50: 10, p95: 20 }, totalMs: { p50: totalP95 / 2, p95: totalP95 } } };
  }
  return {
    format: HISTORY_RUN_FORMAT,
    run: { id, startedAt: `2025-12-${String(day).padStart(2, '0')}T02:00:00.000Z`, finishedAt: 'x', harnessVersion: '0.1.0', partial: false, filtered: false, ...extra },
    targets: [{ id: 't', mode: 'live', region: null, endpointHost: null, sources: ['live'] }],
    models: models.map((m) => ({ id: m, family: null, inCatalog: true })),
    checks: CHECKS.map((c) => ({ id: c, group: 'G', api: null })),
    cells,
    latency,
  };
}
const pass = (): HistoryCell => ({ status: 'pass', observed: 'yes' });

function build(runs: HistoryRun[], last = 10) {
  const builder = new HistoryBuilder();
  runs.forEach((run, i) => builder.add(`f${i}`, run));
  return builder.build({ last, now: new Date('2026-01-01T00:00:00Z') });
}

/** A `--models listed` run: its selection holds the ids the endpoint listed, and its target the list. */
function listedMatrix(models: string[]): Matrix {
  const matrix = smallMatrix([], models);
  matrix.run.selection.models = [...models];
  matrix.targets[0]!.modelList = { source: 'GET /openai/v1/models', listed: models.length, new: [], notListed: [], refused: [] };
  return matrix;
}

describe('models in history', () => {
  it('a --models listed run is not filtered, so a model the endpoint stopped listing disappeared', () => {
    expect(historyRunOf(listedMatrix(['xai.grok-4.3', 'qwen.qwen3-32b'])).run.filtered).toBe(false);
    // --models naming ids is still a selection.
    const named = smallMatrix();
    named.run.selection.models = ['xai.grok-4.3'];
    expect(historyRunOf(named).run.filtered).toBe(true);
    const first = historyRunOf(listedMatrix(['xai.grok-4.3', 'qwen.qwen3-32b']));
    const second = historyRunOf(listedMatrix(['xai.grok-4.3']));
    second.run.startedAt = '2026-11-25T08:00:00.000Z';
    second.run.id = 'r2';
    const report = build([first, second]);
    expect(report.models.find((m) => m.model === 'qwen.qwen3-32b')!.events.map((e) => e.kind)).toEqual(['disappeared']);
  });

  it('a run that stopped early says nothing of a model it did not reach (skipped or errored cells)', () => {
    const capped = runOf('n2', 2, (m) => (m === 'm1' ? pass() : m === 'm2' ? { status: 'skipped', observed: null } : { status: 'error', observed: null }), { partial: true });
    const report = build([runOf('n1', 1, pass), capped, runOf('n3', 3, pass)]);
    expect(report.models.flatMap((m) => m.events)).toEqual([]);
    expect(renderDigest(report)).not.toContain('### Models');
  });
});

describe('latency shifts', () => {
  it('come only from runs that ran their whole selection: a filtered or partial run is not compared', () => {
    const full = (id: string, day: number) => runOf(id, day, pass, {}, MODELS, 100);
    // A run of one model (filtered) and a partial run measured few, slow requests.
    const one = runOf('one', 5, (m) => (m === 'm1' ? pass() : undefined), { filtered: true }, MODELS, 600);
    const partial = runOf('part', 6, (m) => (m === 'm1' ? pass() : undefined), { partial: true }, MODELS, 600);
    const report = build([full('n1', 1), full('n2', 2), full('n3', 3), full('n4', 4), one, partial], 2);
    expect(report.recent.latency).toEqual([]);
    // A full run as slow is a shift.
    const slow = runOf('slow', 7, pass, {}, MODELS, 600);
    expect(build([full('n1', 1), full('n2', 2), full('n3', 3), full('n4', 4), one, slow], 2).recent.latency.length).toBeGreaterThan(0);
  });
});

describe('an unpacked run file', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'history-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is read (not silently passed over), and read once when its packed file is there too', async () => {
    const run = runOf('n1', 1, pass);
    const plain = `20251201T020000Z-n1-000000000000${RUN_FILE_SUFFIX.replace(/\.gz$/, '')}`;
    await writeFile(join(dir, plain), JSON.stringify(run));
    expect((await listRunFiles(dir)).names).toEqual([plain]);
    expect((await readRunFile(dir, plain)).run.id).toBe('n1');
    await writeFile(join(dir, `${plain}.gz`), gzipSync(JSON.stringify(run)));
    expect((await listRunFiles(dir)).names).toEqual([`${plain}.gz`]);
  });
});

describe('Markdown text from a run', () => {
  it('mentions nobody: `@` is followed by a word joiner, so GitHub sees no @name', async () => {
    const { markdownText } = await import('../src/report/inert-text.ts');
    expect(markdownText('ping @security-team and a@b')).toBe('ping @\u2060security-team and a@\u2060b');
    const run = runOf('n1', 1, pass);
    const evil = runOf('n2', 2, () => ({ status: 'pass', observed: '@octo-org/admins' }));
    const md = renderDigest(build([run, evil]));
    expect(md).toContain('yes -> @\u2060octo-org/admins');
    expect(md).not.toMatch(/@[A-Za-z0-9]/);
  });
});
