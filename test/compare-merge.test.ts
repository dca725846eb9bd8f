/**
 * Runs against runs: compare lists what changed and exits 1 on a new failure; --baseline does the same inside a
 * run (and the GitHub step summary shows only the changes); merging shard outputs gives the single run's matrix.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';

let dir: string;
const read = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Matrix;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compare-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('compare', () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    before = join(dir, 'before');
    expect((await cli(['run', '--models', 'xai.grok-4.3,qwen.qwen3-32b', '--report-dir', before, '--quiet'])).code).toBe(0);
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { defaults: { temperature: 1 } } }, { apiKey: 'cmp-key-0123456789' });
    try {
      after = join(dir, 'after');
      const run = await cli(['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'xai.grok-4.3,zai.glm-5', '--report-dir', after, '--quiet'], {
        AWS_BEARER_TOKEN_BEDROCK: 'cmp-key-0123456789',
      });
      expect(run.code).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it('lists new failures (each change once, under the most specific heading), new and vanished models, and exits 1', async () => {
    const result = await cli(['compare', join(before, 'matrix.json'), join(after, 'matrix.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/new failures: 1\n {2}xai\.grok-4\.3 defaults\.temperature \(emulator\): pass 0\.7 -> fail 1/);
    // The new failure changed the observed value too; it is not listed a second time.
    expect(result.stdout.match(/xai\.grok-4\.3 defaults\.temperature/g)).toHaveLength(1);
    expect(result.stdout).not.toContain('changed observed values');
    expect(result.stdout).toContain('new models: zai.glm-5');
    expect(result.stdout).toContain('vanished models: qwen.qwen3-32b');
    expect(result.stdout).toContain('regressed: yes (exit 1)');
  });

  it('the other way round, the same change is a fix and nothing regressed', async () => {
    const result = await cli(['compare', join(after, 'matrix.json'), join(before, 'matrix.json'), '--json']);
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.fixes.map((c: { check: string }) => c.check)).toEqual(['defaults.temperature']);
    expect(comparison.newFailures).toEqual([]);
  });

  it('--baseline compares inside the run, and the step summary shows only the changes', async () => {
    const emulator = await catalogEmulator({ 'xai.grok-4.3': { defaults: { temperature: 1 } } }, { apiKey: 'cmp-key-0123456789' });
    const summary = join(dir, 'summary.md');
    try {
      const reports = join(dir, 'with-baseline');
      const run = await cli(
        ['run', '--mode', 'live', '--endpoint', emulator.url, '--target-name', 'emulator', '--models', 'xai.grok-4.3,qwen.qwen3-32b', '--baseline', join(before, 'matrix.json'), '--report-dir', reports, '--quiet'],
        { AWS_BEARER_TOKEN_BEDROCK: 'cmp-key-0123456789', GITHUB_STEP_SUMMARY: summary },
      );
      expect(run.code).toBe(1);
      const matrix = await read(join(reports, 'matrix.json'));
      expect(matrix.comparison?.newFailures.map((c) => c.check)).toEqual(['defaults.temperature']);
      expect(matrix.gate.regressedSinceBaseline).toBe(true);
      const text = await readFile(summary, 'utf8');
      expect(text).toContain('### Mantle conformance: fail');
      expect(text).toMatch(/\*\*New failures\*\* \(1\)[\s\S]*\| `xai\.grok-4\.3` \| `defaults\.temperature` \| emulator \| ✓ 0\.7 \| ✗ 1 \|/);
      expect(text).not.toContain('qwen.qwen3-32b');
      const html = await readFile(join(reports, 'matrix.html'), 'utf8');
      expect(html).toContain('Changes since run');
      expect(html).toMatch(/data-key="emulator\|xai\.grok-4\.3\|defaults\.temperature"[^>]*>✗ 1<span class="change" title="new failure">▲<\/span>/);
    } finally {
      await emulator.close();
    }
  });
});

// Merging reads the matrices, not the fixtures: a few models on both bundled targets are as many shards as the
// whole catalog, at a fraction of the replays.
const SOME = ['--models', 'anthropic.claude-opus-4-7,openai.gpt-oss-20b,qwen.qwen3-32b,xai.grok-4.3,zai.glm-5'];

describe('merge', () => {
  it('two shards of a run merge into the single run\'s matrix', async () => {
    const single = join(dir, 'single');
    expect((await cli(['run', ...SOME, '--report-dir', single, '--quiet'])).code).toBe(0);
    for (const shard of ['1/2', '2/2']) {
      const out = join(dir, `shard-${shard[0]}`);
      const result = await cli(['run', ...SOME, '--shard', shard, '--run-id', 'sharded', '--report-dir', out, '--quiet']);
      expect(result.code, result.stderr).toBe(0);
    }
    const first = await read(join(dir, 'shard-1', 'matrix.json'));
    expect(first.results.some((r) => r.notRun)).toBe(true);
    expect(first.results.some((r) => !r.notRun)).toBe(true);
    const merged = join(dir, 'merged');
    const result = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-2', 'matrix.json'), '--report-dir', merged]);
    expect(result.code, result.stderr).toBe(0);
    const strip = (m: Matrix) => ({ ...m, run: { ...m.run, id: '', startedAt: '', finishedAt: '', durationMs: 0, selection: null }, totals: { ...m.totals, wallMs: 0 } });
    expect(strip(await read(join(merged, 'matrix.json')))).toEqual(strip(await read(join(single, 'matrix.json'))));

    // The same shard twice, and shards of two runs, are not a complete set: partial, named, exit 1.
    const doubled = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-1', 'matrix.json'), '--report-dir', join(dir, 'doubled')]);
    expect(doubled.code).toBe(1);
    expect(doubled.stdout).toContain('shard 1/2 of run sharded is given 2 times');
    expect(doubled.stdout).toContain('shard 2/2 of run sharded is missing');
    const other = join(dir, 'other-run');
    expect((await cli(['run', ...SOME, '--shard', '2/2', '--run-id', 'another', '--report-dir', other, '--quiet'])).code).toBe(0);
    const mixed = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(other, 'matrix.json'), '--report-dir', join(dir, 'mixed')]);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/target emulator comes from 2 different runs \(sharded, another\)/);
  }, 240_000);

  // Hand-edited copies of the two shards above: no new replays.
  it('refuses shards of one run with different selections, and two files that ran the same cell: exit 2 naming both files', async () => {
    const [one, two] = await Promise.all([read(join(dir, 'shard-1', 'matrix.json')), read(join(dir, 'shard-2', 'matrix.json'))]);
    const write = async (name: string, matrix: Matrix) => {
      const file = join(dir, name);
      await writeFile(file, JSON.stringify(matrix));
      return file;
    };
    // Shard 2 run without one of the models: its cells would read "not run here" in the merged matrix.
    const gap = await write('gap.json', { ...two, run: { ...two.run, selection: { ...two.run.selection, models: two.run.selection.models.filter((m) => m !== 'zai.glm-5') } } });
    const refusedGap = await cli(['merge', join(dir, 'shard-1', 'matrix.json'), gap, '--report-dir', join(dir, 'gap')]);
    expect(refusedGap.code).toBe(2);
    expect(refusedGap.stderr).toMatch(/HARNESS_REPORT_INVALID: merge: \S*shard-1\/matrix\.json and \S*gap\.json are both of run sharded, but models differ \(only in \S*shard-1\/matrix\.json: "zai\.glm-5"; only in \S*gap\.json: none\)/);
    const filtered = await write('filtered.json', { ...two, run: { ...two.run, selection: { ...two.run.selection, filters: ['grok'] } } });
    expect((await cli(['merge', join(dir, 'shard-1', 'matrix.json'), filtered, '--report-dir', join(dir, 'filtered')])).stderr).toMatch(/but filters differ/);

    // Shard 2 also holds a cell shard 1 ran: in either order, neither file wins (refused, even with the same verdict).
    const ranByOne = one.results.find((r) => !r.notRun && r.status === 'pass' && r.expected !== null)!;
    const overlap = await write('overlap.json', { ...two, results: two.results.map((r) => (r.target === ranByOne.target && r.model === ranByOne.model && r.check === ranByOne.check ? { ...ranByOne, notRun: undefined } : r)) });
    for (const files of [[join(dir, 'shard-1', 'matrix.json'), overlap], [overlap, join(dir, 'shard-1', 'matrix.json')]]) {
      const refused = await cli(['merge', ...files, '--report-dir', join(dir, 'overlap')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`both ran target "${ranByOne.target}", model "${ranByOne.model}", check "${ranByOne.check}"`);
      expect(refused.stderr).toContain('shard-1/matrix.json');
      expect(refused.stderr).toContain('overlap.json');
    }
    // The unedited shards still merge (the edits above are what is refused).
    expect((await cli(['merge', join(dir, 'shard-1', 'matrix.json'), join(dir, 'shard-2', 'matrix.json'), '--report-dir', join(dir, 'again')])).code).toBe(0);
  });

  it('2 of 3 shards: exit 1, and the matrix says which shard is missing', async () => {
    for (const shard of ['1/3', '2/3']) expect((await cli(['run', ...SOME, '--shard', shard, '--run-id', 'three', '--report-dir', join(dir, `three-${shard[0]}`), '--quiet'])).code).toBe(0);
    const out = join(dir, 'two-of-three');
    const result = await cli(['merge', join(dir, 'three-1', 'matrix.json'), join(dir, 'three-2', 'matrix.json'), '--report-dir', out]);
    expect(result.code).toBe(1);
    const matrix = await read(join(out, 'matrix.json'));
    expect(matrix.run.partial).toBe(true);
    expect(matrix.run.partialReason).toBe('merge: shard 3/3 of run three is missing');
    expect(matrix.gate).toMatchObject({ exitCode: 1, verdict: 'fail', problems: [{ kind: 'partial', message: 'partial run: merge: shard 3/3 of run three is missing' }] });
    expect(await readFile(join(out, 'matrix.md'), 'utf8')).toMatch(/\*\*Gate: fail \(exit 1\): partial run\*\*[\s\S]*## What fails the gate\n\n- \*\*partial\*\*: partial run: merge: shard 3\/3 of run three is missing/);
  }, 240_000);
});
