/**
 * @module run/vitest-types
 * What the harness adds to vitest's types: the run config workers `inject`, and the result every conformance test
 * carries in `task.meta` for the matrix reporter.
 */
import type {} from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import type { RecordingProvenance } from './model-session.ts';
import type { RunConfig } from './run-config.ts';

export interface ConformanceMeta {
  target: string;
  model: string;
  check: string;
  result: CheckResult;
  expectedSource: string | null;
  /** Requests and tokens this model's session had used when the test finished (cumulative). */
  usage: { requests: number; inputTokens: number; outputTokens: number; wallMs: number };
  /** Provenance of the recordings the result was read from (replay), one per source. */
  provenance: RecordingProvenance[];
  /** Set when this model's session saw a failure that must stop the run (a bad key). */
  fatal?: { code: string; message: string };
}

declare module 'vitest' {
  interface ProvidedContext {
    mantleConformance: RunConfig;
  }
}

declare module '@vitest/runner' {
  interface TaskMeta {
    mantle?: ConformanceMeta;
  }
}
