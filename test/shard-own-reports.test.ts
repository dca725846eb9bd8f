/**
 * A shard's reports are mantle-conformance's own (seventh review, finding 2): a shard's matrix.md heads itself
 * `# Mantle compatibility matrix (shard 1/2 of run X, not the whole run)`, and the rule of which files in
 * --report-dir are the harness's (cli/earlier-reports.ts) must know it, or `report` of a shard's artifact in place,
 * and a run or a merge into a shard's folder, refuse the tool's own file as a user's (exit 2). Every heading the build
 * writes (whole run, custom endpoint, shard, an odd shard label, interrupted, partial, merge) is checked against
 * that rule; a user's own matrix.md is still refused.
 */
import { mkdtemp, readFile, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignReport } from '../src/cli/earlier-reports.ts';
import { finishMatrix } from '../src/report/build-matrix.ts';
import { writeDefaultReports } from '../src/report/index.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const MODELS = 'openai.gpt-oss-20b,anthropic.claude-opus-4-7';
/** Appended to an earlier report: still its start, so still the harness's, and gone once a new one replaces it. */
const STALE = '\n<!-- test: the earlier file -->\n';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mantle-shard-own-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const text = (dir: string, name: string) => readFile(join(dir, name), 'utf8');
const runShard = (shard: string, runId: string, dir: string) => cli(['run', '--models', MODELS, '--shard', shard, '--run-id', runId, '--report-dir', dir, '--quiet']);

/** Marks each report of `dir` as the earlier one (its start kept). */
async function markStale(dir: string): Promise<void> {
  for (const name of ['matrix.md', 'matrix.html', 'junit.xml']) await writeFile(join(dir, name), `${await text(dir, name)}${STALE}`);
}

describe("every report heading the build writes is the harness's own", () => {
  const shard = (label: string, runId = 'r1') => smallMatrix([], undefined, undefined, { runId, shard: label });
  const custom = (): Matrix => {
    const m = smallMatrix();
    return { ...m, targets: m.targets.map((t) => ({ ...t, surface: 'custom' as const })) };
  };
  const stopped = (how: { partial: boolean; interrupted?: boolean; partialReason?: string }): Matrix => {
    const m = smallMatrix();
    return finishMatrix({ ...m, run: { ...m.run, ...how } });
  };
  const cases: [string, () => Matrix, RegExp][] = [
    ['a whole run', () => smallMatrix(), /^# Mantle compatibility matrix\n/],
    ['a custom endpoint', custom, /^# Compatibility matrix\n/],
    ['a shard', () => shard('1/3', 't-run'), /^# Mantle compatibility matrix \(shard 1\/3 of run t-run, not the whole run\)\n/],
    ['a shard of a run id Markdown escapes', () => shard('2/3', 'x*[y]|z`<a>&@b'), /^# Mantle compatibility matrix \(shard 2\/3 of run .*, not the whole run\)\n/],
    ['a shard of a 250-character run id', () => shard('3/3', 'r'.repeat(250)), /^# Mantle compatibility matrix \(shard 3\/3 of run r+.*, not the whole run\)\n/],
    ['a shard of an odd label', () => shard('odd'), /^# Mantle compatibility matrix \(this shard, not the whole run\)\n/],
    ['an interrupted run', () => stopped({ partial: true, interrupted: true, partialReason: 'interrupted' }), /^# Mantle compatibility matrix\n/],
    ['a partial run', () => stopped({ partial: true, partialReason: 'spend cap' }), /^# Mantle compatibility matrix\n/],
    // A whole merge is run below; one short of a shard is partial and names the shard it lacks.
    ['a merge short of a shard', () => mergeMatrices([shard('1/2', 'm')], ['a.json']), /^# Mantle compatibility matrix\n/],
  ];
  it.each(cases)('%s', async (name, make, heading) => {
    const dir = await mkdtemp(join(root, 'heading-'));
    await writeDefaultReports(make(), dir);
    expect(await text(dir, 'matrix.md')).toMatch(heading);
    expect(await foreignReport(dir), name).toBeUndefined();
  });

  it("a user's own matrix.md of the same name is still not the harness's", async () => {
    for (const [i, start] of ['# Compatibility matrix (notes)\n', '# Mantle compatibility matrix (shard 1/3 of run x, draft)\n', '# Mantle compatibility matrix, our notes\n', '# Our matrix\n'].entries()) {
      const dir = await mkdtemp(join(root, `foreign-${i}-`));
      await writeFile(join(dir, 'matrix.md'), `${start}\nours\n`);
      expect(await foreignReport(dir), start).toEqual({ name: 'matrix.md', what: 'a file' });
    }
  });
});

describe("a shard's folder", () => {
  let s1: string;
  let s2: string;
  beforeAll(async () => {
    s1 = join(root, 's1');
    s2 = join(root, 's2');
    expect((await runShard('1/2', 't-a', s1)).code).toBe(0);
    expect((await runShard('2/2', 't-a', s2)).code).toBe(0);
    expect((await text(s1, 'matrix.md')).split('\n')[0]).toBe('# Mantle compatibility matrix (shard 1/2 of run t-a, not the whole run)');
  }, 120_000);

  it('is rendered again in place: exit 0, its earlier reports replaced', async () => {
    const dir = join(root, 'in-place');
    await cp(s1, dir, { recursive: true });
    await markStale(dir);
    const result = await cli(['report', join(dir, 'matrix.json')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('not a report mantle-conformance wrote');
    for (const name of ['matrix.md', 'matrix.html', 'junit.xml']) expect(await text(dir, name), name).not.toContain(STALE);
    expect(await text(dir, 'matrix.md')).toBe(await text(s1, 'matrix.md'));
  });

  it("takes a run's reports: exit 0, the earlier shard's replaced", async () => {
    const dir = join(root, 'run-into');
    await cp(s1, dir, { recursive: true });
    await markStale(dir);
    const result = await runShard('1/2', 't-b', dir);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['matrix.md', 'matrix.html', 'junit.xml']) expect(await text(dir, name), name).not.toContain(STALE);
    expect((await text(dir, 'matrix.md')).split('\n')[0]).toBe('# Mantle compatibility matrix (shard 1/2 of run t-b, not the whole run)');
  }, 60_000);

  it("takes a merge's reports: exit 0, the shard's replaced by the whole run's", async () => {
    const dir = join(root, 'merge-into');
    await cp(s1, dir, { recursive: true });
    await markStale(dir);
    const result = await cli(['merge', join(s1, 'matrix.json'), join(s2, 'matrix.json'), '--report-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['matrix.md', 'matrix.html', 'junit.xml']) expect(await text(dir, name), name).not.toContain(STALE);
    expect((await text(dir, 'matrix.md')).split('\n')[0]).toBe('# Mantle compatibility matrix');
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
  }, 60_000);

  it("holding a user's own matrix.md is still refused, and the file kept", async () => {
    const dir = join(root, 'foreign');
    await cp(s1, dir, { recursive: true });
    const ours = '# Compatibility matrix (notes)\n\nours\n';
    await writeFile(join(dir, 'matrix.md'), ours);
    const result = await cli(['report', join(dir, 'matrix.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('matrix.md is a file that is not a report mantle-conformance wrote');
    expect(await text(dir, 'matrix.md')).toBe(ours);
  });
});
