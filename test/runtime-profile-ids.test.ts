/**
 * bedrock-runtime serves GPT-6 Sol and Luna under cross-region inference profile ids (MANTLE.md, 'New model ids':
 * "runtime: everywhere, ids us./global.openai.gpt-6-*"; profile ids are a runtime feature, Mantle answers 404). The
 * catalog states it (`surfaces.runtime.has`), so on runtime their models.profile-id cell gates: a runtime that
 * refuses the profile id with 404 "does not exist" fails, where before the cell had no expectation and passed green
 * whatever it saw. Models no source names (GPT-6 Astra) stay informational on runtime; Mantle's lack is unchanged.
 */
import { parse, stringify } from 'yaml';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { FLAVOURS } from '../src/emulator/surface.ts';
import { buildPlan, plannedOn } from '../src/plan/plan.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { catalogEmulator, cli, projectSuites, ROOT } from './helpers/harness.ts';

const MODELS = ['openai.gpt-6-sol', 'openai.gpt-6-luna', 'openai.gpt-6-astra'];

describe('the plan', () => {
  it('expects served on runtime for GPT-6 Sol and Luna only, and not-found on Mantle for all', async () => {
    const { suites, catalog } = await projectSuites();
    const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: MODELS, checks: ['models.profile-id'] });
    const on = (surface: 'mantle' | 'runtime' | 'custom', model: string) => plannedOn(plan.models.find((m) => m.id === model)!, { id: surface, surface }).checks.find((c) => c.id === 'models.profile-id')!.expectation;
    for (const model of ['openai.gpt-6-sol', 'openai.gpt-6-luna']) {
      expect(on('runtime', model)).toMatchObject({ value: 'served', source: 'catalog: runtime has cross-region inference profile ids (mantle-md/gpt-6-runtime)' });
      expect(on('mantle', model)).toMatchObject({ value: 'not-found' });
      // A gateway (custom) is held to neither surface's claim.
      expect(on('custom', model)).toBeNull();
    }
    expect(on('runtime', 'openai.gpt-6-astra')).toBeNull();
    expect(on('mantle', 'openai.gpt-6-astra')).toMatchObject({ value: 'not-found' });
  });

  it('a trimmed copy of the catalog without the models a `has` entry names loads: the claim names no model of it', async () => {
    const full = parse(await readFile(join(ROOT, 'suites/models.yaml'), 'utf8')) as { models: { id: string }[] };
    const dir = await mkdtemp(join(tmpdir(), 'mantle-catalog-'));
    try {
      await writeFile(join(dir, 'models.yaml'), stringify({ ...full, models: full.models.filter((m) => !m.id.startsWith('openai.gpt-6')) }));
      const catalog = await loadCatalog(join(dir, 'models.yaml'), ALL_CHECKS);
      expect(catalog.byId.has('openai.gpt-6-sol')).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a `has` entry naming a slip of a model the catalog has, with that id', async () => {
    const text = await readFile(join(ROOT, 'suites/models.yaml'), 'utf8');
    const typo = text.replace('models: [openai.gpt-6-sol, openai.gpt-6-luna]', 'models: [openai.gpt-6-soll, openai.gpt-6-luna]');
    expect(typo).not.toBe(text);
    const dir = await mkdtemp(join(tmpdir(), 'mantle-catalog-'));
    try {
      await writeFile(join(dir, 'models.yaml'), typo);
      await expect(loadCatalog(join(dir, 'models.yaml'), ALL_CHECKS)).rejects.toThrow(/unknown model "openai\.gpt-6-soll" \(did you mean "openai\.gpt-6-sol"\?\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a live run on runtime', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const run = async (profileIds: 'served' | 'not-found') => {
    const emulator = await catalogEmulator({}, { surface: { ...FLAVOURS.runtime, profileIds } });
    try {
      dir = await mkdtemp(join(tmpdir(), 'mantle-profile-'));
      const result = await cli(['run', '--mode', 'live', '--auth', 'none', '--endpoint', emulator.url, '--surface', 'runtime', '--models', MODELS.join(','), '--checks', 'models.profile-id', '--retries', '0', '--report-dir', dir, '--plain']);
      const matrix = JSON.parse(await readFile(join(dir, 'matrix.json'), 'utf8')) as Matrix;
      const cell = (model: string) => matrix.results.find((r) => r.model === model && r.check === 'models.profile-id')!;
      return { result, cell };
    } finally {
      await emulator.close();
    }
  };

  it('fails GPT-6 Sol and Luna when the profile id is answered 404 "does not exist", and the gate fails', async () => {
    const { result, cell } = await run('not-found');
    for (const model of ['openai.gpt-6-sol', 'openai.gpt-6-luna']) {
      expect(cell(model)).toMatchObject({ status: 'fail', observed: 'not-found', expected: 'served' });
    }
    // Astra: no source says runtime serves its profile ids, so what runtime answered is informational.
    expect(cell('openai.gpt-6-astra')).toMatchObject({ status: 'pass', observed: 'not-found', expected: null });
    expect(result.code, result.stdout + result.stderr).toBe(1);
  });

  it('passes them, as expected, when runtime serves the profile id', async () => {
    const { result, cell } = await run('served');
    for (const model of ['openai.gpt-6-sol', 'openai.gpt-6-luna']) {
      expect(cell(model)).toMatchObject({ status: 'pass', observed: 'served', expected: 'served', expectedSource: expect.stringContaining('mantle-md/gpt-6-runtime') });
    }
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});
