/**
 * `schema` writes the JSON Schemas beside the user's suite files (`<--suites>/schema`, ./suites/schema by default,
 * made when missing), not into the package: the `$schema=./schema/suite.schema.json` line a suite file starts with
 * then resolves in a project that installed the package.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

const FILES = ['catalog.schema.json', 'expectations.schema.json', 'fixture.schema.json', 'history-run.schema.json', 'matrix.schema.json', 'suite.schema.json'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schema-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('without --suites: into ./suites/schema of the working folder, made when missing, each file named', async () => {
  const run = await cli(['schema'], {}, dir);
  expect(run.code, run.stderr).toBe(0);
  expect((await readdir(join(dir, 'suites', 'schema'))).sort()).toEqual(FILES);
  for (const file of FILES) expect(run.stdout).toContain(`wrote ${join('suites', 'schema', file)}\n`);
  // The same text the package ships.
  expect(await readFile(join(dir, 'suites/schema/suite.schema.json'), 'utf8')).toBe(await readFile(join(ROOT, 'suites/schema/suite.schema.json'), 'utf8'));
});

it('--suites DIR: into DIR/schema', async () => {
  const run = await cli(['schema', '--suites', 'my-suites'], {}, dir);
  expect(run.code, run.stderr).toBe(0);
  expect((await readdir(join(dir, 'my-suites', 'schema'))).sort()).toEqual(FILES);
  expect(run.stdout).toContain(`wrote ${join('my-suites', 'schema', 'suite.schema.json')}\n`);
});
