/**
 * `schema` writes into the user's `<--suites>/schema`: it replaces only the schema files mantle-conformance wrote
 * (known by their `$id`), and never writes through a symbolic link (of a schema file or of the folder: into another
 * file, or into the installed package). Anything else stops it with exit 2 naming the file and the fix, before any
 * file is written.
 */
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isOwnSchemaText, SCHEMA_FILES, schemaText } from '../src/suite/schema-files.ts';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schema-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A project whose ./suites/schema the harness filled once. */
async function project(name: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  const first = await cli(['schema'], {}, folder);
  expect(first.code, first.stderr).toBe(0);
  return folder;
}

it('its own schema files are known by their $id, the shipped ones included; anything else is not', async () => {
  for (const file of SCHEMA_FILES) {
    expect(isOwnSchemaText(await readFile(join(ROOT, file.path), 'utf8'), file.schema)).toBe(true);
    expect(isOwnSchemaText(schemaText(file.schema), file.schema)).toBe(true);
  }
  const [suite, catalog] = [SCHEMA_FILES[0]!.schema, SCHEMA_FILES[1]!.schema];
  expect(isOwnSchemaText(schemaText(catalog), suite)).toBe(false);
  expect(isOwnSchemaText('my hand-edited schema', suite)).toBe(false);
  expect(isOwnSchemaText('{"my":"own notes"}', suite)).toBe(false);
});

it('replaces its own earlier files, as before', async () => {
  const folder = await project('again');
  const file = join(folder, 'suites/schema/suite.schema.json');
  await writeFile(file, (await readFile(file, 'utf8')).replace('"title": "mantle-conformance suite"', '"title": "older"'));
  const again = await cli(['schema'], {}, folder);
  expect(again.code, again.stderr).toBe(0);
  expect(await readFile(file, 'utf8')).toBe(await readFile(join(ROOT, 'suites/schema/suite.schema.json'), 'utf8'));
});

it('refuses a file of a schema\'s name it did not write (exit 2, naming it), and writes nothing', async () => {
  const folder = await project('hand');
  const catalog = join(folder, 'suites/schema/catalog.schema.json');
  await writeFile(catalog, '{"old":true}\n');
  await writeFile(join(folder, 'suites/schema/suite.schema.json'), 'my hand-edited schema\n');
  const run = await cli(['schema'], {}, folder);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('HARNESS_USAGE');
  expect(run.stderr).toContain(`schema: ${join('suites', 'schema', 'suite.schema.json')} is a file mantle-conformance did not write`);
  expect(run.stderr).toContain('move it away (or give --suites another folder). Nothing was written.');
  expect(await readFile(join(folder, 'suites/schema/suite.schema.json'), 'utf8')).toBe('my hand-edited schema\n');
  // Checked before any was written: the catalog schema, before it in order, was left as it was too.
  expect(await readFile(catalog, 'utf8')).toBe('{"old":true}\n');
});

it('refuses a link at a schema file\'s path, leaving the file it points at as it was', async () => {
  const folder = await project('link');
  const notes = join(dir, 'shared-notes.json');
  await writeFile(notes, '{"my":"own notes"}');
  const catalog = join(folder, 'suites/schema/catalog.schema.json');
  await rm(catalog);
  await symlink(notes, catalog);
  const run = await cli(['schema'], {}, folder);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`schema: ${join('suites', 'schema', 'catalog.schema.json')} is a symbolic link`);
  expect(await readFile(notes, 'utf8')).toBe('{"my":"own notes"}');
  expect(await readlink(catalog)).toBe(notes);
});

it('refuses a schema folder that is a link (into an installed package), writing nothing there', async () => {
  const pkg = join(dir, 'node_modules/mantle-conformance/suites/schema');
  await mkdir(pkg, { recursive: true });
  const shipped = join(pkg, 'suite.schema.json');
  await writeFile(shipped, '{"shipped":true}');
  const folder = join(dir, 'linked');
  await mkdir(join(folder, 'suites'), { recursive: true });
  await symlink(pkg, join(folder, 'suites/schema'));
  const run = await cli(['schema'], {}, folder);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`schema: ${join('suites', 'schema')} is a symbolic link`);
  expect(await readFile(shipped, 'utf8')).toBe('{"shipped":true}');
  expect((await lstat(join(pkg, 'catalog.schema.json')).catch(() => undefined))).toBeUndefined();
});
