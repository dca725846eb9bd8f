/**
 * The full replay of the bundled recordings (13650 cells), run once per `npm test` and shared by the tests that read
 * it, whichever of vitest's worker processes they run in: by the built CLI in a child process, as a user runs it
 * (test/package.test.ts holds the build equal to the source). Two of them in this process through tsx took a minute
 * of a 2-core machine. Its folder is below the built package's, which the global setup removes.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Matrix } from '../../src/report/matrix.ts';
import { cliProcess } from './harness.ts';

export interface Replay {
  /** The report folder (matrix.json, matrix.md, ...). */
  reports: string;
  matrix: Matrix;
  code: number;
  stderr: string;
}

const replays = () => join(inject('packageRoot'), 'replays');

async function read(reports: string, code: number, stderr: string): Promise<Replay> {
  const matrix = code === 0 || code === 1 ? (JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix) : ({} as Matrix);
  return { reports, matrix, code, stderr };
}

/** A full replay into its own folder; `args` are added (`--threads 1`). */
export async function replayBundled(name: string, args: string[] = []): Promise<Replay> {
  const reports = join(replays(), `${name}-${process.pid}`);
  const run = await cliProcess(['run', '--report-dir', reports, '--quiet', ...args]);
  return read(reports, run.code, run.stderr);
}

let shared: Promise<Replay> | undefined;

/**
 * The one shared replay of this `npm test`, on two threads (a worker thread's results are in every report). The
 * first process to create its folder runs it; the others wait for the file that says it is done.
 */
export function sharedBundledReplay(): Promise<Replay> {
  shared ??= (async () => {
    const dir = join(replays(), 'shared');
    const done = join(dir, 'done.json');
    await mkdir(replays(), { recursive: true });
    const first = await mkdir(dir).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (first) {
      const run = await cliProcess(['run', '--report-dir', join(dir, 'reports'), '--quiet', '--threads', '2']);
      // Whole or not at all: a waiter never reads it half-written.
      await writeFile(`${done}.tmp`, JSON.stringify({ code: run.code, stderr: run.stderr }));
      await rename(`${done}.tmp`, done);
    }
    for (let waited = 0; ; waited += 100) {
      const ended = await readFile(done, 'utf8').then(
        (text) => JSON.parse(text) as { code: number; stderr: string },
        () => undefined,
      );
      if (ended) return read(join(dir, 'reports'), ended.code, ended.stderr);
      if (waited > 300_000) throw new Error(`the shared replay in ${dir} did not finish in 5 minutes`);
      await sleep(100);
    }
  })();
  return shared;
}
