/**
 * @module cli/run-command
 * `mantle-conformance run`: validate everything (flags, files, the selection, a report folder that can be written:
 * exit 2 with nothing sent but the one credentials check), check the credentials once against the endpoint, run
 * the selected checks (in this process; on vitest for `--ui` or vitest arguments), write the reports, and exit 0
 * (nothing gates), 1 (something gates, or the run is partial), 2 (usage, configuration, credentials) or 130 (Ctrl-C
 * or SIGTERM, from the start on). An earlier run's reports in the report folder go once it is known to be writable,
 * its matrix.json aside (matrix.earlier.json) until the run starts: a run that stops before leaves no verdict to read.
 */
import { HarnessError } from '../errors.ts';
import { describeComparison } from '../report/compare.ts';
import { coverageLine, gateLine } from '../report/gate.ts';
import { inertLine } from '../report/inert-text.ts';
import { printedPaths } from './printed-path.ts';
import { statusLine } from '../report/markdown-report.ts';
import type { Matrix } from '../report/matrix.ts';
import { notReadWhole } from '../report/model-lists.ts';
import { answeredAsAnotherLines } from '../report/observed-models.ts';
import { loadPlan } from '../run/load-plan.ts';
import { loadOpenApiSchemas } from '../run/openapi-schemas.ts';
import { ProgressReporter } from '../run/progress-reporter.ts';
import type { RunConfig } from '../run/run-config.ts';
import { runInProcess, type RunEnd, type RunRequest } from '../run/run-conformance.ts';
import { selectWork, type CellWork } from '../run/selection.ts';
import { tooShortReason, tooShortToRedact } from '../transport/auth/short-secrets.ts';
import { lockRecordTarget, releaseRecordLocks } from '../transport/record-lock.ts';
import { dropEarlierMatrices, removeEarlierReports, setAsideEarlierMatrix } from './earlier-reports.ts';
import { checkRunReportDir, checkWritable } from './report-dir-guard.ts';
import { startNotes } from './start-notes.ts';
import { plainHttpWarning } from './credential-domains.ts';
import { EXIT } from './project.ts';
import { gateLines } from './gate-lines.ts';
import { warnWrittenSize } from './matrix-size.ts';
import { guardSetup, InterruptedBeforeRun, type SetupGuard } from './setup-guard.ts';
import { appendStepSummary } from './step-summary-file.ts';
import { intFlag, patternFlag, resolveRunConfig, RUN_RANGES, shardFlag, usage, type RunFlags } from './run-options.ts';
import { parseVitestArgs } from './vitest-args.ts';

export interface RunCommandFlags extends RunFlags {
  ui?: boolean;
  shard?: string;
  testNamePattern?: string;
  /** Arguments after `--`, handed to vitest as they are (the run then happens on vitest). */
  vitestArgs?: string[];
  /** Plain progress lines even on a TTY. */
  plain?: boolean;
  quiet?: boolean;
  /** `--threads`: threads a replay is judged on. */
  threads?: string;
}

export interface RunOutcome {
  exitCode: number;
  matrix?: Matrix;
  config: RunConfig;
  /** Which way the checks ran. */
  runner: 'in-process' | 'vitest';
}

/** `reportPaths: false`: the console does not name the reports (the caller keeps or removes them, and says which). */
type RunIo = { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean }; reportPaths?: boolean };

/** `run`: see the module's comment; the outcome's exit code is the gate's, 130 after Ctrl-C or SIGTERM. */
export async function runCommand(
  filters: string[],
  flags: RunCommandFlags,
  root: string,
  version: string,
  io: RunIo = { out: process.stdout, err: process.stderr },
): Promise<RunOutcome> {
  // Ctrl-C or SIGTERM from the start on is exit 130: before the run proper there is no matrix to write.
  const guard = guardSetup(io.err);
  let config: RunConfig | undefined;
  const onVitest = Boolean(flags.ui) || (flags.vitestArgs ?? []).length > 0;
  try {
    const selection = await selectionFlags(flags, root);
    config = await resolveRunConfig(flags, root, version);
    // Where the inputs came from (when not all in one folder) and where a record run's recordings go, once.
    if (!flags.quiet) for (const note of startNotes(flags, config, root, io.reportPaths !== false)) io.err.write(`${note}\n`);
    return await prepareAndRun(filters, flags, selection, config, guard, io, onVitest);
  } catch (error) {
    if (!(error instanceof InterruptedBeforeRun) || !config) throw error;
    return { exitCode: EXIT.interrupted, config, runner: onVitest ? 'vitest' : 'in-process' };
  } finally {
    guard.dispose();
    if (config) releaseRecordLocks(config);
  }
}

type SelectionFlags = Awaited<ReturnType<typeof selectionFlags>>;

/** --shard, -t and the arguments after `--`: vitest's own selection flags after `--` mean what the harness's mean, and are taken out and checked here. */
async function selectionFlags(flags: RunCommandFlags, root: string) {
  const vitestArgs = flags.vitestArgs ?? [];
  const extra = vitestArgs.length ? await parseVitestArgs(vitestArgs, root) : { filter: [], options: {} as Record<string, unknown> };
  const { shard: extraShard, testNamePattern: extraPattern, ...vitestOptions } = extra.options as { shard?: string; testNamePattern?: string };
  if (flags.shard !== undefined && extraShard !== undefined) throw usage('--shard', 'given twice (before and after --); give it once');
  if (flags.testNamePattern !== undefined && extraPattern !== undefined) throw usage('-t', 'given twice (before and after --); give it once');
  const shardText = flags.shard ?? (extraShard !== undefined ? String(extraShard) : undefined);
  const patternText = flags.testNamePattern ?? (extraPattern !== undefined ? String(extraPattern) : undefined);
  return { extra, vitestOptions, shardText, patternText, shard: shardFlag(shardText), pattern: patternFlag(patternText) };
}

async function prepareAndRun(filters: string[], flags: RunCommandFlags, selection: SelectionFlags, config: RunConfig, guard: SetupGuard, io: RunIo, onVitest: boolean): Promise<RunOutcome> {
  const { extra, shardText, patternText, shard, pattern } = selection;
  const threads = threadsFlag(flags.threads, config, onVitest);
  // Replay gives each case the trials that were recorded: a --repeat that asks for another count is not what runs.
  if (flags.repeat !== undefined && config.repeat > 1 && config.targets.every((t) => t.mode === 'replay')) {
    io.err.write(`note: --repeat ${config.repeat}: a replay repeats each case as often as it was recorded (record with --repeat ${config.repeat} to judge ${config.repeat} trials)\n`);
  }
  // A vitest --outputFile after -- goes where the user means (from the current folder), never on a file the run reads or writes.
  const vitestOptions = onVitest ? await (await import('./vitest-output-file.ts')).checkOutputFiles(selection.vitestOptions, config) : selection.vitestOptions;
  // A --baseline among the reports, or a file of theirs the harness did not write, is refused; the folder is made.
  await checkRunReportDir(config.reportDir, config.baselineFile);
  let baseline: Matrix | undefined;
  try {
    // The matrix schema compiles when read-matrix loads: only a run with --baseline pays for it.
    baseline = config.baselineFile ? await guard.race((await import('./read-matrix.ts')).readMatrix(config.baselineFile)) : undefined;
  } finally {
    // The earlier matrix.json waits aside until the run starts (below): a run stopped before then keeps it.
    await removeEarlierReports(config.reportDir, [], 'renderings').then(() => setAsideEarlierMatrix(config.reportDir));
  }
  guard.check();
  if (config.historyDir) await checkWritable(config.historyDir, '--history', 'append the run');
  const plainHttp = plainHttpWarning(config.targets, config.auth);
  if (plainHttp) io.err.write(`warning: ${plainHttp}\n`);
  if (config.discover) await guard.race(discoverModels(config, io.err));
  // The credentials check (one GET, no tokens) goes out while the suites load: its answer arrives while the CPU
  // is busy with YAML. Whatever else is wrong still stops the run before anything else is sent.
  // A secret too short to redact: refused by a record target's auth, said once here for the others.
  const live = config.targets.filter((t) => t.mode === 'live');
  for (const { flag, name } of live.length > 0 ? tooShortToRedact({ ...config.auth, endpoints: live.map((t) => t.baseUrl) }) : []) io.err.write(`warning: ${flag}: ${tooShortReason(name)}; an echo of it is kept as sent in reports and logs\n`);
  const preflighted = config.targets.some((t) => t.mode !== 'replay') ? import('./preflight.ts').then(({ preflight }) => preflight(config)) : Promise.resolve();
  preflighted.catch(() => undefined);
  const loaded = await guard.race(loadPlan(config));
  // What loads but may apply to nothing (a model id or target name one typo from a known one, a claim no suite runs).
  const { setupWarnings } = await import('../suite/setup-warnings.ts');
  const { ALL_CHECKS } = await import('../checks/registry.ts');
  const { recordedTargets } = await import('./target-options.ts');
  const targets = [...config.targets.map((t) => t.id), ...(await recordedTargets(config.fixturesDir))];
  const { missingProbeWarnings } = await import('./missing-probes.ts');
  const warnings = [
    ...setupWarnings({ suites: loaded.suites, catalog: loaded.catalog, ...(loaded.expectations ? { expectations: loaded.expectations } : {}), checks: ALL_CHECKS, targets, brief: true }),
    ...missingProbeWarnings(loaded.suites),
  ];
  for (const warning of warnings) io.err.write(`warning: ${inertLine(warning, 2000)}\n`);
  const allFilters = [...filters, ...extra.filter];
  const work = selectWork(
    config.targets,
    loaded.plan.models,
    { filters: allFilters, ...(shard ? { shard } : {}), ...(pattern ? { pattern } : {}) },
  );
  await refuseLinkedFixtureFolders(config, work, loaded.plan.cases, io.err);
  // One record run per target folder: its keep rules read the folder, then write (transport/record-lock.ts). After
  // the links are refused: a lock is never made through one.
  for (const target of config.targets.filter((t) => t.mode === 'record')) await lockRecordTarget(config.fixturesDir, target.id, config, (line) => io.err.write(`${line}\n`));
  // Read the OpenAPI document now, so a bad one stops the run with exit 2 before anything is sent.
  const schemas = config.openapiFile ? await guard.race(loadOpenApiSchemas(config.openapiFile)) : undefined;
  await guard.race(preflighted);
  guard.check();

  const replay = config.targets.every((t) => t.mode === 'replay');
  const total = work.reduce((n, cell) => n + cell.checks.length, 0);
  const progress = flags.quiet ? undefined : new ProgressReporter({ total, plain: flags.plain ?? false, stream: io.err, replay });
  const request: RunRequest = {
    config,
    loaded,
    work,
    ...(schemas ? { schemas } : {}),
    ...(baseline ? { baseline } : {}),
    // What selected the cells, as matrix.json records it: vitest's other options (a reporter) select nothing, and
    // its --shard and -t are the run's own (merge compares the filters of a run's shards).
    filters: [...allFilters, ...(patternText !== undefined ? [`-t ${patternText}`] : [])],
    ...(shardText ? { shard: shardText } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(progress ? { progress } : {}),
    err: io.err,
  };
  await removeEarlierReports(config.reportDir);
  // Said before anything is sent, even with --quiet: a run held to one request per model per minute looks hung.
  const tpm = (await import('../run/tpm-warning.ts')).tpmWarning(config, work, loaded);
  if (tpm) io.err.write(`warning: ${tpm}\n`);
  // From here the run's own listeners take Ctrl-C and SIGTERM, and write the partial matrix; one that came before
  // (while the files went) stops it here, before anything is sent.
  guard.handOver();
  const end = onVitest
    ? await (await import('../run/vitest-view.ts')).runOnVitest({ ...request, ui: Boolean(flags.ui), vitestOptions })
    : await runInProcess(request);
  // A signal the run already took (it interrupted the run, or came while the reports were written) makes the next the second.
  guard.runOver(end.interrupted || end.signalledAfterRun === true);
  if (baseline) for (const note of (await import('../report/baseline-not-run.ts')).baselineNotes(baseline, end.matrix)) io.err.write(`${note}\n`);
  return finish(end, config, flags, io, onVitest ? 'vitest' : 'in-process', [...loaded.plan.cases.keys()]);
}

/**
 * A record run whose target or model folder, or fixture file, under --fixtures is a symbolic link stops here, before
 * anything is sent (but the credentials check): it would write through it, or replace it (transport/fixture-links.ts).
 */
async function refuseLinkedFixtureFolders(config: RunConfig, work: readonly CellWork[], cases: ReadonlyMap<string, { probe: boolean }>, err: NodeJS.WritableStream): Promise<void> {
  const recording = new Set(config.targets.filter((t) => t.mode === 'record').map((t) => t.id));
  if (recording.size === 0) return;
  const { linkedFixture } = await import('../transport/fixture-links.ts');
  // The cases a cell may record: its checks' and the probes (those of its APIs ask first).
  const probes = [...cases].filter(([, c]) => c.probe).map(([id]) => id);
  const cells = work.filter((cell) => recording.has(cell.target)).map((cell) => ({ ...cell, cases: [...new Set([...cell.checks.flatMap((c) => c.cases), ...probes])] }));
  for (const cell of cells) {
    const linked = await linkedFixture(config.fixturesDir, cell.target, cell.model, cell.cases);
    if (linked) throw usage('--fixtures', `${linked}. Nothing was recorded.`);
  }
  // A recording of another --suites folder with a case id of this one's is never replaced; one of a case it dropped is taken over, in a note (suites-ownership.ts).
  const [{ filesOf }, { otherSuitesRecording }] = await Promise.all([import('../run/suites-ownership.ts'), import('./suites-conflict.ts')]);
  const notes: string[] = [];
  const taken = await otherSuitesRecording(config, filesOf(config.fixturesDir, cells), undefined, notes);
  if (taken) throw usage('--fixtures', `${taken}. Nothing was recorded.`);
  for (const note of notes) err.write(`${inertLine(note, 2000)}\n`);
  // A target folder holds one surface's and site's recordings (replay judges it as one): checked again at the first write.
  const { otherSurfaceIn, otherSurfaceProblem, recordingSite } = await import('../transport/recorded-surface.ts');
  for (const target of config.targets.filter((t) => t.mode === 'record')) {
    const found = await otherSurfaceIn(config.fixturesDir, target.id, recordingSite(target, config.recordSource));
    if (found) throw usage('--fixtures', `${otherSurfaceProblem(target.id, found)}. Nothing was recorded.`);
  }
}

/** `--threads n`: a replay's; live and record runs wait on the endpoint, and a run on vitest judges in one thread. */
function threadsFlag(raw: string | undefined, config: RunConfig, onVitest: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const threads = intFlag('--threads', raw, 1, RUN_RANGES['--threads']);
  if (threads === 1) return threads;
  if (!config.targets.every((t) => t.mode === 'replay')) throw usage('--threads', 'applies to replay only (live and record runs wait on the endpoint, not the CPU: see --concurrency)');
  if (onVitest) throw usage('--threads', 'a run on vitest (--ui, arguments after --) judges in one thread; leave --threads out');
  return threads;
}

/**
 * `--models listed` / `catalog+listed`: each target's model list decides what it runs (with the catalog, or the ids
 * named); the plan holds every id any target runs. Ids listed but not in the catalog have no stated expectations.
 */
async function discoverModels(config: RunConfig, err: NodeJS.WritableStream): Promise<void> {
  const [{ loadCatalog }, { ALL_CHECKS }, { readModelLists }] = await Promise.all([import('../suite/load-catalog.ts'), import('../checks/registry.ts'), import('./model-lists.ts')]);
  const catalogIds = (await loadCatalog(config.catalogFile, ALL_CHECKS)).models.map((m) => m.id);
  const lists = await readModelLists(config, catalogIds);
  // A list read in part still runs what it holds (the matrix's modelList source names the part missing); said now, even with --quiet.
  for (const l of lists) if (l.missing.length) err.write(`warning: --models listed: ${inertLine(`target ${l.target}'s model list was not read whole (${l.missing.join('; ')}); a model on the part not read is not run${l.advice ? `; ${l.advice}` : ''}`, 2000)}\n`);
  const base = [...config.models, ...(config.discover === 'catalog+listed' ? catalogIds : [])];
  for (const target of config.targets) {
    const list = lists.find((l) => l.target === target.id)!;
    target.discovered = { models: [...new Set([...base, ...list.ids])], listing: list.listing };
  }
  const listed = lists.flatMap((l) => l.ids);
  const ordered = [...base, ...catalogIds.filter((id) => listed.includes(id)), ...[...new Set(listed)].filter((id) => !catalogIds.includes(id)).sort()];
  config.models = [...new Set(ordered)];
}

async function finish(end: RunEnd, config: RunConfig, flags: RunCommandFlags, io: RunIo, runner: RunOutcome['runner'], caseIds: readonly string[]): Promise<RunOutcome> {
  if (end.fatal) {
    // The job's page says why the run stopped (its partial matrix, gate and reason), as the console does.
    if (!end.writeError) await appendStepSummary(end.matrix, io.err);
    // The partial matrix was written, and its gate is the cells' (often exit 1): said here, or a reader takes the
    // file's gate for the run's. The run exits 2, as documented.
    if (!flags.quiet && !end.writeError && end.files.length && io.reportPaths !== false) {
      io.out.write(`reports (partial): ${printedPaths(end.files)}\n`);
      io.out.write(`gate: not the exit code: the partial matrix says ${gateLine(end.matrix.gate, end.matrix.run)}, but the run exits 2 (the credentials were rejected mid-run)\n`);
    }
    const [{ credentialsToCheck }, { agedOutToken }, { sigv4Refusal }] = await Promise.all([import('./preflight.ts'), import('../transport/auth/token.ts'), import('./sigv4-refusal.ts')]);
    // The fatal message quotes the endpoint's (redacted) message: one inert, bounded line, as every endpoint string.
    // An expired short-term token is the token's age, a SigV4 region, clock or session refusal its own (sigv4-refusal.ts).
    throw new HarnessError('HARNESS_AUTH_REJECTED', `${inertLine(end.fatal.message)}. The run stopped; ${agedOutToken(config.auth.kind, end.fatal.message) ?? sigv4Refusal(config.auth, end.fatal.message, config.targets.filter((t) => t.mode !== 'replay').map((t) => t.region)) ?? `check ${credentialsToCheck(config.auth)}`}.`);
  }
  if (end.writeError instanceof HarnessError && end.writeError.code === 'HARNESS_DISK_FULL') throw end.writeError;
  if (end.writeError) {
    throw new HarnessError('HARNESS_USAGE', `--report-dir ${config.reportDir}: cannot write the reports (${end.writeError.message}); pick a folder you can write to`, { cause: end.writeError });
  }
  // The matrices earlier runs set aside go once this run's own is written, not before: a run stopped before it wrote
  // one (a signal during set-up, a crash) leaves them, and loses nothing a live run paid for.
  await dropEarlierMatrices(config.reportDir, config.baselineFile ? [config.baselineFile] : []);
  const { matrix } = end;
  // An interrupted run proves nothing: it is not kept in the history.
  if (config.historyDir && !end.interrupted) {
    const { appendRun } = await import('../history/history-file.ts');
    end.files.push(await appendRun(config.historyDir, matrix));
  }
  // The gate fails a partial run (a spend cap left cells unsent), a record run that kept earlier fixtures, and says
  // interrupted after Ctrl-C (report/gate.ts): the reports, the console and the exit code say the same.
  const exitCode = end.interrupted ? EXIT.interrupted : matrix.gate.exitCode;
  if (!flags.quiet) io.out.write(summaryLines(matrix, end, io.reportPaths !== false).join('\n') + '\n');
  // Fixtures stay true: a record run names the recordings of cases its suites do not have (even with --quiet). It
  // removes none (`fixtures prune` does, on purpose, after --dry-run shows what goes); another --suites folder's
  // recordings are not stale, and one that names no folder is named apart (stale-recordings.ts).
  if (!end.interrupted) {
    const [{ pruneFixtures }, { staleLines }, { runSuitesLabel }] = await Promise.all([import('../transport/fixture-prune.ts'), import('./stale-recordings.ts'), import('../run/suites-ownership.ts')]);
    const [models, suites] = [matrix.models.map((m) => m.id), await runSuitesLabel(config)];
    for (const target of matrix.targets.filter((t) => t.mode === 'record')) {
      const stale = await pruneFixtures(config.fixturesDir, target.id, caseIds, { suites, models, dryRun: true });
      io.out.write((await staleLines(target.id, stale, config, config.root, suites === undefined)).join(''));
    }
  }
  // GitHub Actions shows this file on the job's page; only what changed (or what gates) goes in, and a matrix.json too large to read again.
  // vitest broke after the checks began: their reports stand, and the exit code says the view broke (2 or 3), not the
  // gate; the job's page says so too, or it reads "exit 0" on a red job.
  const viewExit = end.viewBroke ? { code: end.viewBroke.code === 'HARNESS_INTERNAL' ? EXIT.internal : EXIT.usage, why: `${end.viewBroke.code}: ${end.viewBroke.message}` } : undefined;
  await appendStepSummary(matrix, io.err, process.env, await warnWrittenSize(end.files, io.err), viewExit);
  if (end.viewBroke) throw end.viewBroke;
  return { exitCode, matrix, config, runner };
}

/** The console's last lines: totals, coverage, what gates, where the reports are (with `paths`), and the gate, which never says pass for a run that did not finish. */
function summaryLines(matrix: Matrix, end: RunEnd, paths: boolean): string[] {
  const ran = end.results.length;
  const planned = matrix.results.length;
  const lines = [`${matrix.models.length} models x ${matrix.checks.length} checks on ${matrix.targets.map((t) => t.id).join(', ')}: ${ran} of ${planned} ran: ${statusLine(matrix)}`];
  // "ran" counts cells a spend cap skipped too: the coverage says how much was observed, as every report opens.
  lines.push(`coverage: ${coverageLine(matrix)}`);
  if (matrix.run.partial) lines.push(`partial run: ${inertLine(matrix.run.partialReason)}`);
  if (matrix.comparison) lines.push(describeComparison(matrix.comparison, matrix));
  // The run's own partial reason is said above; a partial problem of the gate's own (a target that ran nothing) is not.
  lines.push(...gateLines(matrix.gate.problems.filter((p) => p.kind !== 'interrupted' && !(p.kind === 'partial' && matrix.run.partial && p.message.startsWith('partial run: '))), matrix.gate.gating));
  lines.push(...answeredAsAnotherLines(matrix));
  for (const t of matrix.targets) if (notReadWhole(t.modelList)) lines.push(`  model list of ${inertLine(t.id)} not read whole: ${inertLine(notReadWhole(t.modelList))}; its models on the part not read did not run`);
  if (paths) lines.push(`reports: ${printedPaths(end.files)}`);
  lines.push(`gate: ${gateLine(matrix.gate, matrix.run)}${end.interrupted ? `; ${ran} of ${planned} checks ran` : ''}`);
  return lines;
}
