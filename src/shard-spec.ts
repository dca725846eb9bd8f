/**
 * @module shard-spec
 * `i/n`, shard i of n as `--shard` takes it: read by the run's flag, by merge (which shards of a run id it holds)
 * and by the history (a run's missing shards). One reading, so a shard one of them takes the others take too.
 */

/** Shard `index` of `count`, from `i/n` with 1 <= i <= n (at most four digits each), or undefined. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  if (!match) return undefined;
  const [index, count] = [Number(match[1]), Number(match[2])];
  return index >= 1 && index <= count ? { index, count } : undefined;
}
