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
import { missingProbeWarnings } from './missing-probes.ts';
import { PROJECT_ROOT, type Io } from './project.ts';
import { inputsNote, resolveCatalogFile, resolveExpectationsOf, resolveSuitesDir } from './input-files.ts';
import { shownPath } from '../shown-path.ts';
import { recordedTargets } from './target-options.ts';

export interface ValidateFlags {
  /** Folder of *.suite.yaml files. @default ./suites when it holds one, else the bundled suites */
  suites?: string;
  /** The model catalog. @default <suites>/models.yaml (without --suites: ./suites/models.yaml when present, else the bundled one) */
  catalog?: string;
  /** The expectations file. @default <suites>/expectations.yaml when present (as `run` finds it) */
  expectations?: string;
}

export async function validateCommand(flags: ValidateFlags, io: Io): Promise<void> {
  usePrecompiledFileValidators();
  // The suites load (and say what is wrong with them) before the catalog is looked for, as they always did.
  const suitesDir = await resolveSuitesDir(flags, PROJECT_ROOT);
  const suites = await loadSuites(flags.suites ?? shownPath(suitesDir), ALL_CHECKS);
  const catalogFile = await resolveCatalogFile(flags, suitesDir, PROJECT_ROOT);
  const catalog = await loadCatalog(flags.catalog ?? shownPath(catalogFile), ALL_CHECKS);
  const file = await resolveExpectationsOf(flags, suitesDir, PROJECT_ROOT, catalogFile);
  const note = inputsNote(flags, { suitesDir, catalogFile, ...(file ? { expectationsFile: file } : {}) }, PROJECT_ROOT);
  if (note) io.err.write(`${note}\n`);
  const expectations = file ? await loadExpectations(file, ALL_CHECKS, catalog) : undefined;
  const stated = expectations ? statedCount(expectations) : 0;
  // The target names a replay knows: the recordings here (./fixtures) and the bundled ones, as a run finds them.
  const targets = [...(await recordedTargets('fixtures')), ...(await recordedTargets(join(PROJECT_ROOT, 'fixtures')))];
  // A surface claim's model id the catalog does not list loads (a trimmed copy), but may be a typo covering nothing.
  const warnings = [...setupWarnings({ suites, catalog, ...(expectations ? { expectations } : {}), checks: ALL_CHECKS, targets }), ...(catalog.unlistedClaimModels ?? []), ...missingProbeWarnings(suites)];
  for (const warning of warnings) io.err.write(`warning: ${inertLine(warning, 2000)}\n`);
  io.out.write(`ok: ${suites.cases.length} cases in ${suites.files.length} suite files, ${catalog.models.length} models in the catalog${expectations ? `, ${stated} expectations` : ''}\n`);
}
