/**
 * @module cli/run-command
 * `mantle-conformance run`: validate everything (exit 2 before any request), check the credentials once against
 * the endpoint, generate the spec files, run them on vitest with the matrix and progress reporters, and exit
 * 0 (nothing gates), 1 (something gates) or 2 (usage, configuration, credentials).
 */
import { appendFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseCLI, startVitest } from 'vitest/node';
import { HarnessError } from '../errors.ts';
import { DEFAULT_REPORTS, REPORT_WRITERS } from '../report/index.ts';
import { describeComparison } from '../report/compare.ts';
import { gateLine } from '../report/gate.ts';
import { inertLine } from '../report/inert-text.ts';
import { statusLine } from '../report/markdown-report.ts';
import { renderStepSummary } from '../report/step-summary.ts';
import type { Matrix } from '../report/matrix.ts';
import { startCoordinator } from '../run/coordinator.ts';
import { loadPlan } from '../run/load-plan.ts';
import { loadOpenApiSchemas } from '../run/openapi-schemas.ts';
import { MatrixReporter } from '../run/matrix-reporter.ts';
import { ProgressReporter } from '../run/progress-reporter.ts';
import type { RunConfig } from '../run/run-config.ts';
import { weightedSequencer, modelWeight } from '../run/sequencer.ts';
import { makeSpecDir, removeSpecFiles, writeSpecFiles } from '../run/spec-files.ts';
import { conformanceVitestConfig } from '../run/vitest-config.ts';
import { preflight } from './preflight.ts';
import { EXIT } from './project.ts';
import { readMatrix } from './report-commands.ts';
import { resolveRunConfig, type RunFlags } from './run-options.ts';

export interface RunCommandFlags extends RunFlags {
  ui?: boolean;
  shard?: string;
  testNamePattern?: string;
  /** Arguments after `--`, handed to vitest as they are. */
  vitestArgs?: string[];
  /** Plain progress lines even on a TTY. */
  plain?: boolean;
  quiet?: boolean;
}

export interface RunOutcome {
  exitCode: number;
  matrix?: Matrix;
  config: RunConfig;
}

export async function runCommand(
  filters: string[],
  flags: RunCommandFlags,
  root: string,
  version: string,
  io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream } = { out: process.stdout, err: process.stderr },
): Promise<RunOutcome> {
  const config = await resolveRunConfig(flags, root, version);
  const loaded = await loadPlan(config);
  // Read the OpenAPI document now, so a bad one stops the run with exit 2 before anything is sent.
  if (config.openapiFile) await loadOpenApiSchemas(config.openapiFile);
  if (config.targets.some((t) => t.mode !== 'replay')) await preflight(config);
  const cells = config.targets.flatMap((t) => loaded.plan.models.map((m) => ({ target: t.id, model: m.id })));
  const baseline = config.baselineFile ? await readMatrix(config.baselineFile) : undefined;
  const extra = flags.vitestArgs?.length ? parseCLI(['vitest', ...flags.vitestArgs]) : { filter: [], options: {} };
  const live = config.targets.some((t) => t.mode !== 'replay');
  const coordinator = live
    ? await startCoordinator({ concurrency: config.concurrency, perModel: config.modelConcurrency, tpm: config.tpm, maxRequests: config.maxRequests, maxTokensTotal: config.maxTokensTotal })
    : undefined;
  if (coordinator) config.coordinatorUrl = coordinator.url;
  const matrixReporter = new MatrixReporter({
    config,
    loaded,
    writers: DEFAULT_REPORTS.map((name) => REPORT_WRITERS[name]!),
    filters: [...filters, ...(flags.testNamePattern ? [`-t ${flags.testNamePattern}`] : []), ...(flags.vitestArgs ?? [])],
    ...(baseline ? { baseline } : {}),
    ...(flags.shard ? { shard: flags.shard } : {}),
  });
  const total = cells.length * loaded.plan.checks.length;
  let vitest: Awaited<ReturnType<typeof startVitest>> | undefined;
  const interrupt = interruptHandler(io.err, Boolean(flags.ui), () => {
    matrixReporter.markPartial('interrupted (Ctrl-C)');
    coordinator?.scheduler.stop('HARNESS_INTERRUPTED', 'not sent: the run was interrupted (Ctrl-C)');
    void vitest?.cancelCurrentRun('keyboard-input');
  });
  const figures = coordinator ? () => coordinator.figures() : undefined;
  const reporters = [
    interrupt.reporter,
    matrixReporter,
    ...(flags.quiet ? [] : [new ProgressReporter({ total, plain: flags.plain ?? false, stream: io.err, ...(figures ? { figures } : {}) })]),
  ];
  // vitest reporters named after `--` (e.g. --reporter=verbose) run beside the harness's own, never instead of them.
  const { reporter: extraReporters, ...extraOptions } = extra.options as { reporter?: string | string[] };
  const allReporters = [...reporters, ...[extraReporters ?? []].flat()];
  // The stubs' folder is made last, just before the try that removes it, so no failure path leaves it behind.
  const specDir = await makeSpecDir(config.runId);
  config.specDir = specDir;
  const specFiles = await writeSpecFiles(specDir, cells).catch(async (error: unknown) => {
    await removeSpecFiles(specDir);
    throw error;
  });
  const weights = new Map(specFiles.map((file, i) => [file, modelWeight(loaded.plan, cells[i]!.model)]));
  const vitestConfig = {
    ...conformanceVitestConfig({ config, reporters, files: cells.length }),
    sequence: { sequencer: weightedSequencer(weights, specDir) },
    ...extraOptions,
    ...(flags.ui ? { ui: true, watch: true, open: Boolean(process.stdout.isTTY) } : {}),
    ...(flags.shard ? { shard: flags.shard } : {}),
    ...(flags.testNamePattern ? { testNamePattern: flags.testNamePattern } : {}),
    reporters: allReporters,
  };
  try {
    vitest = await startVitest('test', [...filters, ...extra.filter], vitestConfig as Parameters<typeof startVitest>[2]);
    if (flags.ui) {
      const address = vitest.vite.httpServer?.address();
      const port = typeof address === 'object' && address ? address.port : vitest.vite.config.server.port;
      io.err.write(`vitest UI: http://${vitest.config.api?.host ?? 'localhost'}:${port}${vitest.config.uiBase} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    interrupt.dispose();
    await vitest?.close();
    await coordinator?.close();
    await removeSpecFiles(specDir);
  }
  if (matrixReporter.fatal) {
    throw new HarnessError('HARNESS_AUTH_REJECTED', `${matrixReporter.fatal.message}. The run stopped; check the key in ${config.auth.apiKeyEnv} (or --api-key-env / --auth).`);
  }
  if (matrixReporter.writeError) {
    throw new HarnessError('HARNESS_FILE_NOT_FOUND', `--report-dir ${config.reportDir}: cannot write the reports (${matrixReporter.writeError.message}); pick a folder you can write to`, {
      cause: matrixReporter.writeError,
    });
  }
  const matrix = matrixReporter.matrix;
  if (!matrix) throw new HarnessError('HARNESS_INTERNAL', 'vitest finished without a matrix; rerun with -- --reporter=verbose to see why');
  if (!flags.quiet) printSummary(matrix, matrixReporter.files, io.out);
  // GitHub Actions shows this file on the job's page; only what changed (or what gates) goes in.
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, renderStepSummary(matrix));
  // An interrupted run proves nothing: exit as a shell does after Ctrl-C, after the partial matrix is written.
  return { exitCode: interrupt.interrupted ? EXIT.interrupted : matrix.gate.exitCode, matrix, config };
}


/**
 * Ctrl-C stops sending, lets vitest cancel the run (in-flight requests are abandoned through the tests' abort
 * signals), and still writes the matrix of what finished. vitest exits the process on SIGINT itself, so its
 * handler is replaced once it is installed. A second Ctrl-C quits at once.
 */
function interruptHandler(err: NodeJS.WritableStream, ui: boolean, stop: () => void) {
  const state = { interrupted: false };
  const before = new Set(process.listeners('SIGINT'));
  const onSigint = () => {
    // With the UI, Ctrl-C is how the session ends, after the run: not an interruption.
    if (ui) return;
    if (state.interrupted) process.exit(EXIT.interrupted);
    state.interrupted = true;
    err.write('\nInterrupted: no new requests; abandoning those in flight and writing the partial matrix (Ctrl-C again to quit now)\n');
    stop();
  };
  process.on('SIGINT', onSigint);
  const takeOver = () => {
    for (const listener of process.listeners('SIGINT')) if (!before.has(listener) && listener !== onSigint) process.off('SIGINT', listener as () => void);
  };
  return {
    get interrupted() {
      return state.interrupted;
    },
    reporter: { onInit: takeOver, onTestRunStart: takeOver },
    dispose: () => process.off('SIGINT', onSigint),
  };
}

function printSummary(matrix: Matrix, files: string[], out: NodeJS.WritableStream): void {
  const lines = [
    `${matrix.models.length} models x ${matrix.checks.length} checks on ${matrix.targets.map((t) => t.id).join(', ')}: ${statusLine(matrix.totals.byStatus)}`,
  ];
  if (matrix.run.partial) lines.push(`partial run: ${matrix.run.partialReason}`);
  if (matrix.comparison) lines.push(describeComparison(matrix.comparison));
  for (const p of matrix.gate.problems) lines.push(`  ${inertLine(p.message)}`);
  for (const g of matrix.gate.gating.slice(0, 20)) lines.push(`  gating: ${g.model} ${g.check} (${g.target}): ${inertLine(g.reason)}`);
  if (matrix.gate.gating.length > 20) lines.push(`  ... and ${matrix.gate.gating.length - 20} more (see the reports)`);
  lines.push(`reports: ${files.map((f) => relative(process.cwd(), f) || f).join(', ')}`);
  lines.push(`gate: ${gateLine(matrix.gate)}`);
  out.write(`${lines.join('\n')}\n`);
}
