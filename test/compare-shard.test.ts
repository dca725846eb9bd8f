/**
 * `compare` against a lone shard names the models it did not compare, and `compareWarnings` says when the newer run
 * is one shard or started before the baseline (arguments swapped).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/harness.ts';
import { compareMatrices, comparisonWarnings, describeComparison } from '../src/report/compare.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

describe('compare with a lone shard', () => {
  it('lists the models of the other shards as not compared', () => {
    const full = smallMatrix();
    // Shard 1/2 ran grok only: qwen's cells are another shard's (notRun).
    const shard = smallMatrix([], undefined, undefined, { runId: 'r2', shard: '1/2' });
    shard.results = shard.results.map((r) => (r.model === 'qwen.qwen3-32b' ? { ...r, status: 'skipped' as const, notRun: true as const, reason: 'another shard' } : r));
    shard.run.startedAt = '2026-11-25T08:00:00.000Z';
    shard.run.finishedAt = '2026-11-25T08:00:10.000Z';
    const comparison = compareMatrices(full, shard);
    expect(comparison.notSelected?.models).toEqual(['qwen.qwen3-32b']);
    expect(describeComparison(comparison)).toContain('models: qwen.qwen3-32b');
    expect(comparisonWarnings(full, shard)).toEqual([expect.stringContaining('is shard 1/2 only')]);
  });

  it('lists the (target, model) pairs another shard took when the shard ran a model on some targets only', () => {
    // Shards are cut by (target, model): shard 1/2 ran grok on east and qwen on west, the rest is shard 2/2's.
    const twoTargets = (runId: string, shard?: string) => {
      const [east, west] = (['east', 'west'] as const).map((target) => smallMatrix([], undefined, undefined, { target, runId, ...(shard ? { shard } : {}) }));
      east!.targets.push(...west!.targets);
      east!.results.push(...west!.results);
      return east!;
    };
    const full = twoTargets('r1');
    const shard = twoTargets('r2', '1/2');
    const theirs = (r: { target: string; model: string }) => (r.target === 'east') !== (r.model === 'xai.grok-4.3');
    shard.results = shard.results.map((r) => (theirs(r) ? { ...r, status: 'skipped' as const, notRun: true as const, reason: 'another shard' } : r));
    shard.run.startedAt = '2026-11-25T08:00:00.000Z';
    shard.run.finishedAt = '2026-11-25T08:00:10.000Z';
    const comparison = compareMatrices(full, shard);
    expect(comparison.notSelected?.models).toEqual(['west/xai.grok-4.3', 'east/qwen.qwen3-32b']);
    expect(comparison.vanishedModels).toEqual([]);
  });

  it('warns when the newer run started before the baseline, and not otherwise', () => {
    const old = smallMatrix();
    const now = smallMatrix([], undefined, undefined, { runId: 'r2' });
    now.run.startedAt = '2026-11-25T08:00:00.000Z';
    now.run.finishedAt = '2026-11-25T08:00:10.000Z';
    expect(comparisonWarnings(old, now)).toEqual([]);
    expect(comparisonWarnings(now, old)).toEqual([expect.stringContaining('started (2026-11-24T08:00:00.000Z) before the baseline r2')]);
  });

  it('the CLI says both on stderr and keeps the comparison\'s exit code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compare-shard-'));
    try {
      const old = smallMatrix();
      const now = smallMatrix([], undefined, undefined, { runId: 'r2' });
      now.run.startedAt = '2026-11-25T08:00:00.000Z';
      now.run.finishedAt = '2026-11-25T08:00:10.000Z';
      await writeFile(join(dir, 'old.json'), JSON.stringify(old));
      await writeFile(join(dir, 'new.json'), JSON.stringify(now));
      const swapped = await cli(['compare', join(dir, 'new.json'), join(dir, 'old.json')]);
      expect(swapped.stderr).toMatch(/^warning: the newer run .* before the baseline r2/m);
      const inOrder = await cli(['compare', join(dir, 'old.json'), join(dir, 'new.json')]);
      expect(inOrder.stderr).not.toMatch(/warning/);
      expect(swapped.code).toBe(inOrder.code);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
