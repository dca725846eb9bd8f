/**
 * A suite file moved into a subfolder of --suites (`suites/extra/b.suite.yaml`) is not loaded: the loader reads the
 * top level only. Like a misnamed one at the top, it is a lookalike (suite/suite-lookalikes.ts): `validate` and a run
 * warn, naming it and the fix (move it to the top level), and `fixtures prune` and `fixtures` refuse (exit 2) rather
 * than drop the recordings of its cases. The walk that finds it never follows a link, skips hidden folders and
 * node_modules, and stops at a depth; a backup of a loaded file down there only gets a warning.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteLookalikes } from '../src/suite/suite-lookalikes.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-g9-nested-suites-0123456789' };
const MODEL = 'qwen.qwen3-32b';
const CATALOG = join(ROOT, 'suites', 'models.yaml');
const SUFFIX = '.suite.yaml';
let dir: string;
let suites: string;
let fx: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

const record = (target = 'local') =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', target, '--models', MODEL, '--catalog', CATALOG, '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const prune = (...flags: string[]) => cli(['fixtures', 'prune', '--suites', suites, '--fixtures', fx, ...flags], {}, dir);
const recording = (id: string) => join(fx, 'local', MODEL, `${id}.json`);
/** The lookalikes of a folder as the loader finds them (relative, sorted). */
const found = async (root: string) => (await suiteLookalikes(root, await readdir(root, { withFileTypes: true }), SUFFIX)).map((f) => f.slice(root.length + 1));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-nested-suites-'));
  suites = join(dir, 'suites');
  fx = join(dir, 'fx');
  await mkdir(suites, { recursive: true });
  await writeFile(join(suites, 'a.suite.yaml'), tinySuiteText('a', ['a.chat']));
  await writeFile(join(suites, 'b.suite.yaml'), tinySuiteText('b', ['b.chat']));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a suite file in a subfolder of --suites', () => {
  it('is warned about by validate and run, and refuses prune and fixtures (exit 2), naming the file and the fix', async () => {
    expect((await record()).code).toBe(0);
    expect(existsSync(recording('b.chat'))).toBe(true);
    // The folder `fixtures` replaces holds one too: it refuses only over recordings it would drop.
    expect((await record('emulator')).code).toBe(0);
    await mkdir(join(suites, 'extra'));
    await rename(join(suites, 'b.suite.yaml'), join(suites, 'extra', 'b.suite.yaml'));

    const validated = await cli(['validate', '--suites', suites, '--catalog', CATALOG], {}, dir);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stderr).toMatch(/warning: .*extra\/b\.suite\.yaml is in a subfolder of --suites, which is not loaded .*its case\(s\) b\.chat, in no loaded file, are not run.*move it to the top level of the --suites folder as b\.suite\.yaml/);

    const pruned = await prune();
    expect(pruned.code).toBe(2);
    expect(pruned.stderr).toMatch(/HARNESS_USAGE: --suites: .*extra\/b\.suite\.yaml is in a subfolder of --suites.*prune would remove the recordings of its case\(s\) b\.chat \(2 recording\(s\): .*emulator\/qwen\.qwen3-32b\/b\.chat\.json, .*local\/qwen\.qwen3-32b\/b\.chat\.json\)\. Move it to the top level of .*suites as b\.suite\.yaml/);
    expect(existsSync(recording('b.chat'))).toBe(true);
    // A dry run removes nothing: it lists, under the warning.
    const dry = await prune('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/warning: .*extra\/b\.suite\.yaml is in a subfolder of --suites/);
    expect(existsSync(recording('b.chat'))).toBe(true);

    // Refused before anything is recorded (no emulator is started): the folders it replaces keep their recordings.
    const fixtures = await cli(['fixtures', '--suites', suites, '--fixtures', fx, '--catalog', CATALOG], {}, dir);
    expect(fixtures.code).toBe(2);
    expect(fixtures.stderr).toMatch(/HARNESS_USAGE: --suites: .*extra\/b\.suite\.yaml is in a subfolder of --suites.*nothing was recorded/);
    expect(existsSync(join(fx, 'emulator', MODEL, 'b.chat.json'))).toBe(true);

    const run = await record();
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: .*extra\/b\.suite\.yaml is in a subfolder of --suites/);
    expect(existsSync(recording('b.chat'))).toBe(true);
  }, 60_000);

  it('a nested copy of a loaded file only warns; once moved up, prune removes only what the suites dropped', async () => {
    await rename(join(suites, 'extra', 'b.suite.yaml'), join(suites, 'b.suite.yaml'));
    await writeFile(join(suites, 'extra', 'a.suite.yaml'), tinySuiteText('a', ['a.chat']));
    const validated = await cli(['validate', '--suites', suites, '--catalog', CATALOG], {}, dir);
    expect(validated.stderr).toMatch(/warning: .*extra\/a\.suite\.yaml is in a subfolder of --suites.*every case id it declares is loaded.*move it out of the --suites folder \(or delete it\)/);
    const pruned = await prune();
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(existsSync(recording('a.chat'))).toBe(true);
    expect(existsSync(recording('b.chat'))).toBe(true);
  }, 60_000);
});

describe('the walk for nested suite files', () => {
  it('finds suite files and lookalikes below the top level, within its depth, and never through a link, a hidden folder or node_modules', async () => {
    const root = join(dir, 'walk');
    const put = async (path: string) => {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), 'suite: x\n');
    };
    await put('top.suite.yaml');
    await put('top.suite.yml');
    await put('team-a/x.suite.yaml');
    await put('team-a/y.suites.yml');
    await put('team-a/notes.md');
    await put('team-a/x.suite.yaml~');
    await put('one/two/three/four/deep.suite.yaml');
    await put('one/two/three/four/five/deeper.suite.yaml');
    await put('.git/hidden.suite.yaml');
    await put('node_modules/pkg/dep.suite.yaml');
    await mkdir(join(root, 'schema'));
    await mkdir(join(root, 'folder.suite.yaml'));
    await mkdir(join(dir, 'elsewhere'));
    await writeFile(join(dir, 'elsewhere', 'far.suite.yaml'), 'suite: far\n');
    await symlink(join(dir, 'elsewhere'), join(root, 'linked'));
    expect(await found(root)).toEqual(['one/two/three/four/deep.suite.yaml', 'team-a/x.suite.yaml', 'team-a/y.suites.yml', 'top.suite.yml']);
  });
});
