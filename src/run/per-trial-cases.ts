/**
 * @module run/per-trial-cases
 * The cases that get `--repeat` trials: those a check judged on every trial reads (checks/trials.ts). A run sends
 * what its selected checks need; a record run records what every check needs, selected or not, as its recording
 * serves every later replay: a `--checks` run that recorded one trial of a case a per-trial check reads replaced a
 * 3-trial recording, and its flaky cells replayed as a pass ("became stable").
 */
import { ALL_CHECKS, getCheck } from '../checks/registry.ts';
import { judgedPerTrial } from '../checks/trials.ts';
import type { PlannedCheck } from '../plan/plan.ts';
import type { LoadedCase } from '../suite/load-suites.ts';

/** The ids of the cases a per-trial check reads: of `selected`, and with `recorded` (a record run's cases) of every check. */
export function casesReadPerTrial(selected: readonly PlannedCheck[], recorded?: Iterable<LoadedCase>): ReadonlySet<string> {
  const cases = new Set(selected.flatMap((c) => (judgedPerTrial(getCheck(c.id)) ? c.cases : [])));
  if (!recorded) return cases;
  // A check that reads every case (schema.*) names none in the suites: one judged per trial would read them all.
  const everyCase = ALL_CHECKS.some((check) => check.readsAllCases === true && judgedPerTrial(check));
  for (const spec of recorded) if (everyCase || spec.checks.some((id) => judgedPerTrial(getCheck(id)))) cases.add(spec.id);
  return cases;
}
