/**
 * @module report/migration
 * The migration view: what changes for an app that moves a model from Mantle to bedrock-runtime. For every site
 * (region, or local endpoint) a run covers on both surfaces, per model, the cells whose observations differ,
 * grouped by what an app would notice (route, API availability, parameters honoured, typing, streaming, features),
 * with both values and both evidences; models served by only one surface are listed as such, and a model one surface
 * did not observe (its endpoint errored, another or a missing shard's, not run) as not observed there, never as
 * served on the other only (migration-sides.ts). Cells that observed
 * nothing on either side (error, skipped, inconclusive) are counted, never called a difference; so are cells whose
 * trials vary and saw a common value on both surfaces, and values both surfaces are stated to alternate between
 * (which value came out is chance, not a change).
 */
import type { Evidence, Observed } from '../checks/types.ts';
import { HarnessError } from '../errors.ts';
import { htmlText, inertLine, markdownCode, markdownText } from './inert-text.ts';
import { pairKey, resultsByCell, type Matrix, type MatrixResult, type MatrixTarget } from './matrix.ts';
import { incompleteLines, incompleteRun, inputName, notObservedLines, sideReader, type CombinedMatrix, type NotObservedModel, type SideState, VALUED } from './migration-sides.ts';

export const MIGRATION_FORMAT = 'mantle-conformance.migration/1';

/** What an app would notice, in the order a migration ticket lists them. */
export const MIGRATION_GROUPS = ['route', 'API availability', 'parameters honoured', 'typing', 'streaming', 'features'] as const;
export type MigrationGroup = (typeof MIGRATION_GROUPS)[number];

const GROUP_PREFIXES: readonly [MigrationGroup, readonly string[]][] = [
  ['route', ['path-prefix', 'errors.wrong-route', 'models.listed', 'models.profile-id']],
  ['API availability', ['api.']],
  ['parameters honoured', ['params.', 'defaults.', 'reasoning.effort.', 'content.', 'headers.']],
  ['typing', ['created-at.', 'schema.', 'sdk.', 'errors.', 'messages.error-shape']],
  ['streaming', ['stream.']],
];

/** The group of a check: by its id, `features` for everything not named above (lifecycles, tools, reasoning, ...). */
export function migrationGroup(check: string): MigrationGroup {
  return GROUP_PREFIXES.find(([, prefixes]) => prefixes.some((p) => check === p || (p.endsWith('.') && check.startsWith(p))))?.[0] ?? 'features';
}

export interface SurfaceCell {
  target: string;
  status: MatrixResult['status'];
  observed: Observed;
  reason: string;
  evidence: Evidence[];
}

export interface MigrationDifference {
  check: string;
  group: MigrationGroup;
  mantle: SurfaceCell;
  runtime: SurfaceCell;
}

export interface MigrationModel {
  model: string;
  differences: MigrationDifference[];
}

export interface MigrationPair {
  /** The region, or a local endpoint's name. */
  site: string;
  mantle: string;
  runtime: string;
  /** Models with at least one difference, in matrix order. */
  models: MigrationModel[];
  /** Models served (some API supported) on one surface only, the other observed not serving any. */
  onlyMantle: string[];
  onlyRuntime: string[];
  /** Models a surface observed nothing of (errors, not run, another or a missing shard): not compared, no claim made. */
  notObserved: NotObservedModel[];
  /** Cells where one side observed nothing (error, skipped, inconclusive): not compared. */
  notCompared: number;
  /**
   * Cells whose values differ by chance: a side's trials saw several values and both sides saw one of them, or the
   * expectations of both sides state that the value alternates between the two. Not a change an app notices by moving.
   */
  varies: number;
  /** Cells compared and found the same. */
  same: number;
}

export interface MigrationView {
  format: typeof MIGRATION_FORMAT;
  run: string;
  /** Set when the run is one shard, or did not finish: what it did not observe is no difference. */
  shard?: string;
  partial?: string;
  /**
   * Set when no cell was compared (no pair, or pairs with no model/check cell observed on both surfaces, and no model
   * served on one only): a gate on the view is never green on nothing compared, as `compare` says. With why and the fix.
   */
  nothingCompared?: true;
  nothingComparedWhy?: string;
  pairs: MigrationPair[];
}

const surfaceOf = (t: MatrixTarget) => t.surface ?? 'mantle';
const siteOf = (t: MatrixTarget) => t.site ?? t.region ?? t.id;

function side(r: MatrixResult): SurfaceCell {
  return { target: r.target, status: r.status, observed: r.observed, reason: r.reason, evidence: r.evidence };
}

/** Pairs of targets that are the two surfaces of one site: each mantle target with the runtime target of its site. */
export function surfacePairs(matrix: Matrix): { site: string; mantle: MatrixTarget; runtime: MatrixTarget }[] {
  const pairs: { site: string; mantle: MatrixTarget; runtime: MatrixTarget }[] = [];
  for (const mantle of matrix.targets.filter((t) => surfaceOf(t) === 'mantle')) {
    const runtime = matrix.targets.find((t) => surfaceOf(t) === 'runtime' && siteOf(t) === siteOf(mantle));
    if (runtime) pairs.push({ site: siteOf(mantle), mantle, runtime });
  }
  return pairs;
}

export function buildMigration(matrix: CombinedMatrix): MigrationView {
  const all = resultsByCell(matrix.results);
  const state = sideReader(matrix);
  const pairs = surfacePairs(matrix).map(({ site, mantle, runtime }): MigrationPair => {
    const pair: MigrationPair = { site, mantle: mantle.id, runtime: runtime.id, models: [], onlyMantle: [], onlyRuntime: [], notObserved: [], notCompared: 0, varies: 0, same: 0 };
    for (const { id: model } of matrix.models) {
      const allA = all.get(pairKey(mantle.id, model)) ?? [];
      const allB = all.get(pairKey(runtime.id, model)) ?? [];
      const a = allA.filter((r) => !r.notRun);
      const b = allB.filter((r) => !r.notRun);
      if (!sidesCompared(pair, model, state(mantle, model, allA), state(runtime, model, allB), new Set([...a, ...b].map((r) => r.check)).size)) continue;
      const other = new Map(b.map((r) => [r.check, r]));
      const differences: MigrationDifference[] = [];
      for (const left of a) {
        const right = other.get(left.check);
        if (!right) continue;
        const verdict = compareCells(left, right);
        if (verdict === 'same') pair.same += 1;
        else if (verdict === 'not-compared') pair.notCompared += 1;
        else if (verdict === 'varies') pair.varies += 1;
        else differences.push({ check: left.check, group: verdict === 'availability' ? 'API availability' : migrationGroup(left.check), mantle: side(left), runtime: side(right) });
      }
      differences.sort((x, y) => MIGRATION_GROUPS.indexOf(x.group) - MIGRATION_GROUPS.indexOf(y.group));
      if (differences.length) pair.models.push({ model, differences });
    }
    return pair;
  });
  const why = pairs.length > 0 ? nothingComparedWhy(matrix, pairs) : 'no site was run on both surfaces (mantle and runtime)';
  return { format: MIGRATION_FORMAT, run: matrix.run.id, ...incompleteRun(matrix), ...(why ? { nothingCompared: true, nothingComparedWhy: why } : {}), pairs };
}

/**
 * Why no cell of the pairs was compared, with the fix; undefined when one was (a cell the same, varying or differing,
 * or a model served on one surface only). Two runs with no check or no model in common pair up and compare nothing.
 */
function nothingComparedWhy(matrix: CombinedMatrix, pairs: readonly MigrationPair[]): string | undefined {
  if (pairs.some((p) => p.same + p.varies + p.models.length + p.onlyMantle.length + p.onlyRuntime.length > 0)) return undefined;
  const ran = (target: string, key: 'check' | 'model') => new Set(matrix.results.filter((r) => r.target === target && !r.notRun).map((r) => r[key]));
  const apart = (key: 'check' | 'model') =>
    pairs.every((p) => {
      const runtime = ran(p.runtime, key);
      return ![...ran(p.mantle, key)].some((x) => runtime.has(x));
    });
  const why = apart('check') ? 'the two surfaces of each pair ran no check in common' : apart('model') ? 'the two surfaces of each pair ran no model in common' : 'no cell the two surfaces have in common was observed on both (one side observed nothing)';
  return `${why}; run the same --models and --checks on both surfaces (one run of --targets mantle:SITE,runtime:SITE does)`;
}

/**
 * Whether a model's cells are compared, after listing it where its sides say: served on one surface only (the other
 * observed serving none), not observed on a side (its cells counted as not compared), or served on neither (left
 * out, as before). A side that observed cells but no api.* check (none selected, or theirs errored) is compared.
 */
function sidesCompared(pair: MigrationPair, model: string, a: SideState, b: SideState, cells: number): boolean {
  if (a.kind === 'not-observed' || b.kind === 'not-observed') {
    const both = a.kind === 'not-observed' && b.kind === 'not-observed';
    const why = both ? (a.why === b.why ? a.why : `Mantle: ${a.why}; bedrock-runtime: ${b.why}`) : a.kind === 'not-observed' ? a.why : (b as { why: string }).why;
    pair.notObserved.push({ model, surface: both ? 'both' : a.kind === 'not-observed' ? 'mantle' : 'runtime', why });
    pair.notCompared += cells;
    return false;
  }
  if (a.kind === 'served' && b.kind === 'not-served') pair.onlyMantle.push(model);
  else if (a.kind === 'not-served' && b.kind === 'served') pair.onlyRuntime.push(model);
  else return !(a.kind === 'not-served' && b.kind === 'not-served');
  return false;
}

/** The values a cell's trials observed (its one value when it ran once). */
function valuesSeen(r: MatrixResult): Set<string> {
  const trials = (r.trials ?? []).filter((t) => VALUED.has(t.status));
  return new Set((trials.length ? trials.map((t) => t.observed) : [r.observed]).map((v) => JSON.stringify(v)));
}

/** Whether a cell's expectation states variation that includes `value` (a list of values, or "flaky"). */
function allows(r: MatrixResult, value: Observed): boolean {
  if (r.expected === 'flaky') return true;
  return Array.isArray(r.expected) && r.expected.length > 1 && r.expected.some((e) => JSON.stringify(e) === JSON.stringify(value));
}

/**
 * Two cells of one check differ when both observed something and the values differ, or when one side serves the
 * API and the other does not (`unsupported`): that is API availability, whatever the check. Values that differ
 * only as a varying cell's most frequent one, with a value seen on both surfaces, or that both surfaces are stated
 * to alternate between, are `varies`.
 */
function compareCells(a: MatrixResult, b: MatrixResult): 'same' | 'different' | 'varies' | 'availability' | 'not-compared' {
  const seenA = VALUED.has(a.status);
  const seenB = VALUED.has(b.status);
  if (seenA && seenB) {
    if (a.observed === b.observed) return 'same';
    const [valuesA, valuesB] = [valuesSeen(a), valuesSeen(b)];
    const varying = valuesA.size > 1 || valuesB.size > 1 || a.status === 'flaky' || b.status === 'flaky';
    if (varying && [...valuesA].some((v) => valuesB.has(v))) return 'varies';
    // Both surfaces are stated to alternate between these values (a list, or "flaky"): either is no change.
    const both = [a.observed, b.observed];
    return both.every((v) => allows(a, v) && allows(b, v)) ? 'varies' : 'different';
  }
  if ((a.status === 'unsupported' && seenB) || (b.status === 'unsupported' && seenA)) return 'availability';
  if (a.status === 'unsupported' && b.status === 'unsupported') return 'same';
  return 'not-compared';
}

/** The view as an HTML section; empty when no site was run on both surfaces. */
export function migrationHtml(view: MigrationView): string {
  const esc = htmlText;
  if (view.pairs.length === 0) return '';
  const shown = (c: SurfaceCell) => esc(VALUED.has(c.status) ? String(c.observed) : c.status);
  const proof = (c: SurfaceCell) => esc(c.evidence[0] ? `${c.evidence[0].request} ${c.evidence[0].status ?? ''}` : c.reason);
  const sites = view.pairs.map((pair) => {
    const only = [
      pair.onlyMantle.length ? `<p>Served on Mantle only: ${esc(pair.onlyMantle.join(', '))}</p>` : '',
      pair.onlyRuntime.length ? `<p>Served on bedrock-runtime only: ${esc(pair.onlyRuntime.join(', '))}</p>` : '',
      ...notObservedLines(pair.notObserved ?? [], esc, esc).map((line) => `<p>${line}</p>`),
    ].join('');
    const rows = pair.models.flatMap(({ model, differences }) =>
      differences.map((d) => `<tr><td>${esc(model)}</td><td>${esc(d.group)}</td><td>${esc(d.check)}</td><td>${shown(d.mantle)}</td><td>${shown(d.runtime)}</td><td>${proof(d.mantle)}</td><td>${proof(d.runtime)}</td></tr>`),
    );
    const table = rows.length ? `<table><tr><th>model</th><th>what changes</th><th>check</th><th>Mantle</th><th>bedrock-runtime</th><th>evidence (Mantle)</th><th>evidence (runtime)</th></tr>${rows.join('')}</table>` : '<p>No cell differs.</p>';
    return `<h3>${esc(`${pair.mantle} → ${pair.runtime} (${pair.site})`)}</h3><p>${esc(`${rows.length} cell(s) differ; ${pair.same} the same; ${pair.varies} vary on a surface; ${pair.notCompared} not compared`)}</p>${only}${table}`;
  });
  const nothing = view.nothingCompared ? `<p><strong>${esc(`Nothing was compared: ${view.nothingComparedWhy ?? ''}.`)}</strong></p>` : '';
  const incomplete = incompleteLines(view, esc).map((line) => `<p><strong>${line}</strong></p>`).join('') + nothing;
  return `<section id="migration"><h2>Migration: Mantle to bedrock-runtime</h2>${incomplete}${sites.join('')}</section>`;
}

const value = (c: SurfaceCell) => (VALUED.has(c.status) ? markdownCode(c.observed === null ? 'null' : String(c.observed)) : `${c.status}`);
const firstEvidence = (c: SurfaceCell) => {
  const e = c.evidence[0];
  if (!e) return markdownText(c.reason, 200);
  return `${markdownCode(e.request)}${e.status !== undefined ? ` ${e.status}` : ''}${e.excerpt ? ` ${markdownText(e.excerpt, 100)}` : ''}`;
};

/** The view in Markdown, for a migration ticket. `level` is the heading level of each site (2 alone, 3 inside matrix.md). */
export function migrationMarkdown(view: MigrationView, level = 2): string {
  const h = (n: number) => '#'.repeat(level + n);
  const lines: string[] = [];
  if (view.pairs.length === 0) return 'No site was run on both surfaces (mantle and runtime): nothing to compare.\n';
  for (const line of incompleteLines(view, (s) => markdownText(s, 600))) lines.push(`**${line}**`, '');
  if (view.nothingCompared) lines.push(`**Nothing was compared: ${markdownText(view.nothingComparedWhy ?? '', 600)}.**`, '');
  for (const pair of view.pairs) {
    const changed = pair.models.reduce((n, m) => n + m.differences.length, 0);
    lines.push(`${h(0)} Moving from Mantle (${markdownCode(pair.mantle)}) to bedrock-runtime (${markdownCode(pair.runtime)}), ${markdownText(pair.site, 80)}`, '');
    lines.push(`${changed} cell(s) differ in ${pair.models.length} model(s); ${pair.same} compared the same; ${pair.varies} vary on a surface (values seen on both, or stated to alternate: not a difference); ${pair.notCompared} not compared (one side observed nothing).`, '');
    if (pair.onlyMantle.length) lines.push(`Served on Mantle only: ${pair.onlyMantle.map((m) => markdownCode(m)).join(', ')}`, '');
    if (pair.onlyRuntime.length) lines.push(`Served on bedrock-runtime only: ${pair.onlyRuntime.map((m) => markdownCode(m)).join(', ')}`, '');
    for (const line of notObservedLines(pair.notObserved ?? [], (m) => markdownCode(m), (s) => markdownText(s, 300))) lines.push(line, '');
    for (const { model, differences } of pair.models) {
      lines.push(`${h(1)} ${markdownCode(model)}`, '', '| what changes | check | Mantle | bedrock-runtime | evidence (Mantle) | evidence (runtime) |', '|---|---|---|---|---|---|');
      for (const d of differences) lines.push(`| ${d.group} | ${markdownCode(d.check)} | ${value(d.mantle)} | ${value(d.runtime)} | ${firstEvidence(d.mantle)} | ${firstEvidence(d.runtime)} |`);
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

const targetIn = (m: Matrix, id: string): MatrixTarget => m.targets.find((t) => t.id === id)!;

/**
 * One target id on two surfaces: an `--endpoint` with `--region` takes the region as its id on any surface (as runs
 * before surfaces named it), so a Mantle run and a runtime run of one region both say `us-east-1`. Said with the fix.
 */
function sameIdOnTwoSurfaces(t: MatrixTarget, earlier: string, first: string, second: string): string {
  const id = inertLine(t.id, 120);
  const site = inertLine(siteOf(t), 120);
  return `compare --by surface: target ${id} is ${earlier} in ${first} and ${surfaceOf(t)} in ${second}: an --endpoint run with --region takes the region as its target id on every surface, so the two runs name one id and cannot be told apart. Run the runtime one again with --target-name runtime.${site} (or as --region ${site} --surface runtime, whose id is runtime.${site}), then compare the two`;
}

/**
 * Two or more matrices as one for the view (e.g. a Mantle run and a runtime run): targets, models and results side
 * by side, each run's state kept (`inputs`: a shard, a partial or interrupted run among them is said, and exits 1).
 * A target given twice is refused (exit 2, naming the file): which file's cells to read is no choice to make
 * silently, and two shards of one run are merged first. `files` name the inputs when given; else their place and run.
 */
export function combineForMigration(matrices: readonly Matrix[], files: readonly string[] = []): CombinedMatrix {
  const [first, ...rest] = matrices;
  if (!first) throw new Error('no matrix');
  if (rest.length === 0) return first;
  const name = (i: number) => (files[i] !== undefined ? `${inertLine(files[i], 300)} (run ${inertLine(matrices[i]!.run.id, 120)})` : inputName(i, matrices[i]!.run.id));
  const from = new Map(first.targets.map((t) => [t.id, 0]));
  const combined: CombinedMatrix = { ...first, targets: [...first.targets], models: [...first.models], results: [...first.results], inputs: matrices };
  rest.forEach((m, at) => {
    const i = at + 1;
    const again = m.targets.filter((t) => from.has(t.id));
    if (again.length) {
      const earlier = [...new Set(again.map((t) => from.get(t.id)!))].map(name).join(' and ');
      const shards = m.run.selection?.shard || matrices[from.get(again[0]!.id)!]!.run.selection?.shard ? ', merge the shards first (mantle-conformance merge) and compare the merge' : '';
      const crossed = again.find((t) => surfaceOf(t) !== surfaceOf(targetIn(matrices[from.get(t.id)!]!, t.id)));
      if (crossed) throw new HarnessError('HARNESS_REPORT_INVALID', sameIdOnTwoSurfaces(crossed, surfaceOf(targetIn(matrices[from.get(crossed.id)!]!, crossed.id)), name(from.get(crossed.id)!), name(i)));
      throw new HarnessError('HARNESS_REPORT_INVALID', `compare --by surface: ${name(i)} has ${again.length === m.targets.length ? 'only ' : ''}target(s) ${again.map((t) => inertLine(t.id, 120)).join(', ')} that ${earlier} already has; its cells of them would not be read. Give each target once (a Mantle run and a runtime run${shards})`);
    }
    for (const t of m.targets) from.set(t.id, i);
    combined.targets.push(...m.targets);
    combined.models.push(...m.models.filter((x) => !combined.models.some((y) => y.id === x.id)));
    combined.results.push(...m.results);
  });
  return combined;
}
