/**
 * A second team's suites folder kept inside the first (`suites/team-b/extra.suite.yaml`, its own --suites) is a
 * lookalike of the first folder: never loaded from it. `fixtures prune` used to refuse over it even with no recording
 * of its cases anywhere, saying prune would remove them (untrue), with a fix (move it to the top level) that merges
 * the two teams' suites. Prune (and `fixtures`) now refuse only when they would drop a recording of such a file's
 * cases, naming those recordings; otherwise the file is warned about, without the claim that they refuse.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookalikeRefusal, recordingsAtStake } from '../src/cli/lookalike-refusal.ts';
import type { Lookalike } from '../src/suite/suite-lookalikes.ts';
import { catalogEmulator, cli, ROOT } from './helpers/harness.ts';
import { tinySuiteText } from './helpers/tiny-suite.ts';

const KEY = { AWS_BEARER_TOKEN_BEDROCK: 'px-nested-prune-0123456789ab' };
const MODEL = 'qwen.qwen3-32b';
const CATALOG = join(ROOT, 'suites', 'models.yaml');
let dir: string;
let emulator: Awaited<ReturnType<typeof catalogEmulator>>;

const record = (suites: string, fx: string) =>
  cli(['run', '--mode', 'record', '--endpoint', emulator.url, '--target-name', 'local', '--models', MODEL, '--catalog', CATALOG, '--suites', suites, '--fixtures', fx, '--report-dir', join(dir, 'reports'), '--quiet'], KEY, dir);
const prune = (suites: string, fx: string, ...flags: string[]) => cli(['fixtures', 'prune', '--suites', suites, '--fixtures', fx, ...flags], {}, dir);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-nested-prune-'));
  emulator = await catalogEmulator({}, { apiKey: KEY.AWS_BEARER_TOKEN_BEDROCK });
}, 30_000);
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fixtures prune over a second suites folder kept inside --suites', () => {
  it('with no recording of its cases: warns, exit 0, and removes only what the suites dropped', async () => {
    const suites = join(dir, 'S');
    const fx = join(dir, 'fx-none');
    await mkdir(join(suites, 'team-b'), { recursive: true });
    await writeFile(join(suites, 'a.suite.yaml'), tinySuiteText('a', ['a.chat']));
    await writeFile(join(suites, 'gone.suite.yaml'), tinySuiteText('gone', ['gone.chat']));
    expect((await record(suites, fx)).code).toBe(0);
    await rm(join(suites, 'gone.suite.yaml'));
    await writeFile(join(suites, 'team-b', 'extra.suite.yaml'), tinySuiteText('extra', ['extra.max-tokens']));

    const pruned = await prune(suites, fx);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stderr).not.toContain('HARNESS_USAGE');
    expect(pruned.stdout).toMatch(/warning: .*team-b\/extra\.suite\.yaml is in a subfolder of --suites.*its case\(s\) extra\.max-tokens, in no loaded file, are not run, and fixtures prune and fixtures refuse while it is here if they would drop a recording of its case\(s\) extra\.max-tokens/);
    expect(pruned.stdout).not.toContain('prune without --dry-run refuses');
    expect(existsSync(join(fx, 'local', MODEL, 'a.chat.json'))).toBe(true);
    expect(existsSync(join(fx, 'local', MODEL, 'gone.chat.json'))).toBe(false);
  }, 60_000);

  it("with its cases recorded from its own folder (another label): warns, exit 0, and keeps them as that folder's", async () => {
    const suites = join(dir, 'S');
    const fx = join(dir, 'fx-none');
    expect((await record(join(suites, 'team-b'), fx)).code).toBe(0);
    const theirs = join(fx, 'local', MODEL, 'extra.max-tokens.json');
    expect(existsSync(theirs)).toBe(true);
    const pruned = await prune(suites, fx);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/warning: .*team-b\/extra\.suite\.yaml is in a subfolder of --suites/);
    expect(pruned.stdout).toMatch(/kept 1 recording\(s\) of cases these suites do not have, recorded with another --suites folder/);
    expect(existsSync(theirs)).toBe(true);
  }, 60_000);

  it('with its cases recorded from this folder (moved down since): refuses, naming the recordings at stake', async () => {
    const suites = join(dir, 'S2');
    const fx = join(dir, 'fx-ours');
    await mkdir(join(suites, 'team-b'), { recursive: true });
    await writeFile(join(suites, 'a.suite.yaml'), tinySuiteText('a', ['a.chat']));
    await writeFile(join(suites, 'extra.suite.yaml'), tinySuiteText('extra', ['extra.max-tokens']));
    expect((await record(suites, fx)).code).toBe(0);
    await rename(join(suites, 'extra.suite.yaml'), join(suites, 'team-b', 'extra.suite.yaml'));
    const refused = await prune(suites, fx);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/HARNESS_USAGE: --suites: .*team-b\/extra\.suite\.yaml is in a subfolder of --suites.*prune would remove the recordings of its case\(s\) extra\.max-tokens \(1 recording\(s\): .*local\/qwen\.qwen3-32b\/extra\.max-tokens\.json\)/);
    expect(existsSync(join(fx, 'local', MODEL, 'extra.max-tokens.json'))).toBe(true);
    const dry = await prune(suites, fx, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('prune without --dry-run refuses');
  }, 60_000);
});

describe('the refusal rule prune and fixtures share', () => {
  const nested: Lookalike = { file: '/s/team-b/extra.suite.yaml', nested: true, unloaded: ['extra.max-tokens'], taken: false };
  const unread: Lookalike = { file: '/s/c.suite.yml', unloaded: undefined, taken: false };
  const backup: Lookalike = { file: '/s/a.suite.yaml.bak', unloaded: [], taken: true };
  const drops = (cases: string) => `fixtures would drop the recordings of ${cases}`;

  it('refuses only over recordings of the lookalike cases the command would drop', () => {
    expect(lookalikeRefusal([nested], '/s', '.suite.yaml', drops, 'nothing was recorded', [])).toBeUndefined();
    expect(lookalikeRefusal([nested], '/s', '.suite.yaml', drops, 'nothing was recorded', ['/fx/emulator/m/other.case.json'])).toBeUndefined();
    const refused = lookalikeRefusal([backup, nested], '/s', '.suite.yaml', drops, 'nothing was recorded', ['/fx/emulator/m/extra.max-tokens.json']);
    expect(refused?.code).toBe('HARNESS_USAGE');
    expect(refused?.message).toContain('fixtures would drop the recordings of its case(s) extra.max-tokens (1 recording(s): /fx/emulator/m/extra.max-tokens.json)');
  });

  it('a lookalike that does not read as a suite stakes every recording dropped; a backup none', () => {
    expect(recordingsAtStake(unread, ['/fx/t/m/x.json'])).toEqual(['/fx/t/m/x.json']);
    expect(recordingsAtStake(unread, [])).toEqual([]);
    expect(recordingsAtStake(backup, ['/fx/t/m/x.json'])).toEqual([]);
  });
});
