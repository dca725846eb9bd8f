/**
 * @module cli/schema-command
 * `mantle-conformance schema`: the JSON Schemas for editors (suite, catalog, expectations, matrix, history-run,
 * fixture), written into `<--suites>/schema` (./suites/schema by default, made when missing). There they sit beside
 * the user's own suite files, so the `# yaml-language-server: $schema=./schema/suite.schema.json` line a suite file
 * starts with resolves in a project that installed the package; in a checkout run from its root, ./suites is the
 * package's own, and the files regenerated there are the ones shipped. That folder is the user's: a file of a
 * schema's name is replaced only when mantle-conformance wrote it (suite/schema-files.ts isOwnSchemaText), and never
 * through a symbolic link (of the folder or of a file: it would write outside it, into another file or the installed
 * package); anything else stops the command before it writes any file.
 */
import { lstat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from '../errors.ts';
import { printedPath } from './printed-path.ts';
import { isOwnSchemaText, SCHEMA_FILES, schemaText } from '../suite/schema-files.ts';
import { FIXTURE_SCHEMA_FILE } from '../transport/fixture-schema.ts';
import { readRegularFile } from '../regular-file.ts';
import { writeOutputFile } from './report-commands.ts';

/** Larger than any schema file a build wrote: a bigger file of that name is not one. */
const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;

/** Why `path` (a schema file's, or the folder) must not be written, or undefined: a link, or a file not ours. */
async function refusal(path: string, schema?: object): Promise<string | undefined> {
  const found = await lstat(path).catch(() => undefined);
  if (!found) return undefined;
  if (found.isSymbolicLink()) return 'is a symbolic link: schema writes its files in the folder itself, never through a link; remove the link';
  if (!schema) return found.isDirectory() ? undefined : 'is not a folder; move it away';
  const text = found.isFile() ? await readRegularFile(path, { most: MAX_SCHEMA_BYTES }) : undefined;
  if (text !== undefined && isOwnSchemaText(text, schema)) return undefined;
  return `is ${found.isFile() ? 'a file' : 'not a regular file'} mantle-conformance did not write (not its ${basename(path)}), and schema would replace it; move it away`;
}

/** Writes every schema file into `<suites>/schema` and names each; returns the exit code (0). */
export async function schemaCommand(flags: { suites?: string }, out: NodeJS.WritableStream): Promise<number> {
  const dir = join(resolve(flags.suites ?? 'suites'), 'schema');
  const files = [...SCHEMA_FILES, FIXTURE_SCHEMA_FILE].map((file) => ({ path: join(dir, basename(file.path)), schema: file.schema }));
  // Every path checked before any is written: a refusal leaves the folder as it was.
  for (const [path, schema] of [[dir, undefined] as const, ...files.map((f) => [f.path, f.schema] as const)]) {
    const why = await refusal(path, schema);
    if (why) throw new HarnessError('HARNESS_USAGE', `schema: ${printedPath(path)} ${why} (or give --suites another folder). Nothing was written.`);
  }
  // The first write makes the folder (and removes it again if that write is abandoned: atomic-write.ts); one that
  // cannot be made (a file in the way) fails there, naming the file and the fix.
  for (const file of files) {
    await writeOutputFile(file.path, schemaText(file.schema), { asker: 'schema', advice: 'give --suites a folder you can write to' });
    out.write(`wrote ${printedPath(file.path)}\n`);
  }
  return 0;
}
