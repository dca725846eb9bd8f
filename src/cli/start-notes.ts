/**
 * @module cli/start-notes
 * What a run says of where its files come from and go, once, before anything is sent: where the suites, catalog
 * and expectations came from when they are not all in one folder (input-files.ts), and where a record run writes
 * its recordings, which no report names (a record run without --fixtures writes ./fixtures, run-options.ts): as an
 * absolute path (config.fixturesDir is resolved: run-options.ts), since `npm run conformance` runs at the package root,
 * not in the folder it was typed in.
 */
import { join } from 'node:path';
import { folderName } from '../names.ts';
import { inertLine } from '../report/inert-text.ts';
import type { RunConfig } from '../run/run-config.ts';
import { inputsNote, type InputFlags } from './input-files.ts';

/**
 * The notes, one line each. `paths: false` leaves the recordings unnamed: the caller (`fixtures`) records into a
 * folder of its own making and says itself where the recordings went.
 */
export function startNotes(flags: InputFlags, config: RunConfig, root: string, paths: boolean): string[] {
  const inputs = inputsNote(flags, { suitesDir: config.suitesDir, catalogFile: config.catalogFile, ...(config.expectationsFile ? { expectationsFile: config.expectationsFile } : {}) }, root);
  const recording = config.targets.filter((t) => t.mode === 'record').map((t) => `${inertLine(join(config.fixturesDir, folderName(t.id)), 300)}/`);
  return [...(inputs ? [inputs] : []), ...(paths && recording.length ? [`recordings: ${recording.join(', ')}`] : [])];
}
