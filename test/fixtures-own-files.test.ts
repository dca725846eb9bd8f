/**
 * `fixtures` and `fixtures prune` delete only what the harness made, and say what they kept and where their reports
 * are: a file named like a target folder is the user's (refused, never replaced); a copy of a recording under
 * another name is the user's (kept); a linked target or model folder is named as kept; a recording that fails its
 * own gate keeps the reports that say why, and a pass that passes names no reports it then removes.
 */
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SUITES } from '../src/transport/recorded-suites.ts';
import { cli, ROOT, type CliResult } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';
const SAMPLE = join(ROOT, 'fixtures', 'emulator', MODEL, 'probe.chat.json');
const PRECIOUS = 'precious user data\n';
/** A one-model catalog and one small suite: `fixtures` records them in a second. */
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;

let dir: string;
let suites: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fixtures-own-fixtures-'));
  suites = join(dir, 'suites');
  await mkdir(suites);
  await copyFile(join(ROOT, 'suites', 'routes.suite.yaml'), join(suites, 'routes.suite.yaml'));
  await writeFile(join(suites, 'models.yaml'), CATALOG);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `fixtures`, and the reports a pass that failed its gate kept (named on stderr), read and then removed. */
async function record(root: string, suitesDir = suites): Promise<CliResult & { kept?: string[] }> {
  const run = await cli(['fixtures', '--suites', suitesDir, '--fixtures', root]);
  const folder = /its reports say why: (\S+) \(matrix\.md/.exec(run.stderr)?.[1];
  if (!folder) return run;
  const kept = [...(await readdir(folder)).sort(), await readFile(join(folder, 'matrix.md'), 'utf8')];
  await rm(folder, { recursive: true, force: true });
  return { ...run, kept };
}

async function freshRoot(name: string): Promise<string> {
  const root = join(dir, name);
  await mkdir(root);
  return root;
}

describe('fixtures: what is in the way of a target folder', () => {
  it('a file named emulator or runtime.emulator is refused (exit 2, naming it), kept, and nothing is recorded', async () => {
    for (const target of ['emulator', 'runtime.emulator']) {
      const root = await freshRoot(`file-${target}`);
      await writeFile(join(root, target), PRECIOUS);
      const run = await record(root);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`HARNESS_USAGE: --fixtures: ${join(root, target)} is not a folder`);
      expect(run.stderr).toContain('move it out of the fixtures root');
      expect(await readFile(join(root, target), 'utf8')).toBe(PRECIOUS);
      expect((await readdir(root)).sort()).toEqual([target]);
    }
  }, 30_000);

  it('a link to no folder is refused and stays; a link to a folder is replaced as before, what it points to untouched', async () => {
    const dangling = await freshRoot('dangling');
    await symlink(join(dir, 'no-such-folder'), join(dangling, 'emulator'));
    const refused = await record(dangling);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HARNESS_USAGE: --fixtures: .*dangling\/emulator is a link to no folder/);
    expect((await lstat(join(dangling, 'emulator'))).isSymbolicLink()).toBe(true);

    const linked = await freshRoot('linked');
    const elsewhere = join(dir, 'elsewhere', MODEL);
    await mkdir(elsewhere, { recursive: true });
    await copyFile(SAMPLE, join(elsewhere, 'probe.chat.json'));
    await symlink(join(dir, 'elsewhere'), join(linked, 'emulator'));
    const run = await record(linked);
    expect(run.code, run.stderr).toBe(0);
    expect((await lstat(join(linked, 'emulator'))).isDirectory()).toBe(true);
    expect(await readFile(join(elsewhere, 'probe.chat.json'), 'utf8')).toBe(await readFile(SAMPLE, 'utf8'));
  }, 30_000);
});

describe('fixtures: the reports of each pass', () => {
  it('a pass that passes names no reports (they are removed); one that fails its gate keeps them and says where', async () => {
    const passed = await record(await freshRoot('passes'));
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).not.toMatch(/^reports/m);
    expect(passed.stdout).not.toContain('mantle-fixtures-');

    const failing = join(dir, 'failing-suites');
    await mkdir(failing);
    for (const file of ['routes.suite.yaml', 'models.yaml']) await copyFile(join(suites, file), join(failing, file));
    // An expectation the emulator does not play: the recording fails its own gate.
    await writeFile(join(failing, 'expectations.yaml'), `expectations: mantle\nmodels:\n  ${MODEL}:\n    created-at.chat:\n      observed: float\n      reason: a test that wants the gate to fail\n      link: https://example.com/test\n`);
    const root = await freshRoot('fails');
    const failed = await record(root, failing);
    expect(failed.code).toBe(1);
    expect(failed.stdout).not.toMatch(/^reports/m);
    expect(failed.stderr).toMatch(/fixtures: the recording did not pass its own gate \(exit 1\); .*fails\/emulator was left as it was; its reports say why: .*mantle-fixtures-/);
    expect(failed.kept?.slice(0, 4)).toEqual(['junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
    expect(failed.kept?.[4]).toContain('created-at.chat');
    expect(await readdir(root)).toEqual([]);
  }, 30_000);
});

describe('fixtures prune: what the harness did not write', () => {
  it('keeps a copy of a recording under another name, and one in another model\'s folder', async () => {
    const root = await freshRoot('copies');
    const model = join(root, 'local', MODEL);
    const other = join(root, 'local', 'other.model-1');
    await mkdir(model, { recursive: true });
    await mkdir(other, { recursive: true });
    await copyFile(SAMPLE, join(model, 'probe.chat.json'));
    await copyFile(SAMPLE, join(model, 'probe.chat.before-upgrade.json'));
    await copyFile(SAMPLE, join(other, 'probe.chat.json'));
    // The same file, as the harness would have written a case no suite has now, from the suites prune reads: it goes.
    const sample = JSON.parse(await readFile(SAMPLE, 'utf8')) as { provenance: object };
    const stale = JSON.stringify({ ...sample, case: 'gone.case', provenance: { ...sample.provenance, suites: BUNDLED_SUITES } });
    await writeFile(join(model, 'gone.case.json'), stale);
    await writeFile(join(model, 'gone.case-copy.json'), stale);

    const run = await cli(['fixtures', 'prune', '--fixtures', root]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/removed .*qwen\.qwen3-32b\/gone\.case\.json/);
    expect(run.stdout).toMatch(/kept .*qwen\.qwen3-32b\/probe\.chat\.before-upgrade\.json/);
    expect(run.stdout).toMatch(/kept .*qwen\.qwen3-32b\/gone\.case-copy\.json/);
    expect(run.stdout).toMatch(/removed 1 recording\(s\), kept 2 other file\(s\)/);
    expect((await readdir(model)).sort()).toEqual(['gone.case-copy.json', 'probe.chat.before-upgrade.json', 'probe.chat.json']);
    // other.model-1/probe.chat.json is a live case's name: kept whatever it holds, as before.
    expect(existsSync(join(other, 'probe.chat.json'))).toBe(true);
  });

  it('names a linked target folder and a linked model folder as kept links, never followed', async () => {
    const root = await freshRoot('links');
    const outside = join(dir, 'outside-target', MODEL);
    await mkdir(outside, { recursive: true });
    const staleOutside = join(outside, 'gone.case.json');
    await writeFile(staleOutside, JSON.stringify({ ...(JSON.parse(await readFile(SAMPLE, 'utf8')) as object), case: 'gone.case' }));
    await mkdir(join(root, 'local'));
    await symlink(join(dir, 'outside-target'), join(root, 'linked-target'));
    await symlink(outside, join(root, 'local', 'linked.model'));

    for (const flags of [['--dry-run'], []]) {
      const run = await cli(['fixtures', 'prune', '--fixtures', root, ...flags]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/fixtures of linked-target: kept 1 link\(s\), not followed/);
      expect(run.stdout).toMatch(/kept .*links\/linked-target \(a link: not followed\)/);
      expect(run.stdout).toMatch(/fixtures of local: kept 1 link\(s\), not followed/);
      expect(run.stdout).toMatch(/kept .*links\/local\/linked\.model \(a link: not followed\)/);
      expect(run.stdout).toMatch(/1 target folder\(s\) under .*: (would remove|removed) 0 recording\(s\), kept 0 other file\(s\) and 2 link\(s\), not followed/);
      expect(existsSync(staleOutside)).toBe(true);
    }
  });
});
