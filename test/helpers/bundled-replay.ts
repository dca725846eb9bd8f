/**
 * The full replay of the bundled recordings (13650 cells), run once per test process and shared by the tests that
 * read it: by the built CLI in a child process, as a user runs it (test/package.test.ts holds the build equal to the
 * source). Two of them in this process through tsx took a minute of a 2-core machine. Its folder is below the
 * built package's, which the global setup removes.
 */
import { readFile } from 'node:fs/promises';
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

/** A full replay into its own folder; `args` are added (`--threads 1`). */
export async function replayBundled(name: string, args: string[] = []): Promise<Replay> {
  const reports = join(inject('packageRoot'), 'replays', `${name}-${process.pid}`);
  const run = await cliProcess(['run', '--report-dir', reports, '--quiet', ...args]);
  const matrix = run.code === 0 || run.code === 1 ? (JSON.parse(await readFile(join(reports, 'matrix.json'), 'utf8')) as Matrix) : ({} as Matrix);
  return { reports, matrix, code: run.code, stderr: run.stderr };
}

let shared: Promise<Replay> | undefined;

/** The one shared replay of this test process, on three threads (a worker thread's results are in every report). */
export function sharedBundledReplay(): Promise<Replay> {
  shared ??= replayBundled('shared', ['--threads', '3']);
  return shared;
}
