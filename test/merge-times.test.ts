/**
 * Times merge reads (review r2m, findings 3 and 5): comparison.baseline.finishedAt, by which merge tells two baselines
 * of one run id apart, is held to the rule run.startedAt and run.finishedAt are (refused at its JSON path), and merge
 * sums no time that does not parse; the merged start and end are picked by the moment each says, not by their text
 * (`10:00:00Z` sorts after `10:00:00.500Z`), so a merged file always reads back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Matrix } from '../src/report/matrix.ts';
import { compareMatrices } from '../src/report/compare.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const [GROK, QWEN] = ['xai.grok-4.3', 'qwen.qwen3-32b'];
const CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const notRun = (model: string) => CHECKS.map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: 'another shard', evidence: [], notRun: true as const }));
const BASE = smallMatrix([], [GROK, QWEN], CHECKS, { runId: 'base' });

/** Shard i/2 of run `shr` (shard 1 ran grok, shard 2 qwen), at the times given, compared with a baseline that finished at `baselineEnd`. */
function shard(i: 1 | 2, startedAt: string, finishedAt: string, baselineEnd?: string): Matrix {
  const m = smallMatrix(notRun(i === 1 ? QWEN : GROK), [GROK, QWEN], CHECKS, { runId: 'shr', shard: `${i}/2` });
  Object.assign(m.run, { startedAt, finishedAt, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) });
  if (!baselineEnd) return m;
  const comparison = compareMatrices(BASE, m);
  return { ...m, comparison: { ...comparison, baseline: { ...comparison.baseline, finishedAt: baselineEnd } } };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxn-times-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('times a merge reads', () => {
  it('picks the start and end by their moment, in either order, and the merged file reads back', async () => {
    const a = shard(1, '2026-12-06T10:00:00.500Z', '2026-12-06T10:00:00.900Z');
    const b = shard(2, '2026-12-06T10:00:00Z', '2026-12-06T10:00:00Z');
    for (const inputs of [[a, b], [b, a]]) {
      const { run } = mergeMatrices(inputs);
      expect([run.startedAt, run.finishedAt, run.durationMs]).toEqual(['2026-12-06T10:00:00Z', '2026-12-06T10:00:00.900Z', 900]);
    }
    const [fa, fb] = [join(dir, 'a.json'), join(dir, 'b.json')];
    await writeFile(fa, JSON.stringify(a));
    await writeFile(fb, JSON.stringify(b));
    const merged = await cli(['merge', fa, fb, '--report-dir', join(dir, 'm')]);
    expect(merged.code, merged.stderr).toBeLessThan(2);
    const back = await cli(['report', join(dir, 'm', 'matrix.json'), '--report-dir', join(dir, 'm2')]);
    expect(back.code, back.stderr).toBeLessThan(2);
  });

  it('picks the baselines\' latest end by its moment too', () => {
    const a = shard(1, '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:01.000Z', '2026-12-06T09:00:00.500Z');
    const b = shard(2, '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:01.000Z', '2026-12-06T09:00:00Z');
    for (const inputs of [[a, b], [b, a]]) expect(mergeMatrices(inputs).comparison?.baseline.finishedAt).toBe('2026-12-06T09:00:00.500Z');
  });

  it('refuses a baseline end that is no time at its JSON path, in report and merge, never saying how far apart it is', async () => {
    const good = shard(1, '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:01.000Z', '2026-12-06T09:00:00.000Z');
    for (const end of ['yesterday', '2026-02-30T25:61:00Z']) {
      const bad = shard(2, '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:01.000Z', end);
      const file = join(dir, 'bad.json');
      await writeFile(file, JSON.stringify(bad));
      await writeFile(join(dir, 'good.json'), JSON.stringify(good));
      const report = await cli(['report', file, '--report-dir', join(dir, 'r')]);
      expect(report.code).toBe(2);
      expect(report.stderr).toContain(`bad.json: comparison.baseline.finishedAt: ${JSON.stringify(end)} is not a real date and time in UTC`);
      const merged = await cli(['merge', join(dir, 'good.json'), file, '--report-dir', join(dir, 'mm')]);
      expect(merged.code).toBe(2);
      expect(merged.stderr).toContain('comparison.baseline.finishedAt');
      expect(merged.stderr).not.toContain('hours or more apart');
    }
    // Handed to merge unread, a time that does not parse is refused by its path, not summed.
    const unread = shard(2, '2026-12-06T10:00:00.000Z', '2026-12-06T10:00:01.000Z', 'yesterday');
    expect(() => mergeMatrices([good, unread], ['good.json', 'bad.json'])).toThrow(/merge: bad\.json: comparison\.baseline\.finishedAt: "yesterday" is not a date and time/);
  });
});
