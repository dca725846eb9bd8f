/**
 * Review rvJ, findings 1, 2, 4 and 5. `compare` exited 0 ("regressed": false) when it compared nothing; two merges of
 * one CI run from different re-run attempts were refused as "the same run"; `run --baseline` said nothing of a host
 * change that compare notes; and two whole runs under one --run-id were refused in words about shards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/emulator/server.ts';
import { sameRunProblem } from '../src/report/compare.ts';
import type { Matrix, MatrixTarget } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { catalogEmulator, cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
let emulator: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compare-gates-'));
  emulator = await catalogEmulator();
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const LIVE = (endpointHost: string, region: string): Partial<MatrixTarget> => ({ mode: 'live', endpointHost, region, surface: 'mantle', provenance: { sources: ['live'] } });

function run(runId: string, startedAt: string, target: Partial<MatrixTarget>, failing: boolean): Matrix {
  const cells = failing ? [{ model: 'xai.grok-4.3', check: 'created-at.chat', status: 'fail' as const, observed: 'exponent', reason: 'exponent' }] : [];
  const m = smallMatrix(cells, undefined, undefined, { target: 'gw', runId });
  m.run.startedAt = startedAt;
  // A run ends after it starts (read-matrix refuses an end before the start).
  if (m.run.finishedAt < startedAt) m.run.finishedAt = startedAt;
  m.targets = m.targets.map((t) => ({ ...t, ...target }));
  return m;
}

describe('compare when nothing was compared', () => {
  it('exits 1 and its --json says nothingCompared (a region change set the only target apart)', async () => {
    const before = run('r1', '2026-11-24T08:00:00.000Z', LIVE('bedrock-mantle.us-east-1.api.aws', 'us-east-1'), false);
    const after = run('r2', '2026-11-25T08:00:00.000Z', LIVE('bedrock-mantle.us-west-2.api.aws', 'us-west-2'), true);
    await writeFile(join(dir, 'n-a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'n-b.json'), JSON.stringify(after));
    const text = await cli(['compare', join(dir, 'n-a.json'), join(dir, 'n-b.json')]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('nothing was compared');
    const json = await cli(['compare', join(dir, 'n-a.json'), join(dir, 'n-b.json'), '--json']);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ nothingCompared: true, regressed: false });
  });

  it('still exits 0 with no nothingCompared when the target was compared and nothing regressed', async () => {
    const before = run('r1', '2026-11-24T08:00:00.000Z', LIVE('bedrock-mantle.us-east-1.api.aws', 'us-east-1'), false);
    const after = run('r2', '2026-11-25T08:00:00.000Z', LIVE('bedrock-mantle.us-east-1.api.aws', 'us-east-1'), false);
    await writeFile(join(dir, 'c-a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'c-b.json'), JSON.stringify(after));
    const json = await cli(['compare', join(dir, 'c-a.json'), join(dir, 'c-b.json'), '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).not.toHaveProperty('nothingCompared');
  });
});

describe('attempts of one CI run ("Re-run failed jobs")', () => {
  const ci = (attempt: number) => ({ system: 'github' as const, runId: '777', attempt });
  const runOf = (startedAt: string, finishedAt: string, attempt: number, shard?: string): Pick<Matrix, 'run'> => ({
    run: { ...smallMatrix().run, id: '777', startedAt, finishedAt, selection: { models: [], checks: [], filters: [], ...(shard ? { shard } : {}) }, ci: ci(attempt) },
  });
  // Attempt 1's merge, and the merge after shard 2 was re-run (it keeps shard 1's start, and says attempt 2).
  const merge1 = runOf('2026-12-06T08:00:00.000Z', '2026-12-06T08:20:00.000Z', 1);
  const merge2 = runOf('2026-12-06T08:00:00.000Z', '2026-12-06T09:20:00.000Z', 2);
  const shard1 = runOf('2026-12-06T08:00:00.000Z', '2026-12-06T08:10:00.000Z', 1, '1/3');
  const rerun2 = runOf('2026-12-06T09:00:00.000Z', '2026-12-06T09:20:00.000Z', 2, '2/3');

  it('compares two merges of different attempts, either order', () => {
    expect(sameRunProblem(merge1, merge2)).toBeUndefined();
    expect(sameRunProblem(merge2, merge1)).toBeUndefined();
  });

  it('compares a shard of a later attempt than the merge took in', () => {
    expect(sameRunProblem(merge1, rerun2)).toBeUndefined();
    expect(sameRunProblem(rerun2, merge1)).toBeUndefined();
  });

  it('still refuses a merge against itself and against one of its own shards, of either attempt', () => {
    expect(sameRunProblem(merge2, merge2)).toMatch(/^the baseline is the same run/);
    expect(sameRunProblem(merge1, merge1)).toMatch(/^the baseline is the same run/);
    for (const [a, b] of [[shard1, merge2], [merge2, shard1], [rerun2, merge2], [merge2, rerun2], [shard1, merge1]]) expect(sameRunProblem(a!, b!)).toMatch(/is its shard/);
  });

  it('compare and report --baseline take two merged files of different attempts', async () => {
    const [a, b] = [smallMatrix([], undefined, undefined, { runId: '777' }), smallMatrix([], undefined, undefined, { runId: '777' })];
    a.run = { ...a.run, ...merge1.run };
    b.run = { ...b.run, ...merge2.run };
    await writeFile(join(dir, 'att1.json'), JSON.stringify(a));
    await writeFile(join(dir, 'att2.json'), JSON.stringify(b));
    const compared = await cli(['compare', join(dir, 'att1.json'), join(dir, 'att2.json')]);
    expect(compared.code, compared.stderr).toBe(0);
    const reported = await cli(['report', join(dir, 'att2.json'), '--baseline', join(dir, 'att1.json'), '--report-dir', join(dir, 'att-r')]);
    expect(reported.code, reported.stderr).toBe(0);
    const self = await cli(['compare', join(dir, 'att2.json'), join(dir, 'att2.json')]);
    expect(self.code).toBe(2);
  });
});

describe('run --baseline across a host change', () => {
  it('prints the note compare prints', async () => {
    const args = ['run', '--mode', 'live', '--auth', 'none', '--surface', 'mantle', '--target-name', 'X', '--models', 'openai.gpt-oss-20b', '--checks', 'path-prefix', '--endpoint', emulator.url];
    const first = await cli([...args, '--report-dir', join(dir, 'h1'), '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    // The baseline as a run that reached the endpoint under another name.
    const baseline = JSON.parse(await readFile(join(dir, 'h1', 'matrix.json'), 'utf8')) as Matrix;
    baseline.targets = baseline.targets.map((t) => ({ ...t, endpointHost: 'gateway.internal:443' }));
    await writeFile(join(dir, 'h-base.json'), JSON.stringify(baseline));
    const second = await cli([...args, '--report-dir', join(dir, 'h2'), '--baseline', join(dir, 'h-base.json'), '--quiet']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('note: target X was reached at another host than in the baseline (host "gateway.internal" -> "127.0.0.1")');
  });
});

describe('merge of two whole runs under one run id', () => {
  const whole = (target: string, runId: string) => smallMatrix([], undefined, undefined, { target, runId });

  it('is refused in words about whole runs, naming the fix', () => {
    let message = '';
    try {
      mergeMatrices([whole('us-east-1', 'R10'), whole('us-west-2', 'R10')], ['a.json', 'b.json']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('a.json and b.json are two whole runs (neither is a shard) of one run id, R10, but their targets differ');
    expect(message).toContain('give each whole-run job (one per region or target) its own --run-id');
    expect(message).not.toContain('run the odd shard again');
  });

  it('merges the same runs under their own run ids (the fix the message gives)', () => {
    const merged = mergeMatrices([whole('us-east-1', 'R10-east'), whole('us-west-2', 'R10-west')], ['a.json', 'b.json']);
    expect(merged.targets.map((t) => t.id)).toEqual(['us-east-1', 'us-west-2']);
    expect(merged.run.partial).toBe(false);
    expect(merged.gate.exitCode).toBe(0);
  });

  it('still says shards when the inputs are shards', () => {
    const shard = (target: string) => smallMatrix([], undefined, undefined, { target, runId: 'S', shard: '1/2' });
    expect(() => mergeMatrices([shard('a'), { ...shard('b'), run: { ...shard('b').run, selection: { ...shard('b').run.selection, shard: '2/2' } } }], ['a.json', 'b.json'])).toThrow(/run the odd shard again/);
  });
});
