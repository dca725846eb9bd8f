/**
 * @module plan/plan
 * Models x checks: which checks run for which model, which cases feed each check, and what each result is
 * expected to be (the model's catalog claim, its family's, the reference value for catalog models, or nothing for
 * a model the catalog does not know). Pure: the same inputs give the same plan in every process.
 */
import { HarnessError } from '../errors.ts';
import type { CheckSignature } from '../suite/check-signature.ts';
import { selectsCheck } from '../suite/check-pattern.ts';
import { closest } from '../suite/closest.ts';
import type { ReasoningClaim } from '../suite/catalog-schema.ts';
import type { Expected } from '../suite/expected.ts';
import type { Catalog, CatalogModel } from '../suite/load-catalog.ts';
import { expectationsSource } from '../suite/expectations-source.ts';
import type { Expectations } from '../suite/load-expectations.ts';
import type { LoadedCase, SuiteSet } from '../suite/load-suites.ts';
import type { SurfaceClaims } from '../suite/catalog-schema.ts';
import { SURFACE_RULES, type Surface } from '../surfaces.ts';

export interface PlannedExpectation {
  value: Expected;
  source: string;
  note?: string;
}

export interface PlanCheck extends CheckSignature {
  title: string;
  /** The reference value, used as the expectation of catalog models that state nothing else. */
  reference?: { value: string | number | null; source: string };
}

export interface PlannedCheck {
  id: string;
  /** Case ids that feed the check, in suite order. */
  cases: string[];
  expectation: PlannedExpectation | null;
  /** Where the expectations file states what a target observes: it wins there (see `plannedFor`). */
  byTarget?: Readonly<Record<string, PlannedExpectation>>;
  /** What a surface's documented claims make of this cell instead (catalog `surfaces:`), where they say something. */
  bySurface?: Partial<Record<Surface, PlannedExpectation | null>>;
}

export interface PlannedModel {
  id: string;
  /** Catalog family id, or null for a model the catalog does not know. */
  family: string | null;
  familyTitle: string | null;
  inCatalog: boolean;
  /** Route prefixes in the order to prefer when several serve the model (the documented one first). */
  preferredPrefixes: string[];
  /** How the model reasons, when the catalog says (cases that need visible output give it room to think). */
  reasoning?: ReasoningClaim;
  checks: PlannedCheck[];
}

export interface Plan {
  models: PlannedModel[];
  /** Every check selected, in registry order. */
  checks: PlanCheck[];
  cases: ReadonlyMap<string, LoadedCase>;
}

export interface PlanOptions {
  /** Model ids to run; default every catalog model. Ids not in the catalog are probed with no expectations. */
  models?: readonly string[];
  /** Check ids or prefixes ending in `*` (e.g. `stream.*`); default every check some case feeds. */
  checks?: readonly string[];
  /** Reviewed expectations, which win over the catalog and the reference. */
  expectations?: Expectations;
}

export function buildPlan(suites: SuiteSet, catalog: Catalog, registry: readonly PlanCheck[], options: PlanOptions = {}): Plan {
  const feeding = new Map<string, string[]>();
  for (const spec of suites.cases) for (const id of spec.checks) feeding.set(id, [...(feeding.get(id) ?? []), spec.id]);
  for (const check of registry) if (check.readsAllCases) feeding.set(check.id, suites.cases.map((c) => c.id));
  const checks = selectChecks(registry, feeding, options.checks);
  const modelIds = options.models?.length ? [...new Set(options.models)] : catalog.models.map((m) => m.id);
  const models = modelIds.map((id) => planModel(id, catalog.byId.get(id), checks, feeding, options.expectations?.byModel.get(id), targetEntries(options.expectations, id), catalog.surfaces ?? {}));
  return { models, checks, cases: new Map(suites.cases.map((c) => [c.id, c])) };
}

type Stated = ReadonlyMap<string, { value: Expected; reason?: string; link?: string }>;

/** target -> check -> what the file states for this model in that target. */
function targetEntries(expectations: Expectations | undefined, model: string): Map<string, Stated> {
  const out = new Map<string, Stated>();
  for (const [target, models] of expectations?.byTarget ?? []) {
    const stated = models.get(model);
    if (stated) out.set(target, stated);
  }
  return out;
}

function reviewedExpectation(reviewed: { value: Expected; reason?: string; link?: string }, target?: string): PlannedExpectation {
  return { value: reviewed.value, source: `${expectationsSource(target)}: ${reviewed.reason ?? 'accepted'}${reviewed.link ? ` (${reviewed.link})` : ''}` };
}

/** Where a model runs: a target's id, its surface, and the models it lists (with `--models listed`). */
export interface PlanTarget {
  id: string;
  surface: Surface;
  discovered?: { models: readonly string[] };
}

/** The plan's models a target runs: those its model list named, when it was discovered; else all. */
export function modelsOn(models: readonly PlannedModel[], target: PlanTarget): readonly PlannedModel[] {
  return target.discovered ? models.filter((m) => target.discovered!.models.includes(m.id)) : models;
}

/**
 * The model as planned on one target: its surface's claims where the catalog states them, then what the
 * expectations file states for that target (which wins there). The one place the two layers compose.
 */
export function plannedOn(model: PlannedModel, target: PlanTarget): PlannedModel {
  return plannedFor(forSurface(model, target.surface), target.id);
}

/**
 * The model as planned for one target: where the expectations file states what that target observes, that is the
 * expectation (it gates there, and only there); elsewhere the model's own.
 */
function plannedFor(model: PlannedModel, target: string): PlannedModel {
  if (!model.checks.some((c) => c.byTarget?.[target])) return model;
  return { ...model, checks: model.checks.map((c) => (c.byTarget?.[target] ? { ...c, expectation: c.byTarget[target] } : c)) };
}

function selectChecks(registry: readonly PlanCheck[], feeding: ReadonlyMap<string, string[]>, wanted?: readonly string[]): PlanCheck[] {
  const fed = registry.filter((check) => feeding.has(check.id));
  if (!wanted?.length) return fed;
  const unknown: string[] = [];
  const selected = fed.filter((check) => wanted.some((w) => selectsCheck(w, check.id)));
  for (const w of wanted) {
    if (!fed.some((check) => selectsCheck(w, check.id))) {
      const guess = closest(w, fed.map((c) => c.id));
      unknown.push(`"${w}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }
  if (unknown.length) {
    throw new HarnessError('HARNESS_USAGE', `--checks ${unknown.join(', ')}: no such check fed by the suites. Known: ${fed.map((c) => c.id).join(', ')}`);
  }
  return selected;
}

function planModel(
  id: string,
  entry: CatalogModel | undefined,
  checks: readonly PlanCheck[],
  feeding: ReadonlyMap<string, string[]>,
  stated: Stated | undefined,
  perTarget: ReadonlyMap<string, Stated> = new Map(),
  surfaces: Partial<Record<Surface, SurfaceClaims>> = {},
): PlannedModel {
  const documentedPrefix = entry?.expect.get('path-prefix')?.value;
  const preferredPrefixes = documentedPrefix === '/openai/v1' ? ['/openai/v1', '/v1'] : ['/v1', '/openai/v1'];
  return {
    id,
    family: entry?.family ?? null,
    familyTitle: entry?.familyTitle ?? null,
    inCatalog: entry !== undefined,
    preferredPrefixes,
    ...(entry?.reasoning ? { reasoning: entry.reasoning } : {}),
    checks: checks.map((check) => {
      const reviewed = stated?.get(check.id);
      const expectation: PlannedExpectation | null = reviewed ? reviewedExpectation(reviewed) : expectationFor(check, entry);
      const byTarget = Object.fromEntries([...perTarget].flatMap(([target, checks]) => (checks.has(check.id) ? [[target, reviewedExpectation(checks.get(check.id)!, target)]] : [])));
      // A reviewed expectation was observed on the targets that agreed: the catalog's surface claims yield to it.
      const bySurface = entry && !reviewed ? surfaceExpectations(check.id, id, surfaces) : undefined;
      return { id: check.id, cases: feeding.get(check.id) ?? [], expectation, ...(Object.keys(byTarget).length ? { byTarget } : {}), ...(bySurface ? { bySurface } : {}) };
    }),
  };
}

/**
 * What the catalog's `surfaces:` block says of a check, per surface: a feature the surface lacks, or one it has for
 * this model (either value wins over the model's claims, which describe Mantle), or a claim that does not carry over.
 * A reviewed entry wins over all: planModel drops them where the file states the check for every target, plannedFor
 * puts a target's own entry last. So a surface's lack, or a feature it has, gates until a run observes otherwise and
 * bless writes what it saw.
 * Only catalog models get them: a model the catalog does not know has no stated expectations anywhere.
 */
function surfaceExpectations(checkId: string, model: string, surfaces: Partial<Record<Surface, SurfaceClaims>>): PlannedCheck['bySurface'] {
  const out: Partial<Record<Surface, PlannedExpectation | null>> = {};
  for (const [surface, claims] of Object.entries(surfaces) as [Surface, SurfaceClaims][]) {
    const lack = claims.lacks?.find((l) => l.check === checkId);
    const has = claims.has?.find((h) => h.check === checkId && (!h.models || h.models.includes(model)));
    if (lack) out[surface] = { value: lack.value, source: `catalog: ${surface} lacks ${lack.feature} (${lack.source})`, ...(lack.note ? { note: lack.note } : {}) };
    else if (has) out[surface] = { value: has.value, source: `catalog: ${surface} has ${has.feature} (${has.source})`, ...(has.note ? { note: has.note } : {}) };
    else if (claims.unstated?.some((u) => u.check === checkId)) out[surface] = null;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The model as planned on one surface: the surface's claims in place of the model's where the catalog states
 * them, and its route prefixes in the surface's order (bedrock-runtime documents /openai/v1 first).
 */
function forSurface(model: PlannedModel, surface: Surface): PlannedModel {
  const checks = model.checks.map((check) => {
    const override = check.bySurface && surface in check.bySurface ? check.bySurface[surface] : undefined;
    return override === undefined ? check : { ...check, expectation: override };
  });
  const preferredPrefixes = surface === 'runtime' ? [...SURFACE_RULES.runtime.openaiPrefixes] : model.preferredPrefixes;
  return { ...model, checks, preferredPrefixes };
}

function expectationFor(check: PlanCheck, entry: CatalogModel | undefined): PlannedExpectation | null {
  if (!entry) return null;
  const claim = entry.expect.get(check.id);
  if (claim) return { value: claim.value, source: `catalog: ${claim.source}`, ...(claim.note ? { note: claim.note } : {}) };
  return check.reference ? { value: check.reference.value, source: check.reference.source } : null;
}
