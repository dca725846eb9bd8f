/**
 * A target folder's recordings are one target's when they agree on the surface and the site (a region, or the host a
 * local endpoint was reached at); the target name they were recorded under is no part of it. A folder renamed and
 * recorded into again (`emulator` copied to `mantle-emu`, then `--target-name mantle-emu`) replays as one target, and
 * a fix never names the folder a file is already in. The folder's identity is decided by agreement, preferring the
 * recordings made under its own name: one copied fixture that sorts first (in a one-model folder too) is the file
 * named, not the genuine ones.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedIdentity } from '../src/transport/recorded-surface.ts';
import { BUNDLED, bundledRoot, FABLE, GROK, HAIKU, replayRoot } from './helpers/copied-fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-recorded-identity-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Provenance = Record<string, unknown>;

/** Rewrites the provenance of `file` (a fixture) with `change`. */
async function reprovenance(file: string, change: Provenance): Promise<void> {
  const fixture = JSON.parse(await readFile(file, 'utf8')) as { provenance: Provenance };
  fixture.provenance = { ...fixture.provenance, ...change };
  await writeFile(file, `${JSON.stringify(fixture, undefined, 2)}\n`);
}

/** Every fixture of a model folder, its provenance rewritten. */
async function reprovenanceAll(folder: string, change: Provenance): Promise<void> {
  for (const name of await readdir(folder)) if (name.endsWith('.json')) await reprovenance(join(folder, name), change);
}

const root = (name: string, target: string, models: string[]) => bundledRoot(dir, name, target, models);

/** What a record run with `--endpoint <emulator> --target-name mantle-emu --source emulator` writes. */
const RECORDED_AS_MANTLE_EMU: Provenance = { target: 'mantle-emu', site: 'mantle-emu', endpointHost: 'emulator (loopback)', region: null, surface: 'mantle' };
/** What a live record run of Mantle in a region writes. */
const inRegion = (region: string): Provenance => ({ source: 'live', target: region, site: region, region, endpointHost: `bedrock-mantle.${region}.api.aws`, surface: 'mantle' });

const replay = (at: string, args: string[], report: string) => replayRoot(dir, at, args, report);

describe('a renamed target folder recorded into again is one target', () => {
  it('a model folder recorded as mantle-emu beside ones recorded as emulator: replayed, nothing refused or invalid', async () => {
    const at = await root('renamed-new-model', 'mantle-emu', [FABLE, HAIKU, GROK]);
    await reprovenanceAll(join(at, 'mantle-emu', HAIKU), RECORDED_AS_MANTLE_EMU);
    const result = await replay(at, ['--models', FABLE], 'renamed-new-model-reports');
    expect(result.stderr).not.toContain('HARNESS_USAGE');
    expect(result.code, result.stderr).toBe(0);
    expect(result.matrix!.results.filter((c) => c.status === 'error')).toEqual([]);
    expect(result.matrix!.targets[0]?.surface).toBe('mantle');
  });

  it('one fixture re-recorded as mantle-emu inside a model folder recorded as emulator: its cells judged, none invalid', async () => {
    const at = await root('renamed-one-case', 'mantle-emu', [FABLE, HAIKU]);
    await reprovenance(join(at, 'mantle-emu', FABLE, 'images.messages.json'), RECORDED_AS_MANTLE_EMU);
    // And as the first fixture of the other model folder: no model folder is the odd one either.
    await reprovenance(join(at, 'mantle-emu', HAIKU, 'answer.messages.json'), RECORDED_AS_MANTLE_EMU);
    const result = await replay(at, ['--models', FABLE], 'renamed-one-case-reports');
    expect(result.code, result.stderr).toBe(0);
    expect(result.matrix!.results.filter((c) => c.reason?.includes('HARNESS_RECORDING_INVALID'))).toEqual([]);
    expect(result.matrix!.results.some((c) => c.check === 'images.messages' && c.status === 'pass')).toBe(true);
  });

  it('a region folder renamed and recorded into again (same region) is one target; its identity is the folder name\'s', async () => {
    const at = await root('renamed-region', 'prod-east', [FABLE, HAIKU]);
    await reprovenanceAll(join(at, 'prod-east', FABLE), inRegion('us-east-1'));
    await reprovenanceAll(join(at, 'prod-east', HAIKU), { ...inRegion('us-east-1'), target: 'prod-east', site: 'prod-east' });
    expect(await recordedIdentity(at, 'prod-east')).toMatchObject({ surface: 'mantle', target: 'prod-east', region: 'us-east-1' });
  });
});

describe('recordings of another site are still another target\'s', () => {
  it('a us-west-2 model folder in us-east-1\'s folder: exit 2 naming it, and the fix is us-west-2\'s folder', async () => {
    const at = await root('west-in-east', 'us-east-1', [FABLE, HAIKU, GROK]);
    for (const model of [FABLE, HAIKU, GROK]) await reprovenanceAll(join(at, 'us-east-1', model), inRegion('us-east-1'));
    await reprovenanceAll(join(at, 'us-east-1', HAIKU), inRegion('us-west-2'));
    const result = await replay(at, ['--models', FABLE], 'west-in-east-reports');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`${join(at, 'us-east-1', HAIKU, 'answer.messages.json')} was recorded on mantle for target "us-west-2" (it names region us-west-2`);
    expect(result.stderr).toContain(`back to the folder of the target it was recorded for (${join(at, 'us-west-2')})`);
    expect(result.matrix).toBeUndefined();
  });

  it('a us-west-2 fixture further down a us-east-1 model folder is HARNESS_RECORDING_INVALID for its cells', async () => {
    const at = await root('west-file-in-east', 'us-east-1', [FABLE, HAIKU]);
    for (const model of [FABLE, HAIKU]) await reprovenanceAll(join(at, 'us-east-1', model), inRegion('us-east-1'));
    const odd = join(at, 'us-east-1', FABLE, 'images.messages.json');
    await reprovenance(odd, inRegion('us-west-2'));
    const result = await replay(at, ['--models', FABLE], 'west-file-in-east-reports');
    const invalid = result.matrix!.results.filter((c) => c.reason?.startsWith('HARNESS_RECORDING_INVALID'));
    expect(invalid.map((c) => c.check).sort(), result.stderr).toEqual(['images.messages', 'images.seen.messages']);
    expect(invalid[0]!.reason).toContain(`${odd} was recorded on mantle for target "us-west-2", not as target us-east-1's recordings (on mantle for target "us-east-1") (it names region us-west-2`);
  });

  it('an odd fixture that names the folder it is in is never told to move back there', async () => {
    const at = await root('same-name-odd', 'emulator', [FABLE, HAIKU]);
    // A runtime recording made under this folder's name (a hand edit, or a folder of the other surface renamed so).
    const odd = join(at, 'emulator', HAIKU, 'answer.messages.json');
    await cp(join(BUNDLED, 'runtime.emulator', HAIKU, 'answer.messages.json'), odd);
    await reprovenance(odd, { target: 'emulator' });
    const refused = await recordedIdentity(at, 'emulator').then(() => undefined, (error: Error) => error.message);
    expect(refused).toContain(`${odd} was recorded on runtime for target "emulator"`);
    expect(refused).toContain('Move it out of this folder to the folder of the target it was recorded for, or record it again');
    expect(refused).not.toContain(`(${join(at, 'emulator')}), or record`);
  });
});

describe('the identity is decided by agreement: the odd file is the one named', () => {
  it('a one-model folder whose first fixture is a copied runtime one: exit 2 naming that file, the genuine ones not blamed', async () => {
    const at = await root('one-model', 'emulator', [FABLE]);
    const odd = join(at, 'emulator', FABLE, 'answer.messages.json');
    await cp(join(BUNDLED, 'runtime.emulator', FABLE, 'answer.messages.json'), odd);
    const result = await replay(at, ['--models', FABLE], 'one-model-reports');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`HARNESS_USAGE: the recordings of target emulator (${join(at, 'emulator')}) are not all of one target`);
    expect(result.stderr).toContain(`: ${odd} was recorded on runtime for target "runtime.emulator", while ${join(at, 'emulator', FABLE)}`);
    expect(result.stderr).toMatch(/was recorded on mantle for target "emulator" \(recorded for the folder's own name\), as were \d+ other recording\(s\) read in 1 model folder\(s\)/);
    expect(result.stderr).toContain(`Move it back to the folder of the target it was recorded for (${join(at, 'runtime.emulator')})`);
    expect(result.stderr).not.toContain('probe.messages.json was recorded');
    expect(result.matrix).toBeUndefined();
  });

  it('the first model folder\'s first fixture copied from runtime, in a renamed folder (no recording names it): the copy is named', async () => {
    const at = await root('first-of-first', 'my-mantle', [FABLE, GROK]);
    const odd = join(at, 'my-mantle', FABLE, 'answer.messages.json');
    await cp(join(BUNDLED, 'runtime.emulator', FABLE, 'answer.messages.json'), odd);
    const refused = await recordedIdentity(at, 'my-mantle').then(() => undefined, (error: Error) => error.message);
    expect(refused).toContain(`: ${odd} was recorded on runtime for target "runtime.emulator", while `);
    expect(refused).toContain('was recorded on mantle for target "emulator", as were');
  });

  it('a folder whose recordings agree is named by them: its surface, site and host', async () => {
    expect(await recordedIdentity(BUNDLED, 'emulator')).toEqual({ surface: 'mantle', site: 'emulator', target: 'emulator', host: 'loopback' });
    expect(await recordedIdentity(BUNDLED, 'runtime.emulator')).toMatchObject({ surface: 'runtime', target: 'runtime.emulator' });
    await mkdir(join(dir, 'empty', 'nothing'), { recursive: true });
    expect(await recordedIdentity(join(dir, 'empty'), 'nothing')).toEqual({});
  });
});
