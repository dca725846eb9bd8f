/**
 * @module report/compare
 * What changed between two runs: new failures (a cell that now fails or errors and did not, of a target and model
 * the baseline has; never a cell that never gates: a model not in the catalog, no expectation stated), fixes, cells
 * that became flaky or stable, cells no longer observed (a pass that is now inconclusive or skipped hides what it
 * showed: never silent), changed observed values, and models, checks and targets that appeared or vanished. Each
 * change is listed once, under the most specific heading. Cells a filter or another shard took are left out; cells a
 * stopped run did not reach are no longer observed.
 */
import { changedCheckLines, changedDefinitions } from './check-definitions.ts';
import { inertLine, modelIdLine } from './inert-text.ts';
import { asNewFailure, shownCell as show } from './new-failures.ts';
import { judgedDifferentlyWhy, judgedKind, judgingChanges, judgingLines } from './judged-differently.ts';
import { pairKey, resultKey as key, type CellChange, type Matrix, type MatrixComparison, type MatrixResult } from './matrix.ts';
import { selectsCheck } from '../suite/check-pattern.ts';
import { gaveUpOnTarget, wasElsewhere, wasNotReached } from './gate.ts';
import { OBSERVED } from './observed-models.ts';
import { flakyTrialsChanged, flakyTrialsShown } from './flaky-values.ts';
import { describeDrift, shapeDrift } from './shape-drift.ts';
import { unreadModelLists } from './model-lists.ts';
import { changedTargetLines, changedTargets, describeTargetChanges } from './target-identity.ts';
import { baselineNotes, baselineNotRun, baselineUnreachedLine, unreachedLabel } from './baseline-not-run.ts';
import { lostModelsLine, lostPairs } from './lost-models.ts';
import { comparedRun, type ComparedRun, nothingCompared, nothingComparedLine } from './nothing-compared.ts';

const bad = (status: MatrixResult['status']) => status === 'fail' || status === 'error';
const snapshot = (r: MatrixResult) => ({ status: r.status, observed: r.observed });

/**
 * The heading a changed cell belongs under, most specific first; undefined when nothing worth showing changed. A cell
 * that never gates (`informational`: a model not in the catalog, with no expectation stated for the cell) is no new
 * failure: what it now observes is a changed value, and an error hides what it observed.
 */
function kindOf(was: MatrixResult | undefined, now: MatrixResult, informational: boolean): keyof typeof HEADINGS | undefined {
  if (bad(now.status) && (!was || !bad(was.status))) {
    if (!informational) return 'newFailures';
    if (!was) return undefined;
    if (now.status === 'fail') return 'changedObserved';
    return OBSERVED.has(was.status) && was.status !== 'unsupported' ? 'noLongerObserved' : undefined;
  }
  if (!was) return undefined;
  if (bad(was.status) && now.status === 'pass') return 'fixes';
  if (now.status === 'flaky' && was.status !== 'flaky') return 'becameFlaky';
  // Before "became stable": a flaky cell now hidden is not stable, it is no longer seen.
  // n/a too: a cell that observed something and now says "not served" lost what it showed (a route gone, or a refusal).
  if (OBSERVED.has(was.status) && was.status !== 'unsupported' && (now.status === 'inconclusive' || now.status === 'skipped' || now.status === 'unsupported')) return 'noLongerObserved';
  if (was.status === 'flaky' && now.status !== 'flaky') return 'becameStable';
  // Two flaky cells changed when their trials saw another set of values, not when the majority flipped (flaky-values.ts).
  const flakyMoved = flakyTrialsChanged(was, now);
  if (flakyMoved !== undefined) return flakyMoved ? 'changedObserved' : undefined;
  if (was.observed !== now.observed && now.observed !== null && was.observed !== null) return 'changedObserved';
  return undefined;
}

/** Headings in display order. */
export const HEADINGS = {
  newFailures: 'New failures',
  fixes: 'Fixes',
  judgedDifferently: 'Judged differently (same observed value; what it was judged against changed since the baseline)',
  becameFlaky: 'Became flaky',
  becameStable: 'Became stable',
  noLongerObserved: 'No longer observed',
  changedObserved: 'Changed observed values',
} as const;

export function compareMatrices(before: Matrix, after: Matrix): MatrixComparison {
  // A target id that stands for another endpoint than the baseline's (a --target-name kept while --endpoint or
  // --surface changed) measured something else: its cells are listed apart, never compared, neither new failures nor
  // fixes (report/target-identity.ts). The run's own gate still judges them.
  const moved = changedTargets(before.targets, after.targets);
  const apart = new Set(moved.map((m) => m.target));
  const without = (m: Matrix): Matrix => ({ ...m, targets: m.targets.filter((t) => !apart.has(t.id)), results: m.results.filter((r) => !apart.has(r.target)) });
  if (apart.size) [before, after] = [without(before), without(after)];
  const old = new Map(before.results.filter((r) => !r.notRun).map((r) => [key(r), r]));
  // A merge's selection is its inputs' together: a cell the baseline holds as not run (not selected on its target,
  // another shard's) was not observed there, and is not compared (baseline-not-run.ts). Pairs it observed and this
  // run observed nothing of regress (lost-models.ts): their failing cells gate as a catalog model's do.
  const [skipped, lost] = [baselineNotRun(before), lostPairs(before, after, apart)];
  const selectedBefore = selectionOf(before);
  // README: a model not in the catalog (an id given to --models, a new listed model) has every cell informational.
  const uncatalogued = new Set(after.models.filter((m) => !m.inCatalog).map((m) => m.id));
  const baselineTargets = new Set(before.targets.map((t) => t.id));
  const baselineModels = new Set(before.models.map((m) => m.id));
  const changes: Record<keyof typeof HEADINGS, CellChange[]> = { newFailures: [], fixes: [], judgedDifferently: [], becameFlaky: [], becameStable: [], noLongerObserved: [], changedObserved: [] };
  // A check the baseline's build defined otherwise (an upgrade: a word added, a meaning changed under one id) measured
  // something else then: what its cells show now is the harness's change, not the endpoint's, so they are counted
  // apart and never compared (nor a new failure, nor a fix). The run's own gate still judges them.
  const definitions = changedDefinitions(before.checks, after.checks, ['the baseline', 'this run']);
  const judging = judgingChanges(before, after); // An expectations edit is no endpoint change: judged-differently.ts.
  const redefined = new Map(definitions.map((c) => [c.id, { check: c.id, cells: 0, difference: c.difference }]));
  // A check that only grew words compares the cells that observed the baseline's words on both sides (a pass that
  // became a fail in words both builds mean alike is a regression); only a cell with a new word is counted apart.
  const grown = new Map(definitions.flatMap((c) => (c.grownFrom ? [[c.id, c.grownFrom] as const] : [])));
  const inWords = (words: ReadonlySet<string> | undefined, r: MatrixResult | undefined) => words !== undefined && (r === undefined || typeof r.observed !== 'string' || words.has(r.observed));
  // Cells with a result in both runs: none compared means "no new failure" was not observed (nothing-compared.ts).
  let compared = 0;
  for (const now of after.results) {
    // A cell a stop left "not reached" is this run's and was not observed: no longer observed when the baseline saw
    // it. A cell another shard or a filter took is not this run's to compare.
    if (now.notRun && !wasNotReached(now)) continue;
    const was = old.get(key(now));
    const changed = redefined.get(now.check);
    if (changed && !(inWords(grown.get(now.check), now) && inWords(grown.get(now.check), was))) {
      changed.cells += 1;
      continue;
    }
    // A model or check the baseline did not ask for was not compared (listed so below), never a new failure; nor a
    // target or model the baseline has not at all (a renamed target, a region with no baseline of its own): listed
    // as new, not compared.
    if (!was && skipped.take(now)) continue;
    if (!was && (!selectedBefore.models(now.model) || !selectedBefore.checks(now.check) || !baselineTargets.has(now.target) || !baselineModels.has(now.model))) continue;
    if (was && !now.notRun) compared += 1;
    const kind = judgedKind(kindOf(was, now, uncatalogued.has(now.model) && !now.gating && !lost.has(pairKey(now.target, now.model))), was, now, judging);
    if (!kind) continue;
    const why = `${flakyTrialsShown(was, now) ?? `${show(was)} -> ${show(now)}`}: ${kind === 'newFailures' ? asNewFailure(now.reason) : kind === 'judgedDifferently' ? `${judgedDifferentlyWhy(was, now, judging)}: ${now.reason}` : now.reason}`;
    changes[kind].push({ target: now.target, model: now.model, check: now.check, before: was ? snapshot(was) : null, after: snapshot(now), reason: why });
  }
  const diff = <T>(a: T[], b: T[]) => b.filter((x) => !a.includes(x));
  const ids = (m: Matrix) => ({ models: m.models.map((x) => x.id), checks: m.checks.map((x) => x.id), targets: m.targets.map((x) => x.id) });
  const a = ids(before);
  const b = ids(after);
  // An id the other run did not ask for is neither new nor vanished: it was not compared.
  const selectedAfter = selectionOf(after);
  const notSelected = { models: new Set<string>(), checks: new Set<string>() };
  const asked = (selected: Selected, kind: 'models' | 'checks') => (id: string) => {
    if (selected[kind](id)) return true;
    notSelected[kind].add(id);
    return false;
  };
  // Vanished per target: a model or check the baseline ran on a target this run has, and this run has no cell of
  // there (a cell another shard or a filter took is still this run's, as notRun). A region compared with a baseline
  // of every region does not see the other regions' models vanish.
  const cellsOf = (m: Matrix, all: boolean) =>
    new Set(m.results.filter((r) => all || !r.notRun).flatMap((r) => [`${r.target}\u0000model\u0000${r.model}`, `${r.target}\u0000check\u0000${r.check}`]));
  const ranBefore = cellsOf(before, false);
  const ranAfter = cellsOf(after, true);
  const vanishedOn = (kind: 'model' | 'check', list: string[]) =>
    list.filter((id) => b.targets.some((t) => ranBefore.has(`${t}\u0000${kind}\u0000${id}`) && !ranAfter.has(`${t}\u0000${kind}\u0000${id}`)));
  // A lone shard ran only its (target, model) pairs (shards are cut by both: run/selection.ts): the baseline's pairs
  // it holds no result of were not compared (named, never read as "no new failures"): the model when the shard ran
  // it on no target, else `target/model` for each target it did not run it on.
  // A target the shard ran no model of is one entry, not one per model.
  let byShard = false;
  if (after.run.selection.shard) {
    const ran = new Set(after.results.filter((r) => !r.notRun).flatMap((r) => [`${r.target}\u0000${r.model}`, r.target]));
    for (const id of a.models) {
      const missed = b.targets.filter((t) => ranBefore.has(`${t}\u0000model\u0000${id}`) && !ran.has(`${t}\u0000${id}`));
      if (missed.length === 0) continue;
      byShard = true;
      if (b.targets.some((t) => ran.has(`${t}\u0000${id}`))) for (const t of missed) notSelected.models.add(ran.has(t) ? `${t}/${id}` : `${t}: every model`);
      else notSelected.models.add(id);
    }
  }
  const newModels = diff(a.models, b.models).filter(asked(selectedBefore, 'models'));
  // On a target whose model list this run read in part, a model the list did not give is not known to be gone: it
  // was not compared.
  const readInPart = new Set(unreadModelLists(after.targets).map((u) => u.target));
  const unknown = (id: string) => b.targets.some((t) => readInPart.has(t) && ranBefore.has(`${t}\u0000model\u0000${id}`));
  const gone = vanishedOn('model', a.models);
  for (const id of gone.filter(unknown)) notSelected.models.add(id);
  const vanishedModels = gone.filter((id) => !unknown(id)).filter(asked(selectedAfter, 'models'));
  const newChecks = diff(a.checks, b.checks).filter(asked(selectedBefore, 'checks'));
  const vanishedChecks = vanishedOn('check', a.checks).filter(asked(selectedAfter, 'checks'));
  const held = skipped.listed();
  for (const k of ['models', 'checks'] as const) for (const id of held[k]) notSelected[k].add(id);
  byShard ||= held.byShard;
  // A baseline target it observed nothing of (another shard's, a stop came first) is not lost when this run has none
  // of it: not compared, as a lone shard lists a target it ran no model of.
  const observedBefore = new Set(before.results.filter((r) => !r.notRun && OBSERVED.has(r.status)).map((r) => r.target));
  const goneTargets = diff(b.targets, a.targets);
  for (const t of goneTargets.filter((t) => !observedBefore.has(t))) {
    notSelected.models.add(`${t}: every model`);
    byShard ||= before.results.some((r) => r.target === t && wasElsewhere(r));
  }
  const unreached = skipped.unreached();
  return {
    baseline: { runId: before.run.id, finishedAt: before.run.finishedAt, ...(before.run.ci ? { ci: { system: before.run.ci.system, runId: before.run.ci.runId } } : {}) },
    ...changes,
    newModels,
    vanishedModels,
    newChecks,
    vanishedChecks,
    newTargets: diff(a.targets, b.targets),
    vanishedTargets: goneTargets.filter((t) => observedBefore.has(t)),
    ...(notSelected.models.size + notSelected.checks.size > 0 ? { notSelected: { models: [...notSelected.models], checks: [...notSelected.checks], ...(byShard ? { byShard: true as const } : {}) } } : {}),
    // A check that only grew words and whose every cell was compared is no news.
    ...([...redefined.values()].some((c) => c.cells > 0) ? { changedChecks: [...redefined.values()].filter((c) => c.cells > 0) } : {}),
    ...(moved.length ? { changedTargets: moved } : {}),
    ...(judging.length ? { judgingChanged: judging } : {}),
    shapeDrift: shapeDrift(before.shapes, after.shapes).filter((d) => !apart.has(d.target)),
    compared,
    ...(lost.size ? { lostModels: [...lost.values()] } : {}),
    ...(unreached ? { baselineUnreached: unreached } : {}),
    regressed: regressedBy({ ...changes, lostModels: [...lost.values()] }),
  };
}

/**
 * Whether a comparison regressed: it lists a new failure, or a pair it observed nothing of (lost-models.ts). The one rule compare writes `regressed` by, and that a
 * matrix.json read again is held to (cli/matrix-claims.ts): the gate trusts the flag, so a file whose flag says
 * otherwise than its list was edited.
 */
export function regressedBy(comparison: Pick<MatrixComparison, 'newFailures' | 'lostModels'>): boolean {
  return comparison.newFailures.length > 0 || (comparison.lostModels?.length ?? 0) > 0;
}

/**
 * The targets a comparison could not compare, in one line, or undefined: a target the baseline has none of (a renamed
 * target, a region with no baseline of its own) has its cells compared with nothing, so "no cell changed" would say
 * more than was seen; one only the baseline has was not run; one whose id names another endpoint than the baseline's
 * was left apart. Ids are run data: callers neutralise the line.
 */
export function uncomparedTargetsLine(comparison: Pick<MatrixComparison, 'newTargets' | 'vanishedTargets' | 'changedTargets'>): string | undefined {
  const parts = [
    ...(comparison.changedTargets ?? []).map((c) => `${c.target} (another endpoint than in the baseline: ${describeTargetChanges(c.changes)}; give each its own --target-name to compare them)`),
    comparison.newTargets.length ? `${comparison.newTargets.join(', ')} (not in the baseline: nothing to compare their cells with)` : '',
    comparison.vanishedTargets.length ? `${comparison.vanishedTargets.join(', ')} (only in the baseline: not run)` : '',
  ].filter(Boolean);
  return parts.length ? `Targets not compared: ${parts.join('; ')}` : undefined;
}

export { sameRunProblem } from './same-run.ts';

/**
 * What the reader of a comparison must be told beside it (for stderr; the exit code is the comparison's): a target
 * compared across a host change (noted), either run is one shard or the baseline did not finish (baseline-not-run.ts), or the "newer" run started before the
 * baseline (the arguments are likely swapped: `compare OLD NEW`, and the verdict reads backwards). Both sides one
 * run is refused, not warned of (sameRunProblem).
 */
export function comparisonWarnings(before: Pick<Matrix, 'run' | 'targets' | 'results'>, after: Pick<Matrix, 'run' | 'targets' | 'results'>): string[] {
  // A host change alone is compared (one endpoint under another name): a note; so is a baseline of one shard.
  const warnings = baselineNotes(before, after);
  const shard = after.run.selection.shard;
  if (shard) warnings.push(`warning: run ${inertLine(after.run.id)} is shard ${inertLine(shard)} only: the models of its other shards were not compared (merge the shards first: mantle-conformance merge)`);
  if (after.run.startedAt < before.run.startedAt) {
    warnings.push(`warning: the newer run ${inertLine(after.run.id)} started (${inertLine(after.run.startedAt)}) before the baseline ${inertLine(before.run.id)} (${inertLine(before.run.startedAt)}): give the older run first (compare OLD NEW), or fixes read as failures`);
  }
  return warnings;
}

interface Selected {
  models(id: string): boolean;
  checks(id: string): boolean;
}

/**
 * What a run asked for: the ids of `--models` (every id when it named none, or when its targets' model lists chose
 * them, `--models listed`), and the checks `--checks` names (every check when it named none).
 */
function selectionOf(matrix: Matrix): Selected {
  const { models, checks } = matrix.run.selection;
  const listed = matrix.targets.some((t) => t.modelList !== undefined);
  return {
    models: (id) => models.length === 0 || listed || models.includes(id),
    checks: (id) => checks.length === 0 || checks.some((pattern) => selectsCheck(pattern, id)),
  };
}

/** The cell changes of a comparison under their headings, in display order (older files lack the flaky lists). */
export function changeSections(comparison: MatrixComparison): { title: string; changes: CellChange[] }[] {
  return (Object.keys(HEADINGS) as (keyof typeof HEADINGS)[]).map((k) => ({ title: HEADINGS[k], changes: comparison[k] ?? [] }));
}

/** Why ids were not compared: a lone shard's are often another shard's, not unselected. */
export const notComparedLabel = (comparison: MatrixComparison): string =>
  comparison.notSelected?.byShard ? 'Not compared (not selected by --models/--checks, or another shard\'s)' : 'Not compared, one run did not select them (--models, --checks)';

/** `run`: the newer one; when no cell was compared, that is said (why, and the fix) instead of counts of nothing. */
export function describeComparison(comparison: MatrixComparison, newer: ComparedRun | readonly { id: string }[] = []): string {
  const run = comparedRun(newer);
  const lines = [`compared with run ${inertLine(comparison.baseline.runId)} (${inertLine(comparison.baseline.finishedAt)})`];
  // Before the changes: what they leave out (an upgrade of the harness, not of the endpoint).
  for (const line of [...changedTargetLines(comparison), ...changedCheckLines(comparison), ...judgingLines(comparison)]) lines.push(inertLine(line, 2000));
  const none = nothingCompared(comparison, run);
  if (none) lines.push(`nothing was compared: ${nothingComparedLine(comparison, run)}`);
  // A new failure still shows (a cell the baseline selected and has no result of); counts of nothing do not.
  for (const { title, changes } of none && !comparison.regressed ? [] : changeSections(comparison)) {
    if (changes.length === 0 && title !== HEADINGS.newFailures && title !== HEADINGS.fixes) continue;
    lines.push(`${title.toLowerCase()}: ${changes.length}`);
    for (const c of changes.slice(0, 50)) lines.push(`  ${modelIdLine(c.model)} ${inertLine(`${c.check} (${c.target}): ${c.reason}`)}`);
    if (changes.length > 50) lines.push(`  ... and ${changes.length - 50} more`);
  }
  for (const [title, list] of [
    ['new models', comparison.newModels],
    ['vanished models', comparison.vanishedModels],
    ['new checks', comparison.newChecks],
    ['vanished checks', comparison.vanishedChecks],
    ['new targets', comparison.newTargets],
    ['vanished targets', comparison.vanishedTargets],
    [`${notComparedLabel(comparison).toLowerCase()}: models`, comparison.notSelected?.models ?? []],
    [`${notComparedLabel(comparison).toLowerCase()}: checks`, comparison.notSelected?.checks ?? []],
    ...(comparison.baselineUnreached ? (['models', 'checks'] as const).map((k) => [`${unreachedLabel(comparison.baselineUnreached!, 'not')}: ${k}`, comparison.baselineUnreached![k]] as const) : []),
  ] as const) {
    if (list.length) lines.push(`${title}: ${inertLine(list.join(', '), 2000)}`);
  }
  const drift = comparison.shapeDrift ?? [];
  if (drift.length) {
    lines.push(`shape drift (never gates): ${drift.length} (target, model, API)`);
    for (const d of drift.slice(0, 50)) lines.push(`  ${modelIdLine(d.model)} ${inertLine(`${d.api} (${d.target}): ${describeDrift(d)}`, 1000)}`);
    if (drift.length > 50) lines.push(`  ... and ${drift.length - 50} more`);
  }
  const lostLine = lostModelsLine(comparison);
  if (lostLine) lines.push(lostLine);
  // Never "no" beside cells a baseline that stopped did not reach (baseline-not-run.ts): what it did not observe is not known.
  const unreached = baselineUnreachedLine(comparison);
  lines.push(comparison.regressed ? 'regressed: yes (exit 1)' : none ? 'regressed: not known (nothing was compared)' : (unreached ?? 'regressed: no'));
  if (comparison.regressed && unreached) lines.push(unreached);
  return lines.join('\n');
}

/**
 * Why the newer run cannot show that nothing regressed (it stopped, or is a merge with shards missing), or
 * undefined: what it did not reach was not compared, so `compare` does not say "no" for it.
 */
export function unfinishedRun(after: Pick<Matrix, 'run' | 'targets'>): string | undefined {
  if (!after.run.partial && !after.run.interrupted) {
    // A model list read in part (`--models listed`) is a partial run as the gate reads it, whatever run.partial says.
    const unread = unreadModelLists(after.targets).map(({ target, missing }) => `the model list of target ${target} was not read whole (${missing})`);
    return unread.length ? `the newer run did not finish (partial: ${unread.join('; ')}): the models on the part not read were not compared (exit 1)` : undefined;
  }
  // A target given up on did reach its cells: they are `error`, and compared as such (a pass before is a new failure).
  const down = gaveUpOnTarget(after.run) ? '; the checks a target that stopped answering could not ask are error, and compared as such' : '';
  return `the newer run did not finish (${after.run.interrupted ? 'interrupted' : 'partial'}: ${after.run.partialReason ?? 'stopped'}): what it did not reach was not compared${down} (exit 1)`;
}
