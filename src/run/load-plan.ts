/**
 * @module run/load-plan
 * Suites + catalog + registry -> plan. The main process calls it to validate before anything is sent (exit 2 on a
 * bad file); each vitest worker calls it again with the same config and gets the same plan.
 */
import { ALL_CHECKS } from '../checks/registry.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { loadCatalog, type Catalog } from '../suite/load-catalog.ts';
import { loadSuites, type SuiteSet } from '../suite/load-suites.ts';

export interface LoadedPlan {
  suites: SuiteSet;
  catalog: Catalog;
  plan: Plan;
}

export async function loadPlan(options: { suitesDir: string; catalogFile: string; models: readonly string[]; checks: readonly string[] }): Promise<LoadedPlan> {
  const [suites, catalog] = await Promise.all([loadSuites(options.suitesDir, ALL_CHECKS), loadCatalog(options.catalogFile, ALL_CHECKS)]);
  const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: options.models, checks: options.checks });
  return { suites, catalog, plan };
}
