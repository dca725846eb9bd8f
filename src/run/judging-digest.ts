/**
 * @module run/judging-digest
 * What a run judged against, as a matrix.json keeps it: digests of the expectations file, the catalog, the suite
 * files and the `--openapi` document (their bytes), and the trials per case. Shards of one run are merged as one;
 * judged against other files or with another `--repeat`, the same run would pass or fail by which job held which,
 * so merge compares these. A replay repeats what was recorded, whatever `--repeat` says: no `repeat` then.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MatrixRun } from '../report/matrix.ts';
import type { RunConfig } from './run-config.ts';

/** The first 16 hex digits of a SHA-256: enough to tell two inputs apart, short to read in a message. */
const digest = (hash: ReturnType<typeof createHash>) => hash.digest('hex').slice(0, 16);

/** The digest of a file's bytes, as `judging` keeps it (bless compares it with the file it would write). */
export async function digestOf(file: string): Promise<string> {
  return digest(createHash('sha256').update(await readFile(file)));
}

/** The suite files of a folder, by name and bytes, in name order (what the plan is built from). */
async function suitesDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.suite.yaml')).sort();
  for (const name of names) hash.update(`${name}\u0000`).update(await readFile(join(dir, name))).update('\u0000');
  return digest(hash);
}

export async function judgingOf(config: Pick<RunConfig, 'expectationsFile' | 'catalogFile' | 'suitesDir' | 'openapiFile' | 'repeat' | 'targets'>): Promise<NonNullable<MatrixRun['judging']>> {
  const [expectations, catalog, suites, openapi] = await Promise.all([
    config.expectationsFile ? digestOf(config.expectationsFile) : null,
    digestOf(config.catalogFile),
    suitesDigest(config.suitesDir),
    config.openapiFile ? digestOf(config.openapiFile) : null,
  ]);
  const replay = config.targets.every((t) => t.mode === 'replay');
  return { expectations, catalog, suites, openapi, ...(replay ? {} : { repeat: config.repeat }) };
}
