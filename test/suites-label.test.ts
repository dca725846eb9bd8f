/**
 * provenance.suites, the --suites folder a recording names: computed from the fixtures root the recordings end up in
 * (`fixtures` records into a temp folder inside it first), from the real paths (links resolved: two projects linking
 * one shared root name two folders), and written only when it stays near (`..`s, then at most two folder names); a
 * recording that carries it is format 2, so that a version from before the field says "upgrade", not "delete it"; a
 * record run never replaces a recording that names another suites folder.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newerVersion } from '../src/format-version.ts';
import { isHarnessFixture, parseFixture } from '../src/transport/fixture-file.ts';
import { suitesLabel } from '../src/transport/recorded-suites.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-f4-label-key-0123456789' };
const MODEL = 'qwen.qwen3-32b';
/** A one-model catalog: `fixtures` records it in a second or two. */
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;
/** The format the previous version read, and the only one it knew. */
const PREVIOUS_FORMAT = 'mantle-conformance.fixture/1';

let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

/** A suites folder of one small chat case `id` at `folder`. */
async function suitesAt(folder: string, id: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 's.suite.yaml'), tinySuiteText('s', [id]));
  return folder;
}

const record = (suites: string, fixtures: string, cwd = dir) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', join(ROOT, 'suites', 'models.yaml'), '--suites', suites, '--fixtures', fixtures, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, cwd);
const provenanceOf = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { format: string; provenance: { suites?: string } };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'suites-label-'));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('suitesLabel: near folders only, from the real paths', () => {
  it('names a folder inside the fixtures root\'s parent, and none that climbs further', async () => {
    const base = join(dir, 'near');
    expect(await suitesLabel(join(base, 'fx', 'mine'), join(base, 'fx'), ROOT)).toBe('./mine');
    expect(await suitesLabel(join(base, 'suites'), join(base, 'fx'), ROOT)).toBe('../suites');
    expect(await suitesLabel(join(base, 'a', 'b'), join(base, 'fx'), ROOT)).toBe('../a/b');
    expect(await suitesLabel(base, join(base, 'fx'), ROOT)).toBe('..');
    // A suites folder far from the fixtures root: its path would carry a user's folders into every recording.
    expect(await suitesLabel(join(dir, 'home', 'alice', 'my-suites'), join(dir, 'srv', 'proj', 'fixtures'), ROOT)).toBeUndefined();
    // Any number of `..`, then at most two folder names (the rule changed from "at most one `..`": test/fixtures + suites).
    expect(await suitesLabel(join(base, 'suites-x'), join(base, 'not-yet', 'fx'), ROOT)).toBe('../../suites-x');
    expect(await suitesLabel(join(base, 'a', 'b', 'c'), join(base, 'fx'), ROOT)).toBeUndefined();
  });

  it('a fixtures root that is a link to another disk names no folder (labels go from the real root), and carries no machine path', async () => {
    const proj = join(dir, 'home', 'bob', 'proj');
    const cache = join(dir, 'mnt', 'cache', 'fx');
    await mkdir(cache, { recursive: true });
    await suitesAt(join(proj, 'suites'), 'l.chat');
    await symlink(cache, join(proj, 'fixtures'));
    // From the real root (mnt/cache/fx) the folder is ../../../home/bob/proj/suites: a machine's folders, never written.
    expect(await suitesLabel(join(proj, 'suites'), join(proj, 'fixtures'), ROOT)).toBeUndefined();

    const run = await record('suites', 'fixtures', proj);
    expect(run.code, run.stderr).toBe(0);
    const file = join(cache, 'local', MODEL, 'l.chat.json');
    expect((await provenanceOf(file)).provenance.suites).toBeUndefined();
    expect(await readFile(file, 'utf8')).not.toContain('home/bob');
    // Prune keeps it (nothing says whose it is), and says why this folder names none.
    await suitesAt(join(proj, 'suites'), 'l.renamed');
    const pruned = await cli(['fixtures', 'prune', '--suites', 'suites', '--fixtures', 'fixtures'], {}, proj);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('is too far from the fixtures root fixtures to be named in a recording');
    expect(pruned.stdout).toContain('removed 0 recording(s)');
    expect(existsSync(file)).toBe(true);
  }, 60_000);

  it('a record run from a suites folder far from the fixtures root writes no label (format 1), and prune keeps it', async () => {
    const suites = await suitesAt(join(dir, 'home', 'alice', 'my-suites'), 'far.chat');
    const fx = join(dir, 'srv', 'proj', 'fixtures');
    const run = await record(suites, fx);
    expect(run.code, run.stderr).toBe(0);
    const file = join(fx, 'local', MODEL, 'far.chat.json');
    const written = await provenanceOf(file);
    expect(written.provenance.suites).toBeUndefined();
    expect(written.format).toBe(PREVIOUS_FORMAT);
    expect(await readFile(file, 'utf8')).not.toContain('alice');
  }, 60_000);
});

describe('fixture format: a recording that names its suites folder is format 2', () => {
  it('the previous version reads it as a newer version\'s (upgrade), never as a bad file; this one reads format 1 and 2', async () => {
    const suites = await suitesAt(join(dir, 'fmt', 'suites'), 'f.chat');
    const fx = join(dir, 'fmt', 'fx');
    const run = await record(suites, fx);
    expect(run.code, run.stderr).toBe(0);
    const file = join(fx, 'local', MODEL, 'f.chat.json');
    const text = await readFile(file, 'utf8');
    const written = JSON.parse(text) as { format: string; provenance: { suites?: string } };
    expect(written.provenance.suites).toBe('../suites');
    expect(written.format).toBe('mantle-conformance.fixture/2');
    // The previous version's check, before its schema (which refused the field: "delete it"): a newer format.
    expect(newerVersion(written.format, PREVIOUS_FORMAT)).toBe(2);
    expect(parseFixture(text, file).provenance.suites).toBe('../suites');
    expect(await isHarnessFixture(file)).toBe(true);
    // A format 1 recording naming its folder (the previous version wrote those) still reads, and is still the harness's.
    const older = text.replace('"mantle-conformance.fixture/2"', `"${PREVIOUS_FORMAT}"`);
    expect(parseFixture(older, file).provenance.suites).toBe('../suites');
    await writeFile(file, older);
    expect(await isHarnessFixture(file)).toBe(true);
  }, 60_000);
});

describe('the same case id in two suites folders sharing a fixtures root', () => {
  it('a record run refuses, before sending, to replace the other folder\'s recording; an unnamed or its own is replaced', async () => {
    const a = await suitesAt(join(dir, 'two', 'suites-a'), 'same.chat');
    const b = await suitesAt(join(dir, 'two', 'suites-b'), 'same.chat');
    const fx = join(dir, 'two', 'fx');
    const file = join(fx, 'local', MODEL, 'same.chat.json');
    expect((await record(a, fx)).code).toBe(0);
    const before = await readFile(file, 'utf8');
    expect(JSON.parse(before).provenance.suites).toBe('../suites-a');

    const sent = emulator.stats.log.length;
    const refused = await record(b, fx);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HARNESS_USAGE: --fixtures: ');
    expect(refused.stderr).toMatch(/1 recording\(s\) this run would replace name another --suites folder \([^)]*two\/suites-a, provenance\.suites "\.\.\/suites-a"\) than this run's \([^)]*two\/suites-b\): both have their case ids, and recording would replace that folder's recordings \([^)]*\): \S*two\/fx\/local\/qwen\.qwen3-32b\/same\.chat\.json\./);
    expect(refused.stderr).toContain('Record this folder into another --fixtures root, or first move that folder\'s recordings out of');
    expect(refused.stderr).toContain('Nothing was recorded.');
    // Nothing but the credentials check was sent, and A's recording is as it was.
    expect(emulator.stats.log.slice(sent).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(before);

    // Its own folder records over it as ever; one that names no folder (an earlier version's) is replaced too.
    expect((await record(a, fx)).code).toBe(0);
    const unnamed = JSON.parse(await readFile(file, 'utf8')) as { provenance: Record<string, unknown> };
    delete unnamed.provenance.suites;
    await writeFile(file, `${JSON.stringify(unnamed, null, 2)}\n`);
    const taken = await record(b, fx);
    expect(taken.code, taken.stderr).toBe(0);
    expect((await provenanceOf(file)).provenance.suites).toBe('../suites-b');
  }, 90_000);
});

describe('fixtures --suites DIR', () => {
  /** A suites folder `fixtures` records in a second: the routes suite and a one-model catalog. */
  async function emulatorSuites(folder: string): Promise<string> {
    await mkdir(folder, { recursive: true });
    await copyFile(join(ROOT, 'suites', 'routes.suite.yaml'), join(folder, 'routes.suite.yaml'));
    await writeFile(join(folder, 'models.yaml'), CATALOG);
    return folder;
  }
  const fixtures = (suites: string, fx: string, cwd: string) => cli(['fixtures', '--suites', suites, '--fixtures', fx], {}, cwd);

  it('names the suites folder from the fixtures root, not from the folder it records into first', async () => {
    const proj = join(dir, 'emu');
    await emulatorSuites(join(proj, 'my-suites'));
    await mkdir(join(proj, 'fx'));
    const run = await fixtures('my-suites', 'fx', proj);
    expect(run.code, run.stderr).toBe(0);
    const folder = join(proj, 'fx', 'emulator', MODEL);
    const files = (await readdir(folder)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect((await provenanceOf(join(folder, name))).provenance.suites, name).toBe('../my-suites');
  }, 60_000);

  it('refuses to replace a target folder holding another suites folder\'s recordings, deleting nothing', async () => {
    const proj = join(dir, 'emu2');
    await emulatorSuites(join(proj, 'suites-a'));
    await emulatorSuites(join(proj, 'suites-b'));
    await mkdir(join(proj, 'fx'));
    expect((await fixtures('suites-a', 'fx', proj)).code).toBe(0);
    const folder = join(proj, 'fx', 'emulator', MODEL);
    const before = (await readdir(folder)).sort();
    const refused = await fixtures('suites-b', 'fx', proj);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HARNESS_USAGE: --fixtures: \d+ recording\(s\) this run would replace name another --suites folder \(suites-a, provenance\.suites "\.\.\/suites-a"\) than this run's \(suites-b\): the new recordings replace all of fx\/emulator, and would drop them: fx\/emulator\/qwen\.qwen3-32b\/\S+\.json, [^\n]*Record this folder into another --fixtures root, or first move that folder's recordings out of fx: `grep -rlF '"suites": "\.\.\/suites-a"' fx` lists them \(nothing was deleted\)/);
    expect((await readdir(folder)).sort()).toEqual(before);
  }, 60_000);
});
