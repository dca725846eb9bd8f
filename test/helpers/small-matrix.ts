/**
 * A small matrix built the way a run builds one (buildMatrix): one target, the given models, three checks; cells
 * can be overridden, and the target and run id named (one run per region). For report tests that need no run.
 */
import { buildMatrix } from '../../src/report/build-matrix.ts';
import type { Matrix, MatrixResult } from '../../src/report/matrix.ts';

/** A small matrix built as a run builds one: one target, the given models, three checks (or `checks`). */
export function smallMatrix(
  cells: Partial<MatrixResult>[] = [],
  models = ['xai.grok-4.3', 'qwen.qwen3-32b'],
  checks = ['path-prefix', 'created-at.chat', 'defaults.temperature'],
  { target = 'emulator', runId = 'r1', shard }: { target?: string; runId?: string; shard?: string } = {},
): Matrix {
  const planned = models.flatMap((model) => checks.map((check) => ({ target, model, check, expected: check === 'created-at.chat' ? 'integer' : null, expectedSource: check === 'created-at.chat' ? 'openai-reference: x' : null })));
  const results = planned.map((p) => ({ ...p, status: 'pass' as const, observed: p.check === 'created-at.chat' ? 'integer' : p.check === 'path-prefix' ? '/v1' : 1, reason: 'ok', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200 }], ...cells.find((c) => c.model === p.model && c.check === p.check && (c.target ?? target) === target) }));
  return buildMatrix({
    run: { id: runId, startedAt: '2026-11-24T08:00:00.000Z', finishedAt: '2026-11-24T08:00:10.000Z', durationMs: 10_000, harnessVersion: '0.1.0', node: 'v20', partial: false, suites: 's', catalog: 'c', selection: { models: [], checks: [], filters: [], ...(shard ? { shard } : {}) } },
    targets: [{ id: target, mode: 'replay', endpointHost: null, region: null, provenance: { sources: ['emulator'], recordedTo: '2026-11-24T08:00:00.000Z' } }],
    checks: checks.map((id) => ({ id, title: id, api: null, vocabulary: id.startsWith('defaults.') ? 'number-or-null' : id.startsWith('api.') ? ['supported', 'unsupported'] : ['integer', 'exponent', '/v1', 'none'], reference: id === 'created-at.chat' ? 'integer' : null })),
    models: models.map((id) => ({ id, family: null, familyTitle: null, inCatalog: id !== 'xai.grok-4.33' })),
    planned,
    results: results.map(({ ...r }) => r),
    usage: {},
    missingReason: 'not run',
    catalogModels: ['xai.grok-4.3', 'qwen.qwen3-32b'],
  });
}

