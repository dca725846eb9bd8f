/**
 * The model-list line of matrix.md and matrix.html: a server that is not Mantle lists none of the catalog's ids, and
 * the line names a dozen of them and counts the rest, so the few ids it did list stay readable.
 */
import { expect, it } from 'vitest';
import type { Matrix } from '../src/report/matrix.ts';
import { modelListLines } from '../src/report/model-lists.ts';

const matrixWith = (notListed: string[]) =>
  ({ targets: [{ id: 'vllm', surface: 'custom', modelList: { source: 'GET /v1/models', listed: 2, new: ['meta-llama/Llama-3.1-8B-Instruct', 'BAAI/bge-m3'], notListed, refused: [] } }] }) as unknown as Matrix;

it('names up to a dozen catalogued ids the list lacks, and counts the rest', () => {
  const ids = Array.from({ length: 65 }, (_, i) => `vendor.model-${String(i).padStart(2, '0')}`);
  const [line] = modelListLines(matrixWith(ids));
  expect(line).toContain('new: meta-llama/Llama-3.1-8B-Instruct, BAAI/bge-m3');
  expect(line).toContain(`in the catalog but not listed: ${ids.slice(0, 12).join(', ')} and 53 more (all in matrix.json, targets[].modelList.notListed)`);
  expect(line).not.toContain('vendor.model-12');
});

it('names them all when there are a dozen or fewer', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `vendor.model-${i}`);
  expect(modelListLines(matrixWith(ids))[0]).toContain(`in the catalog but not listed: ${ids.join(', ')}`);
  expect(modelListLines(matrixWith(ids))[0]).not.toContain('more');
});

it('names up to thirty new ids and counts the rest (a gateway can list hundreds)', () => {
  const fresh = Array.from({ length: 40 }, (_, i) => `org/model-${String(i).padStart(2, '0')}`);
  const matrix = { targets: [{ id: 'gw', surface: 'custom', modelList: { source: 'GET /v1/models', listed: 40, new: fresh, notListed: [], refused: [] } }] } as unknown as Matrix;
  expect(modelListLines(matrix)[0]).toContain(`new: ${fresh.slice(0, 30).join(', ')} and 10 more (all in matrix.json, targets[].modelList.new)`);
});
