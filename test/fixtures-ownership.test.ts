/**
 * `fixtures` replaces a target folder only when every recording in it is one `fixtures` made (from the emulator, for
 * that target and surface, or with no surface as its earlier versions wrote; of any model, the catalog's or one it
 * no longer has): a user's recordings kept there (recorded live) stop it before anything is written, exit 2, naming
 * them, and all stay. Its own output it replaces
 * as before. A killed run's recording folder (marked with its pid) is removed by the next run, listed by `fixtures
 * prune`, and one without the mark is never removed; a temp file a killed write left is the harness's, not refused.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thisPidSpace } from '../src/pid-mark.ts';
import { catalogEmulator, cli, cliEnv, packageBin, ROOT } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';
const CUSTOM = 'my.custom-model';
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;

let dir: string;
let suites: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxf-ownership-'));
  suites = join(dir, 'suites');
  await mkdir(suites);
  await copyFile(join(ROOT, 'suites', 'routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
  await writeFile(join(suites, 'models.yaml'), CATALOG);
  emulator = await catalogEmulator({}, { unknownModels: 'generic' });
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const fixtures = (root: string) => cli(['fixtures', '--suites', suites, '--fixtures', root]);
const recordInto = (root: string, model: string, source: string) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--surface', 'mantle', '--auth', 'none', '--suites', suites, '--catalog', join(suites, 'models.yaml'), '--fixtures', root, '--target-name', 'emulator', '--models', model, '--source', source, '--report-dir', join(root, '..', `reports-${model}-${source}`), '--quiet']);

/** Every file below `folder`, with its text. */
async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return files;
}

describe('fixtures and recordings it did not make', () => {
  it('its own output is replaced: a model the catalog no longer has, recorded from the emulator, and recordings without a surface (written before surfaces)', async () => {
    const root = join(dir, 'custom');
    await mkdir(root);
    const first = await fixtures(root);
    expect(first.code, first.stderr).toBe(0);
    // Its own output, run again over: replaced.
    const again = await fixtures(root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`wrote ${join(root, 'emulator')} (mantle)`);

    // A model recorded from the emulator and since taken out of the catalog: fixtures' own output, replaced (prune's job is stale cases).
    const recorded = await recordInto(root, CUSTOM, 'emulator');
    expect(recorded.code, recorded.stderr).toBe(0);
    expect((await readdir(join(root, 'emulator', CUSTOM))).length).toBeGreaterThan(0);
    // An earlier version's recordings: no provenance.surface (nor site).
    const own = join(root, 'emulator', MODEL);
    for (const name of await readdir(own)) {
      const text = await readFile(join(own, name), 'utf8');
      await writeFile(join(own, name), text.replace(/^ {4}"surface": "mantle",\n/m, '').replace(/^ {4}"site": "emulator",\n/m, ''));
    }
    expect(await readFile(join(own, (await readdir(own))[0]!), 'utf8')).not.toContain('"surface"');

    const replaced = await fixtures(root);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain(`wrote ${join(root, 'emulator')} (mantle)`);
    expect(await readdir(join(root, 'emulator'))).toEqual([MODEL]);
  }, 60_000);

  it('a model outside the catalog recorded live into emulator/: refused (exit 2, named), every file kept', async () => {
    const root = join(dir, 'custom-live');
    await mkdir(root);
    expect((await fixtures(root)).code).toBe(0);
    expect([0, 1]).toContain((await recordInto(root, CUSTOM, 'live')).code);
    const before = await snapshot(root);
    const custom = [...before.keys()].filter((f) => f.includes(`/emulator/${CUSTOM}/`));
    expect(custom.length).toBeGreaterThan(0);

    const refused = await fixtures(root);
    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stderr).toContain(`HARNESS_USAGE: --fixtures: ${join(root, 'emulator')} holds ${custom.length} recording(s) fixtures did not make (recorded live`);
    expect(refused.stderr).toContain(join(root, 'emulator', CUSTOM));
    expect(refused.stderr).toContain('record them under another --target-name, or move them');
    expect(refused.stdout).not.toContain('recorded');
    expect(await snapshot(root)).toEqual(before);
  }, 60_000);

  it('a catalog model recorded live into emulator/: refused, kept', async () => {
    const root = join(dir, 'live');
    await mkdir(root);
    // The gate may fail (the emulator plays the project's catalog, not this one): the recordings are written either way.
    expect([0, 1]).toContain((await recordInto(root, MODEL, 'live')).code);
    expect((await readdir(join(root, 'emulator', MODEL))).length).toBeGreaterThan(0);
    const before = await snapshot(root);
    const refused = await fixtures(root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/recording\(s\) fixtures did not make \(recorded live/);
    expect(await snapshot(root)).toEqual(before);
  }, 60_000);
});

/** A pid no process has: a child's that ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('what a killed fixtures run leaves', () => {
  it('a marked recording folder of a gone run: listed by prune, removed by the next fixtures run; an unmarked one stays', async () => {
    const root = join(dir, 'killed');
    await mkdir(root);
    const left = join(root, '.emulator-recording-AbC123');
    await mkdir(join(left, 'emulator', MODEL), { recursive: true });
    await writeFile(join(left, 'emulator', MODEL, 'probe.chat.json.123.0badf00d.tmp'), '{');
    await writeFile(join(left, '.fixtures-run'), `${JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), ...thisPidSpace() })}\n`);
    const unmarked = join(root, '.emulator-recording-XyZ789');
    await mkdir(unmarked);
    await writeFile(join(unmarked, 'mine.txt'), 'mine\n');

    const pruned = await cli(['fixtures', 'prune', '--fixtures', root, '--dry-run']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/kept .*\.emulator-recording-AbC123: the folder a fixtures run records into, left by a fixtures run that is gone \(pid \d+/);
    expect(pruned.stdout).toMatch(/kept .*\.emulator-recording-XyZ789: the folder a fixtures run records into, which holds no mark/);

    const run = await fixtures(root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`removed ${left}: the recording folder of a fixtures run that ended without removing it`);
    expect((await readdir(root)).sort()).toEqual(['.emulator-recording-XyZ789', 'emulator', 'runtime.emulator']);
    expect(await readFile(join(unmarked, 'mine.txt'), 'utf8')).toBe('mine\n');
  }, 60_000);

  it('a temp file a killed write left in emulator/ is the harness\'s: replaced with the folder, not refused', async () => {
    const root = join(dir, 'temp');
    await mkdir(root);
    expect((await fixtures(root)).code).toBe(0);
    const temp = join(root, 'emulator', MODEL, `probe.chat.json.${deadPid()}.0badf00d.tmp`);
    await writeFile(temp, '{"cut');
    const run = await fixtures(root);
    expect(run.code, run.stderr).toBe(0);
    expect(await readdir(join(root, 'emulator', MODEL))).not.toContain(temp.split('/').pop());
  }, 60_000);

  it('a fixtures run killed while recording: no report folder left in the temp folder; the next run removes its recording folder', async () => {
    const root = join(dir, 'sigkill');
    await mkdir(root);
    const before = new Set((await readdir(tmpdir())).filter((n) => n.startsWith('mantle-fixtures-')));
    const child = spawn(process.execPath, [packageBin(), 'fixtures', '--suites', suites, '--fixtures', root], { env: cliEnv({}), stdio: 'ignore' });
    const ended = new Promise((resolve) => child.on('exit', resolve));
    // Killed once it records (its first model folder is there), as a CI job cancelled hard is.
    for (let i = 0; i < 1000; i++) {
      const folders = (await readdir(root)).filter((n) => n.startsWith('.emulator-recording-'));
      if (folders.length && (await readdir(join(root, folders[0]!, 'emulator')).catch(() => [])).length) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await ended;
    const left = (await readdir(root)).filter((n) => n.startsWith('.emulator-recording-'));
    expect(left).toHaveLength(1);
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('mantle-fixtures-') && !before.has(n))).toEqual([]);
    const run = await fixtures(root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`removed ${join(root, left[0]!)}: the recording folder of a fixtures run that ended without removing it (pid ${child.pid} on host`);
    expect((await readdir(root)).sort()).toEqual(['emulator', 'runtime.emulator']);
  }, 60_000);

  it('a passing run leaves no report folder behind', async () => {
    const root = join(dir, 'reports');
    await mkdir(root);
    const before = new Set((await readdir(tmpdir())).filter((n) => n.startsWith('mantle-fixtures-')));
    expect((await fixtures(root)).code).toBe(0);
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('mantle-fixtures-') && !before.has(n))).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['emulator', 'runtime.emulator']);
  }, 60_000);
});
