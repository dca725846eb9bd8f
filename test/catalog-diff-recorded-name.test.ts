/**
 * `catalog diff --mode replay` and a custom target recorded under `run --target-name NAME`: its id is NAME, which no
 * `surface:name` spells (`custom:NAME` is target custom.NAME), and the diff has no --target-name. The diff's own
 * `--target NAME` selects it in replay (as `run --target-name NAME` does), and every hint names the diff's flags:
 * they said "replay them as recorded (--target-name NAME)", a flag the diff refuses, or named no way at all.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli } from './helpers/harness.ts';

let fixtures: string;
beforeAll(async () => {
  fixtures = await mkdtemp(join(tmpdir(), 'mantle-recorded-name-'));
  // The bundled runtime list, as a record run with --endpoint URL --target-name webpage --surface custom writes it.
  const model = 'openai.gpt-oss-20b';
  const bundled = JSON.parse(await readFile(join(ROOT, 'fixtures', 'runtime.emulator', model, 'models.list.json'), 'utf8')) as { provenance: Record<string, unknown> };
  bundled.provenance = { ...bundled.provenance, source: 'live', target: 'webpage', endpointHost: '127.0.0.1:44101', surface: 'custom', site: 'webpage' };
  await mkdir(join(fixtures, 'webpage', model), { recursive: true });
  await writeFile(join(fixtures, 'webpage', model, 'models.list.json'), JSON.stringify(bundled, null, 2));
});
afterAll(() => rm(fixtures, { recursive: true, force: true }));

const diff = (...args: string[]) => cli(['catalog', 'diff', '--mode', 'replay', '--fixtures', fixtures, ...args]);

describe('catalog diff --mode replay of a custom target recorded under --target-name', () => {
  it('--target NAME selects it, as run --target-name NAME does', async () => {
    const result = await diff('--target', 'webpage');
    expect(result.stderr).not.toContain('HARNESS_USAGE');
    expect(result.code).toBeLessThan(2);
    expect(result.stdout).toMatch(/^webpage \(custom\): \d+ listed \(the recorded models\.list/);
  });

  it('--target mantle:NAME: the hint names --target NAME, not --target-name', async () => {
    const result = await diff('--target', 'mantle:webpage');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HARNESS_USAGE: --target: the recordings of target webpage');
    expect(result.stderr).toContain('were made on custom, not mantle; replay them as recorded (--target webpage)');
    expect(result.stderr).not.toContain('--target-name');
  });

  it('--target custom:NAME (or --targets): did you mean --target NAME', async () => {
    for (const flag of ['--target', '--targets']) {
      const result = await diff(flag, 'custom:webpage');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`HARNESS_USAGE: ${flag}: no recordings of target custom.webpage`);
      expect(result.stderr).toContain('did you mean --target webpage?');
      expect(result.stderr).not.toContain('--target-name');
    }
  });

  it('--region NAME: replay it with --target NAME; a name not recorded is refused naming --target', async () => {
    const region = await diff('--region', 'webpage');
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('replay it with --target webpage');
    expect(region.stderr).not.toContain('--target-name');
    const typo = await diff('--target', 'webpag');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('HARNESS_USAGE: --target: no recordings of target webpag');
    expect(typo.stderr).toContain('did you mean webpage?');
  });

  it('run keeps its own flag in the same hint', async () => {
    const run = await cli(['run', '--mode', 'replay', '--fixtures', fixtures, '--targets', 'custom:webpage', '--quiet', '--report-dir', join(fixtures, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HARNESS_USAGE: --targets: no recordings of target custom.webpage');
    expect(run.stderr).toContain('did you mean --target-name webpage?');
  });
});
