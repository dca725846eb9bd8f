import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The harness's own tests (`npm test`). A conformance run does not use this file: it runs in-process, or on vitest
 * with the configuration in src/run/vitest-view.ts.
 *
 * Most tests wait on loopback servers and child processes, so files run in parallel, one more worker than cores
 * (at least three). Workers are not isolated: a worker imports the harness once and runs many files with it
 * (the suites, the catalog and the compiled schemas are loaded once per worker, not once per file). Tests keep
 * no state in modules they share; the in-process CLI helper restores the environment and working directory.
 */
export default defineConfig({
  test: {
    // Transformed modules kept on disk between runs (keyed by content): a single file's run went from 7.1 s to 3.5 s
    // once warm (transform 2.8 s to 0.3 s), and every worker imports the harness faster. In test-output/ (ignored by
    // git), not node_modules/.vite: a worktree's node_modules is often another checkout's, linked.
    experimental: { fsModuleCache: true, fsModuleCachePath: 'test-output/.vitest-module-cache' },
    projects: [
      {
        test: {
          name: 'unit',
          // Screenshots the browser test attaches go beside its other output, not into a new top-level folder.
          attachmentsDir: 'test-output/attachments',
          include: ['test/**/*.test.ts'],
          // Builds the package once; tests that need a child process run it (test/helpers/build-package.ts).
          globalSetup: ['test/helpers/build-package.ts'],
          // Forks: the in-process CLI helper changes the working directory, which worker threads cannot.
          pool: 'forks',
          isolate: false,
          maxWorkers: Math.max(3, availableParallelism() + 1),
          // Run in GitHub Actions or GitLab CI, every run a test makes would record that CI run as its own (run.ci) and
          // history would read a test's separate runs as one: the tests give the CI identity themselves where they want one.
          env: { GITHUB_ACTIONS: '', GITLAB_CI: '' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
