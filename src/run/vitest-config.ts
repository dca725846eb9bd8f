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
  /** Worker threads. @default min(models x targets, 8) */
  maxWorkers?: number;
}

export function conformanceVitestConfig(options: ConformanceVitestOptions) {
  const { config } = options;
  const files = Math.max(1, config.targets.length * Math.max(1, config.models.length || 8));
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
    maxWorkers: options.maxWorkers ?? Math.min(files, 8),
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
