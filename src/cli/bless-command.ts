/**
 * @module cli/bless-command
 * `mantle-conformance bless`: accept a run's observed values into the expectations file, only those that differ
 * from what the cell was judged against. Per model and check, when every target of the run observed the same value
 * one entry states it for all (and the targets' own entries for it go); when they disagree, or when a target
 * observed nothing (an error, inconclusive, skipped, not run), each target that observed a value that differs gets
 * its own entry under `targets:`, so an expectation gates only where it was seen to hold.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ALL_CHECKS, getCheck } from '../checks/registry.ts';
import { HarnessError } from '../errors.ts';
import { inertLine, modelIdLine } from '../report/inert-text.ts';
import type { Matrix, MatrixResult } from '../report/matrix.ts';
import { unobservedModels } from '../report/observed-models.ts';
import { answeredByCatalogModel } from '../report/catalog-answers.ts';
import { observedNothing } from '../report/build-matrix.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { FLAKY, allowsVariation, describeExpected, expectedProblem, meets, sameValue, type Expected, type Observed } from '../suite/expected.ts';
import { blessExpectations, blessTarget, loadExpectations, statedFor, type BlessChange } from '../suite/load-expectations.ts';
import { readYamlSource } from '../suite/yaml-source.ts';
import { defaultExpectationsFile, refuseMissingFolder } from './bless-default-file.ts';
import { notAFileError, whyNotAFile } from './input-files.ts';
import { readMatrix } from './read-matrix.ts';
import { shellWord } from './shell-word.ts';

/** Cells a "not blessed" line names; the rest are counted. */
const CELLS_NAMED = 10;

/** `model check (target), ... and 3 more`: cells a "not blessed" line names, inert. */
function cellList(cells: readonly Pick<MatrixResult, 'model' | 'check' | 'target'>[]): string {
  const named = cells.slice(0, CELLS_NAMED).map((r) => `${modelIdLine(r.model)} ${inertLine(`${r.check} (${r.target})`, 300)}`);
  return `${named.join(', ')}${cells.length > CELLS_NAMED ? `, and ${cells.length - CELLS_NAMED} more` : ''}`;
}

/** A catalog id as the catalog schema's `catalog:` key states it, or undefined. */
const CATALOG_ID = /^[a-z0-9][a-z0-9.-]{0,79}$/;

/**
 * The catalog the blessed values belong to: --catalog's (loaded whole: a mistake in it is exit 2 with
 * file:line:col), else the one the run used (matrix.json's run.catalog, the absolute path `run` wrote; only its
 * `catalog:` id is read, so a catalog edited since still names itself), else undefined: a matrix from another
 * machine, or a catalog moved since.
 */
async function catalogOfRun(matrix: Matrix, flag: string | undefined): Promise<{ id: string; from: string; models: readonly string[] } | undefined> {
  if (flag !== undefined) {
    const file = resolve(flag);
    const not = await whyNotAFile(file);
    if (not) throw notAFileError('--catalog', file, not, 'point --catalog at the model catalog the run used (the bundled one is suites/models.yaml), or leave it out to use the one the run names');
    const catalog = await loadCatalog(file, ALL_CHECKS);
    return { id: catalog.id, from: `--catalog ${file}`, models: catalog.models.map((m) => m.id) };
  }
  if (matrix.run.catalogs) {
    throw new HarnessError(
      'HARNESS_USAGE',
      `bless: run ${inertLine(matrix.run.id, 200)} merges runs of ${matrix.run.catalogs.length} catalogs (${matrix.run.catalogs.map((c) => inertLine(c, 300)).join(', ')}), and an expectations file is for one; nothing was written. Pass --catalog FILE naming the catalog these values are for, or bless each run's own matrix.json into its catalog's expectations file`,
    );
  }
  const file = matrix.run.catalog;
  if (!isAbsolute(file)) return undefined;
  const data = await readYamlSource(file).then(({ source }) => source?.data as { catalog?: unknown; models?: unknown } | undefined, () => undefined);
  const id = data?.catalog;
  // Its model ids only tell which answers came from another model of it (answeredByCatalogModel): read as they are.
  const models = Array.isArray(data?.models) ? data.models.flatMap((m: unknown) => (typeof (m as { id?: unknown } | null)?.id === 'string' ? [(m as { id: string }).id] : [])) : [];
  return typeof id === 'string' && CATALOG_ID.test(id) ? { id, from: `the run's catalog ${file}`, models } : undefined;
}

/** What a flaky cell blesses as: the values its trials saw (most frequent first), or "flaky" when they saw one or none. */
function flakyExpectation(r: MatrixResult): Expected {
  const counts = new Map<Observed, number>();
  for (const t of r.trials ?? []) if (t.status !== 'error' && t.status !== 'skipped' && t.status !== 'inconclusive') counts.set(t.observed, (counts.get(t.observed) ?? 0) + 1);
  const values = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
  return values.length >= 2 ? values : FLAKY;
}

/** Whether the observation `to` meets a stated value (a list keeps its values, "flaky" stays). */
function met(expected: Expected, to: Expected): boolean {
  return Array.isArray(to) ? allowsVariation(expected) && to.every((v) => meets(expected, v)) : to === FLAKY ? expected === FLAKY : meets(expected, to);
}

function sameExpected(a: Expected, b: Expected): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v) => b.some((w) => sameValue(v, w)));
  return sameValue(a, b);
}

type Change = BlessChange & { effective: string; source: MatrixResult };

/**
 * Why a change cannot be written, as `JSON path: problem`, or undefined. The matrix was validated against its own
 * vocabularies when read; what goes into the expectations file must also be a word of the check as this harness
 * knows it (the registry), so a value the next run could not load, or text that is not a word, is never written.
 */
function changeProblem(change: Change, at: string): string | undefined {
  const check = getCheck(change.check);
  if (!check) return `${at}.check: ${inertLine(JSON.stringify(change.check), 120)} is not a check of this mantle-conformance; bless with the version that wrote the file`;
  const problem = expectedProblem(check, change.to);
  return problem ? `${at}.${change.source.status === 'flaky' ? 'trials' : 'observed'}: ${inertLine(problem, 400)}` : undefined;
}

export async function blessCommand(file: string, flags: { expectations?: string; catalog?: string; all?: boolean }, root: string, out: NodeJS.WritableStream): Promise<number> {
  const matrix = await readMatrix(file);
  const chosen = flags.expectations ? { file: resolve(flags.expectations) } : await defaultExpectationsFile(matrix, root);
  const target = chosen.file;
  if (chosen.note) out.write(`${chosen.note}\n`);
  // Only a path with nothing there is a new file: one that cannot be read is refused, never replaced.
  const place = await blessTarget(target, `--expectations ${inertLine(target, 4096)}`);
  const current = place.text === undefined ? undefined : await loadExpectations(target, ALL_CHECKS);
  const ran = await catalogOfRun(matrix, flags.catalog);
  if (current && ran && current.catalog !== ran.id) {
    // Written in, its entries would be refused by the next run of either catalog (load-expectations).
    throw new HarnessError(
      'HARNESS_USAGE',
      `${inertLine(current.catalogAt ?? target, 4200)} expectations: ${inertLine(target, 4096)} is for catalog "${current.catalog}", and run ${inertLine(matrix.run.id, 80)} was of catalog "${ran.id}" (${inertLine(ran.from, 300)}); nothing was written. ` +
        `Bless into catalog "${ran.id}"'s own expectations file (--expectations FILE; a path with nothing there is created), or, if these values are meant for catalog "${current.catalog}" too, pass --catalog naming its catalog file`,
    );
  }
  let errors = 0;
  // What a model the gate found nothing of observed read is not the model's: never an expectation of it.
  const unobserved = unobservedModels(matrix).cells;
  // Nor what another model of the catalog (or of the run) answered in its place: a gateway's fallback or rewrite.
  const others = new Set([...(ran?.models ?? []), ...matrix.models.map((m) => m.id)]);
  const answeredByOther: { r: MatrixResult; by: string }[] = [];
  // A value the expectations file states for a check whose API the model does not serve here, or that the endpoint's
  // answers left nothing to read for (skipped, not by a filter or a stop): never observed.
  const notServed: MatrixResult[] = [];
  const groups = new Map<string, MatrixResult[]>();
  let ofUnobserved = 0;
  for (const r of matrix.results) {
    const read = r.status === 'pass' || r.status === 'fail' || r.status === 'flaky';
    // Named as another catalog model's answers whether or not the gate found the model observed: the precise why.
    const by = read ? answeredByCatalogModel(r, others) : undefined;
    if (by !== undefined) {
      answeredByOther.push({ r, by });
      continue;
    }
    if (unobserved.has(r)) {
      ofUnobserved += 1;
      continue;
    }
    if (r.status === 'error') errors += r.expectedSource ? 1 : 0;
    if (observedNothing(r) && (r.gating || statedFor(current, r.target, r.model, r.check))) notServed.push(r);
    if (!read) continue;
    const key = `${r.model}\u0000${r.check}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const changes: Change[] = [];
  for (const cells of groups.values()) {
    const seen = cells.map((r) => {
      const to: Expected = r.status === 'flaky' ? flakyExpectation(r) : r.observed;
      const stated = statedFor(current, r.target, r.model, r.check);
      // --all: every value the file does not state, also one that passed against another file, the catalog or the
      // reference, so a run with this file judges as the run did (a value of another file left out would fail it).
      const differs = stated ? !met(stated.value, to) : r.gating || flags.all === true;
      // "effective" is what the cell was judged against (the run's file, the catalog or the reference), as the
      // matrix records it: the file written now may be another, or have changed since.
      const effective = r.expectedSource === null ? 'nothing stated' : `${describeExpected(r.expected)} (${r.expectedSource.split(':')[0]})`;
      return { r, to, stated, differs, effective };
    });
    const first = seen.find((s) => s.differs);
    if (!first) continue;
    const { model, check } = first.r;
    // One entry for all targets only when each of them observed the value: an entry without `targets:` also gates a
    // target whose cell errored, was inconclusive, skipped or not run (or of a model it observed nothing of), and
    // would fail its next run on a value it was never seen to have. Those targets get no entry.
    const everyTarget = matrix.targets.every((t) => seen.some((s) => s.r.target === t.id));
    if (everyTarget && seen.every((s) => sameExpected(s.to, first.to))) {
      // The targets agree: one entry for all of them; their own entries for this check are no longer needed.
      const dropTargets = seen.filter((s) => current?.byTarget.get(s.r.target)?.get(model)?.has(check)).map((s) => s.r.target);
      changes.push({ model, check, from: current?.byModel.get(model)?.get(check)?.value, to: first.to, effective: first.effective, source: first.r, ...(dropTargets.length ? { dropTargets } : {}) });
    } else {
      for (const s of seen.filter((x) => x.differs)) changes.push({ model, check, target: s.r.target, from: s.stated?.target ? s.stated.value : undefined, to: s.to, effective: s.effective, source: s.r });
    }
  }
  const index = new Map(matrix.results.map((r, i) => [r, i]));
  for (const change of changes) {
    const problem = changeProblem(change, `results[${index.get(change.source) ?? '?'}]`);
    if (problem) throw new HarnessError('HARNESS_REPORT_INVALID', `${inertLine(file, 200)}: ${problem}; nothing was blessed (give a matrix.json this version of mantle-conformance wrote)`);
  }
  const show = (s: string) => inertLine(s, 300);
  // A path is the user's or the artifact's text (run.suites names the default's folder): inert like the rest, and
  // whole (PATH_MAX), so the command below can be pasted.
  const shownTarget = inertLine(target, 4096);
  if (changes.length === 0) {
    const unseen = notServed.length + errors + answeredByOther.length;
    out.write(
      current
        ? unseen
          ? `nothing to bless: what ${show(file)} observed already matches ${shownTarget}, but not every cell was observed (see "not blessed" below)\n`
          : `nothing to bless: every observation in ${show(file)} already matches ${shownTarget}\n`
        : `nothing to bless: ${shownTarget} does not exist, and ${flags.all ? `no cell of ${show(file)} observed a value to write` : `no cell of ${show(file)} gates (bless --all creates it with every observed value)`}; nothing was written\n`,
    );
  } else {
    if (!current) await refuseMissingFolder(place.file);
    // A catalog the run's matrix names but this machine cannot read: the guess is only ever what a new file says,
    // and said below, so the next run's refusal of another catalog's file is no surprise.
    const guessFile = target.endsWith('/suites/expectations.yaml') ? target.replace(/expectations\.yaml$/, 'models.yaml') : `${root}/suites/models.yaml`;
    const catalog = ran?.id ?? (current ? current.catalog : await loadCatalog(guessFile, ALL_CHECKS).then((c) => c.id, () => 'mantle'));
    if (!ran && !current) out.write(`note: the catalog run ${show(matrix.run.id)} used (${show(matrix.run.catalog)}) cannot be read here, so the new file says \`expectations: ${catalog}\` (${show(guessFile)}); pass --catalog FILE to name the run's catalog\n`);
    // Where the schema is, links resolved: a checkout's build (.ci/cli.mjs) links suites/ to the checkout's own, and
    // the comment an editor reads must name that file, not the build's folder.
    const suites = await realpath(`${root}/suites`).catch(() => `${root}/suites`);
    await blessExpectations(target, catalog, changes, `blessed from run ${matrix.run.id}`, `${suites}/schema/expectations.schema.json`, ALL_CHECKS);
    const line = (c: Change) => `  ${show(`${c.model} ${c.check}${c.target ? ` (${c.target} only)` : ''}: ${c.effective} -> ${describeExpected(c.to)}${c.dropTargets ? ` (every target; the entries of ${c.dropTargets.join(', ')} go)` : ''}`)}`;
    // Without --all a new file is made whenever something gates: say so, a mistyped path included.
    out.write(`blessed ${changes.length} value(s) into ${shownTarget}${current ? '' : ' (created: it did not exist)'}:\n${changes.map(line).join('\n')}\nReview the diff (${inertLine(`git diff ${shellWord(target)}`, 4200)}) before committing.\n`);
  }
  // A run that did not finish observed less than it planned: what it did observe is still an observation (blessed),
  // but the review must know the rest was not looked at, and why.
  const { run } = matrix;
  if (run.partial || run.interrupted) {
    const why = run.partialReason ?? (run.interrupted ? 'interrupted' : 'partial');
    out.write(`not blessed: the cells run ${show(run.id)} did not reach; it did not finish (${show(why)}), so only what it observed was compared (rerun it whole to bless the rest)\n`);
  }
  if (run.selection.shard !== undefined) out.write(`not blessed: the other shards' models; ${show(file)} is shard ${show(run.selection.shard)} of run ${show(run.id)} (bless the merged matrix.json to bless the whole run)\n`);
  if (errors) out.write(`not blessed: ${errors} cell(s) with errors (nothing was observed; fix the endpoint or rerun)\n`);
  if (notServed.length) {
    const [na, left] = [notServed.filter((r) => r.status === 'unsupported'), notServed.filter((r) => r.status === 'skipped')];
    if (na.length) out.write(`not blessed: ${na.length} cell(s) the expectations file states a value for, whose API the model does not serve here (n/a: nothing was observed, so the stated value neither holds nor changes): ${cellList(na)}\n`);
    if (left.length) out.write(`not blessed: ${left.length} cell(s) the expectations file states a value for, skipped because the endpoint's answers left nothing to read (nothing was observed, so the stated value neither holds nor changes): ${cellList(left)}\n`);
  }
  if (answeredByOther.length) {
    const named = answeredByOther.map(({ r, by }) => ({ ...r, target: `${r.target}; answered as ${JSON.stringify(by)}` }));
    out.write(`not blessed: ${answeredByOther.length} cell(s) answered in the name of another model of the catalog or the run (a gateway's fallback or a rewritten model id: what they observed is that model's): ${cellList(named)}; bless a run in which the model answered itself\n`);
  }
  if (ofUnobserved) out.write(`not blessed: ${ofUnobserved} cell(s) of model(s) with nothing observed (see the gate: a typo'd id, another model's answers)\n`);
  return 0;
}
