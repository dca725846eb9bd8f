/**
 * @module cli/schema-command
 * `mantle-conformance schema`: the JSON Schemas for editors (suite, catalog, expectations, matrix, history-run,
 * fixture), written into `<--suites>/schema` (./suites/schema by default, made when missing). There they sit beside
 * the user's own suite files, so the `# yaml-language-server: $schema=./schema/suite.schema.json` line a suite file
 * starts with resolves in a project that installed the package; in a checkout run from its root, ./suites is the
 * package's own, and the files regenerated there are the ones shipped.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { shownPath } from '../shown-path.ts';
import { SCHEMA_FILES, schemaText } from '../suite/schema-files.ts';
import { FIXTURE_SCHEMA_FILE } from '../transport/fixture-schema.ts';
import { writeOutputFile } from './report-commands.ts';

/** Writes every schema file into `<suites>/schema` and names each; returns the exit code (0). */
export async function schemaCommand(flags: { suites?: string }, out: NodeJS.WritableStream): Promise<number> {
  const dir = join(resolve(flags.suites ?? 'suites'), 'schema');
  // A folder that cannot be made (a file in the way) fails at the first write below, naming the file and the fix.
  await mkdir(dir, { recursive: true }).catch(() => undefined);
  for (const file of [...SCHEMA_FILES, FIXTURE_SCHEMA_FILE]) {
    const path = join(dir, basename(file.path));
    await writeOutputFile(path, schemaText(file.schema), { asker: 'schema', advice: 'give --suites a folder you can write to' });
    out.write(`wrote ${shownPath(path)}\n`);
  }
  return 0;
}
