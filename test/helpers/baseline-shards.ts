/**
 * Shards of one run, for the tests of what merge takes as one baseline: shard 1 of 2 ran grok, shard 2 qwen, on three
 * checks; each started a minute before it finished, at its own time, in CI run `ci` when given.
 */
import type { Matrix, MatrixCi } from '../../src/report/matrix.ts';
import { smallMatrix } from './small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const SHARD_CHECKS = ['path-prefix', 'created-at.chat', 'defaults.temperature'];
const notRun = (model: string) => SHARD_CHECKS.map((check) => ({ model, check, status: 'skipped' as const, observed: null, reason: 'another shard', evidence: [], notRun: true as const }));

/** Shard i/2 of `runId`, finished at `finishedAt`. */
export function shardOf(runId: string, i: 1 | 2, finishedAt: string, ci?: MatrixCi): Matrix {
  const m = smallMatrix(notRun(i === 1 ? QWEN : GROK), [GROK, QWEN], SHARD_CHECKS, { runId, shard: `${i}/2` });
  const startedAt = new Date(Date.parse(finishedAt) - 60_000).toISOString();
  return { ...m, run: { ...m.run, startedAt, finishedAt, ...(ci ? { ci } : {}) } };
}
