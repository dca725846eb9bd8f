/**
 * @module cli/matrix-size
 * How large a matrix.json this process reads, from its own heap limit: a reader (`report`, `compare`, `merge`,
 * `table`, `bless`, `--baseline`) reads what `run` and `merge` write on the same machine, and a file past the limit
 * is refused naming itself, its size, the limit and the fix (a larger heap, or fewer targets per file), never left to
 * die at the heap limit with no word of which file it was. The writers warn when what they wrote is past it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants } from 'node:buffer';
import { getHeapStatistics } from 'node:v8';
import { printedPath } from './printed-path.ts';

const MiB = 1024 * 1024;
/**
 * Heap per byte of file a read may take, as the byte limit's divisor. Measured on a merge of 24 bundled replays
 * (323 MB, 48 targets, 327,600 cells) on the default 4 GiB heap: `compare` of two such files peaks at 2.1 GB of
 * memory (3.3 bytes a byte of the two), `report` of one, which writes the four formats again, at 1.8 GB (5.7).
 * Eight leaves room for two files near the limit (a compare, a run with --baseline and its own matrix) on one heap.
 */
export const HEAP_PER_BYTE = 8;
/**
 * What JSON.parse takes per value (an object, an array, an element after a comma), measured: 32 bytes for `{}` and
 * `[0]`, 36 on average over a run's file, whose whitespace makes it about one value per 35 bytes. A file made of
 * `[{},{},...]` has one per 1.5 bytes: 21 bytes of heap per byte, refused before it is parsed.
 */
const HEAP_PER_VALUE = 48;
/**
 * The heap one file's parse may be expected to take, in eighths of the heap limit. A run's file costs about 3.4 bytes
 * a byte by `parseCost` (one value per 35 bytes), so at the byte limit (an eighth) it takes 3.4 eighths: five leave
 * room for a denser file of ours (one value per 16 bytes), and refuse a crafted one past 1/54 of the heap.
 */
const COST_SHARE = 5;
/**
 * The heap a run's own file takes a byte by `parseCost` (3.4 to 3.6 measured), with room. Where the read floor lifts
 * the byte limit past the heap's share, the parse's limit rises with it: a run's file up to the byte limit is read (a
 * 208 MiB one was refused on a 1 GiB heap by the share's 640 MiB), and a crafted `[{},{},...]` is refused past a fifth
 * of the byte limit.
 */
const RUN_COST = 4;
/** The smallest heap the read floor holds on: what a writer assumes a reader on a smaller runner has. */
const FLOOR_HEAP = 1024 * MiB;

export interface ReadLimits {
  /** The heap this process may use (v8's heap_size_limit). */
  heap: number;
  /** The largest file read, in bytes: a share of the heap, below what one string can hold. */
  maxBytes: number;
  /** The most heap one file's parse may be expected to take (`parseCost`). */
  maxCost: number;
  /** The longest string V8 makes: a file is read as one, so no heap reads a file longer. */
  maxString: number;
  /**
   * The parse cost of the files read under these limits so far: a command that reads several (compare, merge, table)
   * holds them all until it ends, so they share `maxCost` (two files each under it exhausted a 1 GiB heap).
   */
  committed: { cost: number };
}

/**
 * What every reader on a heap of a GiB or more reads, whatever its share says: the fixed limit before the share. Node's
 * default heap is about a quarter of the machine's memory (up to 4 GiB): on a 7 GB CI runner an eighth of it is 230 MiB,
 * and a file read there before would have been refused.
 */
export const READ_FLOOR = 256 * MiB;

/** The limits of this process, or of a heap and string length given (tests use small ones). */
export function readLimits(heap = getHeapStatistics().heap_size_limit, maxString: number = constants.MAX_STRING_LENGTH): ReadLimits {
  const share = Math.floor(heap / HEAP_PER_BYTE);
  const maxBytes = Math.min(heap >= FLOOR_HEAP ? Math.max(share, READ_FLOOR) : share, maxString);
  return { heap, maxBytes, maxCost: Math.max(Math.floor((heap * COST_SHARE) / HEAP_PER_BYTE), RUN_COST * maxBytes), maxString, committed: { cost: 0 } };
}

/** The `--max-old-space-size` (MiB, a multiple of 512) under which a file of `bytes` is read. */
function heapFor(bytes: number): number {
  return Math.ceil((bytes * HEAP_PER_BYTE) / MiB / 512) * 512;
}

/** The `--max-old-space-size` (MiB, a multiple of 512) under which a parse of `cost` is allowed. */
function heapForCost(cost: number): number {
  return Math.ceil((cost * HEAP_PER_BYTE) / COST_SHARE / MiB / 512) * 512;
}

const mib = (n: number) => `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MiB`;
const SPLIT = 'or merge) fewer targets per matrix.json, a region per file, and read each on its own';

/**
 * Why a file of `size` bytes is not read under `limits`, and the fix; undefined when it is read. A file that one
 * string cannot hold is past any heap; one past the heap's share is read under a larger heap.
 */
export function tooLarge(size: number, limits: ReadLimits): { said: string; fix: string } | undefined {
  if (size <= limits.maxBytes) return undefined;
  const said = `${size} bytes (${mib(size)}), more than`;
  if (size > limits.maxString) return { said: `${said} a matrix.json can be read at all (it is read as one string, at most ${mib(limits.maxString)} whatever the heap)`, fix: `run (${SPLIT}` };
  return {
    said: `${said} this process reads as one matrix.json (at most ${mib(limits.maxBytes)}, 1/${HEAP_PER_BYTE} of its ${mib(limits.heap)} heap limit)`,
    fix: `raise the heap (NODE_OPTIONS=--max-old-space-size=${heapFor(size)} mantle-conformance ...), or run (${SPLIT}`,
  };
}

/** Bytes that open a JSON value past the first: `{`, `[` and `,`. */
function valueCount(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x7b || b === 0x5b || b === 0x2c) n++;
  }
  return n;
}

/**
 * The heap a parse of `bytes` may take, over-estimated: the text as one string (two bytes a character when it is not
 * ASCII) and every value it holds. A run's file costs about 3.4 bytes a byte by this, a crafted one up to 34.
 */
export function parseCost(bytes: Uint8Array): { values: number; cost: number } {
  const values = valueCount(bytes);
  return { values, cost: 2 * bytes.length + HEAP_PER_VALUE * values };
}

/**
 * Why `bytes` are not parsed under `limits` (a file whose parse may cost more heap than this process spends on one);
 * undefined when they are. The heap is the fix: a run's own file denser than most (long lists of short values) is
 * one, as much as a file made to cost more than its size says.
 */
export function costProblem(bytes: Uint8Array, limits: ReadLimits): string | undefined {
  const { values, cost } = parseCost(bytes);
  const before = limits.committed.cost;
  if (before + cost <= limits.maxCost) {
    // What stays once parsed: the text (two bytes a character) is let go when the next file is read.
    limits.committed.cost += cost - 2 * bytes.length;
    return undefined;
  }
  const others = before > 0 ? ` with the ${mib(before)} the files this command read before it hold` : '';
  const fewer = before > 0 ? 'or give the command fewer files at once' : `or run (${SPLIT}`;
  return `its parse may take ${mib(cost)} of heap${others}, more than this process spends on the files of one command (${mib(limits.maxCost)} of its ${mib(limits.heap)} heap limit): raise the heap (NODE_OPTIONS=--max-old-space-size=${heapForCost(before + cost)} mantle-conformance ...), ${fewer} (${values} JSON values in ${bytes.length} bytes, one per ${(bytes.length / Math.max(values, 1)).toFixed(1)}; a run's file has about one per 35)`;
}

/** `parseCost` of a file, read in chunks (a writer's file is not held whole again to be measured). */
async function fileCost(file: string): Promise<number | undefined> {
  let values = 0;
  let size = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      values += valueCount(chunk);
      size += chunk.length;
    }
  } catch {
    return undefined;
  }
  return 2 * size + HEAP_PER_VALUE * values;
}

/**
 * The warning a writer (`run`, `merge`) gives when the matrix.json among `files` is larger than this process would
 * read again: every reader of it (`--baseline` the next night) would refuse it. Undefined when it is not, or is gone.
 */
export async function writtenSizeWarning(files: readonly string[], limits: ReadLimits = readLimits()): Promise<string | undefined> {
  const file = files.find((f) => basename(f) === 'matrix.json');
  const size = file === undefined ? undefined : await stat(file).then((s) => s.size, () => undefined);
  if (size === undefined) return undefined;
  const where = `warning: ${printedPath(file!)}: written at`;
  const readers = '`report`, `compare`, `table`, `bless` and `--baseline` refuse it as it is';
  const large = tooLarge(size, limits);
  if (large) return `${where} ${large.said}: ${readers}; to read it, ${large.fix}`;
  // What its parse may take, measured only where it could pass a limit (a file costs at most 50 bytes of heap a byte).
  const floor = readLimits(FLOOR_HEAP, limits.maxString);
  const cost = size * (2 + HEAP_PER_VALUE) > Math.min(limits.maxCost, floor.maxCost) ? await fileCost(file!) : undefined;
  const costly = cost === undefined ? '' : `${size} bytes (${mib(size)}), whose parse may take ${mib(cost)} of heap`;
  if (cost !== undefined && cost > limits.maxCost) return `${where} ${costly}, more than this process spends on one file (${mib(limits.maxCost)}): ${readers}; to read it, raise the heap (NODE_OPTIONS=--max-old-space-size=${heapForCost(cost)}), or run (${SPLIT}`;
  // Read here, but not by a reader on a smaller heap (a CI runner with less memory, the next night's --baseline).
  if (size > READ_FLOOR) return `${where} ${size} bytes (${mib(size)}): a reader whose heap limit is under ${mib(HEAP_PER_BYTE * size)} refuses it (\`report\`, \`compare\`, \`--baseline\` on a runner with less memory); there, raise the heap (NODE_OPTIONS=--max-old-space-size=${heapFor(size)}), or run (${SPLIT}`;
  // Within the floor's bytes, yet past what its parse may take on the floor's heap: a 1 GiB runner refuses it.
  if (cost !== undefined && cost > floor.maxCost) return `${where} ${costly}: a reader whose heap limit is under ${mib(heapForCost(cost) * MiB)} refuses it (\`report\`, \`compare\`, \`--baseline\` on a runner with less memory); there, raise the heap (NODE_OPTIONS=--max-old-space-size=${heapForCost(cost)}), or run (${SPLIT}`;
  return undefined;
}

/** Writes the warning of `writtenSizeWarning`, when there is one, to `err` (even with --quiet), and returns it for the job summary. */
export async function warnWrittenSize(files: readonly string[], err: NodeJS.WritableStream, limits: ReadLimits = readLimits()): Promise<string[]> {
  const warning = await writtenSizeWarning(files, limits);
  if (warning) err.write(`${warning}\n`);
  return warning ? [warning] : [];
}
