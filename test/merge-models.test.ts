/**
 * Two inputs of a merge that say different things of one model (its catalog entry: inCatalog, family, whether a
 * suggestion exists) are refused, naming both files, the model and the field, whatever their order: keeping the first
 * input's let the order of the files decide whether compare called the next night's failures new (review rvd2,
 * finding 1). `discovered` is a target's, joined as a single run of both targets writes it; `run.judging` of inputs
 * that differ is said by neither.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareMatrices } from '../src/report/compare.ts';
import type { Matrix, MatrixModel } from '../src/report/matrix.ts';
import { mergeMatrices } from '../src/report/merge.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
const QWEN = 'qwen.qwen3-32b';
const JUDGING = { expectations: null, catalog: '1111111111111111', repeat: 1 };

/** One region's whole run (its own run id and target), its models' entries and judging edited as another catalog's would be. */
function region(target: string, runId: string, edit: Partial<MatrixModel> = {}, catalog = JUDGING.catalog, errors = 0): Matrix {
  const cells = [QWEN].flatMap((model) => ['path-prefix', 'defaults.temperature'].slice(0, errors).map((check) => ({ model, check, status: 'error' as const, observed: null, reason: 'HTTP 500: internal error' })));
  const m = smallMatrix(cells, [GROK, QWEN], undefined, { target, runId });
  return { ...m, run: { ...m.run, judging: { ...JUDGING, catalog } }, models: m.models.map((x) => (x.id === QWEN ? { ...x, ...edit } : x)) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxm-models-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('merge: one model, two catalog entries', () => {
  it.each([
    ['inCatalog', { inCatalog: false }, {}],
    ['family', { family: 'qwen3' }, {}],
    ['suggestion', { inCatalog: false, suggestion: 'qwen.qwen3-32b-v2' }, { inCatalog: false }],
  ] as const)('another %s is refused in either order, exit 2 naming both files, the model and the field', async (field, edit, mine) => {
    const [a, b] = [join(dir, `${field}-a.json`), join(dir, `${field}-b.json`)];
    await writeFile(a, JSON.stringify(region('us', 'A', mine)));
    await writeFile(b, JSON.stringify(region('eu', 'B', edit, '2222222222222222')));
    for (const files of [[a, b], [b, a]]) {
      const merged = await cli(['merge', ...files, '--report-dir', join(dir, `${field}-out`)]);
      expect(merged.code, merged.stdout).toBe(2);
      expect(merged.stderr).toContain('HARNESS_REPORT_INVALID: merge: ');
      expect(merged.stderr).toContain(`the inputs say different things of model "${QWEN}": its ${field} is `);
      expect(merged.stderr).toMatch(new RegExp(` in ${files[0]} and .* in ${files[1]}\\. `));
      expect(merged.stderr).toContain('Give every job a catalog that says the same of the model');
    }
  });

  it('discovered is joined: the merged entry says it in either order', () => {
    const found = region('us', 'A', { inCatalog: false, discovered: true });
    const named = region('eu', 'B', { inCatalog: false });
    for (const inputs of [[found, named], [named, found]]) expect(mergeMatrices(inputs).models.find((m) => m.id === QWEN)).toEqual({ id: QWEN, family: null, familyTitle: null, inCatalog: false, discovered: true });
  });

  it('inputs that agree merge alike in either order, judged differently or not, and the next night compares alike', () => {
    const base = [region('us', 'A'), region('eu', 'B', {}, '2222222222222222')] as const;
    const night = [region('us', 'A2', {}, JUDGING.catalog, 2), region('eu', 'B2', {}, '2222222222222222')] as const;
    const [ab, ba] = [mergeMatrices([base[0], base[1]]), mergeMatrices([base[1], base[0]])];
    const [nab, nba] = [mergeMatrices([night[0], night[1]]), mergeMatrices([night[1], night[0]])];
    const sorted = (m: Matrix) => ({ models: [...m.models].sort((x, y) => x.id.localeCompare(y.id)), judging: m.run.judging, gate: m.gate.exitCode });
    expect(sorted(ab)).toEqual(sorted(ba));
    expect(sorted(nab)).toEqual(sorted(nba));
    // Judged against two catalogs: the merge states neither's digest, in either order.
    expect(ab.run.judging).toBeUndefined();
    const [x, y] = [compareMatrices(ab, nab), compareMatrices(ba, nba)];
    expect(x.newFailures.length).toBe(2);
    expect(y.newFailures).toEqual(x.newFailures);
    expect(y.regressed).toBe(x.regressed);
  });
});
