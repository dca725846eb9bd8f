/**
 * @module run/sequencer
 * The order vitest hands model files to workers: longest first. A worker runs one model at a time, and a model
 * that serves the Responses API waits on background polls and multi-step chains; started last, those models
 * would leave the other workers idle at the end of the run. Shards are cut from the files' names relative to the
 * run's spec folder, which every shard of a run names the same way (the folder itself is unique per process).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSequencer, type TestSpecification, type Vitest } from 'vitest/node';
import type { Plan } from '../plan/plan.ts';

const API_CHECK: Record<string, string> = {
  'chat-completions': 'api.chat-completions',
  responses: 'api.responses',
  messages: 'api.messages',
  'count-tokens': 'api.count-tokens',
};

/** Rough work of a model: the steps of the cases it is expected to run, a polling step counting for a long wait. */
export function modelWeight(plan: Plan, modelId: string): number {
  const model = plan.models.find((m) => m.id === modelId);
  const served = (api: string) => {
    const check = API_CHECK[api];
    const expectation = model?.checks.find((c) => c.id === check)?.expectation;
    return !check || !expectation || expectation.value === 'supported';
  };
  let weight = 0;
  for (const spec of plan.cases.values()) {
    if (!spec.probe && !served(spec.api)) continue;
    for (const step of spec.steps) weight += step.poll ? 20 : 1;
  }
  return weight;
}

export function weightedSequencer(weights: ReadonlyMap<string, number>, specDir: string): new (ctx: Vitest) => TestSequencer {
  return class LongestFirstSequencer extends BaseSequencer {
    override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
      const shard = this.ctx.config.shard;
      if (!shard) return files;
      const name = (file: TestSpecification) => relative(specDir, file.moduleId);
      const ordered = [...files].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
      const size = Math.ceil(ordered.length / shard.count);
      return ordered.slice(size * (shard.index - 1), size * shard.index);
    }

    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return [...files].sort((a, b) => (weights.get(b.moduleId) ?? 0) - (weights.get(a.moduleId) ?? 0) || (a.moduleId < b.moduleId ? -1 : 1));
    }
  };
}
