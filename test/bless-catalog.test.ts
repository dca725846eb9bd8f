/**
 * bless names the catalog of the run it blesses: a new file made from a run of a user's own catalog says
 * `expectations: <that id>` (it said "mantle", and the next run refused it); blessing into an existing file of another
 * catalog is refused with both ids, where the file says its own, and the fix; and a run refusing a file of another
 * catalog says how to get past it (another file, or none) rather than only "regenerate with bless".
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers/harness.ts';

let dir: string;
let mine: string;
let matrix: string;
const MODEL = ['--models', 'openai.gpt-oss-120b'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bless-catalog-'));
  mine = join(dir, 'mine.yaml');
  const text = await readFile(join(ROOT, 'suites/models.yaml'), 'utf8');
  expect(text).toMatch(/^catalog: mantle$/m);
  await writeFile(mine, text.replace(/^catalog: mantle$/m, 'catalog: mine'));
  const run = await cli(['run', '--catalog', mine, '--no-expectations', ...MODEL, '--report-dir', join(dir, 'r1'), '--quiet']);
  expect(run.code, run.stderr).not.toBe(2);
  matrix = join(dir, 'r1', 'matrix.json');
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bless of a run of another catalog than the bundled one', () => {
  it('writes a new file for the run\'s catalog, which the next run of it loads', async () => {
    const file = join(dir, 'new.yaml');
    const bless = await cli(['bless', '--all', matrix, '--expectations', file]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).not.toContain('note:');
    expect(await readFile(file, 'utf8')).toMatch(/^expectations: mine$/m);
    const again = await cli(['run', '--catalog', mine, '--expectations', file, ...MODEL, '--report-dir', join(dir, 'r2'), '--quiet']);
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it('refuses to write into a file of another catalog, naming both ids, where the file says its own, and the fix', async () => {
    const file = join(dir, 'mantle.yaml');
    const text = '# the bundled catalog\'s\nexpectations: mantle\nmodels:\n  openai.gpt-oss-120b:\n    created-at.chat: integer\n';
    await writeFile(file, text);
    const bless = await cli(['bless', '--all', matrix, '--expectations', file]);
    expect(bless.code).toBe(2);
    expect(bless.stderr).toContain(`${file}:2:15 expectations: ${file} is for catalog "mantle", and run `);
    expect(bless.stderr).toContain(`was of catalog "mine" (the run's catalog ${mine}); nothing was written. Bless into catalog "mine"'s own expectations file (--expectations FILE`);
    expect(await readFile(file, 'utf8')).toBe(text);
    // The fix, followed: another file.
    const fixed = await cli(['bless', '--all', matrix, '--expectations', join(dir, 'mine-own.yaml')]);
    expect(fixed.code, fixed.stderr).toBe(0);
    // --catalog still overrides what the matrix names: the user says the values are the bundled catalog's.
    const told = await cli(['bless', '--all', matrix, '--expectations', file, '--catalog', join(ROOT, 'suites/models.yaml')]);
    expect(told.code, told.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toMatch(/^expectations: mantle$/m);
  }, 120_000);

  it('refuses a --catalog that does not exist, naming the flag', async () => {
    const bless = await cli(['bless', '--all', matrix, '--expectations', join(dir, 'never.yaml'), '--catalog', join(dir, 'no-such.yaml')]);
    expect(bless.code).toBe(2);
    expect(bless.stderr).toContain(`HARNESS_FILE_NOT_FOUND: --catalog: ${join(dir, 'no-such.yaml')} does not exist`);
  });

  it('says which catalog a new file names when the run\'s catalog cannot be read here', async () => {
    const moved = JSON.parse(await readFile(matrix, 'utf8')) as { run: { catalog: string } };
    moved.run.catalog = join(dir, 'gone', 'models.yaml');
    const input = join(dir, 'moved.json');
    await writeFile(input, JSON.stringify(moved));
    const bless = await cli(['bless', '--all', input, '--expectations', join(dir, 'guessed.yaml')]);
    expect(bless.code, bless.stderr).toBe(0);
    expect(bless.stdout).toContain(`note: the catalog run `);
    expect(bless.stdout).toMatch(/cannot be read here, so the new file says `expectations: mantle` \(.*models\.yaml\); pass --catalog FILE to name the run's catalog/);
  }, 120_000);

  it('a run refusing a file of another catalog says how to run without it', async () => {
    const file = join(dir, 'refused.yaml');
    await writeFile(file, 'expectations: mantle\nmodels:\n  openai.gpt-oss-120b:\n    created-at.chat: integer\n');
    const run = await cli(['run', '--catalog', mine, '--expectations', file, ...MODEL, '--report-dir', join(dir, 'r3'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this file is for catalog "mantle", and the catalog loaded is "mine"');
    expect(run.stderr).toContain('Name catalog "mine"\'s own expectations file with --expectations FILE, or judge without one (`run --no-expectations`;');
    expect(run.stderr).not.toContain('regenerate entries with `mantle-conformance bless`');
  }, 120_000);
});
