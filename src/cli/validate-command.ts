/**
 * @module cli/validate-command
 * `validate`: the suites, the catalog and the expectations file loaded as a run loads them (exit 2 on a problem,
 * with file:line:col), then what loads but may apply to nothing said as warnings (suite/setup-warnings.ts), which
 * leave the exit code alone.
 */
import { join } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { inertLine } from '../report/inert-text.ts';
import { usePrecompiledFileValidators } from '../run/precompiled-validators.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { loadExpectations, statedCount } from '../suite/load-expectations.ts';
import { loadSuites } from '../suite/load-suites.ts';
import { setupWarnings } from '../suite/setup-warnings.ts';
import { PROJECT_ROOT, type Io } from './project.ts';
import { resolveExpectations } from './run-options.ts';
import { recordedTargets } from './target-options.ts';

export interface ValidateFlags {
  /** Folder of *.suite.yaml files. @default 'suites' */
  suites: string;
  /** The model catalog. @default '<suites>/models.yaml' */
  catalog?: string;
  /** The expectations file. @default '<suites>/expectations.yaml' when present */
  expectations?: string;
}

export async function validateCommand(flags: ValidateFlags, io: Io): Promise<void> {
  usePrecompiledFileValidators();
  const suites = await loadSuites(flags.suites, ALL_CHECKS);
  const catalog = await loadCatalog(flags.catalog ?? join(flags.suites, 'models.yaml'), ALL_CHECKS);
  const file = await resolveExpectations(flags.expectations, flags.suites);
  const expectations = file ? await loadExpectations(file, ALL_CHECKS) : undefined;
  const stated = expectations ? statedCount(expectations) : 0;
  // The target names a replay knows: the recordings here (./fixtures) and the bundled ones, as a run finds them.
  const targets = [...(await recordedTargets('fixtures')), ...(await recordedTargets(join(PROJECT_ROOT, 'fixtures')))];
  for (const warning of setupWarnings({ suites, catalog, ...(expectations ? { expectations } : {}), checks: ALL_CHECKS, targets })) io.err.write(`warning: ${inertLine(warning, 2000)}\n`);
  io.out.write(`ok: ${suites.cases.length} cases in ${suites.files.length} suite files, ${catalog.models.length} models in the catalog${expectations ? `, ${stated} expectations` : ''}\n`);
}
