/**
 * `fixtures --suites S prune` and `fixtures --fixtures F prune`: the options given before `prune` went to the
 * recording command, and prune used its defaults: it removed the recordings of S's own cases (judged against the
 * bundled suites), or pruned ./fixtures instead of F. They are prune's when given there, and refused when they clash.
 */
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesPruneCommand } from '../src/cli/fixtures-prune-command.ts';
import { cli, ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prune-parent-flags-'));
  await cp(join(ROOT, 'suites'), join(dir, 'my-suites'), { recursive: true });
  await mkdir(join(dir, 'fx', 'emu', 'xai.grok-4.3'), { recursive: true });
  await cp(join(ROOT, 'fixtures', 'emulator', 'xai.grok-4.3', 'probe.chat.json'), join(dir, 'fx', 'emu', 'xai.grok-4.3', 'probe.chat.json'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fixtures <options> prune', () => {
  it('takes --suites and --fixtures given before prune as its own', async () => {
    const result = await cli(['fixtures', '--suites', join(dir, 'my-suites'), '--fixtures', join(dir, 'fx'), 'prune', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`1 target folder(s) under ${join(dir, 'fx')}`);
    expect(result.stdout).toContain(`cases in ${join(dir, 'my-suites')}`);
  });

  it('refuses two different values of one option, and a catalog prune does not read', async () => {
    const twice = await cli(['fixtures', '--fixtures', join(dir, 'fx'), 'prune', '--fixtures', join(dir, 'other'), '--dry-run']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--fixtures: given twice; give it once|two values; give --fixtures once, after prune/);
    const catalog = await cli(['fixtures', '--catalog', join(dir, 'my-suites', 'models.yaml'), 'prune', '--dry-run']);
    expect(catalog.code).toBe(2);
    expect(catalog.stderr).toContain('prune reads no catalog');
  });

  it('a subcommand\'s own option given twice is refused, as a command\'s is (catalog diff kept the last one)', async () => {
    for (const args of [['catalog', 'diff', '--mode', 'replay', '--target', 'mantle:emulator', '--target', 'runtime:emulator'], ['catalog', 'diff', '--mode', 'live', '--mode', 'replay']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/HARNESS_USAGE: --(target|mode): given twice; give it once/);
    }
  });

  it('never prunes the fixtures bundled with an installed package, even when --fixtures names them', async () => {
    const pkg = join(dir, 'app', 'node_modules', 'mantle-conformance');
    await mkdir(join(pkg, 'fixtures', 'emu', 'xai.grok-4.3'), { recursive: true });
    await cp(join(ROOT, 'fixtures', 'emulator', 'xai.grok-4.3', 'probe.chat.json'), join(pkg, 'fixtures', 'emu', 'xai.grok-4.3', 'gone.case.json'));
    let out = '';
    const sink = { write: (t: string) => ((out += t), true) } as unknown as NodeJS.WritableStream;
    await expect(fixturesPruneCommand({ fixtures: join(pkg, 'fixtures'), suites: join(ROOT, 'suites') }, pkg, sink)).rejects.toThrow(/holds the recordings bundled with the installed package, which prune never touches/);
    await expect(readdir(join(pkg, 'fixtures', 'emu', 'xai.grok-4.3'))).resolves.toEqual(['gone.case.json']);
  });
});
