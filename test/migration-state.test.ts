/**
 * The migration view claims nothing it did not observe, and says the state of every run behind it: a surface whose
 * one serving API answered 503 (its other api.* checks saw the API not served) is not observed there, never "served
 * on Mantle only"; two files given to `compare --by surface` are each read with their own run state (a partial or
 * shard second file is said, exit 1), and a file whose targets another already gave is refused (exit 2, named); a
 * merge that lacks a shard says "this merge lacks shard 2/2 of run r1", not that the run did not finish. Hermetic:
 * matrices built in memory, written to a temporary folder for the in-process CLI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { buildMigration, migrationHtml, migrationMarkdown } from '../src/report/migration.ts';
import { cli } from './helpers/harness.ts';
import { surfaceRun, type SurfaceCell, type SurfaceRunOptions } from './helpers/surface-run.ts';

type Cell = SurfaceCell;
const API = ['api.chat-completions', 'api.responses', 'api.messages'];
const CHECKS = [...API, 'created-at.chat'];
const runOf = (options: SurfaceRunOptions = {}) => surfaceRun({ checks: CHECKS, ...options });

/** m2 on runtime as rv7 saw deepseek.v3.1: chat completions (the one API it is served through) 503, the others not served. */
const runtime503: Cell[] = [
  { target: 'runtime.east', model: 'm2', check: 'api.chat-completions', status: 'error', observed: null, reason: 'HARNESS_SERVER_ERROR: 503 Service Unavailable' },
  { target: 'runtime.east', model: 'm2', check: 'api.responses', status: 'pass', observed: 'unsupported' },
  { target: 'runtime.east', model: 'm2', check: 'api.messages', status: 'pass', observed: 'unsupported' },
  { target: 'runtime.east', model: 'm2', check: 'created-at.chat', status: 'error', observed: null, reason: 'HARNESS_SERVER_ERROR: 503 Service Unavailable' },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-migration-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, matrix: Matrix): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(matrix));
  return path;
}
const bySurface = async (...files: string[]) => cli(['compare', '--by', 'surface', ...files]);

describe('finding 1: an api.* check that did not observe leaves the side not observed, never "not served"', () => {
  it('runtime answered 503 on chat completions and "not served" on the others: not observed on bedrock-runtime, naming the 503; exit 1', async () => {
    const matrix = runOf({ cells: runtime503 });
    const [pair] = buildMigration(matrix).pairs;
    expect(pair!.onlyMantle).toEqual([]);
    expect(pair!.notObserved).toEqual([{ model: 'm2', surface: 'runtime', why: 'api.chat-completions: error (HARNESS_SERVER_ERROR: 503 Service Unavailable); the other api.* checks saw no API served' }]);
    const md = migrationMarkdown(buildMigration(matrix));
    expect(md).not.toContain('Served on Mantle only');
    expect(md).toContain('Not observed on bedrock-runtime (not compared, no claim made about availability): `m2` (api.chat-completions: error (HARNESS_SERVER_ERROR: 503');
    expect(migrationHtml(buildMigration(matrix))).not.toContain('Served on Mantle only');
    const run = await bySurface(await file('503', matrix));
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Served on Mantle only');
  });

  it('an api.* check not reached (a stop) is named too; every api.* check observed not served is still "served on Mantle only"', () => {
    const notReached = runtime503.map((c) => (c.check === 'api.chat-completions' ? { ...c, status: 'skipped' as const, notRun: true as const, reason: 'not reached: the run stopped' } : c));
    expect(buildMigration(runOf({ cells: notReached })).pairs[0]!.notObserved[0]!.why).toMatch(/^api\.chat-completions: not run \(not reached: the run stopped\)/);
    const served = runtime503.map((c) => (c.check === 'api.chat-completions' ? { ...c, status: 'pass' as const, observed: 'unsupported' } : c));
    expect(buildMigration(runOf({ cells: served })).pairs[0]!.onlyMantle).toEqual(['m2']);
  });
});

describe('finding 3: two files, each with its own run state; a target given twice is refused', () => {
  const mantle = () => runOf({ targets: ['east'], run: { id: 'mantle-run' } });
  it('a runtime run stopped by the spend cap, given second, is said and exits 1 (as when it is given first)', async () => {
    const capped = runOf({ targets: ['runtime.east'], run: { id: 'rt', partial: true, partialReason: 'spend cap: --max-requests 12; 2 request(s) were not sent' } });
    const [m, r] = [await file('mantle', mantle()), await file('capped', capped)];
    for (const files of [[m, r], [r, m]]) {
      const run = await bySurface(...files);
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/did not finish \([^)]*run rt\): partial: spend cap: --max-requests 12/);
    }
  });

  it('a runtime shard given second is said as a shard, and its pairs another shard holds are read as its own', async () => {
    const shard = runOf({ targets: ['runtime.east'], drop: ['runtime.east/m2'], run: { id: 'rt', selection: { models: [], checks: [], filters: [], shard: '1/2' } } });
    const run = await bySurface(await file('mantle2', mantle()), await file('shard', shard));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('This is shard 1/2 of run rt (file 2 given (run rt)), not the whole run');
    expect(run.stdout).toContain("`m2` (not run in this shard (1/2): another shard's");
  });

  it('two shards of one run (the same targets) are refused, naming the file whose cells would be dropped', async () => {
    const shard = (n: string) => runOf({ run: { selection: { models: [], checks: [], filters: [], shard: n } } });
    const run = await bySurface(await file('sh1', shard('1/3')), await file('sh3', shard('3/3')));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/sh3\.json \(run r1\) has only target\(s\) east, runtime\.east that \S*sh1\.json \(run r1\) already has/);
    expect(run.stderr).toContain('merge the shards first');
  });
});

describe('finding 6: a merge short of a shard lacks it; it did not "not finish"', () => {
  it('says "This merge lacks shard 2/2 of run r1", and a stop among its inputs still as not finished', async () => {
    const merge = runOf({ drop: ['runtime.east/m2'], run: { partial: true, partialReason: 'merge: shard 2/2 of run r1 is missing' } });
    const md = migrationMarkdown(buildMigration(merge));
    expect(md).toContain('**This merge lacks shard 2/2 of run r1: the models it held are not observed here');
    expect(md).not.toContain('did not finish');
    expect(migrationHtml(buildMigration(merge))).toContain('This merge lacks shard 2/2 of run r1');
    const run = await bySurface(await file('merge', merge));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('This merge lacks shard 2/2 of run r1');
    const stopped = runOf({ drop: ['runtime.east/m2'], run: { partial: true, partialReason: 'merge: shard 2/2 of run r1 is missing; r1 shard 1/2: spend cap: --max-requests 3' } });
    const both = migrationMarkdown(buildMigration(stopped));
    expect(both).toContain('This merge lacks shard 2/2 of run r1');
    expect(both).toContain('The run did not finish (r1 shard 1/2: spend cap: --max-requests 3)');
  });
});
