/**
 * @module report/merge-refusals
 * Which inputs merge refuses rather than merge (exit 2, naming both files): two files that define one check
 * differently (written by different builds), shards of one run id whose selections, judging or baselines differ,
 * inputs of different nights (nightsBroken), two files whose target of one id is another endpoint, inputs that say
 * different things of one model (merge-models.ts), and two files that ran the same cell.
 */
import { activeUntil, MAX_NIGHT_SPAN_MS, nightBreak, SAME_NIGHT_MS, spanBreak, spanWords } from '../same-night.ts';
import { HarnessError } from '../errors.ts';
import { formatVersion } from '../format-version.ts';
import { changedDefinitions } from './check-definitions.ts';
import { inertLine } from './inert-text.ts';
import { resultKey as key, type Matrix, type MatrixResult } from './matrix.ts';
import { targetDifference } from './merge-targets.ts';
import { modelDifference, type ModelDifference } from './merge-models.ts';

/** An input as messages name it: its run id, and its shard when it is one. */
export const runName = (m: Matrix) => `run ${m.run.id}${m.run.selection.shard ? ` shard ${m.run.selection.shard}` : ''}`;

/** The parts of a run that every shard of it shares. */
const SHARED = ['models', 'checks', 'filters', 'targets', 'planned models', 'planned checks', 'harness version', 'judged against', 'CI run', 'baseline', 'baseline CI run'] as const;

/** How a message says that a part differs: `but their --models differ (only in a: ...; only in b: ...)`. */
const DIFFER: Record<(typeof SHARED)[number], string> = {
  models: 'their --models differ',
  checks: 'their --checks differ',
  filters: 'their filters differ',
  targets: 'their targets differ',
  'planned models': 'the models they planned differ',
  'planned checks': 'the checks they planned differ',
  'harness version': 'their harness versions differ',
  'judged against': 'what they were judged against differs (the digests of expectations, catalog, suites, --openapi and --repeat)',
  'CI run': 'their CI runs differ',
  baseline: 'their --baseline runs differ',
  'baseline CI run': 'their --baseline runs were made in different CI runs',
};

/**
 * What a run selected and planned, as sets: the models, checks and filters it was given, the targets it ran, and
 * the models and checks it planned from its catalog and suites. A shard run with another catalog, other suites or
 * another harness plans other cells: merged, the cells only one of them planned would read "another shard's" in
 * every input, and no shard ran them.
 */
function selectionOf(m: Matrix): Record<(typeof SHARED)[number], string[]> {
  const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();
  const { models, checks, filters } = m.run.selection;
  return {
    models: sorted(models),
    checks: sorted(checks),
    filters: sorted(filters),
    targets: sorted(m.targets.map((t) => t.id)),
    'planned models': sorted(m.models.map((x) => x.id)),
    'planned checks': sorted(m.checks.map((x) => x.id)),
    'harness version': [m.run.harnessVersion],
    // Expectations, catalog and --repeat (older files do not say: compared only when both do, see below).
    'judged against': m.run.judging ? Object.entries(m.run.judging).map(([what, digest]) => `${what} ${digest ?? 'none'}`) : [],
    // A nightly's shard and a PR's under one fixed --run-id are two runs (the attempt differs within one: a re-run).
    'CI run': m.run.ci ? [`${m.run.ci.system} ${m.run.ci.runId}`] : [],
    // The run a shard's changes were judged against: merged, one shard's regression against an older artifact would
    // read as a change since a run neither is (compared only when both were; a shard without --baseline is listed
    // as not compared). A run is its id and CI run (a fixed --run-id names a run a night; compared when both record
    // one), not when it finished: each shard of one baseline run ends at its own time, and a job that compares its
    // shard with the same shard of the last nightly compares with one run. Without a CI run on both, their ends tell
    // the nights apart (baselinesApart).
    baseline: m.comparison ? [`run ${m.comparison.baseline.runId}`] : [],
    'baseline CI run': m.comparison?.baseline.ci ? [`${m.comparison.baseline.ci.system} ${m.comparison.baseline.ci.runId}`] : [],
  };
}

/** Two times of one run id that are two runs' (SAME_NIGHT_MS or more apart); both parse (unparsedTime refused any other). */
const nightsApart = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) >= SAME_NIGHT_MS;

/** The times merge orders and chains its inputs by, each with its JSON path. */
const TIMES: readonly [string, (m: Matrix) => string | undefined][] = [
  ['run.startedAt', (m) => m.run.startedAt],
  ['run.finishedAt', (m) => m.run.finishedAt],
  ['comparison.baseline.finishedAt', (m) => m.comparison?.baseline.finishedAt],
];

/**
 * The first time of an input that is no time at all, as its file and JSON path: every rule below sums times (the
 * night chain, the baselines' ends), and a sum on NaN made a refusal say "6 hours or more apart" of what it never
 * measured. The matrix readers hold these to the exact form a run writes (cli/matrix-claims.ts); this is merge's own
 * floor, for a caller that hands it matrices not read so.
 */
function unparsedTime(matrices: readonly Matrix[]): { at: number; path: string; value: string } | undefined {
  for (const [at, m] of matrices.entries()) {
    for (const [path, of] of TIMES) {
      const value = of(m);
      if (value !== undefined && !Number.isFinite(Date.parse(value))) return { at, path, value };
    }
  }
  return undefined;
}
const APART = `${SAME_NIGHT_MS / 3_600_000} hours or more apart`;

/**
 * Whether two baselines of one run id are two runs by their ends: without a CI run on both, a fixed --run-id
 * (`nightly`) names every night's run, and a shard compared with night 1's shard and another with night 2's would
 * merge as compared with one. The shards of one run finish minutes apart (queued jobs, hours at most), its nights a
 * day apart: ends 6 hours or more apart are two runs, named by their ends.
 */
function baselinesApart(a: Matrix, b: Matrix): [string, string] | undefined {
  const [x, y] = [a.comparison?.baseline, b.comparison?.baseline];
  if (!x || !y || x.runId !== y.runId || (x.ci && y.ci)) return undefined;
  return nightsApart(x.finishedAt, y.finishedAt) ? [`run ${x.runId} finished ${x.finishedAt}`, `run ${y.runId} finished ${y.finishedAt}`] : undefined;
}

/** Where the inputs fail to be one night's: a pause (nightBreak: `before` ended, `after` started) or a span (spanBreak). */
type NightsBroken = { kind: 'pause'; before: { at: number; end: string }; after: { at: number; start: string } } | { kind: 'span'; first: { at: number; start: string }; last: { at: number; start: string } };

/** When a matrix's run started, and until when it was active (same-night.ts activeUntil). */
const startedOf = (m: Matrix) => Date.parse(m.run.startedAt);
const activeOf = (m: Matrix) => activeUntil(m.run);

/**
 * The inputs one CI run ties, as groups of file indexes: a CI run's files, however far apart (a "Re-run failed jobs"
 * the next day raises the attempt: the CI run says so). A CI run id that never changes (`act` sets GITHUB_RUN_ID 1 and
 * attempt 1 every time) ties nothing: when files of one attempt do not chain into one night (sameNight), the run's
 * files are each on their own, held to the time rule, as history reads a repeat of one attempt (history/run-info.ts).
 */
function ciTies(matrices: readonly Matrix[]): number[][] {
  const groups = new Map<string, number[]>();
  for (const [i, m] of matrices.entries()) {
    const tie = m.run.ci ? `ci\u0000${m.run.ci.system}\u0000${m.run.ci.runId}` : `file\u0000${i}`;
    groups.set(tie, [...(groups.get(tie) ?? []), i]);
  }
  return [...groups.values()].flatMap((is) => {
    const attempts = new Map<number | undefined, number[]>();
    for (const i of is) attempts.set(matrices[i]!.run.ci?.attempt, [...(attempts.get(matrices[i]!.run.ci?.attempt) ?? []), i]);
    // A GitLab pipeline id is unique and records no attempt (its retry keeps both): only a recorded attempt repeats.
    const apart = [...attempts.entries()].some(([attempt, of]) => attempt !== undefined && of.length > 1 && nightBreak(of, (i) => startedOf(matrices[i]!), (i) => activeOf(matrices[i]!)));
    return apart ? is.map((i) => [i]) : [is];
  });
}

/**
 * Where the inputs fail to be one night's, by history's rule (same-night.ts nightBreak): without one CI run tying them,
 * a job that died tonight leaves last night's (or last week's) matrix.json of its shard or region in a persistent
 * workspace, which would merge green with tonight's other files, `--expect-targets` satisfied. The inputs one CI run
 * ties (ciTies) chain as one item from its first start to its latest end; the others each on their own. Each must
 * start within SAME_NIGHT_MS of the end of an item started before it: shards queued behind a long one, region
 * workflows hours apart, chain. The chain is transitive, so the starts must also lie within MAX_NIGHT_SPAN_MS (a CI
 * run's items by their latest start: when it was last run): region jobs staggered through the day chain into the next.
 */
function nightsBroken(matrices: readonly Matrix[]): NightsBroken | undefined {
  const groups = ciTies(matrices);
  if (groups.length < 2) return undefined;
  const startOf = (i: number) => startedOf(matrices[i]!);
  const untilOf = (i: number) => activeOf(matrices[i]!);
  // Each group by its file that started first, its file that started last and its file that was active last.
  const items = groups.map((is) => ({ first: is.reduce((a, b) => (startOf(b) < startOf(a) ? b : a)), latest: is.reduce((a, b) => (startOf(b) > startOf(a) ? b : a)), last: is.reduce((a, b) => (untilOf(b) > untilOf(a) ? b : a)) }));
  const broken = nightBreak(items, (g) => startOf(g.first), (g) => untilOf(g.last));
  if (broken) {
    const [b, a] = [broken.before.last, broken.after.first];
    const { startedAt, finishedAt } = matrices[b]!.run;
    return { kind: 'pause', before: { at: b, end: Date.parse(finishedAt) > Date.parse(startedAt) ? finishedAt : startedAt }, after: { at: a, start: matrices[a]!.run.startedAt } };
  }
  const span = spanBreak(items, (g) => startOf(g.latest));
  if (!span) return undefined;
  const [f, l] = [span.first.latest, span.last.latest];
  return { kind: 'span', first: { at: f, start: matrices[f]!.run.startedAt }, last: { at: l, start: matrices[l]!.run.startedAt } };
}

/** How two selections differ, or undefined when they are the same. */
function selectionDifference(a: Matrix, b: Matrix, names: [string, string]): string | undefined {
  const x = selectionOf(a);
  const y = selectionOf(b);
  for (const field of SHARED) {
    if ((field === 'judged against' && (!a.run.judging || !b.run.judging)) || (field === 'CI run' && (!a.run.ci || !b.run.ci)) || (field === 'baseline' && (!a.comparison || !b.comparison)) || (field === 'baseline CI run' && (!a.comparison?.baseline.ci || !b.comparison?.baseline.ci))) continue;
    const list = (vs: string[]) => (vs.length ? vs.map((v) => JSON.stringify(v)).join(', ') : 'none');
    const onlyA = x[field].filter((v) => !y[field].includes(v));
    const onlyB = y[field].filter((v) => !x[field].includes(v));
    const apart = field === 'baseline' && !onlyA.length && !onlyB.length ? baselinesApart(a, b) : undefined;
    if (apart) return `${DIFFER.baseline}: no CI run recorded tells them apart, and they finished ${APART} (only in ${names[0]}: ${list([apart[0]])}; only in ${names[1]}: ${list([apart[1]])})`;
    if (!onlyA.length && !onlyB.length) continue;
    return `${DIFFER[field]} (only in ${names[0]}: ${list(onlyA)}; only in ${names[1]}: ${list(onlyB)})`;
  }
  return undefined;
}


const shardOf = (m: Matrix) => `${m.run.id}\u0000${m.run.selection.shard ?? ''}`;

/**
 * Refuses inputs that cannot be merged into one honest matrix: shards of one run id whose selections differ, two
 * files whose target of one id is another endpoint, mode or surface (of one run id or not: the merged matrix has one
 * entry per target either way), and two files (other than the same shard twice) that both ran a cell. `files` name
 * the inputs in messages.
 */
export function assertMergeable(matrices: readonly Matrix[], files: readonly string[]): void {
  const name = (i: number) => inertLine(files[i] ?? runName(matrices[i]!), 200);
  const refuse = (message: string) => new HarnessError('HARNESS_REPORT_INVALID', `merge: ${message}`);
  const unparsed = unparsedTime(matrices);
  if (unparsed) throw refuse(`${name(unparsed.at)}: ${unparsed.path}: ${inertLine(JSON.stringify(unparsed.value), 60)} is not a date and time (a run writes YYYY-MM-DDTHH:MM:SS.sssZ); the file was edited or not written by a run: give the matrix.json its run wrote`);
  for (let i = 0; i < matrices.length; i++) {
    for (let j = i + 1; j < matrices.length; j++) {
      // Every build says version 0.1.0: what tells an older build's file apart is its checks. The merged matrix holds
      // one definition per check, and the other file's cells in words that are not theirs fail its own reader.
      const [redefined, ...more] = changedDefinitions(matrices[i]!.checks, matrices[j]!.checks, [name(i), name(j)]);
      if (redefined) {
        const others = more.length ? ` (and ${more.length} more check${more.length > 1 ? 's' : ''}: ${inertLine(more.map((c) => c.id).join(', '), 600)})` : '';
        throw refuse(
          `${name(i)} and ${name(j)} define check ${inertLine(JSON.stringify(redefined.id), 200)} differently: ${inertLine(redefined.difference, 2000)}${others}. They were written by different builds of mantle-conformance (the version number does not tell them apart), and a merged matrix holds one definition per check, so one file's cells would read in the other's words; run the older one again with this version and merge the new files (or merge them with the version that wrote them)`,
        );
      }
      // One file judged by an older build's rules (an older format) and one by this version's: written in either format, one
      // side's cells read wrong (an older reader passes this version's spent budget; this version's readers take the
      // older cells for its own judging).
      if (matrices[i]!.format !== matrices[j]!.format) {
        throw refuse(`${name(i)} is format ${formatVersion(matrices[i]!.format)} and ${name(j)} format ${formatVersion(matrices[j]!.format)}: they were judged by different versions of mantle-conformance, and one matrix cannot say which cells which version judged; run the older one again with this version and merge the new files`);
      }
      const endpoint = targetDifference(matrices[i]!, matrices[j]!, [name(i), name(j)]);
      if (endpoint) {
        throw refuse(
          `${name(i)} and ${name(j)} cannot be one matrix: ${inertLine(endpoint, 2000)}. The merged matrix states one mode, endpoint and surface per target, and neither file wins: run every shard of a run with the same --mode, --region/--endpoint/--targets and --surface (and give each region or endpoint its own target name), then merge again`,
        );
      }
      const difference = matrices[i]!.run.id === matrices[j]!.run.id ? selectionDifference(matrices[i]!, matrices[j]!, [name(i), name(j)]) : undefined;
      // Two whole runs (one job per region) under one --run-id: merge reads one run id as one run's shards.
      if (difference && !matrices[i]!.run.selection.shard && !matrices[j]!.run.selection.shard) {
        throw refuse(`${name(i)} and ${name(j)} are two whole runs (neither is a shard) of one run id, ${inertLine(matrices[i]!.run.id, 200)}, but ${inertLine(difference, 2000)}: merge reads the files of one run id as the shards of one run; give each whole-run job (one per region or target) its own --run-id (or leave it out), and merge joins them`);
      }
      if (difference) {
        throw refuse(
          `${name(i)} and ${name(j)} are both of run ${inertLine(matrices[i]!.run.id, 200)}, but ${inertLine(difference, 2000)}: every shard of a run is run with the same --models, --checks, targets and filters, catalog, suites, expectations, --repeat, --baseline and harness version, in one CI run (only --shard differs); run the odd shard again with the others'`,
        );
      }
    }
  }
  // A file left from another night is diagnosed as that before anything its catalog of then says (a model it lacked).
  const broken = nightsBroken(matrices);
  if (broken) throw refuse(nightsMessage(broken, name));
  const model = modelDifference(matrices);
  if (model) throw refuse(modelMessage(model, name));
  const ranIn = new Map<string, number>();
  for (const [i, m] of matrices.entries()) {
    const clashes: { j: number; r: MatrixResult }[] = [];
    for (const r of m.results) {
      if (r.notRun) continue;
      const k = key(r);
      const j = ranIn.get(k);
      if (j === undefined) ranIn.set(k, i);
      else if (shardOf(matrices[j]!) !== shardOf(m)) clashes.push({ j, r });
    }
    const clash = clashes[0];
    if (clash) {
      const { j, r } = clash;
      const more = clashes.filter((c) => c.j === j).length - 1;
      throw refuse(
        `${name(j)} and ${name(i)} both ran target ${inertLine(JSON.stringify(r.target), 200)}, model ${inertLine(JSON.stringify(r.model), 200)}, check ${inertLine(JSON.stringify(r.check), 200)}${more ? ` (and ${more} more cells)` : ''}: the shards of a run never overlap, and one run per region has its own targets; merge each cell from one file (the shards of one --run-id, each once)`,
      );
    }
  }
}

/**
 * The refusal of inputs that are not one night's: what was seen (how long after the others one started), not a guess
 * at why (a file left from another night, or one job re-run hours later, look the same).
 */
function nightsMessage(broken: NightsBroken, name: (i: number) => string): string {
  const hours = SAME_NIGHT_MS / 3_600_000;
  const seen =
    broken.kind === 'pause'
      ? `${name(broken.after.at)} started ${inertLine(broken.after.start, 60)}, ${spanWords(Date.parse(broken.after.start) - Date.parse(broken.before.end))} after every input started before it had finished (the last to finish, ${name(broken.before.at)}, finished ${inertLine(broken.before.end, 60)}), more than ${hours} hours, and no CI run recorded on both ties them`
      : `${name(broken.last.at)} started ${inertLine(broken.last.start, 60)}, ${spanWords(Date.parse(broken.last.start) - Date.parse(broken.first.start))} after ${name(broken.first.at)} started (${inertLine(broken.first.start, 60)}): each input starts within ${hours} hours of the end of another, but from the first start to the last is more than ${MAX_NIGHT_SPAN_MS / 3_600_000} hours, and no one CI run recorded on them all ties them`;
  return `${seen}: the inputs of one merge are one night's shards and regions, each starting within ${hours} hours of the end of another (together, or queued behind each other) and all within ${MAX_NIGHT_SPAN_MS / 3_600_000} hours, so these are not one run's. A file may be left from another night (a job that died leaves its last file in a persistent workspace), or one job was re-run hours later; run the odd one again with the others and merge the new files, or show runs of different nights side by side with \`mantle-conformance table\`. A unique --run-id does not make them one night: jobs of one run this far apart merge only when one CI run (GitHub Actions, GitLab CI) is recorded on every file, and a CI run id and attempt that repeat days apart (\`act\`) tie nothing`;
}

/** What a model's field decides, as the refusal of two catalogs that differ on it says it. */
const DECIDES: Record<ModelDifference['field'], string> = {
  inCatalog: 'whether it is in the catalog decides whether its cells gate and whether compare calls them new failures',
  family: 'its family is the catalog group its cells are reported and kept in history under',
  suggestion: 'whether a model not in the catalog has a "did you mean" id decides whether the gate reads its answers in another model\'s name as a mistyped id (unobserved-model)',
};

/**
 * The refusal of inputs that say different things of one model. Which input is odd is said only when the inputs
 * show it (one input against two or more that agree); no catalog is called the right one: merge cannot know which
 * catalog the user means, only that one matrix cannot hold both.
 */
function modelMessage(model: ModelDifference, name: (i: number) => string): string {
  const files = (inputs: number[]) => inputs.map(name).join(', ');
  const says = model.values.map((v) => `${inertLine(v.said, 200)} in ${files(v.inputs)}`).join(' and ');
  const [lone, ...rest] = [...model.values].sort((a, b) => a.inputs.length - b.inputs.length);
  const odd = model.values.length === 2 && lone!.inputs.length === 1 && rest[0]!.inputs.length > 1 ? ` ${name(lone!.inputs[0]!)} is the odd one (the ${rest[0]!.inputs.length} other inputs that have the model agree).` : '';
  return `the inputs say different things of model ${inertLine(JSON.stringify(model.model), 200)}: its ${model.field} is ${says}. They were judged with catalogs that differ on it (a catalog edited between the jobs, or each region's own), and a merged matrix holds one entry per model: ${DECIDES[model.field]}, so neither file wins, whatever their order.${odd} Give every job a catalog that says the same of the model (the one you mean to test against), run again the jobs whose catalog said otherwise, and merge the new files`;
}
