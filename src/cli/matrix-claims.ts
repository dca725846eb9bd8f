/**
 * @module cli/matrix-claims
 * What read-matrix checks of a matrix.json beyond its cells: that the per-pair maps (`totals.perModel`,
 * `totals.latency`, `shapes.exchanges`) are keyed `target/model` with a target the file lists, and that what `run` says
 * (partial, interrupted, shard, filters) fits the cells that were not run, its shard `i/n` as `--shard` takes it. A
 * file a run or a merge wrote always fits; one that does not was edited or damaged, and would otherwise read as
 * something it is not (a lost shard as a pass, a key named `constructor` as a way into Object.prototype when merged).
 */
import { regressedBy } from '../report/compare.ts';
import { inertLine } from '../report/inert-text.ts';
import type { Matrix } from '../report/matrix.ts';
import { unreadModelLists, unusableRange } from '../report/model-lists.ts';
import { apartOf } from '../report/nothing-compared.ts';
import { displayPath } from '../json-path.ts';
import { API_IDS } from '../suite/suite-schema.ts';
import { shardProblem } from '../shard-spec.ts';
import { realTimeProblem } from '../history/run-values.ts';

const EDITED = 'this matrix.json was edited or is damaged; use the file the run (or merge) wrote';
const shown = (value: unknown) => inertLine(JSON.stringify(value) ?? String(value), 120);

/**
 * The first key of a per-pair map that is not `target/model` with a target the file lists, or a shape id
 * `shapes.fingerprints` does not hold. Such a key is no cell of the run; merged or compared, a key named like an
 * Object.prototype member (`constructor`, `toString`) would read or write the prototype instead.
 */
export function pairKeyProblem(matrix: Matrix): string | undefined {
  // `<target>/` of a listed target is enough (as history files are read): a shard run with an older catalog may
  // keep a model's figures the file no longer lists. A key with that prefix is never an Object.prototype member.
  const targets = matrix.targets.map((t) => `${t.id}/`);
  const usageKey = (key: string) => targets.some((t) => key.startsWith(t) && key.length > t.length);
  const maps: [[string, string], object | undefined][] = [
    [['totals', 'perModel'], matrix.totals.perModel],
    [['totals', 'latency'], matrix.totals.latency],
    [['shapes', 'exchanges'], matrix.shapes?.exchanges],
  ];
  for (const [path, map] of maps) {
    for (const key of Object.keys(map ?? {})) {
      if (usageKey(key)) continue;
      return `${inertLine(displayPath([...path, key]), 300)}: ${shown(key)} is not "<target>/<model>" with a target this file lists; ${EDITED}`;
    }
  }
  // The second level of both maps is an API id: any other key is none of the run's (and may name a prototype member).
  const apiMaps: [string, object][] = [
    ...Object.entries(matrix.totals.latency ?? {}).map(([cell, byApi]): [string, object] => [displayPath(['totals', 'latency', cell]), byApi]),
    ...Object.entries(matrix.shapes?.exchanges ?? {}).map(([cell, byApi]): [string, object] => [displayPath(['shapes', 'exchanges', cell]), byApi]),
  ];
  for (const [path, byApi] of apiMaps) {
    const api = Object.keys(byApi).find((key) => !(API_IDS as readonly string[]).includes(key));
    if (api !== undefined) return `${inertLine(path, 300)}: ${shown(api)} is not an API (${API_IDS.join(', ')}); ${EDITED}`;
  }
  const fingerprints = matrix.shapes?.fingerprints ?? {};
  for (const [cell, byApi] of Object.entries(matrix.shapes?.exchanges ?? {})) {
    for (const [api, keys] of Object.entries(byApi)) {
      for (const [exchange, ids] of Object.entries(keys)) {
        const missing = ids.find((id) => !Object.hasOwn(fingerprints, id));
        if (missing !== undefined) return `${inertLine(displayPath(['shapes', 'exchanges', cell, api, exchange]), 300)}: the fingerprint ${shown(missing)} is not in shapes.fingerprints; ${EDITED}`;
      }
    }
  }
  return undefined;
}

/** The reason a run gives the cells it did not run because a filter or another shard took them (run-matrix.ts), or a merge a missing shard's. */
const ELSEWHERE = /^not run: filtered out \(a model filter or -t\)|\banother shard\b|\bmissing shard\b/;

/**
 * What `run` claims that the cells contradict. A run writes `interrupted` only with `partial` (run-matrix.ts); a
 * cell "not run here (filtered out or another shard's)" is in a file only when the run was a shard or filtered, or
 * in a merge that lacks a shard, which says partial. A file that claims none of these yet has such cells lost them:
 * a shard's file with its shard removed, or a merge of some shards made to say it is whole, would gate as a pass with
 * the other shards' cells never run.
 */
export function runClaimProblem(matrix: Matrix): string | undefined {
  const { run } = matrix;
  // Merge counts a run's shards by it: one it cannot read made them "not belong together". `03/3` is read as 3/3, as
  // `--shard 03/3` took it (and its run wrote it so).
  const shard = shardProblem(run.selection.shard, 'run.selection.shard');
  if (shard) return `${inertLine(shard, 300)}; ${EDITED}`;
  if (run.interrupted === true && !run.partial) return `run.interrupted: true, but run.partial is false (a run that was interrupted says partial too); ${EDITED}`;
  // A file in which nothing ran fails its gate ("nothing ran") whatever it claims: only one that could pass is refused.
  if (run.partial || run.selection.shard !== undefined || run.selection.filters.length > 0 || matrix.results.every((r) => r.notRun)) return undefined;
  const i = matrix.results.findIndex((r) => r.notRun === true && ELSEWHERE.test(r.reason));
  if (i < 0) return undefined;
  return `results[${i}].reason: ${shown(matrix.results[i]!.reason)}, but run.selection has no shard and no filter and run.partial is false (only a shard, a filtered run or a merge that lacks a shard leaves such a cell, and the merge says partial); ${EDITED}`;
}

/**
 * Run times (and the baseline's end a comparison records) that are not as a run writes them (Date#toISOString), by
 * history's rule (history/run-values.ts), or an end before the start (a run writes its end after its start:
 * run-matrix.ts). Merge chains its inputs into one night by both (same-night.ts), and tells two baselines of one run
 * id apart by their ends: a time that does not parse made its refusal a sum on NaN, and an end days before its start
 * read as another night's.
 */
export function runTimeProblem(matrix: Matrix): string | undefined {
  const { startedAt, finishedAt } = matrix.run;
  // The baseline's end is its run.finishedAt, copied (report/compare.ts): merge tells two baselines of one run id apart by it.
  const baselineEnd = matrix.comparison?.baseline.finishedAt;
  const invalid = realTimeProblem(startedAt, 'run.startedAt') ?? realTimeProblem(finishedAt, 'run.finishedAt') ?? (baselineEnd === undefined ? undefined : realTimeProblem(baselineEnd, 'comparison.baseline.finishedAt'));
  if (invalid) return `${invalid}; ${EDITED}`;
  if (Date.parse(finishedAt) < Date.parse(startedAt)) return `run.finishedAt: ${shown(finishedAt)} is before run.startedAt, ${shown(startedAt)} (a run ends after it starts); ${EDITED}`;
  return undefined;
}

/**
 * A model the run was asked for (`--models`) that the file has no entry of. A run plans every id it is given, a
 * typo'd one too (its cells say nothing was observed, and the gate fails): a file without it lost it, and would gate
 * as a pass on the models left.
 */
export function selectedModelProblem(matrix: Matrix): string | undefined {
  const ids = new Set(matrix.models.map((m) => m.id));
  const i = matrix.run.selection.models.findIndex((id) => !ids.has(id));
  if (i < 0) return undefined;
  return `run.selection.models[${i}]: ${shown(matrix.run.selection.models[i])} was asked for, but models[] has no entry of it (a run plans every model it is given, a typo'd id too); ${EDITED}`;
}

/**
 * A comparison whose `regressed` says otherwise than its own list of new failures (report/compare.ts regressedBy,
 * the rule compare and merge write it by). The gate reads the flag: a file made to say `false` beside a new failure
 * would render "Gate: pass" above "New failures (1)".
 */
export function comparisonClaimProblem(matrix: Matrix): string | undefined {
  const comparison = matrix.comparison;
  if (!comparison || comparison.regressed === regressedBy(comparison)) return undefined;
  const listed = comparison.newFailures.length;
  return `comparison.regressed: ${comparison.regressed}, but comparison.newFailures lists ${listed} new failure(s) (a comparison regressed exactly when it lists one); ${EDITED}`;
}

/**
 * A comparison whose `compared` (cells with a result in both runs: report/compare.ts) its own lists contradict: more
 * than the results the run has, or any when every target the run has cells of is set apart (another endpoint, or not in
 * the baseline), or every model, or every check, it ran is new or one the baseline did not select. The gate reads the
 * count: a file made to say 5 beside a comparison of another model would pass with nothing compared. A partial file
 * fails its gate whatever it says. A merge of runs of several ids (run.id `a+b`) joins their lists, each input's
 * against its own baseline: a model new to one may be compared in another, so the model and check rules are left out
 * there. What still holds is judged: each run merged brings targets of its own (merge makes a target of two run ids
 * partial), so the file has at least as many targets as run.id names runs, and a target's place in the lists is the
 * one run's that ran it, so the target rule holds. The baseline's id is not read: a baseline that is itself a merge
 * is one run compared with.
 */
export function comparedClaimProblem(matrix: Matrix): string | undefined {
  const comparison = matrix.comparison;
  const compared = comparison?.compared;
  if (!comparison || compared === undefined || compared === 0 || matrix.run.partial) return undefined;
  const ran = matrix.results.filter((r) => !r.notRun);
  const claim = `comparison.compared: ${shown(compared)}, but`;
  if (compared > ran.length) return `${claim} the run has ${ran.length} result(s) (a cell compared is one with a result in both runs); ${EDITED}`;
  const runs = new Set(matrix.run.id.split('+')).size;
  if (runs > matrix.targets.length) return `run.id: ${shown(matrix.run.id)} names ${runs} runs merged, but the file has ${matrix.targets.length} target(s) (each run a merge joins brings targets of its own, and the comparison lists of a merge are read by that); ${EDITED}`;
  const apart = apartOf(comparison);
  // Not selected by the baseline: none of its results. A model list read in part also lists there a model it did not
  // give on one target, which may be compared on another: those lists are then left out.
  const unselected = unreadModelLists(matrix.targets).length ? [] : (comparison.notSelected?.models ?? []);
  const models = new Set([...comparison.newModels, ...unselected]);
  const checks = new Set([...comparison.newChecks, ...(comparison.notSelected?.checks ?? [])]);
  // A merge's model and check lists are each input's against its own baseline joined: not read as one run's.
  const one = runs === 1;
  const why = ran.every((r) => apart.has(r.target))
    ? 'every target this run has results of is set apart (comparison.changedTargets, comparison.newTargets)'
    : one && ran.every((r) => models.has(r.model))
      ? 'every model this run ran is new or not selected by the baseline (comparison.newModels, comparison.notSelected.models)'
      : one && ran.every((r) => checks.has(r.check))
        ? 'every check this run ran is new or not selected by the baseline (comparison.newChecks, comparison.notSelected.checks)'
        : undefined;
  return why && `${claim} ${why}, so no cell had a result in the baseline; ${EDITED}`;
}

/**
 * A target's `modelList.unusable` that its own `refused` list contradicts (report/model-lists.ts unusableRange, the
 * rule a list read and a merge write it by): fewer than the refused model ids it names, or more than those and the
 * ones it counts. The gate reads the count: a 0 beside a named `../bad` would pass a run whose gate failed on it.
 * A file from before the count (format 3) has none to check: its gate counts what `refused` names.
 */
export function modelListClaimProblem(matrix: Matrix): string | undefined {
  for (const [i, t] of matrix.targets.entries()) {
    const list = t.modelList;
    if (list?.unusable === undefined) continue;
    const { least, most } = unusableRange(list);
    if (list.unusable >= least && list.unusable <= most) continue;
    const range = least === most ? `${least}` : `${least} to ${most}`;
    return `targets[${i}].modelList.unusable: ${shown(list.unusable)}, but its refused list names ${least} id(s) refused as model ids${most > least ? ` and counts up to ${most - least} more` : ''} (it must be ${range}); ${EDITED}`;
  }
  return undefined;
}
