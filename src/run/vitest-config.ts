/**
 * @module run/vitest-config
 * The options a run on vitest starts vitest with: the harness's spec files, its reporter first, and the arguments
 * given after `--` on top, but for the few the harness must keep (its timeouts, its reporter).
 */
import { availableParallelism } from 'node:os';
import type { startVitest } from 'vitest/node';

/** What vitest runs: the run's root, its spec folder and files, where tests ask for results, the harness's reporter. */
export interface VitestSetup {
  root: string;
  specDir: string;
  files: number;
  resultsUrl: string;
  reporter: object;
  ui: boolean;
  /** The arguments after `--`, parsed. */
  vitestOptions: Record<string, unknown>;
}

/** startVitest's options for `setup`. */
export function vitestConfig(setup: VitestSetup): Parameters<typeof startVitest>[2] {
  const { reporter: extraReporters, ...vitestOptions } = setup.vitestOptions as { reporter?: string | string[] };
  return {
    config: false,
    watch: false,
    root: setup.root,
    dir: setup.specDir,
    include: ['**/*.spec.ts'],
    exclude: [],
    provide: { mantleConformanceResults: setup.resultsUrl },
    pool: 'threads',
    isolate: false,
    maxWorkers: Math.max(1, Math.min(availableParallelism(), setup.files)),
    fileParallelism: true,
    maxConcurrency: 10_000,
    passWithNoTests: true,
    printConsoleTrace: false,
    ...vitestOptions,
    // The harness bounds every request with --timeout and retries; vitest's own timeout would cut them short
    // (and fail checks the matrix passes): kept whatever came after `--` (cli/vitest-args.ts refuses them there).
    testTimeout: 24 * 60 * 60 * 1000,
    hookTimeout: 24 * 60 * 60 * 1000,
    // vitest reporters named after `--` (e.g. --reporter=verbose) run beside the harness's own, never instead.
    reporters: [setup.reporter, ...[extraReporters ?? []].flat()],
    ...(setup.ui ? { ui: true, watch: true, open: Boolean(process.stdout.isTTY) } : {}),
  } as Parameters<typeof startVitest>[2];
}
