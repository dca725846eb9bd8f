/**
 * @module report/missing-shard
 * Which (target, model) pairs of a merge that lacks a shard the missing shard held. The merge says which shard is
 * missing (merge.ts: `shard 2/3 of run x is missing`); a cell no present shard ran says only "filtered out (a model
 * filter or -t) or in another shard" (run-matrix.ts), as the shard that wrote it could not tell. Read against the
 * run's recorded selection (its model filters and `-t`, the same in every shard: merge-refusals.ts) and cut as the
 * run cut its shards (cell-selection.ts), a pair the selection took is the missing shard's, and one it left out is
 * no loss: the table names the first and not the second, and never drops the first because the run had a filter.
 * The merge words each such cell so (placeMissingShardCells), so that every report says where it was.
 */
import { createContext, Script } from 'node:vm';
import { cellTitle, matchesFilters, shardCells, testNameMatches, type Cell } from '../cell-selection.ts';
import { parseShard } from '../shard-spec.ts';
import { listedOn, pairKey, type Matrix, type MatrixResult } from './matrix.ts';
import { ELSEWHERE_REASON, wasElsewhere } from './not-run.ts';

/** merge.ts's words for a missing shard, also inside an input's own reason (a merge of merges). */
const MISSING = /(?:^|; |: )merge: shard (\d{1,4}\/\d{1,4}) of run (\S+) is missing(?=;|$)/g;

/** What `-t PATTERN` is recorded as among the run's filters (cli/run-command.ts); every other entry is a model filter. */
const PATTERN_PREFIX = '-t ';

/** A filter entry that selects by neither rule (a vitest UI re-run of some model files: run/vitest-view.ts). */
const UNREADABLE = /^vitest UI re-run of /;

/**
 * Why a pair all of whose planned cells no present shard ran has no row: `in the missing shard 2/3`; or, where the
 * table cannot tell which shard held it (a merge of several runs, a selection it cannot read), both possibilities;
 * or undefined when the run's selection left the pair out.
 */
export type MissingShardReason = (pair: Cell, checks: readonly string[]) => string | undefined;

/** The run's recorded selection: its model filters and `-t` patterns (null: one that does not compile, read as taking every check). */
function recordedSelection(filters: readonly string[]): { models: string[]; patterns: (RegExp | null)[]; readable: boolean } {
  const models = filters.filter((f) => !f.startsWith(PATTERN_PREFIX) && !UNREADABLE.test(f));
  const patterns = filters.filter((f) => f.startsWith(PATTERN_PREFIX)).map((f) => {
    try {
      return new RegExp(f.slice(PATTERN_PREFIX.length));
    } catch {
      return null;
    }
  });
  return { models, patterns, readable: !filters.some((f) => UNREADABLE.test(f)) && !patterns.includes(null) };
}

/**
 * How long one `-t` test may take. The pattern comes from a file (an artifact): one that backtracks without end
 * (`(a+)+$`) must not hang `table`; past this the pattern is read as unreadable and the notes say both possibilities.
 */
const PATTERN_TEST_MS = 500;

/** `-t`'s test of a pair, bounded in time: undefined once a test ran out of time (and for every pair after it). */
function boundedPattern(pattern: RegExp): (pair: Cell, title: string, checks: readonly string[]) => boolean | undefined {
  const context = createContext({ test: () => false });
  const script = new Script('test()');
  let timedOut = false;
  return (pair, title, checks) => {
    if (timedOut) return undefined;
    context.test = () => checks.some((check) => testNameMatches(pattern, pair, title, check));
    try {
      return script.runInContext(context, { timeout: PATTERN_TEST_MS }) as boolean;
    } catch {
      timedOut = true;
      return undefined;
    }
  };
}

/**
 * How the merge's missing shards place a pair no present shard ran, or undefined when the merge lacks no shard (a
 * whole run, or a complete merge: its tables are as they were).
 */
export function missingShardReason(matrix: Matrix): MissingShardReason | undefined {
  const missing = [...(matrix.run.partialReason ?? '').matchAll(MISSING)].flatMap((m) => {
    const shard = parseShard(m[1]!);
    return shard ? [{ shard, label: m[1]!, run: m[2]! }] : [];
  });
  if (missing.length === 0) return undefined;
  const filters = matrix.run.selection?.filters ?? [];
  const { models, patterns, readable } = recordedSelection(filters);
  // Only the shards of the merge's one run are cut as it cut them: in a merge of several runs, which run a target
  // came from is not recorded, nor whose filters the merged list holds.
  const oneRun = readable && patterns.length <= 1 && missing.every((m) => m.run === matrix.run.id);
  const severalTargets = matrix.targets.length > 1;
  const which = missing.map((m) => `${m.label} of run ${m.run}`).join(', ');
  const hedged = `not run (filtered out by its run's filters, or in a missing shard: ${which})`;
  if (oneRun) {
    const pattern = patterns[0] && boundedPattern(patterns[0]);
    // The cells the run cut into shards: every pair it planned (merge.ts unselectedCells reads the same rule) its model filters took.
    const planned = matrix.targets.flatMap((t) => matrix.models.filter((m) => listedOn(t, m)).map((m) => ({ target: t.id, model: m.id })));
    const taken = planned.filter((pair) => matchesFilters(pair, models));
    const held = missing.map(({ shard, label }) => ({ label, pairs: new Set(shardCells(taken, shard).map((p) => pairKey(p.target, p.model))) }));
    return (pair, checks) => {
      if (!matchesFilters(pair, models)) return undefined;
      const title = cellTitle(pair, severalTargets);
      const selected = pattern ? pattern(pair, title, checks) : true;
      if (selected === undefined) return hedged;
      if (!selected) return undefined;
      const shard = held.find((h) => h.pairs.has(pairKey(pair.target, pair.model)));
      // Taken by the selection but in no missing shard's cut (a file's shard label changed): said as its cells say it.
      return shard ? `in the missing shard ${shard.label}` : `not run (${ELSEWHERE_REASON.replace(/^not run:\s*/, '')})`;
    };
  }
  if (filters.length === 0) return () => `in a missing shard (${which})`;
  const bounded = patterns.map((p) => p && boundedPattern(p));
  // Left out only when no filter of any input could have taken it: each input's pair met every part of its own filters.
  return (pair, checks) => {
    const title = cellTitle(pair, true);
    const byModel = models.length > 0 && matchesFilters(pair, models);
    const byPattern = bounded.some((test) => test === null || test(pair, title, checks) !== false);
    if (readable && !byModel && !byPattern) return undefined;
    return hedged;
  };
}

/**
 * The merge's cells, those its run called "filtered out ... or in another shard" placed where missingShardReason puts
 * them: `not run: in the missing shard 2/3 of run x` (asked for, never run), the hedge when it cannot tell, or the
 * run's words when a filter took them. Each cell is placed by its own check, as `-t` selected cells; a merge that lacks
 * no shard keeps its cells as they are. Cells a merge already placed (a merge of merges) are placed again.
 */
export function placeMissingShardCells(matrix: Matrix): MatrixResult[] {
  const place = missingShardReason(matrix);
  if (!place) return matrix.results;
  return matrix.results.map((r) => {
    if (!wasElsewhere(r)) return r;
    const why = place(r, [r.check]);
    // In the one run's missing shard: the run it is of (the merge's own id) said in the cell, as the gate says it.
    const reason = why === undefined ? ELSEWHERE_REASON : why.startsWith('in the missing shard ') ? `not run: ${why} of run ${matrix.run.id}` : `not run: ${why.replace(/^not run \((.*)\)$/, '$1')}`;
    return reason === r.reason ? r : { ...r, reason };
  });
}
