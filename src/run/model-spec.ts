/**
 * @module run/model-spec
 * What a generated spec file calls: one vitest `describe` per (target, model), one `test` per check. Tests run
 * concurrently; cases run once and are shared by the checks that read them. A test fails in vitest exactly when
 * its result gates the run, so vitest's own summary, filters (`-t`), shards and UI agree with the matrix.
 */
import { boundResult } from '../report/bound-result.ts';
import { inertLine } from '../report/inert-text.ts';
import { describe, inject, test } from 'vitest';
import { isGating } from '../report/build-matrix.ts';
import type { Target } from '../transport/target.ts';
import { createTarget } from './create-target.ts';
import { loadPlan, type LoadedPlan } from './load-plan.ts';
import { ModelSession } from './model-session.ts';
import { loadOpenApiSchemas } from './openapi-schemas.ts';
import type { SchemaSet } from '../checks/schema.ts';
import type { RunConfig } from './run-config.ts';
import type {} from './vitest-types.ts';

interface WorkerRuntime {
  loaded: LoadedPlan;
  targets: Map<string, Target>;
  schemas?: SchemaSet;
}

// Workers run spec files with isolate: false, so one plan and one set of targets serve every file of a run.
const runtimes = new Map<string, Promise<WorkerRuntime>>();

function workerRuntime(config: RunConfig): Promise<WorkerRuntime> {
  let runtime = runtimes.get(config.runId);
  if (!runtime) {
    runtime = Promise.all([loadPlan(config), config.openapiFile ? loadOpenApiSchemas(config.openapiFile) : undefined]).then(([loaded, schemas]) => ({
      loaded,
      targets: new Map(config.targets.map((t) => [t.id, createTarget(t, config)])),
      ...(schemas ? { schemas } : {}),
    }));
    runtimes.set(config.runId, runtime);
  }
  return runtime;
}

export async function defineModelSpec(targetId: string, modelId: string): Promise<void> {
  const config = inject('mantleConformance');
  const runtime = await workerRuntime(config);
  const model = runtime.loaded.plan.models.find((m) => m.id === modelId);
  const target = runtime.targets.get(targetId);
  const title = config.targets.length > 1 ? `${targetId} › ${modelId}` : modelId;
  if (!model || !target) {
    describe(title, () => test.skip('not in this run’s plan', () => {}));
    return;
  }
  let fatal: { code: string; message: string } | undefined;
  const session = new ModelSession(runtime.loaded.plan, model, target, {
    repeat: config.repeat,
    ...(runtime.schemas ? { schemas: runtime.schemas } : {}),
    onAuthRejected: (_exchange, message) => {
      fatal ??= { code: 'HARNESS_AUTH_REJECTED', message };
    },
  });
  describe.concurrent(title, () => {
    for (const check of model.checks) {
      test(check.id, async (context) => {
        // Bounded before it travels to the main thread: a reason that quotes a 6 MB body keeps a few KiB.
        const result = boundResult(await session.runCheck(check, context.signal));
        const expectedSource = check.expectation?.source ?? null;
        context.task.meta.mantle = {
          target: targetId,
          model: modelId,
          check: check.id,
          result,
          expectedSource,
          usage: { ...session.usage },
          provenance: session.provenance(),
          ...(fatal ? { fatal } : {}),
        };
        if (result.status === 'unsupported' || result.status === 'skipped') context.skip(`${result.status}: ${result.reason}`);
        if (isGating({ status: result.status, expected: result.expected, expectedSource })) {
          const failure = new Error(`${result.status}: ${inertLine(result.reason, 1000)}`);
          failure.stack = failure.message;
          throw failure;
        }
        if (result.status !== 'pass') await context.annotate(`${result.status} (not gating): ${inertLine(result.reason, 1000)}`, 'notice');
      });
    }
  });
}
