/**
 * The CI identity a run records (run.ci, from the environment) and what merge keeps of it; what a merge of shards
 * each compared with a baseline says was not compared (only what no shard ran), and how a lone shard says a target
 * it ran nothing of.
 */
import { describe, expect, it } from 'vitest';
import { compareMatrices, describeComparison } from '../src/report/compare.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { renderStepSummary } from '../src/report/step-summary.ts';
import { ciOf } from '../src/run/run-matrix.ts';
import { historyRunOf } from '../src/history/history-file.ts';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

/** Two targets, east and west, each running grok and qwen; as shard `shard` of run `runId` when given. */
function twoTargets(runId: string, shard?: string) {
  const [east, west] = (['east', 'west'] as const).map((target) => smallMatrix([], undefined, undefined, { target, runId, ...(shard ? { shard } : {}) }));
  east!.targets.push(...west!.targets);
  east!.results.push(...west!.results);
  return east!;
}

/** Shard i/2 of a run cut by target: shard 1 ran east, shard 2 west; each compared with `baseline`. */
function shardOf(i: 1 | 2, baseline: ReturnType<typeof twoTargets>) {
  const shard = twoTargets('r2', `${i}/2`);
  const mine = i === 1 ? 'east' : 'west';
  shard.results = shard.results.map((r) => (r.target !== mine ? { ...r, status: 'skipped' as const, notRun: true as const, reason: 'another shard' } : r));
  shard.run.startedAt = '2026-11-25T08:00:00.000Z';
  return { ...shard, comparison: compareMatrices(baseline, shard) };
}

describe('the CI identity of a run', () => {
  it('is read from GitHub Actions or GitLab CI, and left out for a plain shell or an id that is not a plain name', () => {
    expect(ciOf({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '123456', GITHUB_RUN_ATTEMPT: '2' })).toEqual({ system: 'github', runId: '123456', attempt: 2 });
    expect(ciOf({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '123456' })).toEqual({ system: 'github', runId: '123456' });
    expect(ciOf({ GITLAB_CI: 'true', CI_PIPELINE_ID: '987' })).toEqual({ system: 'gitlab', runId: '987' });
    expect(ciOf({})).toBeUndefined();
    expect(ciOf({ GITHUB_RUN_ID: '123456' })).toBeUndefined();
    expect(ciOf({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '12 <b>x</b>' })).toBeUndefined();
    expect(ciOf({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: 'x'.repeat(65) })).toBeUndefined();
  });

  it('is carried into the history run file and kept by a merge when every input is of one CI run (the latest attempt)', () => {
    const [a, b] = [smallMatrix([], undefined, undefined, { runId: 'r', shard: '1/2' }), smallMatrix([], undefined, undefined, { runId: 'r', shard: '2/2' })];
    a!.run.ci = { system: 'github', runId: '55', attempt: 1 };
    b!.run.ci = { system: 'github', runId: '55', attempt: 2 };
    expect(historyRunOf(a!).run.ci).toEqual({ system: 'github', runId: '55', attempt: 1 });
    // Each shard ran the whole small matrix: merged, they are one cell twice; only run.ci is looked at here.
    b!.results = b!.results.map((r) => ({ ...r, status: 'skipped' as const, notRun: true as const, reason: 'another shard' }));
    expect(mergeMatrices([a!, b!]).run.ci).toEqual({ system: 'github', runId: '55', attempt: 2 });
    // Shards of one --run-id from two CI runs (a nightly's and a PR's) are refused, naming both files.
    b!.run.ci = { system: 'github', runId: '56', attempt: 1 };
    expect(() => assertMergeable([a!, b!], ['a/matrix.json', 'b/matrix.json'])).toThrow(/a\/matrix\.json and b\/matrix\.json are both of run r, but their CI runs differ \(only in a\/matrix\.json: "github 55"; only in b\/matrix\.json: "github 56"\)/);
    // Without a CI identity on one side (an older file, a local shard) nothing is compared, and the merge says none.
    delete b!.run.ci;
    expect(mergeMatrices([a!, b!]).run.ci).toBeUndefined();
    // A matrix.json reads its run.ci back, and refuses one that is not a plain name, naming the file.
    expect(parseMatrix(JSON.parse(JSON.stringify(a)), 'a.json').run.ci).toEqual({ system: 'github', runId: '55', attempt: 1 });
    expect(() => parseMatrix(JSON.parse(JSON.stringify({ ...a!, run: { ...a!.run, ci: { system: 'github', runId: '../x' } } })), 'bad.json')).toThrow(/bad\.json/);
  });
});

describe('not compared, of shards', () => {
  it('a lone shard that ran nothing of a target says "every model" of it, and why it was not compared', () => {
    const full = twoTargets('r1');
    const comparison = shardOf(1, full).comparison;
    expect(comparison.notSelected).toEqual({ models: ['west: every model'], checks: [], byShard: true });
    expect(describeComparison(comparison)).toContain("not compared (not selected by --models/--checks, or another shard's): models: west: every model");
  });

  it('a merge of complete shards, each compared with the baseline, names nothing as not compared', () => {
    const full = twoTargets('r1');
    const merged = mergeMatrices([shardOf(1, full), shardOf(2, full)]);
    expect(merged.run.partial).toBe(false);
    expect(merged.comparison?.notSelected).toBeUndefined();
    expect(renderStepSummary(merged, { runUrl: undefined })).not.toContain('Not compared');
  });

  it('a merge of a shard compared with the baseline and one run without it names the other shard\'s pairs as not compared', () => {
    const full = twoTargets('r1');
    const { comparison: _none, ...bare } = shardOf(2, full);
    const merged = mergeMatrices([shardOf(1, full), bare]);
    expect(merged.comparison?.notSelected).toEqual({ models: ['west: every model'], checks: [], byShard: true });
    expect(describeComparison(merged.comparison!)).toContain("not compared (not selected by --models/--checks, or another shard's): models: west: every model");
  });
});
