/**
 * @module cli/heap-growth
 * How far V8 lets the old generation grow before its next full collection. By default it grows up to about four
 * times what survived the last one while the program allocates fast, and a replay allocates fast: each model's parsed
 * recordings live long enough to be promoted, then die together. The full bundled replay held 60 MB alive and peaked
 * near 270 MiB resident, most of it garbage not yet collected. Growing by 30% at a time costs more full
 * collections (tens of milliseconds each at this size: up to a tenth more CPU, measured alternating with the default
 * in the same hour) and brings that peak down to 215-240 MiB (README, Benchmark). 60% peaked at 220-246 MiB.
 */
import v8 from 'node:v8';

/** The growth the CLI asks for: each full collection lets the old generation grow by this much of what survived. */
export const HEAP_GROWING_PERCENT = 30;

const FLAG = '--heap-growing-percent';

/**
 * The V8 flag the CLI sets, or undefined when the user gave their own to node (`node --heap-growing-percent=N
 * dist/cli/bin.js`), whose choice stands, or froze V8's flags (`--freeze-flags-after-init`: a change after start-up
 * would crash; Node turns the freeze off by default). Spelled with dashes or underscores, as V8 accepts both. (Node
 * refuses both flags in NODE_OPTIONS.)
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  const given = execArgv.map((arg) => arg.replaceAll('_', '-'));
  if (given.some((arg) => arg.startsWith(FLAG) || arg === '--freeze-flags-after-init')) return undefined;
  return `${FLAG}=${HEAP_GROWING_PERCENT}`;
}

/**
 * Sets the flag in this process. V8 reads it each time it sizes the heap after a full collection, so setting it once
 * the process has started takes effect from the next one.
 */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) v8.setFlagsFromString(flag);
}
