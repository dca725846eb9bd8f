/**
 * A replay of the bundled recordings does not depend on the threads that judge it: every cell of shard 1/2, judged
 * in one thread alone, is the cell the shared full replay gave (judged in this thread and a worker thread,
 * run/replay-threads.ts, which takes most of the 130 cells), with the same answers' shapes, latency and usage, in
 * the same order. Half of the cells, not all of them: a second full replay cost `npm test` 7 s of CPU.
 */
import { expect, it } from 'vitest';
import { pairKey } from '../src/report/matrix.ts';
import { replayBundled, sharedBundledReplay } from './helpers/bundled-replay.ts';

it('replays deterministically', async () => {
  // Both at once: each is a child process.
  const [shard, full] = await Promise.all([replayBundled('determinism', ['--threads', '1', '--shard', '1/2']), sharedBundledReplay()]);
  for (const run of [shard, full]) expect(run.code, run.stderr).toBe(0);
  const judged = shard.matrix.results.filter((r) => !r.notRun);
  const pairs = new Set(judged.map((r) => pairKey(r.target, r.model)));
  const allPairs = new Set(full.matrix.results.map((r) => pairKey(r.target, r.model)));
  expect(pairs.size).toBe(Math.ceil(allPairs.size / 2));
  expect(judged.length).toBeGreaterThan(500);
  // Every check of those cells, nothing else, in the full run's order.
  expect(judged).toEqual(full.matrix.results.filter((r) => pairs.has(pairKey(r.target, r.model))));
  for (const pair of pairs) {
    expect(shard.matrix.totals.latency?.[pair], pair).toEqual(full.matrix.totals.latency?.[pair]);
    expect(shard.matrix.totals.perModel[pair], pair).toEqual(full.matrix.totals.perModel[pair]);
    const exchanges = shard.matrix.shapes?.exchanges[pair];
    expect(exchanges, pair).toEqual(full.matrix.shapes?.exchanges[pair]);
    for (const ids of Object.values(exchanges ?? {}).flatMap((byKey) => Object.values(byKey))) {
      for (const id of ids) expect(shard.matrix.shapes?.fingerprints[id]).toEqual(full.matrix.shapes?.fingerprints[id]);
    }
  }
});
