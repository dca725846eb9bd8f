/**
 * One rule says what the harness made: a regular file holding a JSON object of the fixture format with its model,
 * case and exchanges. `fixtures prune` removes only those, and `fixtures` replaces only a folder of those: a file
 * that merely names the format (a note quoting it, an object without its parts) is the user's, a compact fixture is
 * the harness's however it is spaced, and so is one an older harness wrote that this schema refuses (re-recording
 * is what replaces it). `fixtures prune` pointed one level too deep says so.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHarnessFixture } from '../src/transport/fixture-file.ts';
import { pruneFixtures } from '../src/transport/fixture-prune.ts';
import { BUNDLED_SUITES } from '../src/transport/recorded-suites.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';
const SAMPLE = join(ROOT, 'fixtures', 'emulator', MODEL, 'probe.chat.json');
const INVALID = '{"format":"mantle-conformance.fixture/1","model":1}';
const NOTE = '{\n  "note": "a recording starts with",\n  "format": "mantle-conformance.fixture/1"\n}\n';
/** A one-model catalog: `fixtures` records it in a second. */
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;

let dir: string;
let compact: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-rule-'));
  compact = JSON.stringify(JSON.parse(await readFile(SAMPLE, 'utf8')));
  await writeFile(join(dir, 'models.yaml'), CATALOG);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('isHarnessFixture', () => {
  it('is a regular file of the fixture format with its parts, however it is spaced, and whatever this schema says of it', async () => {
    const older = compact.replace(/"code":"HARNESS_[A-Z_]+"/, '"code":"HARNESS_RENAMED_SINCE"').replace('"exchanges":[', '"exchanges":[],"renamedField":[');
    const files = { pretty: await readFile(SAMPLE, 'utf8'), compact, older, invalid: INVALID, note: NOTE, conflict: `<<<<<<< HEAD\n${compact}` };
    // Each where the harness writes its model's and case's recording: <model>/<case>.json.
    const at = (name: string) => join(dir, 'rule', name, MODEL, 'probe.chat.json');
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, 'rule', name, MODEL), { recursive: true });
      await writeFile(at(name), text);
    }
    await mkdir(join(dir, 'rule', 'link', MODEL), { recursive: true });
    await symlink(SAMPLE, at('link'));
    const made = Object.fromEntries(await Promise.all([...Object.keys(files), 'link'].map(async (n) => [n, await isHarnessFixture(at(n))] as const)));
    expect(made).toEqual({ pretty: true, compact: true, older: true, invalid: false, note: false, conflict: false, link: false });
  });
});

describe('fixtures prune', () => {
  it('keeps a file that names the format but is no fixture, and removes a compact stale one', async () => {
    const model = join(dir, 'prune', 'local', MODEL);
    await mkdir(model, { recursive: true });
    await writeFile(join(model, 'gone.invalid.json'), INVALID);
    await writeFile(join(model, 'gone.compact.json'), compact.replace('"case":"probe.chat"', '"case":"gone.compact"').replace('"provenance":{', `"provenance":{"suites":"${BUNDLED_SUITES}",`));
    const pruned = await pruneFixtures(join(dir, 'prune'), 'local', ['probe.chat'], { suites: BUNDLED_SUITES });
    expect(pruned.removed.map((f) => f.slice(model.length + 1))).toEqual(['gone.compact.json']);
    expect(pruned.foreign.map((f) => f.slice(model.length + 1))).toEqual(['gone.invalid.json']);
  });

  it('warns when --fixtures is a target folder (recordings directly in what it takes for targets)', async () => {
    const target = join(dir, 'deep', 'local');
    await mkdir(join(target, MODEL), { recursive: true });
    await cp(SAMPLE, join(target, MODEL, 'probe.chat.json'));
    const run = await cli(['fixtures', 'prune', '--fixtures', target, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/warning: is --fixtures the fixtures root .*\?.*local\/qwen\.qwen3-32b holds recordings directly/);
    const root = await cli(['fixtures', 'prune', '--fixtures', join(dir, 'deep'), '--dry-run']);
    expect(root.stdout).not.toContain('warning');
  });
});

describe('fixtures', () => {
  const record = async (root: string) => {
    const run = await cli(['fixtures', '--fixtures', root, '--catalog', join(dir, 'models.yaml')]);
    // A pass that fails its gate (this catalog states nothing of the runtime surface) keeps its reports: not the test's to leave.
    const kept = /its reports say why: (\S+) \(/.exec(run.stderr)?.[1];
    if (kept) await rm(kept, { recursive: true, force: true });
    return run;
  };

  it('refuses a folder holding a note that quotes the format, deleting nothing', async () => {
    const root = join(dir, 'note-root');
    await mkdir(join(root, 'emulator', MODEL), { recursive: true });
    await writeFile(join(root, 'emulator', MODEL, 'NOTES.json'), NOTE);
    const run = await record(root);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --fixtures: .*NOTES\.json is not a recording the harness made/);
    expect(await readFile(join(root, 'emulator', MODEL, 'NOTES.json'), 'utf8')).toBe(NOTE);
  }, 60_000);

  it('replaces a folder of compact fixtures: they are the harness\'s', async () => {
    const root = join(dir, 'compact-root');
    await mkdir(join(root, 'emulator', MODEL), { recursive: true });
    await writeFile(join(root, 'emulator', MODEL, 'gone.case.json'), compact.replace('"case":"probe.chat"', '"case":"gone.case"'));
    const run = await record(root);
    expect(run.stderr).not.toContain('HARNESS_USAGE');
    expect(run.stdout).toMatch(/wrote .*emulator \(mantle\)/);
    expect(existsSync(join(root, 'emulator', MODEL, 'gone.case.json'))).toBe(false);
    expect((await readdir(join(root, 'emulator', MODEL))).length).toBeGreaterThan(1);
  }, 60_000);
});
