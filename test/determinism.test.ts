/**
 * A replay of the bundled recordings does not depend on the threads that judge it: every cell of every other model
 * (on both targets), judged in one thread alone, is the cell the shared full replay gave (judged in this thread and a
 * worker thread, run/replay-threads.ts, which takes about a third of the 130 model-target pairs), with the same
 * answers' shapes, latency and usage, in the same order. Half of the models, not all of them: a second full replay
 * cost `npm test` 7 s of CPU. Not `--shard 1/2` either: its half is the first target's pairs, none of the second's.
 */
import { expect, it } from 'vitest';
import { pairKey } from '../src/report/matrix.ts';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { loadPlan } from '../src/run/load-plan.ts';
import { replayBundled, sharedBundledReplay } from './helpers/bundled-replay.ts';
import { ROOT } from './helpers/harness.ts';

it('replays deterministically', async () => {
  const config = await resolveRunConfig({}, ROOT, '0.0.0-test');
  const { plan } = await loadPlan(config);
  const models = plan.models.map((model) => model.id).filter((_, index) => index % 2 === 0);
  // Both at once: each is a child process.
  const [half, full] = await Promise.all([replayBundled('determinism', ['--threads', '1', '--models', models.join(',')]), sharedBundledReplay()]);
  for (const run of [half, full]) expect(run.code, run.stderr).toBe(0);
  const judged = half.matrix.results.filter((r) => !r.notRun);
  const pairs = new Set(judged.map((r) => pairKey(r.target, r.model)));
  const targets = new Set(full.matrix.results.map((r) => r.target));
  expect(targets.size).toBeGreaterThan(1);
  // Every model asked for, on every target.
  expect(pairs).toEqual(new Set(models.flatMap((model) => [...targets].map((target) => pairKey(target, model)))));
  expect(judged.length).toBeGreaterThan(500);
  // Every check of those cells, nothing else, in the full run's order.
  expect(judged).toEqual(full.matrix.results.filter((r) => pairs.has(pairKey(r.target, r.model))));
  for (const pair of pairs) {
    expect(half.matrix.totals.latency?.[pair], pair).toEqual(full.matrix.totals.latency?.[pair]);
    expect(half.matrix.totals.perModel[pair], pair).toEqual(full.matrix.totals.perModel[pair]);
    const exchanges = half.matrix.shapes?.exchanges[pair];
    expect(exchanges, pair).toEqual(full.matrix.shapes?.exchanges[pair]);
    for (const ids of Object.values(exchanges ?? {}).flatMap((byKey) => Object.values(byKey))) {
      for (const id of ids) expect(half.matrix.shapes?.fingerprints[id]).toEqual(full.matrix.shapes?.fingerprints[id]);
    }
  }
});
