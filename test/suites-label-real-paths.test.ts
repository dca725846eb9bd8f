/**
 * provenance.suites is the path from the REAL fixtures root to the real suites folder (links resolved), any number of
 * `..` and then at most two folder names; prune and the record run compare labels as strings. Covered here: two
 * projects whose fixtures roots are links to one shared folder (each names its own folder: B neither takes over nor
 * prunes A's recordings); the everyday `--fixtures test/fixtures` + `./suites` layout (labelled, so prune removes a
 * dropped case); a copy of the bundled suites and a renamed folder take the recordings over without a refusal; a
 * refusal counts the recordings and gives a command that lists every one of them; a far folder says why it has no label.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SUITES, suitesLabel } from '../src/transport/recorded-suites.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-g2-label-key-0123456789' };
const MODEL = 'qwen.qwen3-32b';
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

/** A suites folder at `folder` whose one suite holds the small chat cases `ids` (replacing what it held). */
async function suitesAt(folder: string, ...ids: string[]): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 's.suite.yaml'), tinySuiteText('s', ids));
  return folder;
}

const record = (suites: string, fixtures: string, cwd: string) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', join(ROOT, 'suites', 'models.yaml'), '--suites', suites, '--fixtures', fixtures, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, cwd);
const prune = (suites: string, fixtures: string, cwd: string) => cli(['fixtures', 'prune', '--suites', suites, '--fixtures', fixtures], {}, cwd);
const labelOf = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { provenance: { suites?: string } }).provenance.suites;
/** Rewrites a recording's provenance.suites, as another folder (or the bundled suites) would have written it. */
async function relabel(file: string, suites: string): Promise<void> {
  const fixture = JSON.parse(await readFile(file, 'utf8')) as { format: string; provenance: Record<string, unknown> };
  await writeFile(file, `${JSON.stringify({ ...fixture, format: 'mantle-conformance.fixture/2', provenance: { ...fixture.provenance, suites } }, null, 2)}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'suites-real-paths-'));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('suitesLabel from real paths', () => {
  it('any number of `..`, then at most two folder names; links resolved', async () => {
    const base = join(dir, 'unit');
    expect(await suitesLabel(join(base, 'suites'), join(base, 'test', 'fixtures'), ROOT)).toBe('../../suites');
    expect(await suitesLabel(join(base, 'A', 'suites'), join(base, 'shared', 'fixtures'), ROOT)).toBe('../../A/suites');
    expect(await suitesLabel(join(base, 'x', 'y'), join(base, 'fx'), ROOT)).toBe('../x/y');
    expect(await suitesLabel(join(base, 'fx', 'mine'), join(base, 'fx'), ROOT)).toBe('./mine');
    // Far away: the folder names after the `..`s would be a machine's (home, user, project).
    expect(await suitesLabel(join(base, 'home', 'bob', 'proj', 'suites'), join(base, 'srv', 'cache', 'fixtures'), ROOT)).toBeUndefined();
    // A link to the fixtures root: the label is the real root's.
    await mkdir(join(base, 'shared', 'fixtures'), { recursive: true });
    await mkdir(join(base, 'A'), { recursive: true });
    await symlink(join(base, 'shared', 'fixtures'), join(base, 'A', 'fixtures'));
    expect(await suitesLabel(join(base, 'A', 'suites'), join(base, 'A', 'fixtures'), ROOT)).toBe('../../A/suites');
  });
});

describe('finding 1: two projects whose fixtures roots are links to one shared folder', () => {
  it('name two folders: B\'s record run refuses to replace A\'s recordings, and B\'s prune keeps them', async () => {
    const shared = join(dir, 'linked', 'shared', 'fixtures');
    const [a, b] = [join(dir, 'linked', 'A'), join(dir, 'linked', 'B')];
    await mkdir(shared, { recursive: true });
    await suitesAt(join(a, 'suites'), 'both.chat', 'only-a.chat');
    await suitesAt(join(b, 'suites'), 'both.chat');
    for (const project of [a, b]) await symlink(shared, join(project, 'fixtures'));
    const folder = join(shared, 'local', MODEL);

    const byA = await record('suites', 'fixtures', a);
    expect(byA.code, byA.stderr).toBe(0);
    expect(await labelOf(join(folder, 'both.chat.json'))).toBe('../../A/suites');
    const before = await readFile(join(folder, 'both.chat.json'), 'utf8');

    const byB = await record('suites', 'fixtures', b);
    expect(byB.code).toBe(2);
    expect(byB.stderr).toContain('1 recording(s) this run would replace name another --suites folder');
    expect(byB.stderr).toContain('provenance.suites "../../A/suites"');
    expect(await readFile(join(folder, 'both.chat.json'), 'utf8')).toBe(before);

    const pruned = await prune('suites', 'fixtures', b);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('removed 0 recording(s)');
    expect(pruned.stdout).toMatch(/kept 1 recording\(s\) of cases these suites do not have, recorded with another --suites folder \([^)]*A\/suites\); pass it to prune those/);
    expect(existsSync(join(folder, 'only-a.chat.json'))).toBe(true);
  }, 60_000);
});

describe('finding 4: --fixtures test/fixtures with the suites at the project root', () => {
  it('labels the recordings ../../suites, and prune removes a case the suites dropped', async () => {
    const proj = join(dir, 'deep');
    await suitesAt(join(proj, 'suites'), 'keep.chat', 'drop.chat');
    await mkdir(join(proj, 'test', 'fixtures'), { recursive: true });
    expect((await record('suites', 'test/fixtures', proj)).code).toBe(0);
    const folder = join(proj, 'test', 'fixtures', 'local', MODEL);
    expect(await labelOf(join(folder, 'drop.chat.json'))).toBe('../../suites');

    await suitesAt(join(proj, 'suites'), 'keep.chat');
    const again = await record('suites', 'test/fixtures', proj);
    expect(again.stdout).toMatch(/1 recording\(s\) of cases the suites do not have \(recorded from these suites: a case renamed or deleted\)/);
    expect(again.stdout).not.toContain('name no --suites folder');
    const pruned = await prune('suites', 'test/fixtures', proj);
    expect(pruned.stdout).toContain('removed 1 recording(s)');
    expect(existsSync(join(folder, 'drop.chat.json'))).toBe(false);
    expect(existsSync(join(folder, 'keep.chat.json'))).toBe(true);
  }, 60_000);

  it('a suites folder too far to be named says so, in the record run and in prune', async () => {
    const suites = await suitesAt(join(dir, 'far', 'home', 'alice', 'work', 'my-suites'), 'f.keep', 'f.drop');
    const fx = join(dir, 'far', 'srv', 'fx');
    expect((await record(suites, fx, dir)).code).toBe(0);
    await suitesAt(suites, 'f.keep');
    const again = await record(suites, fx, dir);
    expect(again.stdout).toContain('is too far from the fixtures root');
    expect(again.stdout).toContain('recorded from these suites, which no label can name');
    expect(again.stdout).not.toContain('recorded before recordings named theirs');
    const pruned = await prune(suites, fx, dir);
    expect(pruned.stdout).toContain('to be named in a recording');
    expect(pruned.stdout).toContain('its recordings name no --suites folder, and prune keeps them');
    expect(existsSync(join(fx, 'local', MODEL, 'f.drop.json'))).toBe(true);
  }, 60_000);
});

describe('finding 3: taking recordings over', () => {
  it('a copy of the bundled suites records over their recordings without a refusal, and then prunes its own', async () => {
    const proj = join(dir, 'copy');
    await suitesAt(join(proj, 'suites'), 'c.one', 'c.two');
    await mkdir(join(proj, 'fixtures'));
    expect((await record('suites', 'fixtures', proj)).code).toBe(0);
    const folder = join(proj, 'fixtures', 'local', MODEL);
    // As the bundled suites recorded them (the user then copied the suites to ./suites).
    for (const name of await readdir(folder)) await relabel(join(folder, name), BUNDLED_SUITES);
    const copied = await record('suites', 'fixtures', proj);
    expect(copied.code, copied.stderr).toBe(0);
    expect(await labelOf(join(folder, 'c.one.json'))).toBe('../suites');

    await suitesAt(join(proj, 'suites'), 'c.one');
    expect((await record('suites', 'fixtures', proj)).code).toBe(0);
    const pruned = await prune('suites', 'fixtures', proj);
    expect(pruned.stdout).toContain('removed 1 recording(s)');
    expect(existsSync(join(folder, 'c.two.json'))).toBe(false);
  }, 60_000);

  it('`fixtures` with a copy of the bundled suites replaces the bundled suites\' emulator recordings', async () => {
    const proj = join(dir, 'emu-copy');
    await mkdir(join(proj, 'suites'), { recursive: true });
    await copyFile(join(ROOT, 'suites', 'routes.suite.yaml'), join(proj, 'suites', 'routes.suite.yaml'));
    await writeFile(join(proj, 'suites', 'models.yaml'), CATALOG);
    await mkdir(join(proj, 'fx'));
    const first = await cli(['fixtures', '--suites', 'suites', '--fixtures', 'fx'], {}, proj);
    expect(first.code, first.stderr).toBe(0);
    const folder = join(proj, 'fx', 'emulator', MODEL);
    for (const name of await readdir(folder)) await relabel(join(folder, name), BUNDLED_SUITES);
    const again = await cli(['fixtures', '--suites', 'suites', '--fixtures', 'fx'], {}, proj);
    expect(again.code, again.stderr).toBe(0);
    for (const name of await readdir(folder)) expect(await labelOf(join(folder, name))).toBe('../suites');
  }, 60_000);

  it('a renamed suites folder takes over the recordings that name its old name', async () => {
    const proj = join(dir, 'renamed');
    await suitesAt(join(proj, 'suites'), 'r.chat', 'r.old');
    await mkdir(join(proj, 'fixtures'));
    expect((await record('suites', 'fixtures', proj)).code).toBe(0);
    await rename(join(proj, 'suites'), join(proj, 'conformance-suites'));
    await suitesAt(join(proj, 'conformance-suites'), 'r.chat');
    // Prune keeps the old name's recording of a case the folder dropped, and does not say to pass a folder that is gone.
    const pruned = await prune('conformance-suites', 'fixtures', proj);
    expect(pruned.stdout).toContain('recorded with another --suites folder (suites), which is not there now (renamed, moved, or another machine\'s)');
    expect(pruned.stdout).not.toContain('pass it to prune those');
    const run = await record('conformance-suites', 'fixtures', proj);
    expect(run.code, run.stderr).toBe(0);
    expect(await labelOf(join(proj, 'fixtures', 'local', MODEL, 'r.chat.json'))).toBe('../conformance-suites');
  }, 60_000);

  it('a refusal counts the recordings, names the first few, and gives a command that lists every one', async () => {
    const proj = join(dir, 'count');
    const ids = ['n.one', 'n.two', 'n.three', 'n.four', 'n.five'];
    await suitesAt(join(proj, 'suites-a'), ...ids);
    await suitesAt(join(proj, 'suites-b'), ...ids);
    // A fixtures root whose name a shell would split and unquote: the command must quote it.
    const fx = "my fx's";
    await mkdir(join(proj, fx));
    expect((await record('suites-a', fx, proj)).code).toBe(0);
    const refused = await record('suites-b', fx, proj);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HARNESS_USAGE: --fixtures: 5 recording(s) this run would replace name another --suites folder (suites-a, provenance.suites "../suites-a") than this run\'s (suites-b)');
    expect(refused.stderr).toMatch(/: [^\n]*n\.[a-z]+\.json, [^\n]*n\.[a-z]+\.json, [^\n]*n\.[a-z]+\.json, and 2 more\. /);
    expect(refused.stderr).not.toContain('delete the file');
    const command = /`(grep [^`]+)` lists them/.exec(refused.stderr)?.[1];
    expect(command).toBeDefined();
    const listed = await new Promise<string>((done, fail) => execFile('sh', ['-c', command!], { cwd: proj }, (error, stdout) => (error ? fail(error) : done(stdout))));
    const files = listed.trim().split('\n').map((line) => line.split('/').pop()).sort();
    expect(files).toEqual(ids.map((id) => `${id}.json`).sort());
    expect(refused.stderr).toContain('Nothing was recorded.');
  }, 60_000);
});
