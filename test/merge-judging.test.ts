/**
 * Shards of one run judged against other expectations, another catalog or another --repeat are not one run: the
 * same run passed or failed by which CI job held which file (hostile review of shards, 2026-12-05). A run records
 * what it judged against (run.judging); merge refuses shards that differ, and reads older files that do not say.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const ELSEWHERE = 'not run: filtered out (a model filter or -t) or in another shard';
const notRun = (model: string) => CHECKS.map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: ELSEWHERE, evidence: [], notRun: true as const }));
const judged = (m: Matrix, judging: Matrix['run']['judging']): Matrix => ({ ...m, run: { ...m.run, ...(judging ? { judging } : {}) } });
const JUDGING = { expectations: '0123456789abcdef', catalog: 'fedcba9876543210', repeat: 1 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-judging-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('shards judged alike', () => {
  const one = (judging: Matrix['run']['judging']) => judged(smallMatrix(notRun(QWEN), [GROK, QWEN], CHECKS, { runId: 'S', shard: '1/2' }), judging);
  const two = (judging: Matrix['run']['judging']) => judged(smallMatrix(notRun(GROK), [GROK, QWEN], CHECKS, { runId: 'S', shard: '2/2' }), judging);

  it('merge: the same expectations, catalog and repeat merge, and the merged run says so', () => {
    expect(mergeMatrices([one(JUDGING), two(JUDGING)]).run.judging).toEqual(JUDGING);
  });

  it.each([
    ['expectations', { ...JUDGING, expectations: null }],
    ['catalog', { ...JUDGING, catalog: '1111111111111111' }],
    ['repeat', { ...JUDGING, repeat: 3 }],
  ])('merge: another %s is refused, naming what differs', (what, other) => {
    expect(() => mergeMatrices([one(JUDGING), two(other)])).toThrow(new RegExp(`what they were judged against differs \\(the digests [^)]*\\) \\(only in .*${what}`));
  });

  it('merge: a file of an older harness (no judging) merges with one that says', () => {
    expect(mergeMatrices([one(JUDGING), two(undefined)]).run.partial).toBe(false);
  });
});

describe('runs of different catalogs (one per region)', () => {
  const region = (target: string, runId: string, catalog: string, digest?: string): Matrix => {
    const m = smallMatrix([], [GROK, QWEN], CHECKS, { target, runId });
    return { ...m, run: { ...m.run, catalog, ...(digest ? { judging: { ...JUDGING, catalog: digest } } : {}) } };
  };

  it('merge names every catalog, and bless then asks which one the values are for', async () => {
    const merged = mergeMatrices([region('us', 'A', '/ci/a/models.yaml', '1111111111111111'), region('eu', 'B', '/ci/b/models.yaml', '2222222222222222')]);
    expect(merged.run.catalogs).toEqual(['/ci/a/models.yaml', '/ci/b/models.yaml']);
    // Merged again with a third run of the first catalog: still both, once each.
    expect(mergeMatrices([merged, region('ap', 'C', '/ci/a/models.yaml')]).run.catalogs).toEqual(['/ci/a/models.yaml', '/ci/b/models.yaml']);
    const file = join(dir, 'two-catalogs.json');
    await writeFile(file, JSON.stringify(merged));
    const bless = await cli(['bless', '--all', file, '--expectations', join(dir, 'never.yaml')]);
    expect(bless.code).toBe(2);
    expect(bless.stderr).toContain('merges runs of 2 catalogs (/ci/a/models.yaml, /ci/b/models.yaml)');
    expect(bless.stderr).toContain('Pass --catalog FILE');
    await expect(readFile(join(dir, 'never.yaml'))).rejects.toThrow();
  });

  it('two catalogs read from one path (edited between the jobs) are two, told apart by digest', () => {
    const merged = mergeMatrices([region('us', 'A', '/ci/models.yaml', '1111111111111111'), region('eu', 'B', '/ci/models.yaml', '2222222222222222')]);
    expect(merged.run.catalogs).toEqual(['/ci/models.yaml (digest 1111111111111111)', '/ci/models.yaml (digest 2222222222222222)']);
  });

  it('one catalog at two paths (the same digest), or one path, is one catalog', () => {
    expect(mergeMatrices([region('us', 'A', '/ci/a/models.yaml', '1111111111111111'), region('eu', 'B', '/ci/b/models.yaml', '1111111111111111')]).run.catalogs).toBeUndefined();
    expect(mergeMatrices([region('us', 'A', '/ci/models.yaml'), region('eu', 'B', '/ci/models.yaml')]).run.catalogs).toBeUndefined();
  });
});

describe('a live run records --repeat', () => {
  it('as the trials it asked for', async () => {
    const emulator = await catalogEmulator();
    try {
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--auth', 'none', '--models', 'xai.grok-4.3', '--checks', 'path-prefix', '--repeat', '2', '--report-dir', join(dir, 'live'), '--quiet']);
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(await readFile(join(dir, 'live', 'matrix.json'), 'utf8')) as Matrix).run.judging!.repeat).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});

describe('a run records what it judged against', () => {
  it('the digests of its expectations, catalog and suites (and --openapi), and no --repeat in replay (it repeats what was recorded)', async () => {
    const expectations = join(dir, 'expectations.yaml');
    await writeFile(expectations, 'expectations: mantle\nmodels: {}\n');
    const run = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--expectations', expectations, '--report-dir', join(dir, 'r'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const matrix = JSON.parse(await readFile(join(dir, 'r', 'matrix.json'), 'utf8')) as Matrix;
    const digest = expect.stringMatching(/^[0-9a-f]{16}$/);
    expect(matrix.run.judging).toEqual({ expectations: digest, catalog: digest, suites: digest, openapi: null });
    const repeated = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--expectations', expectations, '--repeat', '3', '--report-dir', join(dir, 'r3'), '--quiet']);
    expect(repeated.code, repeated.stderr).toBe(0);
    expect((JSON.parse(await readFile(join(dir, 'r3', 'matrix.json'), 'utf8')) as Matrix).run.judging).toEqual(matrix.run.judging);
    const none = await cli(['run', 'xai.grok-4.3', '--checks', 'path-prefix', '--no-expectations', '--report-dir', join(dir, 'n'), '--quiet']);
    expect(none.code, none.stderr).toBe(0);
    expect((JSON.parse(await readFile(join(dir, 'n', 'matrix.json'), 'utf8')) as Matrix).run.judging!.expectations).toBeNull();
    // And it reads back (report validates the file against the schema).
    expect((await cli(['report', join(dir, 'r', 'matrix.json')])).code).toBe(0);
  });
});
