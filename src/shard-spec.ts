/**
 * @module shard-spec
 * `i/n`, shard i of n as `--shard` takes it: read by the run's flag, by merge (which shards of a run id it holds)
 * and by the history (a run's missing shards), and so checked in the files they read. One reading, so a shard one
 * of them takes the others take too.
 */
import { inertLine } from './report/inert-text.ts';

/** Shard `index` of `count`, from `i/n` with 1 <= i <= n (at most four digits each), or undefined. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  if (!match) return undefined;
  const [index, count] = [Number(match[1]), Number(match[2])];
  return index >= 1 && index <= count ? { index, count } : undefined;
}

/**
 * Why a shard read from a file at `field` (`run.selection.shard` of a matrix.json, `run.shard` of a history run) is
 * not `i/n` as `--shard` takes it, or undefined: merge and the history count a run's missing shards by it, and a
 * shard they cannot read would make its run's shards not belong together rather than the file be refused.
 */
export function shardProblem(shard: string | undefined, field: string): string | undefined {
  if (shard === undefined || parseShard(shard)) return undefined;
  return `${field}: ${inertLine(JSON.stringify(shard), 60)} is not i/n with 1 <= i <= n (as --shard takes it)`;
}
