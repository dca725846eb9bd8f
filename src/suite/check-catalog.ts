/**
 * @module suite/check-catalog
 * `mantle-conformance catalog --check`: a review of the catalog beyond what loading it needs. Loading refuses what
 * would break a run (a source key that does not exist, a value outside a check's vocabulary); the review also
 * lists what makes a claim untrustworthy or dead, so a catalog edit is held to "every claim with its source":
 *
 * - a claim without a source, or with a source key not in `sources` (the loader's problems, listed, not thrown);
 * - a citation that names no document, issue or file to look at;
 * - a claim citing a source marked unverified without saying so in its `note`;
 * - a source nothing cites (a claim moved away and left it behind);
 * - a model region not in the catalog's `regions:` list (or no such list);
 * - a surface claim's `models:` id the catalog does not list (loading leaves it out, so the claim may cover nothing);
 * - a claim on a check, or a parameter rule, of an API the model is documented not to serve: it can never be observed.
 */
import type { CheckSignature } from './check-signature.ts';
import type { CatalogFile, Claim, ParametersClaim, ReasoningClaim, WrongRouteClaim } from './catalog-schema.ts';
import { CatalogSchema } from './catalog-schema.ts';
import { closest } from './closest.ts';
import { regionOf, unlistedClaimModels, validateMeaning } from './load-catalog.ts';
import { withheldQuotes } from './withheld-values.ts';
import { readYamlSource, throwIfProblems, validateAgainstSchema, type PathSegment, type YamlSource } from './yaml-source.ts';

export interface CatalogReview {
  /** One `file:line:col message` per finding, in file order. */
  findings: string[];
  /** How many of the findings stop the catalog from loading (`validate` and `run` refuse it): exit 2, not 1. */
  invalid: number;
  models: number;
  sources: number;
}

/** The check that says whether a model serves an API. */
const API_CHECKS: Readonly<Record<string, string>> = {
  'chat-completions': 'api.chat-completions',
  responses: 'api.responses',
  messages: 'api.messages',
  'count-tokens': 'api.count-tokens',
};

/**
 * A citation names something to look at: a URL with a host, an issue or PR number, a file, or the fact sheet cited
 * as the source: a section of it (`MANTLE.md, 'Endpoints and routes'`), or it alone (`(MANTLE.md)`). "see https://"
 * or "not in MANTLE.md" mention one and locate nothing.
 */
const LOCATOR = /https?:\/\/\w|#\d+|\b[\w.-]+\/[\w./-]*\.(?:txt|json|md|ya?ml|ts)\b|MANTLE\.md,? ['‘"“]|MANTLE\.md, [A-Z]|(?:^|\()MANTLE\.md(?:\)|$)/;

/** What a source that LOCATOR refuses lacks, when it came close: said, so the fix is plain. */
function lacking(text: string): string {
  if (/https?:\/\/(?!\w)/.test(text)) return ': its URL has no host';
  if (/MANTLE\.md/.test(text)) return ": it mentions MANTLE.md without citing it: name the section (MANTLE.md, 'Section')";
  return '';
}

/** Whether `text` says "unverified" other than to deny it: "NOT unverified, it is verified" says the opposite. */
function saysUnverified(text: string): boolean {
  return [...text.matchAll(/\bunverified\b/gi)].some((m) => !/(?:\bnot|\bnever|\bno longer|n't)\s+$/i.test(text.slice(Math.max(0, m.index - 12), m.index)));
}

/** Reviews the catalog in `file`. A file that cannot be read or is not YAML is thrown (exit 2): there is nothing to review. */
export async function reviewCatalog(file: string, checks: readonly CheckSignature[]): Promise<CatalogReview> {
  const { source, problems } = await readYamlSource(file);
  throwIfProblems('HARNESS_CATALOG_INVALID', problems, 'Fix the YAML above; the catalog could not be read.');
  const schemaProblems = validateAgainstSchema(source!, CatalogSchema);
  const data = source!.data as CatalogFile;
  // Findings are printed, not thrown: the loaders' net that a thrown problem passes is applied here (withheld-values.ts).
  if (schemaProblems.length > 0) return { findings: schemaProblems.map(withheldQuotes), invalid: schemaProblems.length, models: 0, sources: 0 };
  const byId = new Map(checks.map((c) => [c.id, c]));
  const meaning = new Set(validateMeaning(data, source!, byId));
  const findings = [...meaning, ...lint(data, source!, byId)];
  return { findings: sortByLocation([...new Set(findings.map(withheldQuotes))]), invalid: meaning.size, models: data.models.length, sources: Object.keys(data.sources).length };
}

interface Citation {
  key: string;
  path: PathSegment[];
  /** The note that goes with the claim, if any. */
  note?: string;
  /** An entry of the `regions:` list: it only says a region exists, and has no note (the models that use it do). */
  listEntry?: boolean;
}

function lint(data: CatalogFile, source: YamlSource, checks: ReadonlyMap<string, CheckSignature>): string[] {
  const findings: string[] = [];
  const citations = collectCitations(data);
  const cited = new Set(citations.map((c) => c.key));

  for (const [key, text] of Object.entries(data.sources)) {
    if (!cited.has(key)) findings.push(`${source.locate(['sources', key], { key: true })} source "${key}" is cited by nothing: remove it, or cite it where it is the source`);
    if (!LOCATOR.test(text)) findings.push(`${source.locate(['sources', key])} source "${key}" names no document, issue or file to look at (a URL, "owner/repo #N", a file, or MANTLE.md)${lacking(text)}`);
  }
  for (const citation of citations) {
    const text = Object.hasOwn(data.sources, citation.key) ? data.sources[citation.key]! : '';
    if (!citation.listEntry && saysUnverified(text) && !saysUnverified(citation.note ?? '')) {
      const denied = /\bunverified\b/i.test(citation.note ?? '') ? ' (it says the claim is not unverified, which the source does not support)' : '';
      findings.push(`${source.locate(citation.path)} cites "${citation.key}", which is unverified: say "unverified" in the note${denied}`);
    }
  }

  const regions = data.regions ? Object.keys(data.regions) : undefined;
  data.models.forEach((model, index) => {
    (model.regions ?? []).forEach((entry, r) => {
      const [region] = regionOf(entry, model.source);
      if (!regions) findings.push(`${source.locate(['models', index, 'regions', r])} ${model.id}: region "${region}" cannot be checked: the catalog has no regions: list`);
      else if (!regions.includes(region)) {
        const guess = closest(region, regions);
        findings.push(`${source.locate(['models', index, 'regions', r])} ${model.id}: unknown region "${region}"${guess ? ` (did you mean "${guess}"?)` : ''}; add it under regions: with its source`);
      }
    });
  });

  findings.push(...unlistedClaimModels(data, source));
  findings.push(...deadClaims(data, source, checks));
  return findings;
}

/** Every place the catalog names a source key, with the note that goes with it. */
function collectCitations(data: CatalogFile): Citation[] {
  const out: Citation[] = [];
  const fromEntry = (entry: { expect?: Record<string, Claim>; reasoning?: ReasoningClaim; wrongRoute?: WrongRouteClaim; parameters?: ParametersClaim; note?: string }, base: PathSegment[]) => {
    for (const [check, claim] of Object.entries(entry.expect ?? {})) out.push({ key: claim.source, path: [...base, 'expect', check, 'source'], ...note(claim.note) });
    if (entry.reasoning) out.push({ key: entry.reasoning.source, path: [...base, 'reasoning', 'source'], ...note(entry.reasoning.note) });
    if (entry.wrongRoute) out.push({ key: entry.wrongRoute.source, path: [...base, 'wrongRoute', 'source'], ...note(entry.wrongRoute.note) });
    for (const [api, rules] of Object.entries(entry.parameters ?? {})) if (rules) out.push({ key: rules.source, path: [...base, 'parameters', api, 'source'], ...note(rules.note) });
  };
  for (const [region, key] of Object.entries(data.regions ?? {})) out.push({ key, path: ['regions', region], listEntry: true });
  for (const [surface, claims] of Object.entries(data.surfaces ?? {})) {
    if (claims.source) out.push({ key: claims.source, path: ['surfaces', surface, 'source'], listEntry: true });
    (claims.lacks ?? []).forEach((lack, i) => out.push({ key: lack.source, path: ['surfaces', surface, 'lacks', i, 'source'], ...note(lack.note) }));
    (claims.has ?? []).forEach((has, i) => out.push({ key: has.source, path: ['surfaces', surface, 'has', i, 'source'], ...note(has.note) }));
    (claims.unstated ?? []).forEach((entry, i) => out.push({ key: entry.source, path: ['surfaces', surface, 'unstated', i, 'source'], ...note(entry.note) }));
  }
  data.families.forEach((family, index) => fromEntry(family, ['families', index]));
  data.models.forEach((model, index) => {
    out.push({ key: model.source, path: ['models', index, 'source'], ...note(model.note) });
    fromEntry(model, ['models', index]);
    (model.regions ?? []).forEach((entry, r) => {
      if (typeof entry !== 'string') out.push({ key: entry.source, path: ['models', index, 'regions', r, 'source'], ...note(entry.note) });
    });
  });
  return out;
}

const note = (text: string | undefined) => (text !== undefined ? { note: text } : {});

/** Claims and parameter rules on an API a model is documented not to serve (its own api.* claim over its family's). */
function deadClaims(data: CatalogFile, source: YamlSource, checks: ReadonlyMap<string, CheckSignature>): string[] {
  const findings = new Map<string, string[]>();
  const add = (location: string, what: string, model: string) => findings.set(`${location} ${what}`, [...(findings.get(`${location} ${what}`) ?? []), model]);
  const families = new Map(data.families.map((family, index) => [family.id, { family, index }]));
  data.models.forEach((model, index) => {
    const found = families.get(model.family);
    if (!found) return;
    const { family, index: fIndex } = found;
    const claimOf = (check: string) => model.expect?.[check]?.value ?? family.expect?.[check]?.value;
    const unserved = (api: string | null | undefined) => !!api && Object.hasOwn(API_CHECKS, api) && claimOf(API_CHECKS[api]!) === 'unsupported';
    const entries: [Record<string, Claim> | undefined, PathSegment[]][] = [
      [family.expect, ['families', fIndex]],
      [model.expect, ['models', index]],
    ];
    for (const [expect, base] of entries) {
      for (const check of Object.keys(expect ?? {})) {
        // A claim the model's own entry overrides is not the one that applies to it.
        if (base[0] === 'families' && model.expect && Object.hasOwn(model.expect, check)) continue;
        const api = checks.get(check)?.api;
        if (unserved(api)) add(source.locate([...base, 'expect', check], { key: true }), `${check}: a claim on ${api}, which the model does not serve (its api claim says unsupported): it can never be observed`, model.id);
      }
    }
    const parameterEntries: [ParametersClaim | undefined, PathSegment[]][] = [
      [family.parameters, ['families', fIndex]],
      [model.parameters, ['models', index]],
    ];
    for (const [parameters, base] of parameterEntries) {
      for (const api of Object.keys(parameters ?? {})) {
        if (unserved(api)) add(source.locate([...base, 'parameters', api], { key: true }), `parameters.${api}: rules for an API the model does not serve`, model.id);
      }
    }
  });
  return [...findings].map(([finding, models]) => `${finding} (${models.length > 3 ? `${models.slice(0, 3).join(', ')} and ${models.length - 3} more` : models.join(', ')})`);
}

/** Findings in file order (`file:line:col` compared as numbers). */
function sortByLocation(findings: string[]): string[] {
  const key = (line: string) => {
    const match = /:(\d+):(\d+) /.exec(line);
    return match ? Number(match[1]) * 10_000 + Number(match[2]) : 0;
  };
  return findings.sort((a, b) => key(a) - key(b));
}
