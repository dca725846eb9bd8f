/**
 * The migration view claims "served on one surface only" only from what both surfaces observed: a surface whose
 * endpoint errored, a shard that held no pair of the model there, a merge missing that shard, are "not observed",
 * with why; a run that selected no api.* check still compares the cells both surfaces observed; `compare --by
 * surface` exits 1 when a surface was not observed (and 0 for a clean comparison). Hermetic: matrices in memory,
 * written to a temporary folder for the command.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSurfacesCommand } from '../src/cli/report-commands.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { buildMigration, migrationHtml, migrationMarkdown } from '../src/report/migration.ts';
import { surfaceRun, type SurfaceCell } from './helpers/surface-run.ts';

type Cell = SurfaceCell;
const twoSurfaces = surfaceRun;

const errors = (target: string, model: string, checks = ['api.chat-completions', 'created-at.chat']): Cell[] =>
  checks.map((check) => ({ target, model, check, status: 'error', observed: null, reason: 'HARNESS_CONNECTION: could not reach 127.0.0.1 (ECONNREFUSED)' }));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-migration-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function compareBySurface(matrix: Matrix, name: string, json = false): Promise<{ code: number; out: string }> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(matrix));
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await compareSurfacesCommand([file], { json }, out);
  return { code, out: text };
}

describe('migration view: a surface that observed nothing is not observed, never served on the other only', () => {
  it('runtime errored for m2 (its endpoint died): not observed on bedrock-runtime, with the error; compare --by surface exits 1', async () => {
    const matrix = twoSurfaces({ cells: errors('runtime.east', 'm2') });
    const [pair] = buildMigration(matrix).pairs;
    expect(pair!.onlyMantle).toEqual([]);
    expect(pair!.onlyRuntime).toEqual([]);
    expect(pair!.notObserved).toEqual([{ model: 'm2', surface: 'runtime', why: expect.stringMatching(/^nothing observed: 2 error\(s\) \(HARNESS_CONNECTION: could not reach/) }]);
    const md = migrationMarkdown(buildMigration(matrix));
    expect(md).not.toContain('Served on Mantle only');
    expect(md).toMatch(/Not observed on bedrock-runtime \(not compared, no claim made about availability\): `m2` \(nothing observed: 2 error\(s\)/);
    expect(migrationHtml(buildMigration(matrix))).toContain('Not observed on bedrock-runtime');
    const text = await compareBySurface(matrix, 'died');
    expect(text.code).toBe(1);
    const json = await compareBySurface(matrix, 'died-json', true);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).pairs[0].onlyMantle).toEqual([]);
  });

  it('a surface observed serving none of the APIs is still "served on Mantle only"; a clean comparison exits 0', async () => {
    const notServed: Cell[] = [{ target: 'runtime.east', model: 'm2', check: 'api.chat-completions', status: 'pass', observed: 'unsupported' }];
    const matrix = twoSurfaces({ cells: notServed });
    const [pair] = buildMigration(matrix).pairs;
    expect(pair!.onlyMantle).toEqual(['m2']);
    expect(pair!.notObserved).toEqual([]);
    expect((await compareBySurface(matrix, 'served')).code).toBe(0);
  });

  it('a shard that holds m2 on Mantle only: m2 not observed on bedrock-runtime (another shard\'s), and the view says it is a shard', async () => {
    const matrix = twoSurfaces({ drop: ['runtime.east/m2'], run: { selection: { models: [], checks: [], filters: [], shard: '1/2' } } });
    const view = buildMigration(matrix);
    expect(view.shard).toBe('shard 1/2 of run r1');
    expect(view.pairs[0]!.onlyMantle).toEqual([]);
    expect(view.pairs[0]!.notObserved).toEqual([{ model: 'm2', surface: 'runtime', why: expect.stringContaining('not run in this shard (1/2)') }]);
    expect(migrationMarkdown(view)).toContain('This is shard 1/2 of run r1, not the whole run');
    expect((await compareBySurface(matrix, 'shard')).code).toBe(1);
  });

  it('a merge missing a shard: the pair that shard held is "in the missing shard", and the run partial', () => {
    const matrix = twoSurfaces({ drop: ['runtime.east/m2'], run: { partial: true, partialReason: 'merge: shard 2/2 of run r1 is missing' } });
    const view = buildMigration(matrix);
    expect(view.partial).toBe('partial: merge: shard 2/2 of run r1 is missing');
    expect(view.pairs[0]!.onlyMantle).toEqual([]);
    expect(view.pairs[0]!.notObserved.map((n) => [n.model, n.surface])).toEqual([['m2', 'runtime']]);
    expect(view.pairs[0]!.notObserved[0]!.why).toMatch(/missing shard/);
  });

  it('a run that selected no api.* check still compares the cells both surfaces observed', async () => {
    const matrix = twoSurfaces({ checks: ['created-at.chat'] });
    const [pair] = buildMigration(matrix).pairs;
    expect(pair!.models.map((m) => [m.model, m.differences.map((d) => `${d.check} ${String(d.mantle.observed)} -> ${String(d.runtime.observed)}`)])).toEqual([
      ['m1', ['created-at.chat integer -> exponent']],
      ['m2', ['created-at.chat integer -> exponent']],
    ]);
    expect(pair!.notObserved).toEqual([]);
    expect(migrationMarkdown(buildMigration(matrix))).toContain('2 cell(s) differ in 2 model(s)');
    expect((await compareBySurface(matrix, 'no-api')).code).toBe(0);
  });
});
