/**
 * A catalog holds every model id the rest of the harness takes (src/names.ts: --models, expectations, an endpoint's
 * model list): `catalog diff` called `Qwen/Qwen3-32B` or `vendor.model@2024` new, and the catalog refused them, so a
 * nightly diff could never be made green (hostile review of model lists, 2026-12-05).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { nameProblem } from '../src/names.ts';
import { loadCatalog } from '../src/suite/load-catalog.ts';
import { ROOT } from './helpers/harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'catalog-model-ids-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('catalog model ids', () => {
  it.each(['Qwen/Qwen3-32B', 'vendor.model@2024', 'vendor.model+beta', `acme.${'x'.repeat(150)}`])('takes %s, as --models does', async (id) => {
    expect(nameProblem(id, 'model id')).toBeUndefined();
    const catalog = parse(await readFile(join(ROOT, 'suites/models.yaml'), 'utf8')) as { models: { id: string }[] };
    const file = join(dir, `c-${id.length}-${id.replace(/[^a-z]/gi, '')}.yaml`.slice(0, 60));
    await writeFile(file, stringify({ ...catalog, models: [...catalog.models, { ...catalog.models[0]!, id }] }));
    const loaded = await loadCatalog(file, ALL_CHECKS);
    expect(loaded.models.map((m) => m.id)).toContain(id);
  });
});
