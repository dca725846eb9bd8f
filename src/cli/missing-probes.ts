/**
 * @module cli/missing-probes
 * The APIs the loaded suites send cases to with no probe case of their own. Which prefix serves a model is then
 * never asked: the cases go to the catalog's prefix (or another API's probed one), and a refusal there is an error,
 * not `unsupported` (checks/route-guess.ts). Said once by `validate` (and a run's setup), never an error: a suite
 * folder of one case is legitimate.
 */
import { BUNDLED_PROBE_FILES } from '../checks/route-guess.ts';
import type { SuiteSet } from '../suite/load-suites.ts';
import type { ApiId } from '../suite/suite-schema.ts';

/** One line naming the APIs without a probe case and the bundled file(s) that hold theirs; none when every API has one. */
export function missingProbeWarnings(suites: SuiteSet): string[] {
  const probed = new Set(suites.cases.filter((c) => c.probe).map((c) => c.api));
  const missing = [...new Set(suites.cases.filter((c) => !c.probe && !probed.has(c.api)).map((c) => c.api))].sort() as ApiId[];
  if (missing.length === 0) return [];
  const files = [...new Set(missing.map((api) => BUNDLED_PROBE_FILES[api]))].join(' and ');
  return [`${suites.dir}: no probe case for ${missing.join(', ')}: which prefix serves each model is not asked, so those cases go to the catalog's prefix (or another API's probed one) and a refusal there is an error, not "unsupported"; copy the probe cases into the folder (the bundled suites hold them in ${files})`];
}
