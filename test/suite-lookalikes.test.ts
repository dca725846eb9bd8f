/**
 * A suite file whose name is slightly off (`b.suite.yml`) is not loaded: `fixtures prune`, which takes the loaded
 * cases for all the folder has, would remove every recording of its cases. Prune refuses (exit 2, naming the file
 * and the fix), its dry run lists under a warning; `validate` and a run warn. Editor backups, swap files and the folder's other files do not block.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeSuiteFile } from '../src/suite/suite-lookalikes.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-g9-lookalike-0123456789' };
const MODEL = 'qwen.qwen3-32b';
const CATALOG = join(ROOT, 'suites', 'models.yaml');
let dir: string;
let suites: string;
let fx: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

const suiteText = (name: string, id: string) => tinySuiteText(name, [id]);
const record = () =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', CATALOG, '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const prune = (...flags: string[]) => cli(['fixtures', 'prune', '--suites', suites, '--fixtures', fx, ...flags], {}, dir);
const recording = (id: string) => join(fx, 'local', MODEL, `${id}.json`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookalike-'));
  suites = join(dir, 'suites');
  fx = join(dir, 'fx');
  await mkdir(join(suites, 'schema'), { recursive: true });
  await writeFile(join(suites, 'a.suite.yaml'), suiteText('a', 'a.chat'));
  await writeFile(join(suites, 'b.suite.yaml'), suiteText('b', 'b.chat'));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the rule for a file that looks like a suite file', () => {
  it('names a suite name slightly off, and leaves the loaded name, notes, catalogs and editor backups alone', () => {
    for (const name of ['b.suite.yml', 'b.Suite.yaml', 'b.SUITE.YAML', 'b.suites.yaml', 'b.suites.yml', 'b.suite.yaml.bak', 'b.suite.yaml.off']) expect(looksLikeSuiteFile(name, '.suite.yaml'), name).toBe(true);
    for (const name of ['b.suite.yaml', 'README.md', 'models.yaml', 'expectations.yaml', 'schema', 'b.suite.yaml~', '.b.suite.yaml.swp', '#b.suite.yaml#', 'suite.md', 'notes.txt']) expect(looksLikeSuiteFile(name, '.suite.yaml'), name).toBe(false);
  });
});

describe('fixtures prune, validate and run with a suite file the loader skips', () => {
  it('prune refuses (exit 2) and removes nothing; validate and run name the file and the fix', async () => {
    expect((await record()).code).toBe(0);
    expect(existsSync(recording('b.chat'))).toBe(true);
    await rename(join(suites, 'b.suite.yaml'), join(suites, 'b.suite.yml'));

    const pruned = await prune();
    expect(pruned.code).toBe(2);
    expect(pruned.stderr).toContain('HARNESS_USAGE');
    expect(pruned.stderr).toContain('b.suite.yml looks like a suite file but is not loaded');
    expect(pruned.stderr).toContain('Rename it to b.suite.yaml, or move it out of');
    expect(existsSync(recording('b.chat'))).toBe(true);
    // A dry run removes nothing: it lists, under the warning.
    const dry = await prune('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/warning: .*b\.suite\.yml looks like a suite file but is not loaded/);
    expect(existsSync(recording('b.chat'))).toBe(true);

    const validated = await cli(['validate', '--suites', suites, '--catalog', CATALOG], {}, dir);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(/warning: .*b\.suite\.yml looks like a suite file but is not loaded.*rename it to b\.suite\.yaml, or move it out of the --suites folder/);

    const run = await record();
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: .*b\.suite\.yml looks like a suite file but is not loaded/);
    expect(existsSync(recording('b.chat'))).toBe(true);
  }, 60_000);

  it('an editor backup, a swap file and notes do not block: prune then removes what the suites dropped', async () => {
    await rename(join(suites, 'b.suite.yml'), join(suites, 'b.suite.yaml~'));
    await writeFile(join(suites, '.b.suite.yaml.swp'), 'swap');
    await writeFile(join(suites, 'README.md'), '# notes\n');
    const validated = await cli(['validate', '--suites', suites, '--catalog', CATALOG], {}, dir);
    expect(validated.stderr).not.toContain('looks like a suite file');
    const pruned = await prune();
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(existsSync(recording('b.chat'))).toBe(false);
    expect(existsSync(recording('a.chat'))).toBe(true);
  }, 60_000);
});
