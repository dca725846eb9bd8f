/**
 * What a run never writes in a matrix.json is refused by its readers (exit 2, HARNESS_REPORT_INVALID, file and JSON
 * path), not read as a verdict (review rvd2): a stated expected value whose source is null (the gate reads the source,
 * so the cell failed and never gated; finding 2), a source with nothing stated outside a number-or-null check, and
 * run times that are not a real UTC date and time or end before they start (finding 4: merge then argued with itself
 * on NaN). Times are held to history's rule (history/run-values.ts), whose own message stays as it was.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatrix } from '../src/cli/read-matrix.ts';
import { startedAtProblem } from '../src/history/run-values.ts';
import type { Matrix } from '../src/report/matrix.ts';
import { cli } from './helpers/harness.ts';
import { smallMatrix } from './helpers/small-matrix.ts';

const GROK = 'xai.grok-4.3';
/** The matrix as a file holds it, one cell edited. */
function edited(check: string, edit: Record<string, unknown>, m: Matrix = smallMatrix()): unknown {
  const file = JSON.parse(JSON.stringify(m)) as { results: Record<string, unknown>[] };
  Object.assign(file.results.find((r) => r.model === GROK && r.check === check)!, edit);
  return file;
}
const at = (check: string) => smallMatrix().results.findIndex((r) => r.model === GROK && r.check === check);
const timed = (run: Partial<Matrix['run']>) => JSON.parse(JSON.stringify({ ...smallMatrix(), run: { ...smallMatrix().run, ...run } })) as unknown;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mantle-fxm-claims-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('expected and its source', () => {
  it('a conforming matrix reads, a stated null of a number-or-null check with its source too', () => {
    expect(parseMatrix(JSON.parse(JSON.stringify(smallMatrix())), 'm.json').results).toHaveLength(6);
    expect(parseMatrix(edited('defaults.temperature', { expected: null, expectedSource: 'expectations: x.yaml' }), 'm.json').results[at('defaults.temperature')]!.expectedSource).toBe('expectations: x.yaml');
  });

  it('a stated value with no source is refused at results[i].expectedSource; report exits 2', async () => {
    const file = edited('path-prefix', { observed: 'none', expected: '/v1', expectedSource: null, status: 'fail' });
    expect(() => parseMatrix(file, 'm.json')).toThrow(`m.json: results[${at('path-prefix')}].expectedSource: null, but results[${at('path-prefix')}].expected states "/v1"`);
    const path = join(dir, 'nosource.json');
    await writeFile(path, JSON.stringify(file));
    const report = await cli(['report', path, '--report-dir', join(dir, 'o')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`HARNESS_REPORT_INVALID: ${path}: results[${at('path-prefix')}].expectedSource: null`);
    // With its source, the same cell reads and fails the gate.
    expect(parseMatrix(edited('path-prefix', { observed: 'none', expected: '/v1', expectedSource: 'catalog: x', status: 'fail' }), 'm.json').gate.exitCode).toBe(1);
  });

  it('a source with nothing stated, of a check that is not number-or-null, is refused', () => {
    expect(() => parseMatrix(edited('path-prefix', { expectedSource: 'catalog: x' }), 'm.json')).toThrow(`m.json: results[${at('path-prefix')}].expectedSource: "catalog: x", but results[${at('path-prefix')}].expected is null`);
  });
});

describe('run.startedAt and run.finishedAt', () => {
  it('times a run writes read, an end equal to the start too', () => {
    expect(parseMatrix(timed({}), 'm.json').run.startedAt).toBe('2026-11-24T08:00:00.000Z');
    expect(parseMatrix(timed({ finishedAt: '2026-11-24T08:00:00.000Z' }), 'm.json').run.finishedAt).toBe('2026-11-24T08:00:00.000Z');
  });

  it.each([
    ['run.startedAt', { startedAt: '2026-02-30T25:61:00Z' }, '"2026-02-30T25:61:00Z" is not a real date and time in UTC'],
    ['run.startedAt', { startedAt: 'yesterday' }, '"yesterday" is not a real date and time in UTC'],
    ['run.finishedAt', { finishedAt: '2026-11-24T08:00:10+02:00' }, 'is not a real date and time in UTC'],
    ['run.finishedAt', { finishedAt: '2026-11-19T08:00:00.000Z' }, '"2026-11-19T08:00:00.000Z" is before run.startedAt, "2026-11-24T08:00:00.000Z"'],
  ])('%s %j is refused at its path', (path, run, said) => {
    expect(() => parseMatrix(timed(run), 'm.json')).toThrow(`m.json: ${path}: `);
    expect(() => parseMatrix(timed(run), 'm.json')).toThrow(said);
  });

  it('merge refuses such an input by the field, never with a sum on NaN', async () => {
    const [good, bad] = [join(dir, 'good.json'), join(dir, 'bad.json')];
    await writeFile(good, JSON.stringify(smallMatrix([], undefined, undefined, { runId: 'S', shard: '1/2' })));
    await writeFile(bad, JSON.stringify({ ...(timed({ startedAt: '2026-02-30T25:61:00Z' }) as Matrix), run: { ...(timed({ startedAt: '2026-02-30T25:61:00Z' }) as Matrix).run, id: 'S', selection: { models: [], checks: [], filters: [], shard: '2/2' } } }));
    const merged = await cli(['merge', good, bad, '--report-dir', join(dir, 'm')]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain(`${bad}: run.startedAt: "2026-02-30T25:61:00Z" is not a real date and time in UTC`);
    expect(merged.stderr).not.toContain('NaN');
  });

  it("history's message of a start is as it was", () => {
    expect(startedAtProblem('2026-02-30T25:61:00Z')).toBe('run.startedAt: "2026-02-30T25:61:00Z" is not a real date and time in UTC (YYYY-MM-DDTHH:MM:SS[.sss]Z, as a run writes it)');
    expect(startedAtProblem('2026-11-24T08:00:00.000Z', Date.parse('2026-11-24T09:00:00Z'))).toBeUndefined();
  });
});
