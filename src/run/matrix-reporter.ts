/**
 * @module run/matrix-reporter
 * A vitest reporter that collects every conformance test's result and, when the run ends, builds the matrix and
 * writes the reports. Cells that produced nothing (filtered out, another shard's, not reached) are `skipped`.
 * A result carrying a fatal error (a bad key) cancels the run at once.
 */
import type { Reporter, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { buildMatrix, finishMatrix } from '../report/build-matrix.ts';
import { compareMatrices } from '../report/compare.ts';
import type { Matrix, MatrixTarget, UsageTotals } from '../report/matrix.ts';
import { writeReportFiles, type ReportContext, type ReportWriter } from '../report/report-writer.ts';
import type { LoadedPlan } from './load-plan.ts';
import type { RecordingProvenance } from './model-session.ts';
import type { RunConfig } from './run-config.ts';
import type { ConformanceMeta } from './vitest-types.ts';

export interface MatrixReporterOptions {
  config: RunConfig;
  loaded: LoadedPlan;
  writers: readonly ReportWriter[];
  context?: ReportContext;
  /** Vitest filters and flags, for the record. */
  filters?: string[];
  shard?: string;
  /** Called with the matrix once it is written. */
  onMatrix?(matrix: Matrix, files: string[]): void;
  /** A previous run to compare with (`--baseline`): the matrix gets a `comparison`, and a new failure gates. */
  baseline?: Matrix;
}

export class MatrixReporter implements Reporter {
  readonly #options: MatrixReporterOptions;
  #vitest: Vitest | undefined;
  #results: ConformanceMeta[] = [];
  #startedAt = new Date();
  /** The first fatal error a worker reported (a bad key): the run stops and exits 2. */
  fatal: { code: string; message: string } | undefined;
  matrix: Matrix | undefined;
  files: string[] = [];
  /** Why the reports could not be written, if they could not (the matrix is still kept in memory). */
  writeError: Error | undefined;
  /** Set when the run was stopped from outside (Ctrl-C). */
  #stoppedBecause: string | undefined;

  constructor(options: MatrixReporterOptions) {
    this.#options = options;
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  /** The run is being stopped (Ctrl-C): whatever it ends with is partial. */
  markPartial(reason: string): void {
    this.#stoppedBecause ??= reason;
  }

  onTestRunStart(): void {
    this.#stoppedBecause = undefined;
    this.#results = [];
    this.#startedAt = new Date();
    this.fatal = undefined;
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().mantle;
    if (!meta) return;
    this.#results.push(meta);
    if (meta.fatal && !this.fatal) {
      this.fatal = meta.fatal;
      void this.#vitest?.cancelCurrentRun('test-failure');
    }
  }

  async onTestRunEnd(_modules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): Promise<void> {
    const built = this.build(reason);
    const baseline = this.#options.baseline;
    const matrix = baseline ? finishMatrix({ ...built, comparison: compareMatrices(baseline, built) }) : built;
    this.matrix = matrix;
    try {
      this.files = await writeReportFiles(this.#options.config.reportDir, this.#options.writers.flatMap((w) => w.render(matrix, this.#options.context ?? {})));
    } catch (error) {
      this.writeError = error as Error;
      return;
    }
    this.#options.onMatrix?.(matrix, this.files);
  }

  build(reason: TestRunEndReason | 'passed' = 'passed'): Matrix {
    const { config, loaded } = this.#options;
    const finishedAt = new Date();
    const partialReason = this.fatal
      ? `stopped: ${this.fatal.message}`
      : (this.#stoppedBecause ?? (reason === 'interrupted' ? 'interrupted' : undefined));
    const usage: Record<string, UsageTotals> = {};
    const provenance = new Map<string, RecordingProvenance[]>();
    for (const meta of this.#results) {
      const key = `${meta.target}/${meta.model}`;
      const seen = usage[key];
      if (!seen || meta.usage.requests >= seen.requests) usage[key] = { ...meta.usage };
      provenance.set(meta.target, [...(provenance.get(meta.target) ?? []), ...meta.provenance]);
    }
    const checks = loaded.plan.checks.map((c) => ({ id: c.id, title: c.title, api: c.api, vocabulary: c.vocabulary, reference: c.reference?.value ?? null }));
    return buildMatrix({
      run: {
        id: config.runId,
        startedAt: this.#startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - this.#startedAt.getTime(),
        harnessVersion: config.harnessVersion,
        node: process.version,
        partial: partialReason !== undefined,
        ...(partialReason ? { partialReason } : {}),
        suites: config.suitesDir,
        catalog: config.catalogFile,
        selection: { models: config.models, checks: config.checks, filters: this.#options.filters ?? [], ...(this.#options.shard ? { shard: this.#options.shard } : {}) },
      },
      targets: config.targets.map((t): MatrixTarget => targetProvenance(t, config, provenance.get(t.id) ?? [])),
      checks,
      models: loaded.plan.models.map((m) => ({ id: m.id, family: m.family, familyTitle: m.familyTitle, inCatalog: m.inCatalog })),
      planned: config.targets.flatMap((t) =>
        loaded.plan.models.flatMap((m) =>
          m.checks.map((c) => ({ target: t.id, model: m.id, check: c.id, expected: c.expectation?.value ?? null, expectedSource: c.expectation?.source ?? null })),
        ),
      ),
      results: this.#results.map((meta) => ({ target: meta.target, model: meta.model, check: meta.check, ...meta.result, expectedSource: meta.expectedSource })),
      usage,
      maxErrors: config.maxErrors,
      catalogModels: loaded.catalog.models.map((m) => m.id),
      missingReason: partialReason ? `not reached: ${partialReason}` : 'not run: filtered out (vitest -t / file filter) or in another shard',
    });
  }
}

function targetProvenance(target: RunConfig['targets'][number], config: RunConfig, seen: RecordingProvenance[]): MatrixTarget {
  const provenance: MatrixTarget['provenance'] = { sources: [] };
  if (target.mode === 'replay') {
    provenance.sources = [...new Set(seen.map((p) => p.source))].sort();
    const from = seen.map((p) => p.recordedFrom).sort()[0];
    const to = seen.map((p) => p.recordedTo).sort().at(-1);
    if (from) provenance.recordedFrom = from;
    if (to) provenance.recordedTo = to;
    provenance.harnessVersions = [...new Set(seen.flatMap((p) => p.harnessVersions))].sort();
  } else {
    provenance.sources = [config.recordSource];
  }
  return { id: target.id, mode: target.mode, endpointHost: target.endpointHost, region: target.region, provenance };
}
