/**
 * @module report/merge
 * Several matrices into one: the shards of a run (vitest --shard, one CI job each) or one run per region. A cell
 * one matrix did not run is filled from the one that did, so merged shards equal a single run's matrix. The
 * inputs must be complete: every shard of each run id exactly once, and no two runs of one target; otherwise the
 * merged matrix is partial, its reason names what is missing or doubled, and the gate fails. Inputs that cannot be
 * one run are refused (exit 2, naming both files) rather than merged: files of two builds that define a check
 * differently (report/check-definitions.ts: the merged file would hold one build's words for the other's cells), shards of one run id with different selections
 * (a shard run without one of the models would leave its cells "not run" everywhere), two files whose target of one
 * id is not the same endpoint (mode, host, region, surface, site: the merged matrix says one of each per target, so
 * half its cells would be labelled with the other file's endpoint), inputs that say different things of one model
 * where a verdict reads it (report/merge-models.ts: whether it is in the catalog decides whether its cells gate), and two files that ran the same cell
 * (which one would win?), except the same shard given twice, which is partial as above.
 * Runs of different targets may select different --models and --checks: a cell a target's run did not select is
 * written as not run (`skipped`, `notRun`), so the merged file holds every cell as a run's does and reads back.
 */
import { mergeShapeTables } from '../checks/shape.ts';
import { HarnessError } from '../errors.ts';
import { regressedBy } from './compare.ts';
import { notCompared } from './merge-not-compared.ts';
import { nothingCompared } from './nothing-compared.ts';
import { finishMatrix, sortedKeys, sumUsage } from './build-matrix.ts';
import { maxErrorsOf, wasInterrupted, wasNotReached } from './gate.ts';
import { listedOn, pairKey, resultKey as key, type Matrix, type MatrixComparison, type MatrixResult, type UsageTotals } from './matrix.ts';
import { joinJudged } from './judged-differently.ts';
import { settleLeftovers } from './merge-leftovers.ts';
import { assertMergeable, runName } from './merge-refusals.ts';
import { mergeTargets } from './merge-targets.ts';
import { mergeModels } from './merge-models.ts';
import { mergedUnreached } from './baseline-not-run.ts';
import { placeMissingShardCells } from './missing-shard.ts';
import { parseShard } from '../shard-spec.ts';
import { timeBounds } from '../same-night.ts';

function unionBy<T>(lists: T[][], id: (x: T) => string): T[] {
  const out = new Map<string, T>();
  for (const list of lists) for (const x of list) if (!out.has(id(x))) out.set(id(x), x);
  return [...out.values()];
}


/** What makes the inputs not the complete shard set of one run id (or one run per target): missing, doubled, mixed. */
export function incompleteness(matrices: readonly Matrix[]): string[] {
  const problems: string[] = [];
  const runs = new Map<string, Matrix[]>();
  for (const m of matrices) runs.set(m.run.id, [...(runs.get(m.run.id) ?? []), m]);
  for (const [id, inputs] of runs) {
    const whole = inputs.filter((m) => !m.run.selection.shard);
    const shards = inputs.filter((m) => m.run.selection.shard);
    if (whole.length > 1) problems.push(`run ${id} is given ${whole.length} times`);
    if (whole.length && shards.length) {
      // The file without a shard may be a merge of some of the shards, which records no shard list: which shards it
      // holds is not known, so none is called missing (it may hold them); the shards' own files merge as one.
      problems.push(`run ${id} is given whole and as shards (${shards.map((m) => m.run.selection.shard).join(', ')}): a file of the whole run, or a merge of some of its shards, cannot be merged with shards of the same run; merge every shard's own matrix.json at once`);
      continue;
    }
    if (!shards.length) continue;
    const parsed = shards.map((m) => parseShard(m.run.selection.shard!)).map((x) => (x ? { i: x.index, n: x.count } : undefined));
    const counts = [...new Set(parsed.map((p) => p?.n))];
    if (parsed.some((p) => !p) || counts.length > 1) {
      problems.push(`the shards of run ${id} do not belong together (${shards.map((m) => m.run.selection.shard).join(', ')})`);
      continue;
    }
    const n = counts[0]!;
    for (let i = 1; i <= n; i++) {
      const seen = parsed.filter((p) => p!.i === i).length;
      if (seen === 0) problems.push(`shard ${i}/${n} of run ${id} is missing`);
      if (seen > 1) problems.push(`shard ${i}/${n} of run ${id} is given ${seen} times`);
    }
  }
  if (runs.size > 1) {
    const byTarget = new Map<string, Set<string>>();
    for (const m of matrices) for (const t of m.targets) byTarget.set(t.id, (byTarget.get(t.id) ?? new Set()).add(m.run.id));
    for (const [target, ids] of byTarget) {
      if (ids.size > 1) problems.push(`target ${target} comes from ${ids.size} different runs (${[...ids].join(', ')}): merge takes the shards of one run (give every shard the same --run-id) or one run per region`);
    }
  }
  return problems;
}

/**
 * The catalogs the inputs were run with, when they are more than one: told apart by the judging digest where every
 * input states one (one file checked out at two paths is one catalog), else by path. The merged `run.catalog` can
 * name only one, and bless would write every region's values as that catalog's.
 */
function catalogsOf(matrices: readonly Matrix[]): string[] {
  const byContent = matrices.every((m) => m.run.judging && !m.run.catalogs);
  const seen = new Map<string, string>();
  for (const m of matrices) {
    for (const path of m.run.catalogs ?? [m.run.catalog]) {
      const key = byContent ? m.run.judging!.catalog : path;
      if (!seen.has(key)) seen.set(key, path);
    }
  }
  if (seen.size < 2) return [];
  // Two catalogs read from one path (a file edited between the regions' jobs): told apart by their digests.
  const paths = [...seen.values()];
  return [...seen.entries()].map(([key, path]) => (paths.filter((p) => p === path).length > 1 ? `${path} (digest ${key})` : path)).sort();
}


/**
 * The cells no input holds, as not run: runs of other targets (one per region or surface) may select other --models
 * or --checks, and a matrix holds every check of every model each target ran (or could have: see listedOn), as
 * read-matrix requires. An input holds every cell its run planned (another shard's as notRun), so a cell no input
 * holds is one its target's run did not select: not observed, so `skipped` and `notRun`, never a pass and never a
 * failure (it was not asked for there). Expectations are not guessed: null, so it cannot gate.
 */
function unselectedCells(matrices: readonly Matrix[], merged: Pick<Matrix, 'targets' | 'models' | 'checks'>, results: ReadonlyMap<string, MatrixResult>): MatrixResult[] {
  const pairs = new Set([...results.values()].map((r) => pairKey(r.target, r.model)));
  const cells: MatrixResult[] = [];
  for (const target of merged.targets) {
    const runs = [...new Set(matrices.filter((m) => m.targets.some((t) => t.id === target.id)).map((m) => m.run.id))];
    const by = `run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}`;
    for (const model of merged.models) {
      const ran = pairs.has(pairKey(target.id, model.id));
      if (!ran && !listedOn(target, model)) continue;
      for (const check of merged.checks) {
        const cell = { target: target.id, model: model.id, check: check.id };
        if (results.has(key(cell))) continue;
        // Said as what the file shows (the run has no such cell), not why: --checks, --models, an older harness.
        const what = ran ? `check ${check.id}` : `model ${model.id}`;
        cells.push({ ...cell, status: 'skipped', observed: null, expected: null, expectedSource: null, reason: `not run: not selected on target ${target.id} (${by} did not run ${what})`, evidence: [], gating: false, notRun: true });
      }
    }
  }
  return cells;
}

/** The CI run of the inputs' baselines when every one records the same (shards compared with one nightly's shards). */
function baselineCi(all: readonly MatrixComparison[]): Pick<MatrixComparison['baseline'], 'ci'> {
  const ci = all[0]!.baseline.ci;
  return ci && all.every((c) => c.baseline.ci?.system === ci.system && c.baseline.ci.runId === ci.runId) ? { ci } : {};
}

/**
 * The inputs' comparisons with their baselines as one: each input compared its own cells (a region's run with that
 * region's last run), so the lists are joined, and the merge regressed when any input did. Without this, a region
 * that regressed failed alone and passed merged.
 */
function mergeComparisons(matrices: readonly Matrix[], merged: Pick<Matrix, 'targets' | 'models' | 'checks' | 'results'>): MatrixComparison | undefined {
  const all = matrices.flatMap((m) => (m.comparison ? [m.comparison] : []));
  if (all.length === 0) return undefined;
  const changes = (k: 'newFailures' | 'fixes' | 'becameFlaky' | 'becameStable' | 'noLongerObserved' | 'changedObserved') => all.flatMap((c) => c[k] ?? []);
  // Each input's vanished models and checks are its own targets' (compare reads them per target); a target one input
  // calls vanished (a region compared with a baseline of every region) may be another input's.
  const present = new Set([...merged.targets, ...merged.models, ...merged.checks].map((x) => x.id));
  const vanished = (k: 'vanishedModels' | 'vanishedChecks') => [...new Set(all.flatMap((c) => c[k]))];
  const ids = (k: 'newModels' | 'newChecks' | 'newTargets' | 'vanishedTargets') => [...new Set(all.flatMap((c) => c[k]))].filter((id) => present.has(id) === k.startsWith('new'));
  const drift = all.flatMap((c) => c.shapeDrift ?? []);
  // A check each region's baseline defined otherwise is one entry: its cells not compared in every input, added up.
  const redefined = new Map<string, NonNullable<MatrixComparison['changedChecks']>[number]>();
  for (const c of all.flatMap((x) => x.changedChecks ?? [])) {
    const seen = redefined.get(c.check);
    redefined.set(c.check, seen ? { ...seen, cells: seen.cells + c.cells } : { ...c });
  }
  const newFailures = changes('newFailures');
  const lostModels = [...new Set(all.flatMap((c) => c.lostModels ?? []))];
  const newModels = ids('newModels');
  const vanishedModels = vanished('vanishedModels');
  const newChecks = ids('newChecks');
  const vanishedChecks = vanished('vanishedChecks');
  const { byShard, ...unCompared } = notCompared(matrices, { models: [...newModels, ...vanishedModels], checks: [...newChecks, ...vanishedChecks] });
  const notSelected = { ...unCompared, ...(byShard || all.some((c) => c.notSelected?.byShard) ? { byShard: true as const } : {}) };
  return {
    baseline: { runId: [...new Set(all.map((c) => c.baseline.runId))].join('+'), finishedAt: timeBounds(all.map((c) => c.baseline.finishedAt)).last, ...baselineCi(all) },
    newFailures,
    fixes: changes('fixes'),
    ...joinJudged(all),
    becameFlaky: changes('becameFlaky'),
    becameStable: changes('becameStable'),
    noLongerObserved: changes('noLongerObserved'),
    changedObserved: changes('changedObserved'),
    newModels,
    vanishedModels,
    newChecks,
    vanishedChecks,
    newTargets: ids('newTargets'),
    vanishedTargets: ids('vanishedTargets'),
    ...(notSelected.models.length + notSelected.checks.length > 0 ? { notSelected } : {}),
    // A target one input left apart (another endpoint than its baseline's) is one entry, whichever input said it.
    ...(all.some((c) => c.changedTargets?.length) ? { changedTargets: [...new Map(all.flatMap((c) => c.changedTargets ?? []).map((c) => [c.target, c])).values()] } : {}),
    ...(redefined.size ? { changedChecks: [...redefined.values()] } : {}),
    ...(drift.length ? { shapeDrift: drift } : {}),
    ...mergedCount(matrices),
    ...(lostModels.length ? { lostModels } : {}),
    ...mergedUnreached(all),
    // compare's rule on the joined lists: regressed when any input did (each lists its new failures and lost pairs).
    regressed: regressedBy({ newFailures, lostModels }),
  };
}

/**
 * The merged `compared`: each input counted its own cells (shards and regions hold none in common), so the merge
 * compared their sum and is judged on it (one shard that compared is enough). An input an older build wrote has no
 * count: a sum without it is not the merge's, but a 0 is still known when every counted input compared nothing and
 * every uncounted one compared nothing by that build's rule (every target apart): dropping the 0 passed such a merge.
 */
function mergedCount(matrices: readonly Matrix[]): { compared?: number } {
  const inputs = matrices.filter((m) => m.comparison);
  if (inputs.every((m) => m.comparison!.compared !== undefined)) return { compared: inputs.reduce((n, m) => n + m.comparison!.compared!, 0) };
  return inputs.every((m) => nothingCompared(m.comparison!, m)) ? { compared: 0 } : {};
}

/** What the inputs selected together: an input that named none selected everything, and so does the merge. */
function selectionUnion(matrices: readonly Matrix[], kind: 'models' | 'checks' | 'filters'): string[] {
  if (matrices.some((m) => m.run.selection[kind].length === 0)) return [];
  return [...new Set(matrices.flatMap((m) => m.run.selection[kind]))];
}

/** What the merge is told beside its inputs. */
export interface MergeOptions {
  /**
   * The target ids the merge must hold (`merge --expect-targets`): one run per region, each its own CI job, and a job
   * that wrote no matrix.json leaves nothing to say its region is missing. One that no input has makes the merge
   * partial, naming it. @default none (any targets)
   */
  expectTargets?: readonly string[];
}

/** The inputs as one matrix, after assertMergeable; `files` name the inputs in its messages (else their run ids). */
export function mergeMatrices(matrices: readonly Matrix[], files: readonly string[] = [], options: MergeOptions = {}): Matrix {
  const first = matrices[0];
  if (!first) throw new HarnessError('HARNESS_USAGE', 'merge needs at least one matrix.json');
  assertMergeable(matrices, files);
  const results = new Map<string, MatrixResult>();
  const from = new Map<string, Matrix>();
  const order: string[] = [];
  for (const matrix of matrices) {
    for (const result of matrix.results) {
      const k = key(result);
      const seen = results.get(k);
      if (!seen) order.push(k);
      // A cell one input ran wins; of two not run, the shard that stopped before it says why (not reached), whatever
      // the order of the files: the other input only says it was not its cell.
      if (!seen || (seen.notRun && !result.notRun) || (seen.notRun && result.notRun && wasNotReached(result) && !wasNotReached(seen))) {
        results.set(k, result);
        from.set(k, matrix);
      }
    }
  }
  const filters = selectionUnion(matrices, 'filters');
  const leftovers = settleLeftovers(order.map((k) => ({ result: results.get(k)!, from: from.get(k)! })), filters);
  // Keyed by what the files say: a Map, so a key named like an Object.prototype member (`toString`) is a key.
  const usage = new Map<string, UsageTotals>();
  // The same file given twice is counted once (the gate already fails on it).
  const distinct = [...new Map(matrices.map((m) => [`${m.run.id}\u0000${m.run.selection.shard ?? ''}\u0000${m.run.startedAt}`, m])).values()];
  for (const matrix of distinct) {
    for (const [k, u] of Object.entries(matrix.totals.perModel)) {
      const seen = usage.get(k);
      usage.set(k, seen ? { ...sumUsage([seen, u]), wallMs: Math.max(seen.wallMs ?? 0, u.wallMs ?? 0) } : { ...u });
    }
  }
  // By the moment each says (merge-refusals.ts refused a time that does not parse), so the end is never before the start.
  const startedAt = timeBounds(matrices.map((m) => m.run.startedAt)).first;
  const finishedAt = timeBounds(matrices.map((m) => m.run.finishedAt)).last;
  const ids = [...new Set(matrices.map((m) => m.run.id))];
  const latencies = distinct.flatMap((m) => (m.totals.latency ? [m.totals.latency] : []));
  const latency = latencies.length ? (Object.fromEntries(latencies.flatMap((l) => Object.entries(l))) as NonNullable<Matrix['totals']['latency']>) : undefined;
  const span = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  // An interrupted input is partial whatever its partial flag says: the gate of `report` says so of it, and so does merge.
  const partial = matrices.filter((m) => m.run.partial || wasInterrupted(m.run));
  const incomplete = incompleteness(matrices);
  // Cells no input ran, called another shard's: a missing shard the labels did not show (said only when none did).
  if (incomplete.length === 0) incomplete.push(...leftovers.problems);
  const targets = mergeTargets(matrices.flatMap((m) => m.targets));
  const absent = [...new Set(options.expectTargets ?? [])].filter((id) => !targets.some((t) => t.id === id));
  if (absent.length) incomplete.push(`target${absent.length > 1 ? 's' : ''} ${absent.join(', ')} expected (--expect-targets) and in no input: its run wrote no matrix.json, or it was not given`);
  const reasons = [...incomplete.map((p) => `merge: ${p}`), ...partial.map((m) => `${runName(m)}: ${m.run.partialReason ?? (wasInterrupted(m.run) ? 'interrupted' : 'partial')}`)];
  const checks = unionBy(matrices.map((m) => m.checks), (c) => c.id);
  const models = mergeModels(matrices);
  const merged: Matrix = {
    // Every input's (merge-refusals.ts refuses a mix): older files merged keep the format their judges wrote.
    format: first.format,
    run: {
      ...first.run,
      id: ids.join('+'),
      startedAt,
      finishedAt,
      durationMs: Number.isFinite(span) ? span : 0,
      partial: reasons.length > 0,
      ...(reasons.length ? { partialReason: reasons.join('; ') } : {}),
      selection: { models: selectionUnion(matrices, 'models'), checks: selectionUnion(matrices, 'checks'), filters },
    },
    targets,
    checks,
    models,
    results: [...leftovers.results, ...unselectedCells(matrices, { targets, models, checks }, results)],
    totals: {
      ...first.totals,
      usage: sumUsage([...usage.values()]),
      perModel: sortedKeys(Object.fromEntries(usage)),
      wallMs: Math.max(...matrices.map((m) => m.totals.wallMs)),
      ...(latency ? { latency: sortedKeys(latency) } : {}),
    },
    // The strictest --max-errors of the inputs: the merged gate does not depend on the order of the files.
    gate: { ...first.gate, errors: { unexpected: 0, max: Math.min(...matrices.map(maxErrorsOf)) } },
  };
  const comparison = mergeComparisons(distinct, merged);
  if (comparison) merged.comparison = comparison;
  const shapes = mergeShapeTables(distinct.flatMap((m) => (m.shapes ? [m.shapes] : [])));
  if (shapes) merged.shapes = shapes;
  if (!merged.run.partial) delete merged.run.partialReason;
  // The cells a missing shard held say so (missing-shard.ts), not "filtered out or in another shard" as their run said.
  merged.results = placeMissingShardCells(merged);
  // Regions judged against different files (or not saying) have no one judging to state.
  if (new Set(matrices.map((m) => JSON.stringify(m.run.judging ?? null))).size > 1) delete merged.run.judging;
  const catalogs = catalogsOf(matrices);
  if (catalogs.length > 1) merged.run.catalogs = catalogs;
  else delete merged.run.catalogs;
  // The merged run was not itself interrupted: an interrupted input makes it partial, which fails the gate.
  delete merged.run.interrupted;
  // One CI run (its shards, attempts of a re-run) is said as its latest attempt; inputs of different CI runs say none.
  const [cis, attempt] = [matrices.map((m) => m.run.ci), Math.max(...matrices.map((m) => m.run.ci?.attempt ?? 0))];
  if (cis.every((ci) => ci && ci.system === cis[0]!.system && ci.runId === cis[0]!.runId)) merged.run.ci = { ...cis[0]!, ...(attempt > 0 ? { attempt } : {}) };
  else delete merged.run.ci;
  return finishMatrix(merged);
}
