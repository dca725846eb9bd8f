/**
 * @module history/read-worker
 * A thread of read-pool.ts: reads, validates and digests the run files it is handed, one at a time in the order
 * handed (its RunDigester numbers them in that order), and answers each with the digest, its arrays moved rather
 * than copied, or with the error reading it raised (code and message: what the command reports).
 */
import { parentPort } from 'node:worker_threads';
import { toHarnessError } from '../errors.ts';
import type { ReadJob, ReadReply } from './read-pool.ts';
import { readRunFile } from './read-history.ts';
import { RunDigester, transferablesOf } from './run-digest.ts';

const port = parentPort!;
const digester = new RunDigester();
let done: Promise<void> = Promise.resolve();

async function read({ index, dir, name }: ReadJob): Promise<void> {
  try {
    const digest = digester.digest(name, await readRunFile(dir, name));
    port.postMessage({ index, digest } satisfies ReadReply, transferablesOf(digest));
  } catch (cause) {
    const error = toHarnessError(cause);
    port.postMessage({ index, error: { code: error.code, message: error.message } } satisfies ReadReply);
  }
}

port.on('message', (job: ReadJob) => {
  done = done.then(() => read(job));
});
