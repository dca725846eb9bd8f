/**
 * Replay judges a target's recordings as one surface's and target's. One fixture (or a model folder) copied in from
 * another target's folder must not relabel the whole target (and have the endpoint blamed for the other surface's
 * answers): model folders that disagree on it are refused (exit 2, naming the odd file), and a fixture further down
 * a folder that names another surface or target is HARNESS_RECORDING_INVALID for the cells that read it.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED, bundledRoot, FABLE, GROK, HAIKU, replayRoot } from './helpers/copied-fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-provenance-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fixtures root holding these model folders of the bundled Mantle target `emulator`. */
const mantleRoot = (name: string, models: string[]) => bundledRoot(dir, name, 'emulator', models);
const replay = (root: string, args: string[], report: string) => replayRoot(dir, root, args, report);

describe('a target folder whose model folders disagree on what they were recorded for', () => {
  it('one fixture copied from the runtime folder as the first of a model folder: exit 2 naming it, nothing judged', async () => {
    const root = await mantleRoot('copied-first', [FABLE, HAIKU, GROK]);
    const odd = join(root, 'emulator', FABLE, 'answer.messages.json');
    await cp(join(BUNDLED, 'runtime.emulator', FABLE, 'answer.messages.json'), odd);
    const result = await replay(root, ['--models', GROK], 'copied-first-reports');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: the recordings of target emulator');
    expect(result.stderr).toContain(`${odd} was recorded on runtime for target "runtime.emulator"`);
    // Its own model folder's other recordings outvote it too (recorded-surface.ts reads a few more of a folder whose first disagrees).
    expect(result.stderr).toMatch(/while \S+ was recorded on mantle for target "emulator" \(recorded for the folder's own name\), as were \d+ other recording\(s\) read in 3 model folder\(s\)/);
    expect(result.stderr).toContain(`back to the folder of the target it was recorded for (${join(root, 'runtime.emulator')})`);
    expect(result.matrix).toBeUndefined();
  });

  it('a model folder moved in from another surface, one against one: exit 2 naming both, even when it is not selected', async () => {
    const root = await mantleRoot('moved', [GROK]);
    await cp(join(BUNDLED, 'runtime.emulator', FABLE), join(root, 'emulator', FABLE), { recursive: true });
    const result = await replay(root, ['--models', GROK], 'moved-reports');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${join(root, 'emulator', FABLE, 'answer.messages.json')} was recorded on runtime for target "runtime.emulator"`);
    expect(result.stderr).toContain(`${join(root, 'emulator', GROK, 'answer.chat.json')} was recorded on mantle for target "emulator"`);
    expect(result.matrix).toBeUndefined();
  });
});

describe('a fixture further down a model folder recorded for another target', () => {
  it.each([
    ['--target-name', 'emulator'],
    ['--targets', 'mantle:emulator'],
  ])('%s %s: a runtime fixture is HARNESS_RECORDING_INVALID for its cells only, naming both; the target stays mantle', async (flag, value) => {
    const root = await mantleRoot(`copied-later-${flag}`, [FABLE, HAIKU]);
    const odd = join(root, 'emulator', FABLE, 'images.messages.json');
    await cp(join(BUNDLED, 'runtime.emulator', FABLE, 'images.messages.json'), odd);
    const result = await replay(root, [flag, value, '--models', FABLE], `copied-later-reports${flag}`);
    expect(result.matrix, result.stderr).toBeDefined();
    expect(result.matrix!.targets.find((t) => t.id === 'emulator')?.surface).toBe('mantle');
    const invalid = result.matrix!.results.filter((c) => c.reason?.startsWith('HARNESS_RECORDING_INVALID'));
    expect(invalid.length).toBeGreaterThan(0);
    for (const cell of invalid) {
      expect(cell.status).toBe('error');
      expect(cell.reason).toContain(`${odd} was recorded on runtime for target "runtime.emulator", not as target emulator's recordings (on mantle for target "emulator")`);
      expect(cell.reason).toContain(`(${join(root, 'runtime.emulator')}), or record it again with --mode record`);
    }
    expect(invalid.map((c) => c.check).sort()).toEqual(['images.messages', 'images.seen.messages']);
    // The copied fixture relabels nothing: no other cell fails, none other errs.
    expect(result.matrix!.results.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result.matrix!.results.filter((c) => c.status === 'error').length).toBe(invalid.length);
    expect(result.code, result.stderr).toBe(1);
  });

  it('a fixture of the same surface recorded for another target (region) is refused too', async () => {
    const root = await mantleRoot('other-region', [FABLE, HAIKU]);
    const file = join(root, 'emulator', FABLE, 'images.messages.json');
    const fixture = JSON.parse(await readFile(file, 'utf8')) as { provenance: Record<string, unknown> };
    // Recorded in us-west-2 (its host says so too): the emulator's recordings name no region, so the host tells the sites apart.
    fixture.provenance = { ...fixture.provenance, source: 'live', target: 'us-west-2', site: 'us-west-2', region: 'us-west-2', endpointHost: 'bedrock-mantle.us-west-2.api.aws' };
    await writeFile(file, JSON.stringify(fixture, undefined, 2));
    const result = await replay(root, ['--target-name', 'emulator', '--models', FABLE], 'other-region-reports');
    const invalid = result.matrix!.results.filter((c) => c.reason?.startsWith('HARNESS_RECORDING_INVALID'));
    expect(invalid.length, result.stderr).toBeGreaterThan(0);
    expect(invalid[0]!.reason).toContain(`${file} was recorded on mantle for target "us-west-2", not as target emulator's recordings (on mantle for target "emulator")`);
  });

  it('recordings that agree replay as before, in a folder renamed as a whole too', async () => {
    const root = await mantleRoot('renamed', [FABLE, HAIKU]);
    await mkdir(join(root, 'old-emulator'));
    await cp(join(root, 'emulator'), join(root, 'old-emulator'), { recursive: true });
    await rm(join(root, 'emulator'), { recursive: true });
    const result = await replay(root, ['--target-name', 'old-emulator', '--models', FABLE], 'renamed-reports');
    expect(result.code, result.stderr).toBe(0);
    expect(result.matrix!.results.filter((c) => c.status === 'error')).toEqual([]);
  });
});
