/**
 * A path option given on a parent command and again on its subcommand (`catalog --catalog F diff --catalog F`,
 * `fixtures --suites S prune --suites S`) is one value when both name the same file, however each is spelt: the
 * README says "given twice, the same file". Compared as spelt, `suites/models.yaml` and `./suites/models.yaml` were
 * "two values" (review r2c, finding 6). Two files are still refused.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/harness.ts';

const REPLAY = ['--mode', 'replay', '--target', 'runtime:emulator'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-parent-paths-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('catalog --catalog F diff --catalog F, spelt two ways', () => {
  it.each([
    ['suites/models.yaml', './suites/models.yaml'],
    ['suites/models.yaml', `${ROOT}/suites/models.yaml`],
    ['suites//models.yaml', 'suites/../suites/models.yaml'],
  ])('%s and %s are one --catalog', async (before, after) => {
    const result = await cli(['catalog', '--catalog', before, 'diff', '--catalog', after, ...REPLAY]);
    expect(result.stderr).not.toContain('two values');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^runtime\.emulator \(runtime\): \d+ listed/);
  });

  it('a link to the file is the same file', async () => {
    const link = join(dir, 'linked.yaml');
    await symlink(join(ROOT, 'suites/models.yaml'), link);
    const result = await cli(['catalog', '--catalog', link, 'diff', '--catalog', 'suites/models.yaml', ...REPLAY]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('two files are still two values', async () => {
    const result = await cli(['catalog', '--catalog', 'suites/models.yaml', 'diff', '--catalog', 'suites/expectations.yaml', ...REPLAY]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: catalog --catalog suites/models.yaml diff --catalog suites/expectations.yaml: two values; give --catalog once, after diff');
  });
});

describe('fixtures --suites S --fixtures D prune, spelt two ways', () => {
  it('the same folders are one --suites and one --fixtures', async () => {
    const fixtures = join(dir, 'fx');
    await mkdir(fixtures);
    const result = await cli(['fixtures', '--suites', 'suites', '--fixtures', fixtures, 'prune', '--suites', './suites/', '--fixtures', `${dir}//fx`, '--dry-run']);
    expect(result.stderr).not.toContain('two values');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('would remove 0 recording(s)');
  });

  it('another folder is still refused', async () => {
    const result = await cli(['fixtures', '--suites', 'suites', 'prune', '--suites', 'fixtures', '--fixtures', join(dir, 'fx'), '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: fixtures --suites suites prune --suites fixtures: two values; give --suites once, after prune');
  });
});
