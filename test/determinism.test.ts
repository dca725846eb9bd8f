/**
 * Two replays of the bundled recordings give the same matrix.json, apart from the run's own metadata: one judged in
 * this thread alone, one shared with worker threads (run/replay-threads.ts), which must not change a thing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';

function withoutRunMetadata(matrix: Matrix): unknown {
  const { id: _id, startedAt: _s, finishedAt: _f, durationMs: _d, ...run } = matrix.run;
  return { ...matrix, run, totals: { ...matrix.totals, wallMs: 0 } };
}

it('replays deterministically', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'determinism-'));
  try {
    const runs: Matrix[] = [];
    for (const [name, threads] of [['a', '1'], ['b', '3']] as const) {
      const result = await cli(['run', '--report-dir', join(dir, name), '--quiet', '--threads', threads]);
      expect(result.code, result.stderr).toBe(0);
      runs.push(JSON.parse(await readFile(join(dir, name, 'matrix.json'), 'utf8')) as Matrix);
    }
    expect(runs[0]!.results.length).toBeGreaterThan(500);
    expect(withoutRunMetadata(runs[1]!)).toEqual(withoutRunMetadata(runs[0]!));
    expect(await readFile(join(dir, 'a', 'matrix.md'), 'utf8').then((t) => t.split('\n').filter((l) => !l.startsWith('- Run ')))).toEqual(
      await readFile(join(dir, 'b', 'matrix.md'), 'utf8').then((t) => t.split('\n').filter((l) => !l.startsWith('- Run '))),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
