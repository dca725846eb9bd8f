/**
 * @module run/judging-digest
 * What a run judged against, as a matrix.json keeps it: digests of the expectations file and the catalog (their
 * bytes), and the trials per case. Shards of one run are merged as one; judged against other expectations or with
 * another `--repeat`, the same run would pass or fail by which job held which file, so merge compares these.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MatrixRun } from '../report/matrix.ts';
import type { RunConfig } from './run-config.ts';

/** The first 16 hex digits of the file's SHA-256: enough to tell two files apart, short to read in a message. */
async function digestOf(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 16);
}

export async function judgingOf(config: Pick<RunConfig, 'expectationsFile' | 'catalogFile' | 'repeat'>): Promise<NonNullable<MatrixRun['judging']>> {
  const [expectations, catalog] = await Promise.all([config.expectationsFile ? digestOf(config.expectationsFile) : null, digestOf(config.catalogFile)]);
  return { expectations, catalog, repeat: config.repeat };
}
