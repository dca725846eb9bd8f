/**
 * A stopped shard's matrix says "not reached" only of the cells it selected: the other shards' cells were never its
 * to run, and say so (buildRunMatrix, with the work the run selected, as finishRun hands it).
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { buildRunMatrix } from '../src/run/run-matrix.ts';
import type { RunConfig } from '../src/run/run-config.ts';
import { coverageLine } from '../src/report/gate.ts';
import { projectSuites } from './helpers/harness.ts';

const MODELS = ['xai.grok-4.3', 'qwen.qwen3-32b'];

describe('buildRunMatrix of a stopped shard', () => {
  it('labels only its own selected cells "not reached", the other shard\'s as another shard\'s', async () => {
    const { suites, catalog } = await projectSuites();
    const plan = buildPlan(suites, catalog, ALL_CHECKS, { models: MODELS });
    const target = { id: 'emulator', mode: 'replay', endpointHost: null, region: null, surface: 'mantle', site: null };
    const config = { runId: 'L2', harnessVersion: '0.0.0', suitesDir: 's', catalogFile: 'c', models: MODELS, checks: [], targets: [target], maxErrors: 5, recordSource: 'x' } as unknown as RunConfig;
    // This shard selected the second model only, and was stopped before it ran anything.
    const mine = plan.models.find((m) => m.id === MODELS[1])!;
    const work = [{ target: 'emulator', model: mine.id, checks: mine.checks }];
    const matrix = buildRunMatrix({
      config,
      loaded: { suites, catalog, plan },
      results: [],
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      partial: { reason: 'interrupted (Ctrl-C)', interrupted: true },
      filters: [],
      shard: '2/2',
      work,
    });
    const reasons = (model: string) => new Set(matrix.results.filter((r) => r.model === model).map((r) => r.reason));
    expect(reasons(MODELS[1]!)).toEqual(new Set(['not reached: interrupted (Ctrl-C)']));
    expect(reasons(MODELS[0]!)).toEqual(new Set(['not run: filtered out (a model filter or -t) or in another shard']));
    expect(coverageLine(matrix)).toContain(`${mine.checks.length} not reached`);
  });
});
