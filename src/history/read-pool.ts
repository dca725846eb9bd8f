/**
 * @module history/read-pool
 * Reading a history folder is gunzip, JSON.parse and validation of each run file, which one thread does one file
 * at a time. With many files, worker threads do it in parallel (read-worker.ts): each reads, validates and digests
 * the files it is handed with its own RunDigester, and this thread merges the digests in file order, so the report
 * is the one a single thread makes, whichever thread read which file. A bad file fails the command with the error
 * of the first bad file in name order, exactly as read here.
 */
import { availableParallelism } from 'node:os';
import { HarnessError, type HarnessErrorCode } from '../errors.ts';
import { startHarnessWorker, type StartWorker } from '../package-root.ts';
import type { DigestSource, HistoryBuilder } from './build-history.ts';
import { readRunFile } from './read-history.ts';
import type { RunDigest } from './run-digest.ts';

/** A worker thread is started only when each gets at least this many files (starting one costs about 30 files). */
export const MIN_FILES_PER_THREAD = 32;
/** At most this many reading threads: each holds a parsed file at a time, and the merge keeps pace with about so many. */
export const MAX_READ_THREADS = 8;
/** Files handed to a thread before it answers: one being read, one waiting. */
const QUEUED_PER_THREAD = 2;

/** One file for a worker to read: its position in the folder's name order, the folder and its name. */
export interface ReadJob {
  index: number;
  dir: string;
  name: string;
}

/** A worker's answer: the file's digest, or the error reading it raised. */
export type ReadReply = { index: number; digest: RunDigest } | { index: number; error: { code: HarnessErrorCode; message: string } };

/** How many worker threads read `files` files: one per core, none when fewer than two would have enough to do. */
export function readThreads(files: number): number {
  const threads = Math.min(availableParallelism(), MAX_READ_THREADS, Math.floor(files / MIN_FILES_PER_THREAD));
  return threads >= 2 ? threads : 0;
}

/**
 * Reads, validates and adds to `builder` every run file of `dir` in `names`, in order; on `threads` worker threads
 * (0: in this thread, one file at a time), each started by `start` (default: startHarnessWorker). Returns the number of
 * threads it read on; rejects with the first bad file's HarnessError.
 */
export async function readHistory(dir: string, names: readonly string[], builder: HistoryBuilder, threads = readThreads(names.length), start: StartWorker = startHarnessWorker): Promise<number> {
  if (threads <= 0 || names.length === 0) {
    // One file at a time: only its numbers stay in memory.
    for (const name of names) builder.add(name, await readRunFile(dir, name));
    return 0;
  }
  const workers = Array.from({ length: Math.min(threads, names.length) }, () => start({ source: 'src/history/read-worker.ts', built: 'dist/history/read-worker.js' }));
  try {
    await new Promise<void>((resolve, reject) => {
      const sources: DigestSource[] = workers.map(() => ({ series: [], states: [], keys: [], signatures: [] }));
      const replies = new Map<number, ReadReply & { worker: number }>();
      const queued = workers.map(() => 0);
      let next = 0;
      let merged = 0;
      let done = false;
      // Once settled, whatever the threads still send is ignored (they are being stopped).
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        if (error) reject(error);
        else resolve();
      };
      // Files read ahead of the merge are held until the files before them are in: a bounded number.
      const window = workers.length * QUEUED_PER_THREAD * 2;
      const hand = () => {
        for (let w = 0; w < workers.length; w++) {
          while (queued[w]! < QUEUED_PER_THREAD && next < names.length && next - merged < window) {
            workers[w]!.postMessage({ index: next, dir, name: names[next]! } satisfies ReadJob);
            queued[w]! += 1;
            next += 1;
          }
        }
      };
      const merge = () => {
        for (let reply = replies.get(merged); reply; reply = replies.get(merged)) {
          replies.delete(merged);
          if ('error' in reply) return finish(new HarnessError(reply.error.code, reply.error.message));
          builder.merge(reply.digest, sources[reply.worker]!);
          merged += 1;
        }
        if (merged === names.length) return finish();
        hand();
      };
      workers.forEach((worker, w) => {
        worker.on('message', (reply: ReadReply) => {
          if (done) return;
          queued[w]! -= 1;
          replies.set(reply.index, { ...reply, worker: w });
          try {
            merge();
          } catch (error) {
            finish(error);
          }
        });
        worker.on('error', (error) => finish(new HarnessError('HARNESS_INTERNAL', `history: a thread reading the run files failed (${error.message})`, { cause: error })));
        worker.on('exit', (code) => finish(new HarnessError('HARNESS_INTERNAL', `history: a thread reading the run files stopped (exit code ${code})`)));
      });
      hand();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return workers.length;
}

