/**
 * @module run/load-plan
 * Suites + catalog + registry -> plan. The main process calls it to validate before anything is sent (exit 2 on a
 * bad file); each vitest worker calls it again with the same config and gets the same plan.
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { loadCatalog, type Catalog } from '../suite/load-catalog.ts';
import { loadExpectations, type Expectations } from '../suite/load-expectations.ts';
import { loadSuites, type SuiteSet } from '../suite/load-suites.ts';
import { usePrecompiledFileValidators } from './precompiled-validators.ts';

export interface LoadedPlan {
  suites: SuiteSet;
  catalog: Catalog;
  plan: Plan;
  expectations?: Expectations;
}

export async function loadPlan(options: {
  suitesDir: string;
  catalogFile: string;
  expectationsFile?: string;
  models: readonly string[];
  checks: readonly string[];
}): Promise<LoadedPlan> {
  usePrecompiledFileValidators();
  const loadingCatalog = loadCatalog(options.catalogFile, ALL_CHECKS);
  const expectationsFile = options.expectationsFile;
  // The expectations name the catalog they belong to: read once the catalog is, to refuse another catalog's.
  const [suites, catalog, expectations] = await Promise.all([
    loadSuites(options.suitesDir, ALL_CHECKS),
    loadingCatalog,
    expectationsFile ? loadingCatalog.then((loaded) => loadExpectations(expectationsFile, ALL_CHECKS, loaded)) : undefined,
  ]);
  const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: options.models, checks: options.checks, ...(expectations ? { expectations } : {}) });
  return { suites, catalog, plan, ...(expectations ? { expectations } : {}) };
}
