/**
 * @module run/vitest-types
 * What the harness adds to vitest's types on a run on vitest: the loopback address workers `inject` to ask for
 * results, and the result every conformance test carries in `task.meta` (for reporters given after `--`).
 */
import type {} from 'vitest';
import type { CellResult } from './cell-result.ts';

declare module 'vitest' {
  interface ProvidedContext {
    mantleConformanceResults: string;
  }
}

declare module '@vitest/runner' {
  interface TaskMeta {
    mantle?: CellResult;
  }
}
