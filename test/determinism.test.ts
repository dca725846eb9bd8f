/**
 * Two replays of the bundled recordings give the same matrix.json, apart from the run's own metadata: one judged in
 * this thread alone, one shared with a worker thread (run/replay-threads.ts), which must not change a thing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { replayBundled, sharedBundledReplay, type Replay } from './helpers/bundled-replay.ts';

function withoutRunMetadata(matrix: Matrix): unknown {
  const { id: _id, startedAt: _s, finishedAt: _f, durationMs: _d, ...run } = matrix.run;
  return { ...matrix, run, totals: { ...matrix.totals, wallMs: 0 } };
}

it('replays deterministically', async () => {
  // Both at once: each is a child process.
  const [a, b] = await Promise.all([replayBundled('determinism', ['--threads', '1']), sharedBundledReplay()]);
  for (const run of [a, b]) expect(run.code, run.stderr).toBe(0);
  expect(a.matrix.results.length).toBeGreaterThan(500);
  expect(withoutRunMetadata(b.matrix)).toEqual(withoutRunMetadata(a.matrix));
  const markdown = async (run: Replay) => (await readFile(join(run.reports, 'matrix.md'), 'utf8')).split('\n').filter((l) => !l.startsWith('- Run '));
  expect(await markdown(b)).toEqual(await markdown(a));
});
