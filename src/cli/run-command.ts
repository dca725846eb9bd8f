/**
 * @module cli/run-command
 * `mantle-conformance run`: validate everything (exit 2 before any request), check the credentials once against
 * the endpoint, generate the spec files, run them on vitest with the matrix and progress reporters, and exit
 * 0 (nothing gates), 1 (something gates) or 2 (usage, configuration, credentials).
 */
import { relative } from 'node:path';
import { parseCLI, startVitest } from 'vitest/node';
import { HarnessError } from '../errors.ts';
import { DEFAULT_REPORTS, REPORT_WRITERS } from '../report/index.ts';
import { statusLine } from '../report/markdown-report.ts';
import type { Matrix } from '../report/matrix.ts';
import { loadPlan } from '../run/load-plan.ts';
import { MatrixReporter } from '../run/matrix-reporter.ts';
import { ProgressReporter } from '../run/progress-reporter.ts';
import type { RunConfig } from '../run/run-config.ts';
import { removeSpecFiles, writeSpecFiles } from '../run/spec-files.ts';
import { conformanceVitestConfig } from '../run/vitest-config.ts';
import { preflight } from './preflight.ts';
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
  if (config.targets.some((t) => t.mode !== 'replay')) await preflight(config);
  const cells = config.targets.flatMap((t) => loaded.plan.models.map((m) => ({ target: t.id, model: m.id })));
  await writeSpecFiles(config.specDir, cells);
  const matrixReporter = new MatrixReporter({
    config,
    loaded,
    writers: DEFAULT_REPORTS.map((name) => REPORT_WRITERS[name]!),
    filters: [...filters, ...(flags.testNamePattern ? [`-t ${flags.testNamePattern}`] : []), ...(flags.vitestArgs ?? [])],
    ...(flags.shard ? { shard: flags.shard } : {}),
  });
  const total = cells.length * loaded.plan.checks.length;
  const reporters = [matrixReporter, ...(flags.quiet ? [] : [new ProgressReporter({ total, plain: flags.plain ?? false, stream: io.err })])];
  const extra = flags.vitestArgs?.length ? parseCLI(['vitest', ...flags.vitestArgs]) : { filter: [], options: {} };
  const vitestConfig = {
    ...conformanceVitestConfig({ config, reporters }),
    ...extra.options,
    ...(flags.ui ? { ui: true, watch: true, open: true } : {}),
    ...(flags.shard ? { shard: flags.shard } : {}),
    ...(flags.testNamePattern ? { testNamePattern: flags.testNamePattern } : {}),
    reporters,
  };
  let vitest: Awaited<ReturnType<typeof startVitest>> | undefined;
  try {
    vitest = await startVitest('test', [...filters, ...extra.filter], vitestConfig as Parameters<typeof startVitest>[2]);
    if (flags.ui) {
      io.err.write('vitest UI is open; press Ctrl-C to stop.\n');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await vitest?.close();
    await removeSpecFiles(config.specDir);
  }
  if (matrixReporter.fatal) {
    throw new HarnessError('HARNESS_AUTH_REJECTED', `${matrixReporter.fatal.message}. The run stopped; check the key in ${config.auth.apiKeyEnv} (or --api-key-env / --auth).`);
  }
  const matrix = matrixReporter.matrix;
  if (!matrix) throw new HarnessError('HARNESS_INTERNAL', 'vitest finished without a matrix; rerun with -- --reporter=verbose to see why');
  if (!flags.quiet) printSummary(matrix, matrixReporter.files, io.out);
  return { exitCode: matrix.gate.exitCode, matrix, config };
}

function printSummary(matrix: Matrix, files: string[], out: NodeJS.WritableStream): void {
  const lines = [
    `${matrix.models.length} models x ${matrix.checks.length} checks on ${matrix.targets.map((t) => t.id).join(', ')}: ${statusLine(matrix.totals.byStatus)}`,
  ];
  if (matrix.run.partial) lines.push(`partial run: ${matrix.run.partialReason}`);
  for (const g of matrix.gate.gating.slice(0, 20)) lines.push(`  gating: ${g.model} ${g.check} (${g.target}): ${g.reason}`);
  if (matrix.gate.gating.length > 20) lines.push(`  ... and ${matrix.gate.gating.length - 20} more (see the reports)`);
  lines.push(`reports: ${files.map((f) => relative(process.cwd(), f) || f).join(', ')}`);
  lines.push(matrix.gate.exitCode === 0 ? 'gate: pass (exit 0)' : `gate: fail (exit 1): ${matrix.gate.gating.length} result(s) do not meet their stated expectation`);
  out.write(`${lines.join('\n')}\n`);
}
