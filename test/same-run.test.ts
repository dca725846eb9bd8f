/**
 * Hostile review rvH, findings 5 and 6. A merge of a run's shards compared with one of those shards (one run id, the
 * merge starting with its first shard) compared the shard's cells with themselves: `compare` said "regressed: no"
 * and `report --baseline` passed. It is refused as the self-comparison is; two shards of one run still compare. And
 * the note on an older file lists every rule change after its format, not only the next one.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameRunProblem } from '../src/report/compare.ts';
import { OLDER_RULES, type Matrix } from '../src/report/matrix.ts';
import { olderRules } from '../src/report/older-rules.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'same-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const runOf = (id: string, startedAt: string, finishedAt: string, shard?: string, ci?: Matrix['run']['ci']): Pick<Matrix, 'run'> => ({
  run: { ...smallMatrix().run, id, startedAt, finishedAt, selection: { models: [], checks: [], filters: [], ...(shard ? { shard } : {}) }, ...(ci ? { ci } : {}) },
});

describe('sameRunProblem', () => {
  const merged = runOf('nightly-1', '2026-12-06T08:00:00.000Z', '2026-12-06T08:20:00.000Z');
  const sh1 = runOf('nightly-1', '2026-12-06T08:00:00.000Z', '2026-12-06T08:10:00.000Z', '1/2');
  const sh2 = runOf('nightly-1', '2026-12-06T08:05:00.000Z', '2026-12-06T08:20:00.000Z', '2/2');

  it('refuses a merge against one of its shards, either side, the later shard too', () => {
    for (const [a, b] of [[sh1, merged], [merged, sh1], [sh2, merged], [merged, sh2]]) expect(sameRunProblem(a!, b!)).toMatch(/^the baseline is the same run as the newer one, nightly-1 .*is its shard [12]\/2\)/);
    expect(sameRunProblem(merged, merged)).toMatch(/^the baseline is the same run/);
  });

  it('compares two shards of one run, the same shard of another start, and a shard of another run under a reused id', () => {
    expect(sameRunProblem(sh1, sh2)).toBeUndefined();
    expect(sameRunProblem(sh1, runOf('nightly-1', '2026-12-07T08:00:00.000Z', '2026-12-07T08:10:00.000Z', '1/2'))).toBeUndefined();
    // The next night's shard under the fixed id, against last night's merge: started after it finished.
    expect(sameRunProblem(merged, runOf('nightly-1', '2026-12-07T08:00:00.000Z', '2026-12-07T08:10:00.000Z', '1/2'))).toBeUndefined();
    // A PR's run in the same hour under the nightly's fixed id: another CI run.
    const pr = runOf('nightly-1', '2026-12-06T07:59:00.000Z', '2026-12-06T08:30:00.000Z', undefined, { system: 'github', runId: '99' });
    expect(sameRunProblem(pr, runOf('nightly-1', '2026-12-06T08:00:00.000Z', '2026-12-06T08:10:00.000Z', '1/2', { system: 'github', runId: '7' }))).toBeUndefined();
    expect(sameRunProblem(runOf('other', sh1.run.startedAt, sh1.run.finishedAt), sh1)).toBeUndefined();
  });

  it('compare and report --baseline refuse a merge against its own shard (exit 2); two shards still compare', async () => {
    for (const i of [1, 2]) {
      const ran = await cli(['run', '--models', 'openai.gpt-oss-20b,xai.grok-4.3', '--checks', 'path-prefix', '--shard', `${i}/2`, '--run-id', 'nightly-1', '--report-dir', join(dir, `sh${i}`), '--quiet']);
      expect(ran.code, ran.stderr).toBe(0);
    }
    const merged = await cli(['merge', join(dir, 'sh1', 'matrix.json'), join(dir, 'sh2', 'matrix.json'), '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    const [sh1File, mergedFile] = [join(dir, 'sh1', 'matrix.json'), join(dir, 'merged', 'matrix.json')];
    for (const args of [['compare', sh1File, mergedFile], ['compare', join(dir, 'sh2', 'matrix.json'), mergedFile], ['report', mergedFile, '--baseline', sh1File, '--report-dir', join(dir, 'rep3')]]) {
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('the baseline is the same run as the newer one, nightly-1');
    }
    const shards = await cli(['compare', sh1File, join(dir, 'sh2', 'matrix.json')]);
    expect(shards.code, shards.stderr).not.toBe(2);
    expect(shards.stderr).not.toContain('same run');
  });
});

describe('the note on an older file', () => {
  it('lists every rule change after its format', async () => {
    expect(olderRules('mantle-conformance.matrix/2')).toBe(`${OLDER_RULES['mantle-conformance.matrix/2']}; ${OLDER_RULES['mantle-conformance.matrix/3']}; ${OLDER_RULES['mantle-conformance.matrix/4']}; ${OLDER_RULES['mantle-conformance.matrix/5']}`);
    expect(olderRules('mantle-conformance.matrix/3')).toBe(`${OLDER_RULES['mantle-conformance.matrix/3']}; ${OLDER_RULES['mantle-conformance.matrix/4']}; ${OLDER_RULES['mantle-conformance.matrix/5']}`);
    expect(olderRules('mantle-conformance.matrix/4')).toBe(`${OLDER_RULES['mantle-conformance.matrix/4']}; ${OLDER_RULES['mantle-conformance.matrix/5']}`);
    expect(olderRules('mantle-conformance.matrix/5')).toBe(OLDER_RULES['mantle-conformance.matrix/5']);
    const m = smallMatrix([], undefined, undefined, { runId: 'old2' });
    const file = join(dir, 'format2.json');
    await writeFile(file, JSON.stringify({ ...m, format: 'mantle-conformance.matrix/2' }));
    const reported = await cli(['report', file, '--report-dir', join(dir, 'report2')]);
    expect(reported.stderr).toContain('(format 2)');
    expect(reported.stderr).toContain('listed ids it could not use as model ids did not fail the gate it wrote');
    expect(reported.stderr).toContain("a spent budget or a typo another model answered may read as the endpoint's");
    expect(reported.stderr).toContain('a --baseline that compared nothing');
  });
});
