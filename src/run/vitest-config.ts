/**
 * @module run/vitest-config
 * The vitest configuration of a conformance run: the generated spec files, the run config handed to workers,
 * threads without isolation (one plan per worker), and tests that run concurrently under the harness's own limits.
 */
import type { Reporter } from 'vitest/node';
import type { RunConfig } from './run-config.ts';

export interface ConformanceVitestOptions {
  config: RunConfig;
  reporters: Reporter[];
  /** Worker threads. @default workerCount(config, files) */
  maxWorkers?: number;
}

/**
 * Enough workers to keep `--concurrency` requests in flight when each model is held to `--model-concurrency`
 * (a worker runs one model file at a time), twice over for the models waiting on their probes; never more than
 * there are files. The coordinator, not the worker count, enforces the limits.
 */
export function workerCount(config: RunConfig, files: number): number {
  const needed = 2 * Math.ceil(config.concurrency / config.modelConcurrency);
  return Math.max(1, Math.min(files, needed, 16));
}

export function conformanceVitestConfig(options: ConformanceVitestOptions & { files: number }) {
  const { config } = options;
  return {
    config: false as const,
    watch: false,
    root: config.root,
    dir: config.specDir,
    include: ['**/*.spec.ts'],
    exclude: [],
    provide: { mantleConformance: config },
    pool: 'threads' as const,
    isolate: false,
    maxWorkers: options.maxWorkers ?? workerCount(config, options.files),
    fileParallelism: true,
    // The harness bounds every request with --timeout and retries; vitest's own timeout would cut them short.
    testTimeout: 24 * 60 * 60 * 1000,
    hookTimeout: 24 * 60 * 60 * 1000,
    maxConcurrency: 10_000,
    passWithNoTests: true,
    reporters: options.reporters,
    printConsoleTrace: false,
  };
}
