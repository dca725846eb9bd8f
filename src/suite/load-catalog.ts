/**
 * @module suite/load-catalog
 * Loads the model catalog, checks its meaning (families and sources exist, expectations name real checks and use
 * their vocabulary), and resolves each model's expectations: a model's own claim wins over its family's.
 */
import type { CheckSignature } from './check-signature.ts';
import { expectedProblem } from './expected.ts';
import type { Surface } from '../surfaces.ts';
import { CatalogSchema, type CatalogFile, type Claim, type ParametersClaim, type ReasoningClaim, type RegionEntry, type SurfaceClaims, type WrongRouteClaim } from './catalog-schema.ts';
import { closest, slipOf } from './closest.ts';
import { withheldQuotes } from './withheld-values.ts';
import { readYamlSource, throwIfProblems, validateAgainstSchema, type PathSegment, type Suggest, type YamlSource } from './yaml-source.ts';

export interface CatalogClaim extends Claim {
  /** Where the claim is written (`file:line:col`), for review. */
  location: string;
  /** Whether it came from the family or the model entry. */
  from: 'family' | 'model';
}

export interface CatalogModel {
  id: string;
  family: string;
  familyTitle: string;
  source: string;
  /** Region ids the sources name (each one's source in `regionSources`). */
  regions: string[];
  /** Region id -> the source key that names the model there. */
  regionSources: ReadonlyMap<string, string>;
  /** Expectations by check id, model claims over family claims. */
  expect: ReadonlyMap<string, CatalogClaim>;
  /** How the model reasons, when a source says (the model's own entry over its family's). */
  reasoning?: ReasoningClaim;
  /** What the other OpenAI prefix answers, when a source says (the model's over its family's). */
  wrongRoute?: WrongRouteClaim;
  /** Request parameters the model refuses, per API (the model's entry for an API over its family's). */
  parameters?: ParametersClaim;
}

export interface Catalog {
  file: string;
  id: string;
  sources: Readonly<Record<string, string>>;
  /** Region id -> the source that lists it, when the catalog has a `regions:` list. */
  regions?: ReadonlyMap<string, string>;
  models: CatalogModel[];
  byId: ReadonlyMap<string, CatalogModel>;
  /** What each surface is documented to do differently, by surface (the models' claims describe Mantle). */
  surfaces: Partial<Record<Surface, SurfaceClaims>>;
  /** A surface claim's `models:` ids the catalog does not list, each said with where (unlistedClaimModels): `validate` warns. */
  unlistedClaimModels?: readonly string[];
}

export async function loadCatalog(file: string, checks: readonly CheckSignature[]): Promise<Catalog> {
  const { source, problems } = await readYamlSource(file);
  const hint = 'Fix the catalog above; nothing was sent. The schema is suites/schema/catalog.schema.json.';
  throwIfProblems('HARNESS_CATALOG_INVALID', problems, hint);
  const schemaProblems = validateAgainstSchema(source!, CatalogSchema, catalogSuggest(source!.data, checks));
  throwIfProblems('HARNESS_CATALOG_INVALID', schemaProblems, hint);
  const data = source!.data as CatalogFile;
  const meaning = validateMeaning(data, source!, new Map(checks.map((c) => [c.id, c])));
  throwIfProblems('HARNESS_CATALOG_INVALID', meaning, hint);
  return resolveCatalog(file, data, source!);
}

/** "Did you mean" for what the schema refuses: a check id under `expect:`, a model region the `regions:` list spells otherwise. */
function catalogSuggest(data: unknown, checks: readonly CheckSignature[]): Suggest {
  const regions = () => {
    const listed = (data as { regions?: unknown } | null)?.regions;
    return listed !== null && typeof listed === 'object' ? Object.keys(listed) : [];
  };
  return (path, got) => {
    if (path.at(-2) === 'expect') return closest(got, checks.map((c) => c.id));
    if (path[0] === 'models' && (path[2] === 'regions' || path.at(-1) === 'region')) return closest(got, regions());
    return undefined;
  };
}

export function validateMeaning(data: CatalogFile, source: YamlSource, checks: ReadonlyMap<string, CheckSignature>): string[] {
  const problems: string[] = [];
  const sourceKeys = Object.keys(data.sources);
  const checkSource = (key: string, path: PathSegment[]) => {
    if (!(key in data.sources)) {
      const guess = closest(key, sourceKeys);
      problems.push(`${source.locate(path)} unknown source "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; add it under sources:`);
    }
  };
  const checkExpect = (expect: Record<string, Claim> | undefined, base: PathSegment[]) => {
    for (const [checkId, claim] of Object.entries(expect ?? {})) {
      const check = checks.get(checkId);
      if (!check) {
        const guess = closest(checkId, [...checks.keys()]);
        problems.push(`${source.locate([...base, 'expect', checkId], { key: true })} unknown check "${checkId}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
        continue;
      }
      const problem = expectedProblem(check, claim.value);
      if (problem) {
        problems.push(`${source.locate([...base, 'expect', checkId, 'value'])} ${checkId}: ${problem}`);
      }
      checkSource(claim.source, [...base, 'expect', checkId, 'source']);
    }
  };
  const checkExtras = (entry: { reasoning?: ReasoningClaim; wrongRoute?: WrongRouteClaim; parameters?: ParametersClaim }, base: PathSegment[]) => {
    if (entry.reasoning) checkSource(entry.reasoning.source, [...base, 'reasoning', 'source']);
    if (entry.wrongRoute) checkSource(entry.wrongRoute.source, [...base, 'wrongRoute', 'source']);
    for (const [api, rules] of Object.entries(entry.parameters ?? {})) if (rules) checkSource(rules.source, [...base, 'parameters', api, 'source']);
  };
  for (const [region, key] of Object.entries(data.regions ?? {})) checkSource(key, ['regions', region]);
  const modelIds = data.models.map((m) => m.id);
  for (const [surface, claims] of Object.entries(data.surfaces ?? {})) {
    const base = ['surfaces', surface];
    if (claims.source) checkSource(claims.source, [...base, 'source']);
    const claimed = (kind: 'lacks' | 'has') => (entry: { check: string; value: Claim['value']; source: string; models?: string[] }, index: number) => {
      const at: PathSegment[] = [...base, kind, index];
      const check = checks.get(entry.check);
      if (!check) problems.push(`${source.locate([...at, 'check'])} unknown check "${entry.check}"${closest(entry.check, [...checks.keys()]) ? ` (did you mean "${closest(entry.check, [...checks.keys()])}"?)` : ''}`);
      else {
        const problem = expectedProblem(check, entry.value);
        if (problem) problems.push(`${source.locate([...at, 'value'])} ${entry.check}: ${problem}`);
      }
      // A model the catalog does not list is left out (a trimmed copy of the catalog keeps its surfaces), unless it is a
      // slip of one it lists: then the claim would silently miss the model it was written for. Other unlisted ids are
      // said, not refused (unlistedClaimModels).
      for (const { m, model, slip } of unlistedModels(entry.models, modelIds)) {
        if (slip) problems.push(`${source.locate([...at, 'models', m])} unknown model "${model}" (did you mean "${slip}"?): not in the catalog's models`);
      }
      checkSource(entry.source, [...at, 'source']);
    };
    (claims.lacks ?? []).forEach(claimed('lacks'));
    (claims.has ?? []).forEach(claimed('has'));
    (claims.unstated ?? []).forEach((entry, index) => {
      if (!checks.has(entry.check)) problems.push(`${source.locate([...base, 'unstated', index, 'check'])} unknown check "${entry.check}"`);
      checkSource(entry.source, [...base, 'unstated', index, 'source']);
    });
  }
  const families = new Set<string>();
  data.families.forEach((family, index) => {
    if (families.has(family.id)) problems.push(`${source.locate(['families', index, 'id'])} duplicate family id "${family.id}"`);
    families.add(family.id);
    checkExpect(family.expect, ['families', index]);
    checkExtras(family, ['families', index]);
  });
  const models = new Set<string>();
  data.models.forEach((model, index) => {
    if (models.has(model.id)) problems.push(`${source.locate(['models', index, 'id'])} duplicate model id "${model.id}"`);
    models.add(model.id);
    if (!families.has(model.family)) {
      const guess = closest(model.family, [...families]);
      problems.push(`${source.locate(['models', index, 'family'])} unknown family "${model.family}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    checkSource(model.source, ['models', index, 'source']);
    checkExpect(model.expect, ['models', index]);
    checkExtras(model, ['models', index]);
    (model.regions ?? []).forEach((region, r) => {
      if (typeof region !== 'string') checkSource(region.source, ['models', index, 'regions', r, 'source']);
    });
  });
  return problems;
}

export function resolveCatalog(file: string, data: CatalogFile, source: YamlSource): Catalog {
  const familyIndex = new Map(data.families.map((family, index) => [family.id, { family, index }]));
  const models = data.models.map((model, index): CatalogModel => {
    const { family, index: fIndex } = familyIndex.get(model.family)!;
    const expect = new Map<string, CatalogClaim>();
    for (const [checkId, claim] of Object.entries(family.expect ?? {})) {
      expect.set(checkId, { ...claim, from: 'family', location: source.locate(['families', fIndex, 'expect', checkId]) });
    }
    for (const [checkId, claim] of Object.entries(model.expect ?? {})) {
      expect.set(checkId, { ...claim, from: 'model', location: source.locate(['models', index, 'expect', checkId]) });
    }
    const reasoning = model.reasoning ?? family.reasoning;
    const wrongRoute = model.wrongRoute ?? family.wrongRoute;
    const parameters = family.parameters || model.parameters ? { ...family.parameters, ...model.parameters } : undefined;
    const regionSources = new Map((model.regions ?? []).map((r) => regionOf(r, model.source)));
    return {
      id: model.id,
      family: model.family,
      familyTitle: family.title,
      source: model.source,
      regions: [...regionSources.keys()],
      regionSources,
      expect,
      ...(reasoning ? { reasoning } : {}),
      ...(wrongRoute ? { wrongRoute } : {}),
      ...(parameters ? { parameters } : {}),
    };
  });
  return {
    file,
    id: data.catalog,
    sources: data.sources,
    ...(data.regions ? { regions: new Map(Object.entries(data.regions)) } : {}),
    models,
    byId: new Map(models.map((m) => [m.id, m])),
    surfaces: data.surfaces ?? {},
    unlistedClaimModels: unlistedClaimModels(data, source).map(withheldQuotes),
  };
}

/**
 * The ids of a surface claim's `models:` that the catalog does not list (`ids`), each with its index and the listed id
 * it is a slip of, if any: validateMeaning refuses a slip, unlistedClaimModels says the rest. Only a `has:` claim has
 * `models:` (the schema's): a `lacks:` claim covers every model.
 */
function* unlistedModels(models: readonly string[] | undefined, ids: readonly string[]): Generator<{ m: number; model: string; slip: string | undefined }> {
  for (const [m, model] of (models ?? []).entries()) if (!ids.includes(model)) yield { m, model, slip: slipOf(model, ids) };
}

/**
 * Every `models:` id of a surface `has:` claim that the catalog does not list and is no slip of a listed one
 * (validateMeaning refuses those), with file:line:col and the closest listed id. Loading leaves such an id out, so a
 * trimmed copy of the catalog loads; but a mistyped one (`us.openai.gpt-6-sol`, `openai.gpt-6-lunna-v2`) would leave
 * its claim covering no model, unsaid: `catalog --check` makes each a finding, `validate` a warning.
 */
export function unlistedClaimModels(data: CatalogFile, source: YamlSource): string[] {
  // Said as a warning or a finding, never thrown: the loaders' net (withheld-values.ts) is applied once by each caller,
  // loadCatalog's warning and catalog --check's findings (check-catalog.ts), not here as well.
  const ids = data.models.map((m) => m.id);
  const found: string[] = [];
  for (const [surface, claims] of Object.entries(data.surfaces ?? {})) {
    (claims.has ?? []).forEach((entry, index) => {
      for (const { m, model, slip } of unlistedModels(entry.models, ids)) {
        if (slip) continue;
        const guess = closest(model, ids);
        found.push(`${source.locate(['surfaces', surface, 'has', index, 'models', m])} unknown model "${model}"${guess ? ` (did you mean "${guess}"?)` : ''}: not in the catalog's models, so this has: claim (${entry.check}) covers no model of that id; fix the id, or remove it if this is a trimmed copy of the catalog`);
      }
    });
  }
  return found;
}

/** A region entry as [region id, source key]: a bare id is named by the model's own source. */
export function regionOf(entry: RegionEntry, modelSource: string): [string, string] {
  return typeof entry === 'string' ? [entry, modelSource] : [entry.region, entry.source];
}
