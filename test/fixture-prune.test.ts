/**
 * Fixtures stay true: a record run names the recordings of cases its suites do not have, in the folders of the
 * models it recorded, and removes none (another --suites folder's recordings are not stale); `fixtures prune` does it for every target and model folder
 * (`--dry-run` lists only). Only fixtures the harness made go: notes, links and files that are not fixtures are
 * named and kept, and a link's target is never touched.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEmulator, cli } from './helpers/harness.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'prune-key-0123456789' };
const MODEL = 'qwen.qwen3-32b';
let dir: string;
let fixtures: string;
let modelDir: string;
let outside: string;

const record = async () => {
  const emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
  try {
    return await cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--checks', 'created-at.*', '--fixtures', fixtures, '--report-dir', join(dir, 'reports'), '--quiet'], KEY);
  } finally {
    await emulator.close();
  }
};

/** A copy of the recording `from` as the harness would have recorded it for `model` and `caseId`, at `to`. */
async function recordedAs(from: string, to: string, model: string, caseId: string): Promise<void> {
  const fixture = JSON.parse(await readFile(from, 'utf8')) as Record<string, unknown>;
  await writeFile(to, `${JSON.stringify({ ...fixture, model, case: caseId }, null, 2)}\n`);
}

/** A recording of a case the suites do not have (a real fixture under a gone case's name), a note and a link. */
async function plant(folder: string): Promise<{ stale: string; note: string; link: string }> {
  const real = (await readdir(folder)).find((f) => f.endsWith('.json'))!;
  const stale = join(folder, 'created-at.renamed-long-ago.json');
  await recordedAs(join(folder, real), stale, MODEL, 'created-at.renamed-long-ago');
  const note = join(folder, 'NOTES.json');
  await writeFile(note, '{"mine": true}');
  const link = join(folder, 'linked-case.json');
  await symlink(outside, link);
  return { stale, note, link };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prune-'));
  fixtures = join(dir, 'fixtures');
  modelDir = join(fixtures, 'local', MODEL);
  outside = join(dir, 'outside.json');
  const first = await record();
  expect(first.code, first.stderr).toBe(0);
  // The link points at a fixture outside the folder: pruning must neither follow nor remove it.
  await copyFile(join(modelDir, (await readdir(modelDir))[0]!), outside);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a record run', () => {
  it('names the recordings of cases its suites do not have and removes nothing (another suites folder is not stale)', async () => {
    const planted = await plant(modelDir);
    const before = await readdir(modelDir);
    const again = await record();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('fixtures of local: 1 recording(s) of cases the suites do not have');
    expect(again.stdout).toContain('fixtures prune --dry-run');
    expect(again.stdout).toMatch(/stale .*qwen\.qwen3-32b\/created-at\.renamed-long-ago\.json/);
    expect(existsSync(planted.stale)).toBe(true);
    expect(await readFile(planted.note, 'utf8')).toBe('{"mine": true}');
    expect(existsSync(planted.link) && existsSync(outside)).toBe(true);
    expect((await readdir(modelDir)).sort()).toEqual(before.sort());
    await rm(planted.note);
    await rm(planted.link);
    await rm(planted.stale);
  }, 60_000);
});

describe('fixtures prune', () => {
  it('--dry-run lists every target and model folder\'s stale recordings and removes nothing; without it they go', async () => {
    // A model no run records any more, in another target: only prune reaches it.
    const other = join(fixtures, 'eu-west-1', 'retired.model-1');
    await mkdir(other, { recursive: true });
    const live = (await readdir(modelDir))[0]!;
    await copyFile(join(modelDir, live), join(other, live));
    await recordedAs(join(modelDir, live), join(other, 'gone.case.json'), 'retired.model-1', 'gone.case');
    const stale = await plant(modelDir);

    const dry = await cli(['fixtures', 'prune', '--fixtures', fixtures, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would remove .*eu-west-1\/retired\.model-1\/gone\.case\.json/);
    expect(dry.stdout).toMatch(/would remove .*local\/qwen\.qwen3-32b\/created-at\.renamed-long-ago\.json/);
    expect(dry.stdout).toContain('2 target folder(s)');
    expect(dry.stdout).toMatch(/would remove 2 recording\(s\), kept 2 other file\(s\)/);
    expect(existsSync(join(other, 'gone.case.json')) && existsSync(stale.stale)).toBe(true);

    const done = await cli(['fixtures', 'prune', '--fixtures', fixtures]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/removed 2 recording\(s\), kept 2 other file\(s\)/);
    expect(await readdir(other)).toEqual([live]);
    expect(existsSync(stale.stale)).toBe(false);
    expect(existsSync(stale.note) && existsSync(stale.link) && existsSync(outside)).toBe(true);

    const none = await cli(['fixtures', 'prune', '--fixtures', fixtures]);
    expect(none.stdout).toMatch(/removed 0 recording\(s\)/);
  }, 60_000);

  it('a fixtures root that does not exist is exit 2 naming --fixtures', async () => {
    const result = await cli(['fixtures', 'prune', '--fixtures', join(dir, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HARNESS_FILE_NOT_FOUND: --fixtures: .*nope does not exist/);
  });
});
