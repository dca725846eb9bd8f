/**
 * A file named almost as a suite file blocks prune and `fixtures` only when it may hold cases not loaded: read as a
 * suite, one whose every case id is loaded from the real files (a backup of one) is warned about and blocks nothing;
 * one that does not read as a suite, or declares a case no loaded file has, is refused by prune and by `fixtures`
 * (which replaces the emulator folders with recordings of the loaded cases only). The advice never renames onto a
 * suite file that is there; `prune --dry-run` lists under the warning and removes nothing; a record run's refusal
 * over another folder's recording names that folder's lookalike instead of saying its suites do not load.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-h1-lookalike-0123456789' };
const MODEL = 'qwen.qwen3-32b';
const CATALOG = join(ROOT, 'suites', 'models.yaml');
let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

async function suitesWith(name: string, files: Record<string, string[]>): Promise<string> {
  const folder = join(dir, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const [file, ids] of Object.entries(files)) await writeFile(join(folder, file), tinySuiteText(file.split('.')[0]!, ids));
  return folder;
}
const record = (suites: string, fx: string, target = 'local') =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', target, '--models', MODEL, '--catalog', CATALOG, '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const prune = (suites: string, fx: string, ...flags: string[]) => cli(['fixtures', 'prune', '--suites', suites, '--fixtures', fx, ...flags], {}, dir);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookalike-rule-'));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a backup of a loaded suite file', () => {
  it('is warned about without the false claims or a rename onto the loaded file, and blocks neither prune nor its dry run', async () => {
    const suites = await suitesWith('bak', { 'a.suite.yaml': ['a.chat'], 'b.suite.yaml': ['b.chat'] });
    const fx = join(dir, 'fx-bak');
    expect((await record(suites, fx)).code).toBe(0);
    await copyFile(join(suites, 'a.suite.yaml'), join(suites, 'a.suite.yaml.bak'));
    await writeFile(join(suites, 'a.suite.yaml'), `${tinySuiteText('a', ['a.chat'])}  # edited after the backup\n`);

    const validated = await cli(['validate', '--suites', suites, '--catalog', CATALOG], {}, dir);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(/a\.suite\.yaml\.bak looks like a suite file but is not loaded .*every case id it declares is loaded from the suite files/);
    expect(validated.stderr).not.toContain('its cases are not run');
    expect(validated.stderr).not.toMatch(/rename it to a\.suite\.yaml/i);

    for (const flags of [['--dry-run'], []]) {
      const pruned = await prune(suites, fx, ...flags);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(pruned.stdout).toMatch(/warning: .*a\.suite\.yaml\.bak looks like a suite file but is not loaded/);
      expect(`${pruned.stdout}${pruned.stderr}`).not.toMatch(/rename it to a\.suite\.yaml/i);
    }
    expect(existsSync(join(fx, 'local', MODEL, 'a.chat.json'))).toBe(true);
  }, 60_000);
});

describe('a lookalike holding a case no loaded file has', () => {
  it('prune refuses without advising a rename onto the loaded file; its dry run lists under the warning', async () => {
    const suites = await suitesWith('more', { 'b.suite.yaml': ['b.chat', 'b.more'] });
    const fx = join(dir, 'fx-more');
    expect((await record(suites, fx)).code).toBe(0);
    expect((await record(suites, fx, 'emulator')).code).toBe(0);
    // b.more moved out of b.suite.yaml into a file the loader skips, next to it.
    await writeFile(join(suites, 'b.suite.yaml'), tinySuiteText('b', ['b.chat']));
    await writeFile(join(suites, 'b.suite.yml'), tinySuiteText('b', ['b.more']));
    const recording = join(fx, 'local', MODEL, 'b.more.json');

    const refused = await prune(suites, fx);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('b.suite.yml looks like a suite file but is not loaded');
    expect(refused.stderr).toContain('its case(s) b.more, in no loaded file, are not run');
    expect(refused.stderr).toContain('merge its cases into b.suite.yaml by hand (renaming it to b.suite.yaml would overwrite that suite file)');
    expect(refused.stderr).not.toMatch(/Rename it to b\.suite\.yaml, or/);
    expect(existsSync(recording)).toBe(true);

    const dry = await prune(suites, fx, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/warning: .*b\.suite\.yml looks like a suite file but is not loaded.*prune without --dry-run refuses/);
    expect(dry.stdout).toMatch(/would remove .*b\.more\.json/);
    expect(existsSync(recording)).toBe(true);
  }, 120_000);

  it('fixtures refuses before recording: the emulator folder it would replace keeps the recording of that case', async () => {
    const suites = join(dir, 'more');
    const fx = join(dir, 'fx-more');
    const fixtures = await cli(['fixtures', '--suites', suites, '--catalog', CATALOG, '--fixtures', fx], {}, dir);
    expect(fixtures.code).toBe(2);
    expect(fixtures.stderr).toContain('HARNESS_USAGE');
    expect(fixtures.stderr).toContain('b.suite.yml looks like a suite file but is not loaded');
    expect(fixtures.stderr).toContain('would drop the recordings of its case(s) b.more');
    expect(fixtures.stderr).toContain('nothing was recorded');
    expect(existsSync(join(fx, 'emulator', MODEL, 'b.more.json'))).toBe(true);
  }, 300_000);

  it('one that does not read as a suite file is refused too, while prune would remove a recording of a case not loaded', async () => {
    const suites = await suitesWith('broken', { 'a.suite.yaml': ['a.chat'], 'c.suite.yaml': ['c.chat'] });
    const fx = join(dir, 'fx-broken');
    expect((await record(suites, fx)).code).toBe(0);
    await rm(join(suites, 'c.suite.yaml'));
    await writeFile(join(suites, 'c.suite.yml'), 'suite: [broken\n');
    const refused = await prune(suites, fx);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('it does not read as a suite file');
    expect(refused.stderr).toContain('Rename it to c.suite.yaml, or move it out of');
    expect(existsSync(join(fx, 'local', MODEL, 'c.chat.json'))).toBe(true);
    // With no recording prune would remove, what it holds risks nothing: warned about, not refused.
    await mkdir(join(dir, 'fx-empty'));
    const warned = await prune(suites, join(dir, 'fx-empty'));
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stdout).toMatch(/warning: .*c\.suite\.yml looks like a suite file but is not loaded .*: it does not read as a suite file.*refuse while it is here if they would drop a recording of any case it holds/);
  }, 60_000);
});

describe('a record run over a recording of a folder with a lookalike', () => {
  it('names the lookalike, not "do not load"; a backup there changes nothing: both have the case', async () => {
    const fx = join(dir, 'fx-two');
    const a = await suitesWith('suites-a', { 'cases.suite.yaml': ['x.keep'] });
    expect((await record(a, fx)).code).toBe(0);
    const b = await suitesWith('suites-b', { 'cases.suite.yaml': ['x.keep'] });

    await copyFile(join(a, 'cases.suite.yaml'), join(a, 'cases.suite.yaml.bak'));
    const backup = await record(b, fx);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain('both have their case ids');

    await writeFile(join(a, 'more.suite.yml'), tinySuiteText('more', ['x.other']));
    const refused = await record(b, fx);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain('do not load');
    expect(refused.stderr).toMatch(/that folder holds .*more\.suite\.yml, which looks like a suite file but is not loaded/);
    expect(refused.stderr).toContain('rename it to more.suite.yaml, or move it out of the --suites folder');
    expect(refused.stderr).toContain('so whether it still has their case ids is not known');
  }, 90_000);
});
