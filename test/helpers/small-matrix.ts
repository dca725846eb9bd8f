/**
 * A small matrix built the way a run builds one (buildMatrix): one target, the given models, three checks; cells
 * can be overridden. For report tests that need no run.
 */
import { buildMatrix } from '../../src/report/build-matrix.ts';
import type { Matrix, MatrixResult } from '../../src/report/matrix.ts';

/** A small matrix built as a run builds one: one target, the given models, three checks (or `checks`). */
export function smallMatrix(cells: Partial<MatrixResult>[] = [], models = ['xai.grok-4.3', 'qwen.qwen3-32b'], checks = ['path-prefix', 'created-at.chat', 'defaults.temperature']): Matrix {
  const planned = models.flatMap((model) => checks.map((check) => ({ target: 'emulator', model, check, expected: check === 'created-at.chat' ? 'integer' : null, expectedSource: check === 'created-at.chat' ? 'openai-reference: x' : null })));
  const results = planned.map((p) => ({ ...p, status: 'pass' as const, observed: p.check === 'created-at.chat' ? 'integer' : p.check === 'path-prefix' ? '/v1' : 1, reason: 'ok', evidence: [{ case: 'probe.chat', step: 'main', request: 'POST /v1/chat/completions', status: 200 }], ...cells.find((c) => c.model === p.model && c.check === p.check) }));
  return buildMatrix({
    run: { id: 'r1', startedAt: '2026-11-24T08:00:00.000Z', finishedAt: '2026-11-24T08:00:10.000Z', durationMs: 10_000, harnessVersion: '0.1.0', node: 'v20', partial: false, suites: 's', catalog: 'c', selection: { models, checks: [], filters: [] } },
    targets: [{ id: 'emulator', mode: 'replay', endpointHost: null, region: null, provenance: { sources: ['emulator'], recordedTo: '2026-11-24T08:00:00.000Z' } }],
    checks: checks.map((id) => ({ id, title: id, api: null, vocabulary: id === 'defaults.temperature' ? 'number-or-null' : id.startsWith('api.') ? ['supported', 'unsupported'] : ['integer', 'exponent', '/v1', 'none'], reference: id === 'created-at.chat' ? 'integer' : null })),
    models: models.map((id) => ({ id, family: null, familyTitle: null, inCatalog: id !== 'xai.grok-4.33' })),
    planned,
    results: results.map(({ ...r }) => r),
    usage: {},
    missingReason: 'not run',
    catalogModels: ['xai.grok-4.3', 'qwen.qwen3-32b'],
  });
}

