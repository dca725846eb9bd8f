import { defineConfig } from 'vitest/config';

/**
 * The harness's own tests (`npm test`). The conformance run itself is a separate vitest project, configured in
 * src/run/vitest-config.ts and started by `mantle-conformance run` (it needs the generated spec files).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Screenshots the browser test attaches go beside its other output, not into a new top-level folder.
          attachmentsDir: 'test-output/attachments',
          include: ['test/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
