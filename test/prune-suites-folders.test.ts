/**
 * One fixtures root may hold the recordings of several --suites folders (`--suites suites-a --fixtures fx`, then
 * `--suites suites-b --fixtures fx`). A recording names the folder its case came from (provenance.suites), and
 * `fixtures prune` removes only what its own --suites folder dropped: another folder's recordings, and those that
 * name no folder (an earlier version's, or a far folder's), are kept and named. A record run's stale hint says the
 * same.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SUITES, suitesLabel } from '../src/transport/recorded-suites.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-prune-key-0123456789' };
const MODEL = 'qwen.qwen3-32b';
let dir: string;
let fx: string;
let modelDir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

/** A suites folder of one small chat case, `id`. */
async function suitesWith(name: string, id: string): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${name}.suite.yaml`), tinySuiteText(name, [id]));
  return folder;
}

const record = (suites: string) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', join(ROOT, 'suites', 'models.yaml'), '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const prune = (...flags: string[]) => cli(['fixtures', 'prune', '--fixtures', fx, ...flags], {}, dir);
const at = (caseId: string) => join(modelDir, `${caseId}.json`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prune-suites-'));
  fx = join(dir, 'fx');
  modelDir = join(fx, 'local', MODEL);
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('suitesLabel', () => {
  it('names a folder from the fixtures root (one not made yet too), and the bundled suites wherever the package is', async () => {
    expect(await suitesLabel(join(dir, 'not-yet', 'suites-x'), join(dir, 'not-yet', 'fx'), ROOT)).toBe('../suites-x');
    expect(await suitesLabel(join(dir, 'fx-root', 'mine'), join(dir, 'fx-root'), ROOT)).toBe('./mine');
    expect(await suitesLabel(join(ROOT, 'suites'), join(dir, 'anywhere'), ROOT)).toBe(BUNDLED_SUITES);
  });
});

describe('fixtures prune with two --suites folders recorded into one fixtures root', () => {
  it('keeps the other folder\'s recordings, removes only a case its own folder dropped, and --dry-run lists the same', async () => {
    const a = await suitesWith('suites-a', 'a.chat');
    const b = await suitesWith('suites-b', 'b.chat');
    for (const suites of [a, b]) {
      const run = await record(suites);
      expect(run.code, run.stderr).toBe(0);
    }
    // Neither folder's record run calls the other's recording stale.
    const againB = await record(b);
    expect(againB.stdout).not.toContain('a.chat.json');

    // Pruned with suites A: B's recording is another folder's, kept and named with the --suites that prunes it.
    const byA = await prune('--suites', a);
    expect(byA.code, byA.stderr).toBe(0);
    expect(byA.stdout).toContain('fixtures of local: kept 1 recording(s) of cases these suites do not have, recorded with another --suites folder (suites-b); pass it to prune those');
    expect(byA.stdout).toMatch(/kept .*qwen\.qwen3-32b\/b\.chat\.json/);
    expect(byA.stdout).toMatch(/removed 0 recording\(s\), kept 1 recording\(s\) of other --suites folders or of none named/);
    expect(existsSync(at('a.chat')) && existsSync(at('b.chat'))).toBe(true);
    expect(JSON.parse(await readFile(at('a.chat'), 'utf8')).provenance.suites).toBe('../suites-a');
    expect(JSON.parse(await readFile(at('b.chat'), 'utf8')).provenance.suites).toBe('../suites-b');

    // With the defaults (the bundled suites: no ./suites here), every recording is another folder's.
    const byDefault = await prune();
    expect(byDefault.stdout).toMatch(/removed 0 recording\(s\), kept 2 recording\(s\) of other --suites folders/);
    expect(existsSync(at('a.chat')) && existsSync(at('b.chat'))).toBe(true);

    // Suite A renames its case: a.chat is now stale, and A's prune removes it (B's stays).
    await rm(a, { recursive: true });
    await suitesWith('suites-a', 'a.renamed');
    expect((await record(a)).stdout).toMatch(/1 recording\(s\) of cases the suites do not have \(recorded from these suites: a case renamed or deleted\)[^\n]*\n {2}stale .*a\.chat\.json\n/);
    const dry = await prune('--suites', a, '--dry-run');
    expect(dry.stdout).toMatch(/would remove .*qwen\.qwen3-32b\/a\.chat\.json/);
    expect(dry.stdout).toMatch(/kept .*qwen\.qwen3-32b\/b\.chat\.json/);
    expect(dry.stdout).toContain('would remove 1 recording(s), kept 1 recording(s) of other --suites folders or of none named');
    expect(existsSync(at('a.chat'))).toBe(true);
    const done = await prune('--suites', a);
    expect(done.stdout).toContain('removed 1 recording(s), kept 1 recording(s) of other --suites folders or of none named');
    expect(existsSync(at('a.chat'))).toBe(false);
    expect(existsSync(at('a.renamed')) && existsSync(at('b.chat'))).toBe(true);
  }, 90_000);

  it('keeps a recording that names no suites folder (made before recordings named theirs), and says so', async () => {
    const a = join(dir, 'suites-a');
    // What an earlier version wrote: the same recording without provenance.suites, of a case suite A lacks.
    const fixture = JSON.parse(await readFile(at('a.renamed'), 'utf8')) as { case: string; provenance: Record<string, unknown> };
    delete fixture.provenance.suites;
    await writeFile(at('a.older'), `${JSON.stringify({ ...fixture, case: 'a.older' }, null, 2)}\n`);
    for (const flags of [['--dry-run'], []]) {
      const run = await prune('--suites', a, ...flags);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('fixtures of local: kept 1 recording(s) of cases these suites do not have that name no --suites folder (recorded by an earlier version, or from a suites folder too far from the fixtures root to be named)');
      expect(run.stdout).toMatch(/kept .*qwen\.qwen3-32b\/a\.older\.json/);
      expect(run.stdout).toMatch(/(would remove|removed) 0 recording\(s\), kept 2 recording\(s\) of other --suites folders or of none named/);
      expect(existsSync(at('a.older'))).toBe(true);
    }
    // A record run names it apart, not as stale with a prune command that would not remove it.
    const again = await record(a);
    expect(again.stdout).toMatch(/1 recording\(s\) of cases the suites do not have that name no --suites folder[^\n]*\n {2}unnamed .*a\.older\.json\n/);
    expect(again.stdout).not.toContain('stale ');
  }, 60_000);
});
