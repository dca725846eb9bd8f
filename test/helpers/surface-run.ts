/**
 * A run of the Mantle and bedrock-runtime surfaces of one site (`east`, `runtime.east`), built in memory as a run
 * builds its matrix, for the tests of the migration view: every cell passes, api.* checks observing `supported` and
 * the other checks `integer` on Mantle and `exponent` on runtime, unless `cells` says otherwise; `drop` leaves
 * (target/model) pairs out, as another shard's.
 */
import { buildMatrix } from '../../src/report/build-matrix.ts';
import type { Matrix, MatrixResult, MatrixTarget } from '../../src/report/matrix.ts';

export type SurfaceCell = Partial<MatrixResult> & { target: string; model: string; check: string };

const TARGETS: Record<string, MatrixTarget> = {
  east: { id: 'east', mode: 'replay', endpointHost: null, region: null, surface: 'mantle', site: 'east', provenance: { sources: ['emulator'], recordedTo: '2026-11-24T08:00:00.000Z' } },
  'runtime.east': { id: 'runtime.east', mode: 'replay', endpointHost: null, region: null, surface: 'runtime', site: 'east', provenance: { sources: ['emulator'], recordedTo: '2026-11-24T08:00:00.000Z' } },
};

export interface SurfaceRunOptions {
  /** @default ['east', 'runtime.east'] */
  targets?: readonly string[];
  /** @default ['m1', 'm2'] */
  models?: readonly string[];
  /** @default ['api.chat-completions', 'created-at.chat'] */
  checks?: readonly string[];
  cells?: readonly SurfaceCell[];
  drop?: readonly string[];
  /** Fields of the run record to set (`partial`, `selection`, `id`). */
  run?: Record<string, unknown>;
}

export function surfaceRun({ targets = ['east', 'runtime.east'], models = ['m1', 'm2'], checks = ['api.chat-completions', 'created-at.chat'], cells = [], drop = [], run = {} }: SurfaceRunOptions = {}): Matrix {
  const planned = targets.flatMap((target) => models.flatMap((model) => checks.map((check) => ({ target, model, check, expected: null, expectedSource: null }))));
  const results = planned
    .filter((p) => !drop.includes(`${p.target}/${p.model}`))
    .map((p) => ({ ...p, status: 'pass' as const, observed: p.check.startsWith('api.') ? 'supported' : p.target === 'east' ? 'integer' : 'exponent', reason: 'ok', evidence: [], ...cells.find((c) => c.target === p.target && c.model === p.model && c.check === p.check) }));
  return buildMatrix({
    run: { id: 'r1', startedAt: '2026-11-24T08:00:00.000Z', finishedAt: '2026-11-24T08:00:10.000Z', durationMs: 10_000, harnessVersion: '0.1.0', node: 'v20', partial: false, suites: 's', catalog: 'c', selection: { models: [], checks: [], filters: [] }, ...run } as Matrix['run'],
    targets: targets.map((t) => TARGETS[t]!),
    checks: checks.map((id) => ({ id, title: id, api: null, vocabulary: id.startsWith('api.') ? ['supported', 'unsupported'] : ['integer', 'exponent'], reference: null })),
    models: models.map((id) => ({ id, family: null, familyTitle: null, inCatalog: true })),
    planned,
    results,
    usage: {},
    missingReason: 'not run: filtered out (a model filter or -t) or in another shard',
    catalogModels: [...models],
  });
}
