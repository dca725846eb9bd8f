/**
 * Files of an older build across an upgrade (every build says version 0.1.0; what tells them apart is `checks[]`): a
 * check that grew a word or changed its meaning under one id. merge refuses two files that define a check differently
 * (it wrote one its own reader refused), and compare, --baseline and history count its cells apart rather than
 * blaming the endpoint ("new failures", "regressed: yes" for an endpoint that did not change).
 */
import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../src/history/build-history.ts';
import { appendRun, historyRunOf } from '../src/history/history-file.ts';
import { HISTORY_SCRIPT } from '../src/history/history-script.ts';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const CHECK = 'created-at.chat';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'check-definitions-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let n = 0;
async function save(m: Matrix): Promise<string> {
  const file = join(dir, `m${n++}.json`);
  await writeFile(file, JSON.stringify(m, null, 2));
  return file;
}

/** The check as this build defines it: a word (`other`) the older build did not have, and a reworded title. */
function upgraded(m: Matrix, change: { word?: boolean; title?: boolean } = { word: true }): Matrix {
  m.checks = m.checks.map((c) =>
    c.id !== CHECK ? c : { ...c, ...(change.word && Array.isArray(c.vocabulary) ? { vocabulary: [...c.vocabulary, 'other'] } : {}), ...(change.title ? { title: `${c.title}, now answered in full` } : {}) },
  );
  return m;
}

/** A later run of the same endpoint, whose grok cell of the check now observes `other` (a word the older build lacked). */
function laterRun(runId: string, change?: { word?: boolean; title?: boolean }): Matrix {
  const m = upgraded(smallMatrix([{ model: GROK, check: CHECK, status: 'fail', observed: 'other', reason: 'observed other, expected integer' }], undefined, undefined, { runId }), change);
  m.run.startedAt = '2026-11-25T08:00:00.000Z';
  m.run.finishedAt = '2026-11-25T08:00:10.000Z';
  return m;
}

describe('merge: two builds of one check', () => {
  it('refuses (exit 2) naming both files, the check, what differs and the fix, and writes nothing', async () => {
    const older = await save(smallMatrix([], undefined, undefined, { runId: 'RA', target: 'region-a' }));
    const newer = await save(upgraded(smallMatrix([], undefined, undefined, { runId: 'RB', target: 'region-b' })));
    const out = join(dir, 'merged');
    const merged = await cli(['merge', older, newer, '--report-dir', out]);
    expect(merged.code, merged.stdout).toBe(2);
    expect(merged.stderr).toContain(`${older} and ${newer} define check "${CHECK}" differently: vocabulary (only in ${older}: none; only in ${newer}: "other")`);
    expect(merged.stderr).toMatch(/different builds of mantle-conformance .*run the older one again with this version/);
    await expect(access(join(out, 'matrix.json'))).rejects.toThrow();
  });

  it('a title reworded alone is another definition too (shards of one run included)', () => {
    const one = smallMatrix([], undefined, undefined, { runId: 'S', shard: '1/2' });
    const two = upgraded(smallMatrix([], undefined, undefined, { runId: 'S', shard: '2/2' }), { title: true });
    expect(() => mergeMatrices([one, two], ['one.json', 'two.json'])).toThrow(/one\.json and two\.json define check "created-at\.chat" differently: title \(one\.json: "created-at\.chat"; two\.json: "created-at\.chat, now answered in full"\)/);
  });

  it('one build on both sides merges as before', () => {
    const a = upgraded(smallMatrix([], undefined, undefined, { runId: 'RA', target: 'region-a' }));
    const b = upgraded(smallMatrix([], undefined, undefined, { runId: 'RB', target: 'region-b' }));
    expect(mergeMatrices([a, b]).gate.verdict).toBe('pass');
  });
});

describe('compare and --baseline across an upgrade', () => {
  it('the redefined check is listed apart: no new failure, no regression', () => {
    const comparison = compareMatrices(smallMatrix([], undefined, undefined, { runId: 'OLD' }), laterRun('NEW'));
    expect(comparison.newFailures).toEqual([]);
    expect(comparison.changedObserved).toEqual([]);
    expect(comparison.regressed).toBe(false);
    // Only the cell with the new word: the other one observed a word both builds mean alike, and was compared.
    expect(comparison.changedChecks).toEqual([{ check: CHECK, cells: 1, difference: 'vocabulary (only in the baseline: none; only in this run: "other")' }]);
  });

  it('a check that only grew words still compares a cell that observed the baseline\'s words: a pass that became a fail is a new failure', () => {
    const later = upgraded(smallMatrix([
      { model: GROK, check: CHECK, status: 'fail', observed: 'other', reason: 'observed other, expected integer' },
      { model: 'qwen.qwen3-32b', check: CHECK, status: 'fail', observed: 'exponent', reason: 'observed exponent, expected integer' },
    ], undefined, undefined, { runId: 'NEW' }));
    const comparison = compareMatrices(smallMatrix([], undefined, undefined, { runId: 'OLD' }), later);
    expect(comparison.newFailures.map((c) => `${c.model} ${c.check}`)).toEqual([`qwen.qwen3-32b ${CHECK}`]);
    expect(comparison.regressed).toBe(true);
    expect(comparison.changedChecks).toEqual([{ check: CHECK, cells: 1, difference: 'vocabulary (only in the baseline: none; only in this run: "other")' }]);
  });

  it('a title changed alone (same words, another meaning) is listed apart too', () => {
    const comparison = compareMatrices(smallMatrix([], undefined, undefined, { runId: 'OLD' }), laterRun('NEW', { title: true }));
    expect(comparison.newFailures).toEqual([]);
    expect(comparison.changedChecks?.map((c) => c.check)).toEqual([CHECK]);
  });

  it('one build on both sides: the same cells are a new failure, as before', () => {
    const comparison = compareMatrices(upgraded(smallMatrix([], undefined, undefined, { runId: 'OLD' })), laterRun('NEW'));
    expect(comparison.newFailures.map((c) => c.check)).toEqual([CHECK]);
    expect(comparison.regressed).toBe(true);
    expect(comparison.changedChecks).toBeUndefined();
  });

  it('compare exits 0 and says why the cells were not compared; report --baseline keeps the run\'s own gate', async () => {
    const older = await save(smallMatrix([], undefined, undefined, { runId: 'OLD' }));
    const newer = await save(laterRun('NEW'));
    const compared = await cli(['compare', older, newer]);
    expect(compared.code, compared.stdout).toBe(0);
    expect(compared.stdout).toContain(`check ${CHECK} changed with the harness since the baseline (its definition differs: vocabulary (only in the baseline: none; only in this run: "other")): its 1 cell is not compared, neither a new failure nor a fix (take this run's matrix.json as the next baseline)`);
    expect(compared.stdout).toContain('new failures: 0');
    expect(compared.stdout).toContain('regressed: no');

    const out = join(dir, 'reported');
    const reported = await cli(['report', newer, '--baseline', older, '--report-dir', out]);
    // The failing cell states an expectation: it fails the run's own gate, as it would with no baseline.
    expect(reported.code, reported.stdout).toBe(1);
    const matrix = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.gate.regressedSinceBaseline).toBe(false);
    expect(matrix.gate.gating.map((g) => `${g.model} ${g.check}`)).toEqual([`${GROK} ${CHECK}`]);
    expect(matrix.comparison?.changedChecks?.[0]?.check).toBe(CHECK);
    const md = await readFile(join(out, 'matrix.md'), 'utf8');
    expect(md).not.toContain('new failures since the baseline');
    expect(md).toContain(`check ${CHECK} changed with the harness since the baseline`);
    // Read back by this version (the field is in the schema): report of the written file keeps it.
    const again = await cli(['report', join(out, 'matrix.json'), '--report-dir', join(dir, 'again')]);
    expect(again.code).toBe(1);
    const reread = JSON.parse(await readFile(join(dir, 'again', 'matrix.json'), 'utf8')) as Matrix;
    expect(reread.comparison?.changedChecks?.[0]?.cells).toBe(1);
  });
});

describe('history across an upgrade', () => {
  const earlier = () => historyRunOf(smallMatrix([], undefined, undefined, { runId: 'OLD' }));
  const changesOf = (runs: ReturnType<typeof historyRunOf>[]) => {
    const builder = new HistoryBuilder();
    runs.forEach((run, i) => builder.add(`f${i}`, run));
    return builder.build({ last: 10, now: new Date('2026-12-01T00:00:00Z') }).cells.find((c) => c.model === GROK && c.check === CHECK)!.changes;
  };

  it('a change point where the check\'s definition changed is the harness\'s', () => {
    const [change] = changesOf([earlier(), historyRunOf(laterRun('NEW'))]);
    expect(change?.harness).toBe('changed');
    expect(change?.text).toBe("integer -> other (the check changed with the harness: its definition differs from the earlier run's, so this is not the endpoint's change)");
  });

  it('an earlier file that does not record definitions (an older build) makes the change "may be the harness\'s"', () => {
    const old = earlier();
    old.checks = old.checks.map(({ definition: _, ...c }) => c);
    const [change] = changesOf([old, historyRunOf(laterRun('NEW'))]);
    expect(change?.harness).toBe('unknown');
    // A downgrade too (a rollback, a second pipeline on an older build): the later file does not say.
    const later = historyRunOf(laterRun('NEW'));
    later.checks = later.checks.map(({ definition: _, ...c }) => c);
    const [back] = changesOf([historyRunOf(upgraded(smallMatrix([], undefined, undefined, { runId: 'OLD' }))), later]);
    expect(back?.harness).toBe('unknown');
    expect(back?.text).toContain("one of the two runs' files does not say");
    // Neither says (two older builds' files): nothing to tell, unlabelled.
    const [both] = changesOf([old, later]);
    expect(both?.harness).toBeUndefined();
  });

  it('one build on both sides: the endpoint\'s change, unlabelled', () => {
    const [change] = changesOf([historyRunOf(upgraded(smallMatrix([], undefined, undefined, { runId: 'OLD' }))), historyRunOf(laterRun('NEW'))]);
    expect(change?.text).toBe('integer -> other');
    expect(change?.harness).toBeUndefined();
  });

  it('history.md labels it', async () => {
    const folder = join(dir, 'history');
    await appendRun(folder, smallMatrix([], undefined, undefined, { runId: 'OLD' }));
    await appendRun(folder, laterRun('NEW'));
    const out = join(dir, 'history-report');
    const made = await cli(['history', folder, '--report-dir', out]);
    expect(made.code, made.stdout).toBe(0);
    const md = await readFile(join(out, 'history.md'), 'utf8');
    expect(md).toContain("integer -> other (the check changed with the harness: its definition differs from the earlier run's, so this is not the endpoint's change)");
  });

  it('history.html\'s change points label it too (the page computes them from the cell\'s spans and marks)', () => {
    const lines = HISTORY_SCRIPT.split('\n');
    const start = lines.findIndex((line) => /^\s*function changePoints\(/.test(line));
    const indent = /^\s*/.exec(lines[start]!)![0];
    const end = lines.findIndex((line, i) => i > start && line === `${indent}}`);
    const changePoints = new Function(`${lines.slice(start, end + 1).join('\n')}\nreturn changePoints;`)() as (segs: number[], states: unknown[][], marks?: number[]) => { harness?: string }[];
    const states = [['pass', 'integer'], ['fail', 'other']];
    expect(changePoints([0, 0, 0, 1, 1, 1], states, [1, 1])[0]?.harness).toMatch(/changed with the harness/);
    expect(changePoints([0, 0, 0, 1, 1, 1], states, [1, 0])[0]?.harness).toMatch(/may be the harness's change/);
    expect(changePoints([0, 0, 0, 1, 1, 1], states, [])[0]?.harness).toBeUndefined();
  });
});
