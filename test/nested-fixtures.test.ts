/**
 * One rule says what the harness made, for `fixtures` and `fixtures prune` alike: a fixture exactly at
 * `<fixtures>/<target>/<model>/<case>.json`. A model's folder the user copied into a folder of their own under a target
 * (`emulator/backup-2026-11/<model>/*.json`) reads as fixtures file by file, yet is the user's: prune keeps it, and
 * `fixtures`, which replaces the whole target folder, refuses before recording (exit 2, naming it and the fix) rather
 * than delete it.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHarnessFixture } from '../src/transport/fixture-file.ts';
import { pruneFixtures } from '../src/transport/fixture-prune.ts';
import { BUNDLED_SUITES } from '../src/transport/recorded-suites.ts';
import { ROOT, cli } from './helpers/harness.ts';

const MODEL = 'qwen.qwen3-32b';
const SAMPLE = join(ROOT, 'fixtures', 'emulator', MODEL, 'probe.chat.json');
/** A one-model catalog: were the refusal missing, `fixtures` would record it in seconds (and delete the backup). */
const CATALOG = `catalog: mantle\nsources:\n  s: "a test source"\nfamilies:\n  - { id: tiny, title: Tiny }\nmodels:\n  - { id: ${MODEL}, family: tiny, source: s }\n`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-nested-fixtures-'));
  await writeFile(join(dir, 'models.yaml'), CATALOG);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fixtures root whose `emulator/` holds a backup of a model's folder one level down. */
async function backupRoot(name: string): Promise<{ root: string; backup: string }> {
  const root = join(dir, name);
  const backup = join(root, 'emulator', 'backup-2026-11', MODEL, 'probe.chat.json');
  await mkdir(join(backup, '..'), { recursive: true });
  await cp(SAMPLE, backup);
  return { root, backup };
}

describe('isHarnessFixture under a target folder', () => {
  it('is a fixture exactly two levels below the target, and not one a level deeper', async () => {
    const { root, backup } = await backupRoot('rule');
    const target = join(root, 'emulator');
    const placed = join(target, MODEL, 'probe.chat.json');
    await mkdir(join(placed, '..'), { recursive: true });
    await cp(SAMPLE, placed);
    expect(await isHarnessFixture(placed, target)).toBe(true);
    expect(await isHarnessFixture(backup, target)).toBe(false);
    // Asked of the case's own path (fixturePath), as before.
    expect(await isHarnessFixture(placed)).toBe(true);
  });
});

describe('a backup of a model folder inside a target folder', () => {
  it('fixtures refuses before recording, naming the file and the fix, and deletes nothing', async () => {
    const { root, backup } = await backupRoot('fixtures-root');
    const before = await readFile(backup, 'utf8');
    const run = await cli(['fixtures', '--fixtures', root, '--catalog', join(dir, 'models.yaml')]);
    // Were it not refused, a pass that fails its gate would keep its reports: not the test's to leave.
    const kept = /its reports say why: (\S+) \(/.exec(run.stderr)?.[1];
    if (kept) await rm(kept, { recursive: true, force: true });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/HARNESS_USAGE: --fixtures: .*emulator\/backup-2026-11\/qwen\.qwen3-32b\/probe\.chat\.json is not a recording the harness made \(the harness writes .*emulator\/<model>\/<case>\.json, at that depth: .*is yours.*\); move it out of .*emulator before re-recording \(nothing was deleted\)/);
    expect(run.stdout).not.toContain('recorded');
    expect(await readFile(backup, 'utf8')).toBe(before);
  }, 120_000);

  it('prune keeps it, by the same rule', async () => {
    const { root, backup } = await backupRoot('prune-root');
    const pruned = await pruneFixtures(root, 'emulator', ['other.case'], { suites: BUNDLED_SUITES });
    expect(pruned.removed).toEqual([]);
    expect(pruned.foreign).toEqual([join(root, 'emulator', 'backup-2026-11', MODEL)]);
    expect(await readFile(backup, 'utf8')).toBe(await readFile(SAMPLE, 'utf8'));
  });
});
