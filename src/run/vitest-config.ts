/**
 * @module run/vitest-config
 * The vitest configuration of a conformance run: the generated spec files, the run config handed to workers,
 * threads without isolation (one plan per worker), and tests that run concurrently under the harness's own limits.
 */
import { availableParallelism } from 'node:os';
import type { Reporter } from 'vitest/node';
import type { RunConfig } from './run-config.ts';

export interface ConformanceVitestOptions {
  config: RunConfig;
  reporters: Reporter[];
  /** Worker threads. @default workerCount(config, files) */
  maxWorkers?: number;
}

/**
 * Live and record: one worker per slot of `--concurrency` (capped at 16, never more than there are files). A worker runs one model
 * file at a time, and a model's requests are often serial (probe, then the case; create, then poll), so a model
 * rarely fills more than one slot for long; fewer workers would leave slots idle while models wait on polls.
 * The coordinator, not the worker count, enforces the limits.
 */
export function workerCount(config: RunConfig, files: number): number {
  // Replay has no network to wait on: it is CPU-bound, and more threads than cores only add start-up.
  const slots = config.targets.every((t) => t.mode === 'replay') ? availableParallelism() : config.concurrency;
  return Math.max(1, Math.min(files, slots, 16));
}

export function conformanceVitestConfig(options: ConformanceVitestOptions & { files: number }) {
  const { config } = options;
  return {
    config: false as const,
    watch: false,
    root: config.root,
    dir: config.specDir ?? config.root,
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
