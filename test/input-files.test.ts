/**
 * A project that installed the package: the suites, the catalog and the expectations are each taken from ./suites
 * when it holds them, else the bundled ones, by every command. `bless`'s default ./suites/expectations.yaml no
 * longer switches a run away from the bundled suites, and the commands that read the catalog find the bundled one.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownPath } from '../src/shown-path.ts';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'input-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function project(name: string): Promise<string> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  return cwd;
}

describe('a consumer project', () => {
  it('run with only ./suites/expectations.yaml (what bless writes) runs the bundled suites and catalog, with those expectations, and says so', async () => {
    const cwd = await project('blessed');
    await mkdir(join(cwd, 'suites'));
    await copyFile(join(ROOT, 'suites', 'expectations.yaml'), join(cwd, 'suites', 'expectations.yaml'));
    const run = await cli(['run', '--models', 'xai.grok-4.3', '--report-dir', join(cwd, 'reports')], {}, cwd);
    expect(run.code, run.stderr).toBe(0);
    const note = run.stderr.split('\n').filter((l) => l.startsWith('note: suites:'));
    expect(note).toEqual([`note: suites: the bundled suites (${join(ROOT, 'suites')}); catalog: the bundled catalog (${join(ROOT, 'suites', 'models.yaml')}); expectations: suites/expectations.yaml (the bundled expectations are not applied)`]);
    // --quiet: not a word but warnings and errors.
    const quiet = await cli(['run', '--models', 'xai.grok-4.3', '--report-dir', join(cwd, 'reports-quiet'), '--quiet'], {}, cwd);
    expect(quiet.stderr).not.toMatch(/^note: suites:/m);
  }, 60_000);

  it('validate and catalog with no ./suites read the bundled files', async () => {
    const cwd = await project('empty');
    const validate = await cli(['validate'], {}, cwd);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^ok: \d+ cases/);
    const catalog = await cli(['catalog'], {}, cwd);
    expect(catalog.code, catalog.stderr).toBe(0);
    expect(catalog.stdout).toContain(`models in ${join(ROOT, 'suites', 'models.yaml')}`);
    const check = await cli(['catalog', '--check'], {}, cwd);
    expect(check.code, check.stderr).not.toBe(2);
  }, 60_000);

  it('an empty ./suites, or one with suites only, leaves the bundled expectations applied', async () => {
    const cwd = await project('empty-suites');
    await mkdir(join(cwd, 'suites'));
    const validate = await cli(['validate'], {}, cwd);
    expect(validate.code, validate.stderr).toBe(0);
    const bundled = await cli(['validate'], {}, await project('no-suites'));
    expect(validate.stdout).toBe(bundled.stdout);
    expect(validate.stdout).toMatch(/\d+ expectations/);
  }, 60_000);

  it('a ./suites holding no suite file still runs the bundled suites; its models.yaml is the catalog', async () => {
    const cwd = await project('own-catalog');
    await mkdir(join(cwd, 'suites'));
    await copyFile(join(ROOT, 'suites', 'models.yaml'), join(cwd, 'suites', 'models.yaml'));
    const validate = await cli(['validate'], {}, cwd);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain(`note: suites: the bundled suites (${join(ROOT, 'suites')}); catalog: suites/models.yaml; expectations: none`);
  }, 60_000);

  it('--suites DIR without models.yaml is exit 2 naming --catalog and the bundled catalog', async () => {
    const cwd = await project('mysuites');
    await mkdir(join(cwd, 'mysuites'));
    await copyFile(join(ROOT, 'suites', 'content.suite.yaml'), join(cwd, 'mysuites', 'content.suite.yaml'));
    for (const command of ['validate', 'run']) {
      const result = await cli([command, '--suites', 'mysuites', '--report-dir', join(cwd, 'reports')].slice(0, command === 'run' ? 5 : 3), {}, cwd);
      expect(result.code, command).toBe(2);
      expect(result.stderr, command).toContain(`HARNESS_USAGE: --suites mysuites: no models.yaml in this folder; give the model catalog with --catalog FILE (the bundled one is ${join(ROOT, 'suites', 'models.yaml')})`);
    }
    const ok = await cli(['validate', '--suites', 'mysuites', '--catalog', join(ROOT, 'suites', 'models.yaml')], {}, cwd);
    expect(ok.code, ok.stderr).toBe(0);
    // No probe case for the APIs the folder uses: said once, naming the bundled file that holds them.
    expect(ok.stderr).toContain('no probe case for chat-completions, responses');
    expect(ok.stderr).toContain('routes.suite.yaml');
  }, 60_000);

  it('the checkout (./suites is the bundled folder) says nothing about where its files come from', async () => {
    const validate = await cli(['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stderr).not.toContain('note: suites:');
    expect(validate.stderr).not.toContain('no probe case');
  });
});

describe('shownPath', () => {
  it('relative inside the working folder, absolute when the relative form would climb out', () => {
    expect(shownPath('/a/b/c', '/a/b')).toBe('c');
    expect(shownPath('/a/b', '/a/b')).toBe('.');
    expect(shownPath('/tmp/x/matrix.json', '/work/wt/deep/down')).toBe('/tmp/x/matrix.json');
    expect(shownPath('x/y', '/a')).toBe('x/y');
  });
});
