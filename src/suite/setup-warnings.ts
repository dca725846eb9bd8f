/**
 * @module suite/setup-warnings
 * What `validate` and a run's setup say about files that load but may not mean what they say. None of it is an
 * error: a model outside the catalog is legitimate (it is probed with --models), and so is a target name no list
 * knows (--target-name). But a model id or target name one typo away from a known one makes its entries apply to
 * nothing, and a claim on a check no loaded suite runs is never judged: either way a gate is off with no word.
 */
import type { CheckSignature } from './check-signature.ts';
import { slipOf } from './closest.ts';
import type { Expectations } from './load-expectations.ts';
import type { Catalog } from './load-catalog.ts';
import { SUITE_SUFFIX, type SuiteSet } from './load-suites.ts';
import { lookalikeWarning } from './suite-lookalikes.ts';
import { nameProblem } from '../names.ts';
import { withheldQuotes } from './withheld-values.ts';

export interface SetupWarningsInput {
  suites: SuiteSet;
  catalog: Catalog;
  expectations?: Expectations;
  /** The registry, for the checks that read every case (schema.*): they run whenever any case does. */
  checks: readonly CheckSignature[];
  /** Target names known besides the catalog's regions: the run's targets and the recordings' (cli/target-options recordedTargets). */
  targets?: readonly string[];
  /** Claims on checks no suite runs as one count, not listed (a run says it at every start; `validate` lists them). @default false */
  brief?: boolean;
}

/**
 * One line per warning, each naming where (`file:line:col`, or the model and check) and what to do; a value that may
 * be a secret is said by its length, as in a problem (withheld-values.ts).
 */
export function setupWarnings(input: SetupWarningsInput): string[] {
  return [...lookalikeWarnings(input), ...nameWarnings(input), ...unrunWarnings(input)].map(withheldQuotes);
}

/** A file named almost as a suite file is not loaded (suite-lookalikes.ts): what of it is not run, whether prune refuses, the fix. */
function lookalikeWarnings({ suites }: SetupWarningsInput): string[] {
  return (suites.lookalikes ?? []).map((lookalike) => lookalikeWarning(lookalike, SUITE_SUFFIX));
}

function nameWarnings({ catalog, expectations, targets = [] }: SetupWarningsInput): string[] {
  if (!expectations) return [];
  const out: string[] = [];
  const catalogIds = catalog.models.map((m) => m.id);
  const stated = new Set([...expectations.byModel.keys(), ...[...expectations.byTarget.values()].flatMap((m) => [...m.keys()])]);
  for (const model of stated) {
    if (catalog.byId.has(model)) continue;
    const guess = slipOf(model, catalogIds);
    const at = expectations.modelAt?.get(model) ?? expectations.file;
    if (guess) out.push(`${at} model "${model}" is not in the catalog (did you mean "${guess}"?): its entries gate only a model of exactly that id (one outside the catalog, run with --models)`);
  }
  const known = new Set([...(catalog.regions?.keys() ?? []), ...catalog.models.flatMap((m) => m.regions), ...targets]);
  for (const [target, models] of expectations.byTarget) {
    // A name shaped like a region is one (a region the catalog does not list yet), not a misspelling of another.
    if (known.has(target) || nameProblem(target, 'region') === undefined) continue;
    const guess = slipOf(target, [...known]);
    if (!guess) continue;
    const places = [...models.values()].flatMap((checks) => [...checks.values()].map((e) => e.location));
    const more = places.length > 1 ? ` (and ${places.length - 1} more entr${places.length === 2 ? 'y' : 'ies'})` : '';
    out.push(`${places[0] ?? expectations.file} target "${target}" is no known target (did you mean "${guess}"?)${more}: its entries gate only a target of exactly that name`);
  }
  return out;
}

/** Checks `validate` names in its unrun-claims line; the rest are counted. */
const MAX_UNRUN_LISTED = 10;

function unrunWarnings({ suites, catalog, expectations, checks, brief = false }: SetupWarningsInput): string[] {
  const fed = new Set(suites.cases.flatMap((c) => c.checks));
  if (suites.cases.length > 0) for (const check of checks) if (check.readsAllCases) fed.add(check.id);
  const unrun = new Map<string, Set<string>>();
  let claims = 0;
  const add = (check: string, model: string) => {
    if (fed.has(check)) return;
    claims++;
    unrun.set(check, (unrun.get(check) ?? new Set()).add(model));
  };
  for (const model of catalog.models) for (const check of model.expect.keys()) add(check, model.id);
  for (const [model, entries] of expectations?.byModel ?? []) for (const check of entries.keys()) add(check, model);
  for (const models of expectations?.byTarget.values() ?? []) for (const [model, entries] of models) for (const check of entries.keys()) add(check, model);
  if (claims === 0) return [];
  if (brief) return [`${claims} claim(s) on ${unrun.size} check(s) no suite in ${suites.dir} runs: they are never judged (a suite file missing from --suites? mantle-conformance validate lists them)`];
  const list = [...unrun].map(([check, models]) => {
    const names = [...models];
    return `${check} (${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')})`;
  });
  // One line a person reads: the first checks, and how many more (a folder of one suite leaves most unrun).
  const shown = list.length > MAX_UNRUN_LISTED ? `${list.slice(0, MAX_UNRUN_LISTED).join(', ')} and ${list.length - MAX_UNRUN_LISTED} more check(s)` : list.join(', ');
  return [`${claims} claim(s) on ${unrun.size} check(s) no suite in ${suites.dir} runs: ${shown}; they are never judged (a suite file missing from --suites?)`];
}
