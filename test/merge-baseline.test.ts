/**
 * Shards of one run id judged for change against different `--baseline` runs are not one run's changes (hostile
 * review of the CI path: shard 1 compared with one artifact and shards 2 and 3 with another merged to "gate: pass",
 * "Changes since run <id1>+<id2> ... No cell changed"). merge refuses them, naming both files, as it refuses shards
 * of another --repeat; runs of different ids (one per region) may each have their own baseline. Every field's
 * refusal reads as English.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { assertMergeable } from '../src/report/merge-refusals.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const notRun = (model: string) => CHECKS.map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: 'another shard', evidence: [], notRun: true as const }));

/** A whole earlier run, `runId`, finished at `finishedAt`. */
function baseline(runId: string, finishedAt: string): Matrix {
  const m = smallMatrix([], [GROK, QWEN], CHECKS, { runId });
  return { ...m, run: { ...m.run, startedAt: '2026-11-20T08:00:00.000Z', finishedAt } };
}

/** Shard i/2 of `runId` (shard 1 ran grok, shard 2 qwen), compared with `base` when given. */
function shard(i: 1 | 2, base?: Matrix, runId = 'S', target = 'emulator'): Matrix {
  const m = smallMatrix(notRun(i === 1 ? QWEN : GROK), [GROK, QWEN], CHECKS, { runId, shard: `${i}/2`, target });
  // Started and finished on the night after its baselines (a run ends after it starts: read-matrix refuses otherwise).
  Object.assign(m.run, { startedAt: '2026-11-25T08:00:00.000Z', finishedAt: '2026-11-25T08:00:10.000Z' });
  return base ? { ...m, comparison: compareMatrices(base, m) } : m;
}

const FULL = baseline('B1', '2026-11-20T09:00:00.000Z');
const OLDER = baseline('B0', '2026-11-19T09:00:00.000Z');

describe('shards of one run id share their baseline', () => {
  it('compared with the same baseline run, they merge and the merge names it', () => {
    expect(mergeMatrices([shard(1, FULL), shard(2, FULL)]).comparison?.baseline).toEqual({ runId: 'B1', finishedAt: '2026-11-20T09:00:00.000Z' });
  });

  it('compared with different baseline runs, they are refused, naming both files and both baselines', () => {
    expect(() => assertMergeable([shard(1, FULL), shard(2, OLDER)], ['s1/matrix.json', 's2/matrix.json'])).toThrow(
      'merge: s1/matrix.json and s2/matrix.json are both of run S, but their --baseline runs differ (only in s1/matrix.json: "run B1"; only in s2/matrix.json: "run B0")',
    );
  });

  it('one shard without --baseline still merges (its pairs are listed as not compared, README)', () => {
    expect(() => mergeMatrices([shard(1, FULL), shard(2)])).not.toThrow();
  });

  it('runs of different ids (one per region) may each have their own baseline', () => {
    const east = { ...smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'E', target: 'east' }) };
    const west = { ...smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'W', target: 'west' }) };
    const eastBase = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'BE', target: 'east' });
    const westBase = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'BW', target: 'west' });
    const merged = mergeMatrices([{ ...east, comparison: compareMatrices(eastBase, east) }, { ...west, comparison: compareMatrices(westBase, west) }]);
    expect(merged.comparison?.baseline.runId).toBe('BE+BW');
  });

  it('every shared field says in English what differs', () => {
    const a = shard(1);
    const b = shard(2);
    b.run.harnessVersion = '0.2.0';
    expect(() => assertMergeable([a, b], ['a.json', 'b.json'])).toThrow('are both of run S, but their harness versions differ (only in a.json: "0.1.0"; only in b.json: "0.2.0")');
    b.run.harnessVersion = a.run.harnessVersion;
    a.run.judging = { expectations: '0123456789abcdef', catalog: 'fedcba9876543210', repeat: 1 };
    b.run.judging = { expectations: '0123456789abcdef', catalog: 'fedcba9876543210', repeat: 3 };
    expect(() => assertMergeable([a, b], ['a.json', 'b.json'])).toThrow(/are both of run S, but what they were judged against differs \(the digests of .*\) \(only in a\.json: "repeat 1"; only in b\.json: "repeat 3"\)/);
  });
});

describe('merge on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mantle-baseline-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exit 2, HARNESS_REPORT_INVALID naming both files, no "gate: pass"', async () => {
    const files = [join(dir, 's1.json'), join(dir, 's2.json')];
    await writeFile(files[0]!, JSON.stringify(shard(1, FULL)));
    await writeFile(files[1]!, JSON.stringify(shard(2, OLDER)));
    const run = await cli(['merge', ...files, '--report-dir', join(dir, 'merged')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`HARNESS_REPORT_INVALID: merge: ${files[0]} and ${files[1]} are both of run S, but their --baseline runs differ`);
    expect(run.stdout + run.stderr).not.toContain('gate: pass');
  });
});
